// @ts-check
import { useState } from 'preact/hooks';
import { BedMap, familyLabel } from '../components/bed-map.js';
import { FamilyNames } from '../components/family.js';
import { SearchBox } from '../components/search.js';
import { AlertsCard } from '../components/alerts.js';
import { api, explain } from '../lib/api.js';
import { dateOf, dateTime, daysLeft } from '../lib/format.js';
import { html } from '../lib/html.js';
import { useLoad } from '../lib/load.js';
import { claims } from '../lib/session.js';
import { LOADING } from '../lib/texts.js';
import { ExitedFamilies } from '../components/exited.js';
import { FollowUps } from './follow-ups.js';
import { T } from './house.texts.js';
import { EgressDialog, ExtensionDialog } from './stay-dialogs.js';

/** @typedef {import('../lib/types.js').House} House @typedef {import('../lib/types.js').Room} Room */
/** @typedef {import('../lib/types.js').Stay} Stay */

/**
 * @param {{ stays: Stay[], onExtend: (stay: Stay, family: string) => void,
 *   onEgress: (stay: Stay, family: string) => void, onOpen: (stay: Stay) => void }} props
 */
function StaysTable({ stays, onExtend, onEgress, onOpen }) {
  const role = claims()?.role;
  const canExtend = role === 'house_coordinator' || role === 'admin';
  if (stays.length === 0) {
    return html`<div class="card">
      <h3>${T.stays}</h3>
      <p>${T.noStays}</p>
    </div>`;
  }
  return html`<div class="card scroll">
    <h3>${T.stays}</h3>
    <table id="stays">
      <thead>
        <tr>
          <th scope="col">${T.family}</th>
          <th scope="col">${T.admitted}</th>
          <th scope="col">${T.term}</th>
          <th scope="col">${T.max}</th>
          <th scope="col">${T.extensions}</th>
          <th scope="col"><span class="sr">${T.actions}</span></th>
        </tr>
      </thead>
      <tbody>
        ${stays.map((stay, index) => {
          const family = familyLabel(stay, index);
          const left = daysLeft(stay.termEndsAt);
          return html`<tr key=${stay.id} data-stay-id=${stay.id}>
            <th scope="row">
              ${family}
              <span class="sub">${T.people(stay.occupants.length)}</span>
              <${FamilyNames} stay=${stay} />
              ${
                stay.provisional &&
                html`<span class=${stay.orderOverdue ? 'sub warning' : 'sub'}>
                  ${stay.orderOverdue ? T.orderOverdue : T.provisional}
                </span>`
              }
            </th>
            <td title=${dateTime(stay.admittedAt)}>${dateOf(stay.admittedAt)}</td>
            <td title=${dateTime(stay.termEndsAt)}>
              ${dateOf(stay.termEndsAt)}
              <span class=${left < 0 ? 'sub warning' : 'sub'}>
                ${left < 0 ? T.overdue(-left) : T.left(left)}
              </span>
            </td>
            <td>${dateOf(stay.maxEndsAt)}</td>
            <td>
              ${(stay.extensions ?? []).map(
                (e) =>
                  html`<div class="small">
                    ${T.extensionLine(dateOf(e.previousTermEndsAt), dateOf(e.termEndsAt), e.reason)}
                  </div>`,
              )}
            </td>
            <td class="actions">
              <button
                type="button"
                class="secondary"
                aria-label=${T.casefileLabel(family)}
                onClick=${() => onOpen(stay)}
              >
                ${T.casefile}
              </button>
              ${
                canExtend &&
                html`<button
                  type="button"
                  class="secondary"
                  aria-label=${T.extendLabel(family)}
                  onClick=${() => onExtend(stay, family)}
                >
                  ${T.extend}
                </button>`
              }
              <button
                type="button"
                class="secondary"
                aria-label=${T.egressLabel(family)}
                onClick=${() => onEgress(stay, family)}
              >
                ${T.egress}
              </button>
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}

/**
 * One house: its beds, who lives there and until when, extension and egress, follow-ups.
 * A coordinator sees only hers (the API says so); officers pick a house.
 * @param {{ houseId: string | null, go: import('./app.js').Go }} props
 */
