// @ts-check
// A team member's day: her house's open alerts, and each family with its plan's open goals and
// the last attention of her discipline, one click from its file; and the families that left
// recently, whose follow-ups are hers too.
import { AlertsCard } from '../components/alerts.js';
import { familyLabel } from '../components/bed-map.js';
import { ExitedFamilies } from '../components/exited.js';
import { FamilyNames } from '../components/family.js';
import { api, explain } from '../lib/api.js';
import { shortDateTime } from '../lib/format.js';
import { html } from '../lib/html.js';
import { useLoad } from '../lib/load.js';
import { claims } from '../lib/session.js';
import { LOADING } from '../lib/texts.js';
import { T as CASE } from './casefile.texts.js';
import { T } from './team-day.texts.js';

/** @typedef {import('../lib/types.js').Stay} Stay */

/** @param {{ go: import('./app.js').Go }} props */
export function TeamDayView({ go }) {
  const me = claims();
  const houseId = me?.houseId ?? '';
  const { data, error } = useLoad(async () => {
    /** @type {[Stay[], Stay[]]} */
    const [stays, exited] = await Promise.all([
      api(`/stays?houseId=${houseId}&status=active`),
      // Alerts (a follow-up due, a woman at risk) name families that have left, too.
      /** @type {Promise<Stay[]>} */ (api(`/stays?houseId=${houseId}&status=exited`)).catch(
        () => [],
      ),
    ]);
    const discipline = me?.discipline ? `?discipline=${me.discipline}` : '';
    const details = await Promise.all(
      stays.map(async (stay) => {
        const [plan, attentions] = await Promise.all([
          /** @type {Promise<{ goals: { id: string, description: string, status: string }[] }>} */ (
            api(`/stays/${stay.id}/plan`)
          ).catch(() => ({ goals: [] })),
          /** @type {Promise<{ kind: string, occurredAt: string }[]>} */ (
            api(`/stays/${stay.id}/attentions${discipline}`)
          ).catch(() => []),
        ]);
        return { stay, goals: plan.goals.filter((g) => g.status === 'open'), last: attentions[0] };
      }),
    );
    return { details, exited };
  }, [houseId]);
  /** @type {Record<string, string>} */
  const labels = {};
  for (const stay of [...(data?.exited ?? []), ...(data?.details ?? []).map((d) => d.stay)]) {
    labels[stay.id] = familyLabel(stay, 0);
  }
  return html`<div>
    <h2 tabindex="-1">${T.title}</h2>
    ${houseId && html`<${AlertsCard} houseId=${houseId} labels=${labels} />`}
    <section class="card scroll" aria-labelledby="day-families">
      <h3 id="day-families">${T.families}</h3>
      ${
        !data
          ? html`<p class=${error ? 'error' : ''}>${error ? explain(error) : LOADING}</p>`
          : data.details.length === 0
            ? html`<p>${T.none}</p>`
            : html`<table id="day">
                <thead>
                  <tr>
                    <th scope="col">${T.family}</th>
                    <th scope="col">${T.goals}</th>
                    <th scope="col">${T.last}</th>
                    <th scope="col"><span class="sr">${T.open}</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${data.details.map(({ stay, goals, last }) => {
                    const label = familyLabel(stay, 0);
                    return html`<tr key=${stay.id} data-stay-id=${stay.id}>
                      <th scope="row">${label}<${FamilyNames} stay=${stay} /></th>
                      <td>
                        ${
                          goals.length === 0
                            ? T.noGoals
                            : html`<ul class="plain">
                                ${goals.map((g) => html`<li key=${g.id}>${g.description}</li>`)}
                              </ul>`
                        }
                      </td>
                      <td>
                        ${last ? `${CASE.kinds[last.kind] ?? last.kind}, ${shortDateTime(last.occurredAt)}` : T.never}
                      </td>
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
    </section>
    ${houseId && html`<${ExitedFamilies} houseId=${houseId} go=${go} />`}
  </div>`;
}
