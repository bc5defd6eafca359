// @ts-check
import { useState } from 'preact/hooks';
import { HistoryChart } from '../components/chart.js';
import { IndicatorTable } from '../components/indicator-table.js';
import { MonthChart } from '../components/month-chart.js';
import { api, download, explain } from '../lib/api.js';
import { calendarDate, number, percent, today } from '../lib/format.js';
import { html } from '../lib/html.js';
import { useLoad } from '../lib/load.js';
import { claims } from '../lib/session.js';
import { say } from '../lib/status.js';
import { LOADING } from '../lib/texts.js';
import { T } from './reports.texts.js';

/** @typedef {import('../components/indicator-table.js').Report} Report */
/** @typedef {import('../lib/types.js').House} House @typedef {import('../lib/types.js').HistoryDay} HistoryDay */
/** @typedef {{ from: string, to: string, houseId: string }} Query */

const MAX_MONTHS = 12;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The first and last day of the month before today's. @returns {Query} */
function lastFullMonth() {
  const [year, month] = today().split('-').map(Number);
  const first = new Date(Date.UTC(year, month - 2, 1));
  const last = new Date(Date.UTC(year, month - 1, 0));
  return {
    from: first.toISOString().slice(0, 10),
    to: last.toISOString().slice(0, 10),
    houseId: '',
  };
}

/**
 * The calendar months the period touches, each cut to the period, the last twelve at most.
 * @param {string} from @param {string} to
 */
