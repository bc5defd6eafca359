// @ts-check
import { api, explain } from '../lib/api.js';
import { calendarDate, number } from '../lib/format.js';
import { html } from '../lib/html.js';
import { useLoad } from '../lib/load.js';
import { LOADING } from '../lib/texts.js';
import { T } from './forecast.texts.js';

const DAYS = 30;

/**
 * @typedef {{ date: string, occupied: number, free: number, termEnding: number,
 *   maxEnding: number }} ForecastDay
 */

/**
 * Places that free up over the next 30 days if every stay ends at its term: only the days
 * when some term (or some stay's limit) ends, so the officer sees when to expect room.
 */
export function Forecast() {
  const forecast = useLoad(
    () => /** @type {Promise<{ days: ForecastDay[] }>} */ (api(`/occupancy/forecast?days=${DAYS}`)),
    [],
  );
  if (!forecast.data) {
    return html`<div class="card" id="forecast">
      <h3>${T.title(DAYS)}</h3>
      <p class=${forecast.error ? 'error' : ''} role=${forecast.error ? 'alert' : undefined}>
        ${forecast.error ? explain(forecast.error) : LOADING}
      </p>
    </div>`;
  }
  const { days } = forecast.data;
  const ending = days.filter((d) => d.termEnding > 0 || d.maxEnding > 0);
  const total = ending.reduce((n, d) => n + d.termEnding, 0);
  return html`<div class="card" id="forecast">
    <h3>${T.title(DAYS)}</h3>
    <p>${T.summary(total, days.length > 0 ? days[days.length - 1].free : 0)}</p>
    ${
      ending.length === 0
        ? html`<p>${T.none}</p>`
        : html`<div class="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">${T.date}</th>
                  <th scope="col" class="num">${T.termEnding}</th>
                  <th scope="col" class="num">${T.maxEnding}</th>
                  <th scope="col" class="num">${T.free}</th>
                </tr>
              </thead>
              <tbody>
                ${ending.map(
                  (d) =>
                    html`<tr key=${d.date} data-date=${d.date}>
                      <th scope="row">${calendarDate(d.date)}</th>
                      <td class="num">${number.format(d.termEnding)}</td>
                      <td class="num">${number.format(d.maxEnding)}</td>
                      <td class="num">${number.format(d.free)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
  </div>`;
}
