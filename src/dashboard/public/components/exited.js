// @ts-check
// The families that left the house recently, each one click from her file: the follow-ups after
// egress are recorded there, and nothing else on the page leads to an exited stay.
import { api, explain } from '../lib/api.js';
import { dateOf } from '../lib/format.js';
import { html } from '../lib/html.js';
import { useLoad } from '../lib/load.js';
import { LOADING } from '../lib/texts.js';
import { familyLabel } from './bed-map.js';
import { FamilyNames } from './family.js';
import { T } from './exited.texts.js';

/** @typedef {import('../lib/types.js').Stay} Stay */

// The last follow-up of the default schedule is six months after egress.
const RECENT_MS = 190 * 86_400_000;

/** @param {{ houseId: string, go: import('../views/app.js').Go, version?: number }} props */
export function ExitedFamilies({ houseId, go, version = 0 }) {
  const { data, error } = useLoad(async () => {
    /** @type {Stay[]} */
    const stays = await api(`/stays?houseId=${houseId}&status=exited`);
    const since = Date.now() - RECENT_MS;
    return stays
      .filter((s) => s.exitedAt && Date.parse(s.exitedAt) >= since)
      .sort((a, b) => Date.parse(b.exitedAt ?? '') - Date.parse(a.exitedAt ?? ''));
  }, [houseId, version]);
  return html`<section class="card scroll" aria-labelledby="exited-title">
    <h3 id="exited-title">${T.title}</h3>
    ${
      !data
        ? html`<p class=${error ? 'error' : ''}>${error ? explain(error) : LOADING}</p>`
        : data.length === 0
          ? html`<p>${T.none}</p>`
          : html`<p class="sub">${T.intro}</p>
              <table id="exited">
                <thead>
                  <tr>
                    <th scope="col">${T.family}</th>
                    <th scope="col">${T.exitedAt}</th>
                    <th scope="col"><span class="sr">${T.open}</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${data.map((stay) => {
                    const label = familyLabel(stay, 0);
                    return html`<tr key=${stay.id} data-stay-id=${stay.id}>
                      <th scope="row">${label}<${FamilyNames} stay=${stay} /></th>
                      <td>${stay.exitedAt ? dateOf(stay.exitedAt) : '—'}</td>
                      <td>
                        <button
                          type="button"
                          class="secondary"
                          aria-label=${T.openLabel(label)}
                          onClick=${() => go('expediente', stay.id)}
                        >
                          ${T.open}
                        </button>
                      </td>
                    </tr>`;
                  })}
                </tbody>
              </table>`
    }
  </section>`;
}