export function monthsOf(from, to) {
  /** @type {{ from: string, to: string, label: string }[]} */
  const months = [];
  let [year, month] = from.split('-').map(Number);
  for (;;) {
    const start = new Date(Date.UTC(year, month - 1, 1)).toISOString().slice(0, 10);
    if (start > to) {
      break;
    }
    const end = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
    months.push({
      from: start < from ? from : start,
      to: end > to ? to : end,
      label: calendarDate(start, { month: 'short', year: '2-digit' }),
    });
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
  return months.slice(-MAX_MONTHS);
}

/** @param {Query} query @param {Record<string, string>} [extra] */
function indicatorsPath(query, extra = {}) {
  const params = new URLSearchParams({ from: query.from, to: query.to, ...extra });
  if (query.houseId) {
    params.set('houseId', query.houseId);
  }
  return `/reports/indicators?${params}`;
}

/**
 * The house picker: the network or one house. A coordinator's is fixed to hers; an analyst
 * may not list houses (403), so hers offers the network only.
 * @param {{ role: string | undefined, value: string, onInput: (event: Event) => void }} props
 */
function HousePicker({ role, value, onInput }) {
  const own = claims()?.houseId ?? '';
  const listable = role === 'admin' || role === 'admission_officer';
  const houses = useLoad(
    () => (listable ? /** @type {Promise<House[]>} */ (api('/houses')) : Promise.resolve([])),
    [],
  );
  if (role === 'house_coordinator') {
    return html`<input type="hidden" name="houseId" value=${own} />`;
  }
  return html`<div>
    <label for="reports-house">${T.house}</label>
    <select id="reports-house" name="houseId" value=${value} onInput=${onInput}>
      <option value="">${T.network}</option>
      ${(houses.data ?? []).map((h) => html`<option value=${h.id} key=${h.id}>${h.code}</option>`)}
    </select>
  </div>`;
}

/** @param {{ months: { label: string, report: Report }[], analyst: boolean }} props */
function MonthlyCharts({ months, analyst }) {
  const labels = months.map((m) => m.label);
  const served = months.map(({ report }) => {
    const { womenServed, dependantsServed } = /** @type {Record<string, number | null>} */ (
      report.indicators
    );
    return womenServed === null || dependantsServed === null
      ? null
      : womenServed + dependantsServed;
  });
  /** @param {(number | null)[]} values @param {(n: number) => string} format */
  const describe = (values, format) =>
    values.map((v, i) => `${labels[i]}: ${v === null ? T.hidden : format(v)}`).join('; ');
  // A withheld month has no bar, as a month of 0 has none: its label says which it is.
  /** @param {(number | null)[]} values */
  const starred = (values) => labels.map((l, i) => (values[i] === null ? `${l} *` : l));
  const rates = months.map(
    ({ report }) => /** @type {Record<string, number | null>} */ (report.indicators).occupancyRate,
  );
  return html`<div class="card">
      <h3>${T.servedTitle}</h3>
      <${MonthChart}
        labels=${starred(served)}
        values=${served}
        kind="bars"
        axis=${T.servedAxis}
        series=${T.served}
        summary=${T.servedSummary(describe(served, (n) => number.format(n)))}
      />
      ${served.includes(null) && html`<p class="note">${T.gaps}</p>`}
    </div>
    ${
      analyst &&
      html`<div class="card">
        <h3>${T.rateTitle}</h3>
        <${MonthChart}
          labels=${starred(rates)}
          values=${rates.map((r) => (r === null ? null : Math.round(r * 1000) / 10))}
          kind="line"
          axis=${T.rateAxis}
          series=${T.rateTitle}
          summary=${T.rateSummary(describe(rates, (n) => percent.format(n)))}
        />
        ${rates.includes(null) && html`<p class="note">${T.gaps}</p>`}
      </div>`
    }`;
}

/** Indicators of a period for the network or one house, with their charts and exports. */
export function ReportsView() {
  const role = claims()?.role;
  const analyst = role === 'analyst';
  const [query, setQuery] = useState(() => ({
    ...lastFullMonth(),
    houseId: role === 'house_coordinator' ? (claims()?.houseId ?? '') : '',
  }));
  // What the form shows: what she typed, until she asks for it. A report that arrives while
  // she types re-renders the form, and must not put the shown period back in her fields.
  const [draft, setDraft] = useState(query);
  const [problem, setProblem] = useState('');
  const report = useLoad(
    () => /** @type {Promise<Report>} */ (api(indicatorsPath(query))),
    [query],
  );
  const months = useLoad(
    () =>
      Promise.all(
        monthsOf(query.from, query.to).map(async (m) => ({
          label: m.label,
          report: /** @type {Report} */ (await api(indicatorsPath({ ...query, ...m }))),
        })),
      ),
    [query],
  );
  // The nightly history is staff's; the analyst reads the monthly occupancy rate instead.
  const history = useLoad(() => {
    if (analyst) {
      return Promise.resolve(null);
    }
    const params = new URLSearchParams({ from: query.from, to: query.to });
    if (query.houseId) {
      params.set('houseId', query.houseId);
    }
    return /** @type {Promise<{ days: HistoryDay[] }>} */ (api(`/occupancy/history?${params}`));
  }, [query]);

  /** @param {keyof Query} field */
  const edit = (field) => (/** @type {Event} */ event) =>
    setDraft((d) => ({
      ...d,
      [field]: /** @type {HTMLInputElement} */ (event.currentTarget).value,
    }));
  /** @param {SubmitEvent} event */
  const submit = (event) => {
    event.preventDefault();
    const form = new FormData(/** @type {HTMLFormElement} */ (event.currentTarget));
    const next = {
      from: String(form.get('from') ?? ''),
      to: String(form.get('to') ?? ''),
      houseId: String(form.get('houseId') ?? ''),
    };
    setProblem(next.from > next.to ? T.order : '');
    if (next.from <= next.to) {
      setQuery(next);
    }
  };
  /** @param {'csv' | 'xlsx'} format */
  const save = (format) => {
    const name = `indicadores_${query.from}_${query.to}.${format}`;
    download(indicatorsPath(query, { format }), format === 'csv' ? 'text/csv' : XLSX, name).then(
      () => say(T.downloaded),
      (error) => say(explain(error), true),
    );
  };
  const labels = { from: T.from.toLowerCase(), to: T.to.toLowerCase() };
  const data = report.data;
  return html`<div>
    <h2 tabindex="-1">${T.title}</h2>
    <div class="card">
      <form class="row" onSubmit=${submit}>
        <div>
          <label for="reports-from">${T.from}</label
          ><input
            id="reports-from"
            name="from"
            type="date"
            value=${draft.from}
            onInput=${edit('from')}
            required
          />
        </div>
        <div>
          <label for="reports-to">${T.to}</label
          ><input
            id="reports-to"
            name="to"
            type="date"
            value=${draft.to}
            onInput=${edit('to')}
            required
          />
        </div>
        <${HousePicker} role=${role} value=${draft.houseId} onInput=${edit('houseId')} />
        <button type="submit">${T.show}</button>
      </form>
      <p class="error" role="alert">${problem}</p>
      <div class="row">
        <button type="button" class="secondary" onClick=${() => save('csv')}>${T.csv}</button>
        <button type="button" class="secondary" onClick=${() => save('xlsx')}>${T.xlsx}</button>
      </div>
    </div>
    <div class="card">
      ${
        report.error
          ? html`<p class="error" role="alert">${explain(report.error, labels)}</p>`
          : !data
            ? html`<p>${LOADING}</p>`
            : html`<p class="note" id="suppression-note">
                  ${
                    analyst || data.suppressed.length > 0
                      ? T.suppressionNote(data.suppressed.length)
                      : T.noSuppression
                  }
                </p>
                <${IndicatorTable}
                  report=${data}
                  caption=${T.caption(calendarDate(data.from), calendarDate(data.to))}
                />`
      }
    </div>
    ${months.data && html`<${MonthlyCharts} months=${months.data} analyst=${analyst} />`}
    ${
      !analyst &&
      html`<div class="card" id="reports-occupancy">
        <h3>${T.occupancyTitle}</h3>
        ${
          history.error
            ? html`<p class="error" role="alert">${explain(history.error, labels)}</p>`
            : history.data
              ? html`<${HistoryChart} days=${history.data.days} />`
              : html`<p>${LOADING}</p>`
        }
      </div>`
    }
  </div>`;
}