export function HouseView({ houseId, go }) {
  const [dialog, setDialog] = useState(
    /** @type {{ kind: 'extend' | 'egress', stay: Stay, family: string } | null} */ (null),
  );
  // Bumped after an extension or egress, so the follow-ups it scheduled show at once.
  const [version, setVersion] = useState(0);
  const { data, error, reload } = useLoad(async () => {
    /** @type {House[]} */
    const houses = await api('/houses');
    const house = houses.find((h) => h.id === houseId) ?? houses[0];
    if (!house) {
      return { houses, house: null, rooms: [], stays: [], exited: [] };
    }
    const [rooms, stays, exited] = await Promise.all([
      /** @type {Promise<Room[]>} */ (api(`/houses/${house.id}/rooms`)),
      /** @type {Promise<Stay[]>} */ (api(`/stays?houseId=${house.id}&status=active`)),
      // Alerts (a follow-up due, a woman at risk) name families that have left, too.
      /** @type {Promise<Stay[]>} */ (api(`/stays?houseId=${house.id}&status=exited`)).catch(
        () => [],
      ),
    ]);
    // Oldest admission first, whatever order the API lists them in, so that a family keeps
    // its label when another's term is extended.
    stays.sort(
      (a, b) => Date.parse(a.admittedAt) - Date.parse(b.admittedAt) || a.id.localeCompare(b.id),
    );
    return { houses, house, rooms, stays, exited };
  }, [houseId]);
  if (!data) {
    return html`<h2 tabindex="-1">${T.picker}</h2>
      <p class=${error ? 'error' : ''} role=${error ? 'alert' : undefined}>
        ${error ? explain(error) : LOADING}
      </p>`;
  }
  const { houses, house, rooms, stays, exited } = data;
  if (!house) {
    return html`<p>${T.noHouses}</p>`;
  }
  const done = () => {
    setDialog(null);
    setVersion(version + 1);
    reload();
  };
  return html`<div>
    <h2 tabindex="-1">${house.code} · ${house.name}</h2>
    ${
      houses.length > 1 &&
      html`<div>
        <label for="house-picker">${T.picker}</label>
        <select
          id="house-picker"
          value=${house.id}
          onChange=${(/** @type {Event} */ e) => go('casa', /** @type {HTMLSelectElement} */ (e.currentTarget).value)}
        >
          ${houses.map((h) => html`<option value=${h.id} key=${h.id}>${h.code} · ${h.name}</option>`)}
        </select>
      </div>`
    }
    ${
      claims()?.role === 'house_coordinator' &&
      html`<${AlertsCard}
        houseId=${house.id}
        labels=${Object.fromEntries([
          ...exited.map((s) => [s.id, familyLabel(s, 0)]),
          ...stays.map((s, i) => [s.id, familyLabel(s, i)]),
        ])}
      />`
    }
    <${StaysTable}
      stays=${stays}
      onOpen=${(/** @type {Stay} */ stay) => go('expediente', stay.id)}
      onExtend=${(/** @type {Stay} */ stay, /** @type {string} */ family) => setDialog({ kind: 'extend', stay, family })}
      onEgress=${(/** @type {Stay} */ stay, /** @type {string} */ family) => setDialog({ kind: 'egress', stay, family })}
    />
    <${FollowUps} houseId=${house.id} version=${version} />
    <${ExitedFamilies} houseId=${house.id} go=${go} version=${version} />
    ${claims()?.role === 'house_coordinator' && html`<${SearchBox} go=${go} />`}
    <${BedMap} rooms=${rooms} stays=${stays} />
    ${
      dialog?.kind === 'extend' &&
      html`<${ExtensionDialog}
        stay=${dialog.stay}
        family=${dialog.family}
        onDone=${done}
        onClose=${() => setDialog(null)}
      />`
    }
    ${
      dialog?.kind === 'egress' &&
      html`<${EgressDialog}
        stay=${dialog.stay}
        family=${dialog.family}
        onDone=${done}
        onClose=${() => setDialog(null)}
      />`
    }
  </div>`;
}
