// @ts-check
import { Forecast } from '../components/forecast.js';
import { api, explain } from '../lib/api.js';
import { dateTime, daysLeft, number, percent } from '../lib/format.js';
import { html } from '../lib/html.js';
import { useLoad } from '../lib/load.js';
import { settings } from '../lib/settings.js';
import { LOADING } from '../lib/texts.js';
import { T } from './network.texts.js';

/** @typedef {import('../lib/types.js').Occupancy} Occupancy @typedef {import('../lib/types.js').Stay} Stay */
/** @typedef {import('../lib/types.js').HouseOccupancy} HouseOccupancy */

/** @param {{ house: HouseOccupancy }} props */
function OccupancyBar({ house }) {
  const total = house.capacity + house.outOfService || 1;
  const label = T.bar(house.occupied, house.capacity, house.outOfService);
  return html`<div class="bar" role="img" aria-label=${label} title=${label}>
    <span class="occ" style=${`width:${(house.occupied / total) * 100}%`}></span>
    <span style=${`width:${(house.free / total) * 100}%`}></span>
    <span class="off" style=${`width:${(house.outOfService / total) * 100}%`}></span>
  </div>`;
}

/** @param {{ label: string, value: number, id: string }} props */
function Metric({ label, value, id }) {
  return html`<div class="metric">
    <div>${label}</div>
    <div class="value" data-metric=${id}>${number.format(value)}</div>
  </div>`;
}

/** The officer's first view: the network's totals, each house, and terms ending soon. */
export function NetworkView(/** @type {{ go: import('./app.js').Go }} */ { go }) {
  const window = settings().termEndingWindowDays;
  const { data, error } = useLoad(
    () =>
      Promise.all([api(/** @type {string} */ ('/occupancy')), api('/stays?status=active')]).then(
        ([occupancy, stays]) => ({
          occupancy: /** @type {Occupancy} */ (occupancy),
          stays: /** @type {Stay[]} */ (stays),
        }),
      ),
    [],
  );
  if (!data) {
    return html`<h2 tabindex="-1">${T.title}</h2>
      <p class=${error ? 'error' : ''} role=${error ? 'alert' : undefined}>
        ${error ? explain(error) : LOADING}
      </p>`;
  }
  const { occupancy, stays } = data;
  const ending = stays
    .filter((s) => daysLeft(s.termEndsAt) <= window)
    .sort((a, b) => Date.parse(a.termEndsAt) - Date.parse(b.termEndsAt));
  const codes = new Map(occupancy.houses.map((house) => [house.houseId, house.code]));
  return html`<div>
    <h2 tabindex="-1">${T.title}</h2>
    <div class="totals" role="group" aria-label=${T.totals}>
      <${Metric} label=${T.capacity} value=${occupancy.totals.capacity} id="capacity" />
      <${Metric} label=${T.occupied} value=${occupancy.totals.occupied} id="occupied" />
      <${Metric} label=${T.free} value=${occupancy.totals.free} id="free" />
      <${Metric} label=${T.outOfService} value=${occupancy.totals.outOfService} id="outOfService" />
    </div>
    <div class="card scroll">
      <table>
        <caption class="sr">
          ${T.byHouse}
        </caption>
        <thead>
          <tr>
            <th scope="col">${T.house}</th>
            <th scope="col" class="num">${T.capacity}</th>
            <th scope="col" class="num">${T.occupied}</th>
            <th scope="col" class="num">${T.free}</th>
            <th scope="col" class="num">${T.outOfService}</th>
            <th scope="col">${T.rate}</th>
            <th scope="col" class="num">${T.endingColumn(window)}</th>
          </tr>
        </thead>
        <tbody>
          ${occupancy.houses.map(
            (house) =>
              html`<tr data-house=${house.code} key=${house.houseId}>
                <th scope="row">
                  <button
                    type="button"
                    class="secondary"
                    onClick=${() => go('casa', house.houseId)}
                  >
                    ${house.code}
                  </button>
                </th>
                <td class="num">${number.format(house.capacity)}</td>
                <td class="num">${number.format(house.occupied)}</td>
                <td class="num">${number.format(house.free)}</td>
                <td class="num">${number.format(house.outOfService)}</td>
                <td><${OccupancyBar} house=${house} /> ${percent.format(house.occupancyRate)}</td>
                <td class="num">${number.format(house.termEndingWithin14Days)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <div class="card">
      <h3>${T.endingTitle(window)}</h3>
      ${
        ending.length === 0
          ? html`<p>${T.none}</p>`
          : html`<table>
              <thead>
                <tr>
                  <th scope="col">${T.house}</th>
                  <th scope="col">${T.ends}</th>
                  <th scope="col" class="num">${T.days}</th>
                  <th scope="col" class="num">${T.people}</th>
                </tr>
              </thead>
              <tbody>
                ${ending.map((stay) => {
                  const left = daysLeft(stay.termEndsAt);
                  return html`<tr key=${stay.id}>
                    <td>${codes.get(stay.houseId) ?? '—'}</td>
                    <td>${dateTime(stay.termEndsAt)}</td>
                    <td class="num">${left < 0 ? T.overdue(-left) : left}</td>
                    <td class="num">${stay.occupants.length}</td>
                  </tr>`;
                })}
              </tbody>
            </table>`
      }
    </div>
    <${Forecast} />
  </div>`;
}
