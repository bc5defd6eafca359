// @ts-check
// A house's open alerts (reminders that reach people), each acknowledged by whoever handles it.
import { api, explain } from '../lib/api.js';
import { dateOf } from '../lib/format.js';
import { html } from '../lib/html.js';
import { useLoad } from '../lib/load.js';
import { say } from '../lib/status.js';
import { LOADING } from '../lib/texts.js';
import { T } from './alerts.texts.js';

/**
 * @typedef {{ id: string, houseId: string, kind: string, stayId: string | null,
 *   followUpId: string | null, dueAt: string, status: string }} Alert
 */

/**
 * @param {{ houseId: string, labels: Record<string, string> }} props `labels`: the family label
 *   of each stay the page knows, by stay id.
 */
export function AlertsCard({ houseId, labels }) {
  const { data, error, reload } = useLoad(
    () => /** @type {Promise<Alert[]>} */ (api(`/alerts?houseId=${houseId}&status=open`)),
    [houseId],
  );
  /** @param {Alert} alert */
  const acknowledge = async (alert) => {
    try {
      await api(`/alerts/${alert.id}/acknowledge`, { method: 'POST' });
      say(T.acknowledged);
    } catch (e) {
      say(explain(e), true);
    }
    reload();
  };
  return html`<section class="card scroll" aria-labelledby="alerts-title">
    <h3 id="alerts-title">${T.title}</h3>
    ${
      !data
        ? html`<p class=${error ? 'error' : ''}>${error ? explain(error) : LOADING}</p>`
        : data.length === 0
          ? html`<p>${T.none}</p>`
          : html`<table id="alerts">
              <thead>
                <tr>
                  <th scope="col">${T.kind}</th>
                  <th scope="col">${T.family}</th>
                  <th scope="col">${T.due}</th>
                  <th scope="col"><span class="sr">${T.acknowledge}</span></th>
                </tr>
              </thead>
              <tbody>
                ${data.map((a) => {
                  const kind = T.kinds[a.kind] ?? a.kind;
                  const family = (a.stayId && labels[a.stayId]) ?? '—';
                  return html`<tr key=${a.id} data-alert-id=${a.id}>
                    <td class=${a.kind === 'at_risk' || a.kind === 'term_ended' ? 'warning' : ''}>
                      ${kind}
                    </td>
                    <td>${family}</td>
                    <td>${dateOf(a.dueAt)}</td>
                    <td>
                      <button
                        type="button"
                        class="secondary"
                        aria-label=${T.acknowledgeLabel(`${kind}, ${family}`)}
                        onClick=${() => acknowledge(a)}
                      >
                        ${T.acknowledge}
                      </button>
                    </td>
                  </tr>`;
                })}
              </tbody>
            </table>`
    }
  </section>`;
}
