// @ts-check
import { number, percent } from '../lib/format.js';
import { html } from '../lib/html.js';
import { INDICATOR, KEY, T } from '../views/reports.texts.js';

/** @typedef {{ from: string, to: string, houseId: string | null, suppressed: string[], indicators: Record<string, unknown> }} Report */

/**
 * The figures of a report as rows (path, value), in the order of the JSON, as the CSV export
 * lists them.
 * @param {Record<string, unknown>} indicators
 * @returns {{ path: string, value: number | null }[]}
 */
export function flatten(indicators) {
  /** @type {{ path: string, value: number | null }[]} */
  const rows = [];
  /** @param {unknown} node @param {string} prefix */
  const walk = (node, prefix) => {
    if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        walk(v, prefix ? `${prefix}.${k}` : k);
      }
    } else {
      rows.push({ path: prefix, value: /** @type {number | null} */ (node) });
    }
  };
  walk(indicators, '');
  return rows;
}

/** @param {string} path @param {number} value */
function show(path, value) {
  return path === 'occupancyRate' ? percent.format(value) : number.format(value);
}

/**
 * The indicators as a Spanish table. A withheld figure says so ("< 5 (suprimido)"), never a
 * blank that could be read as 0; a figure with nothing to measure (a median of no stays) is "—".
 * @param {{ report: Report, caption: string }} props
 */
export function IndicatorTable({ report, caption }) {
  const withheld = new Set(report.suppressed);
  const rows = flatten(report.indicators);
  return html`<div class="scroll">
    <table id="indicators">
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">${T.indicator}</th>
          <th scope="col">${T.key}</th>
          <th scope="col" class="num">${T.value}</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(({ path, value }) => {
          const [head, ...rest] = path.split('.');
          const hidden = withheld.has(path);
          return html`<tr key=${path} data-path=${path} class=${hidden ? 'suppressed' : ''}>
            <th scope="row">${INDICATOR[/** @type {keyof INDICATOR} */ (head)] ?? head}</th>
            <td>${rest.map((k) => KEY[/** @type {keyof KEY} */ (k)] ?? k).join(' / ')}</td>
            <td class="num">${hidden ? T.suppressed : value === null ? '—' : show(path, value)}</td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}
