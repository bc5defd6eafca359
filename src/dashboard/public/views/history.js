// @ts-check
import { useState } from 'preact/hooks';
import { HistoryChart } from '../components/chart.js';
import { api, explain } from '../lib/api.js';
import { calendarDate, number, today } from '../lib/format.js';
import { html } from '../lib/html.js';
import { useLoad } from '../lib/load.js';
import { LOADING } from '../lib/texts.js';
import { T } from './history.texts.js';

/** @typedef {import('../lib/types.js').HistoryDay} HistoryDay @typedef {import('../lib/types.js').House} House */

/** @param {{ days: HistoryDay[] }} props */
function HistoryTable({ days }) {
  return html`<details>
    <summary>${T.table}</summary>
    <table>
      <thead>
        <tr>
          <th scope="col">${T.date}</th>
          <th scope="col" class="num">${T.occupied}</th>
          <th scope="col" class="num">${T.capacity}</th>
        </tr>
      </thead>
      <tbody>
        ${days.map(
          (d) =>
            html`<tr key=${d.date}>
              <td>${calendarDate(d.date)}</td>
              <td class="num">${number.format(d.occupied)}</td>
              <td class="num">${number.format(d.capacity)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </details>`;
}

/** Bed-nights over a period, for the network or one house. */
export function HistoryView() {
  const [query, setQuery] = useState({ from: today(-30), to: today(), houseId: '' });
  const [problem, setProblem] = useState('');
  const houses = useLoad(() => /** @type {Promise<House[]>} */ (api('/houses')), []);
  const history = useLoad(() => {
    const params = new URLSearchParams({ from: query.from, to: query.to });
    if (query.houseId) {
      params.set('houseId', query.houseId);
    }
    return /** @type {Promise<{ days: HistoryDay[] }>} */ (api(`/occupancy/history?${params}`));
  }, [query]);

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
  const list = houses.data ?? [];
  return html`<div>
    <h2 tabindex="-1">${T.title}</h2>
    <div class="card">
      <form class="row" onSubmit=${submit}>
        <div>
          <label for="from">${T.from}</label
          ><input id="from" name="from" type="date" value=${query.from} max=${today()} required />
        </div>
        <div>
          <label for="to">${T.to}</label
          ><input id="to" name="to" type="date" value=${query.to} max=${today()} required />
        </div>
        <div>
          <label for="history-house">${T.house}</label>
          <select
            id="history-house"
            name="houseId"
            value=${query.houseId || (list.length === 1 ? list[0].id : '')}
          >
            ${list.length > 1 && html`<option value="">${T.allHouses}</option>`}
            ${list.map((h) => html`<option value=${h.id} key=${h.id}>${h.code}</option>`)}
          </select>
        </div>
        <button type="submit">${T.show}</button>
      </form>
      <p class="error" role="alert">${problem}</p>
      <div id="history-chart">
        ${
          history.error
            ? html`<p class="error" role="alert">
                ${explain(history.error, { from: T.from.toLowerCase(), to: T.to.toLowerCase() })}
              </p>`
            : !history.data
              ? html`<p>${LOADING}</p>`
              : html`<${HistoryChart} days=${history.data.days} />
                  <${HistoryTable} days=${history.data.days} />`
        }
      </div>
    </div>
  </div>`;
}
