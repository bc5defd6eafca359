// @ts-check
import { api, apiPage, explain } from '../lib/api.js';
import { shortDateTime } from '../lib/format.js';
import { html } from '../lib/html.js';
import { useLoad } from '../lib/load.js';
import { LOADING, RISK } from '../lib/texts.js';
import { T } from './admissions.texts.js';
import { SearchBox } from '../components/search.js';
import { LiveHolds } from './holds.js';

/** @typedef {import('../lib/types.js').Referral} Referral @typedef {import('../lib/types.js').Hold} Hold */
/** @typedef {import('../lib/types.js').House} House */

/**
 * The queue shown at once (the API's default page). Each load reads every row shown in full and
 * audits it as read, and the view reloads every 30 s: a bigger page would fill the audit log
 * with reads nobody made. Beyond it the view says that more are waiting.
 */
const QUEUE_PAGE = 100;

/** The officer's queue: each row opens the referral. */
export function AdmissionsView(/** @type {{ go: import('./app.js').Go }} */ { go }) {
  const { data, error, reload } = useLoad(
    () =>
      Promise.all([
        apiPage(`/referrals?status=received&limit=${QUEUE_PAGE}`),
        /** @type {Promise<Hold[]>} */ (api('/holds?status=held')),
        /** @type {Promise<House[]>} */ (api('/houses')),
      ]).then(([{ body, hasNext }, holds, houses]) => ({
        queue: /** @type {Referral[]} */ (body),
        hasNext,
        holds,
        codes: new Map(houses.map((h) => [h.id, h.code])),
      })),
    [],
  );
  if (!data) {
    return html`<h2 tabindex="-1">${T.title}</h2>
      <p class=${error ? 'error' : ''} role=${error ? 'alert' : undefined}>
        ${error ? explain(error) : LOADING}
      </p>`;
  }
  const { queue, hasNext, holds, codes } = data;
  const names = new Map(queue.map((r) => [r.id, r.woman?.fullName ?? r.externalReference]));
  return html`<div>
    <h2 tabindex="-1">${T.title}</h2>
    <${SearchBox} go=${go} />
    <${LiveHolds}
      holds=${holds}
      names=${names}
      codes=${codes}
      onConfirmed=${reload}
      onCancelled=${reload}
    />
    <div class="card scroll">
      <h3>${T.queue}</h3>
      ${hasNext && html`<p class="warning" id="queue-more">${T.more(QUEUE_PAGE)}</p>`}
      ${
        queue.length === 0
          ? html`<p>${T.empty}</p>`
          : html`<table id="queue">
              <thead>
                <tr>
                  <th scope="col">${T.risk}</th>
                  <th scope="col">${T.woman}</th>
                  <th scope="col">${T.reference}</th>
                  <th scope="col">${T.orderColumn}</th>
                  <th scope="col" class="num">${T.people}</th>
                  <th scope="col">${T.needs}</th>
                  <th scope="col">${T.received}</th>
                  <th scope="col"><span class="sr">${T.open}</span></th>
                </tr>
              </thead>
              <tbody>
                ${queue.map(
                  (r) =>
                    html`<tr
                      key=${r.id}
                      data-referral-id=${r.id}
                      class="clickable"
                      onClick=${() => go('remision', r.id)}
                    >
                      <td class=${`risk-${r.riskLevel}`}>${RISK[r.riskLevel] ?? r.riskLevel}</td>
                      <td>${r.erased ? T.erased : (r.woman?.fullName ?? '—')}</td>
                      <td>
                        ${r.externalReference}
                        <span class="sub">${r.protectionOrder?.authorityName ?? ''}</span>
                      </td>
                      <td class=${r.protectionOrder ? '' : 'warning'}>
                        ${r.erased ? '—' : r.protectionOrder ? T.order(r.protectionOrder.number ?? '—') : T.provisional}
                      </td>
                      <td class="num">${1 + (r.dependants?.length ?? 0)}</td>
                      <td>${r.needs?.wheelchairAccessible ? T.wheelchair : ''}</td>
                      <td>${shortDateTime(r.createdAt)}</td>
                      <td>
                        <button
                          type="button"
                          class="secondary"
                          aria-label=${T.openLabel(r.woman?.fullName ?? r.externalReference)}
                          onClick=${(/** @type {Event} */ e) => {
                            e.stopPropagation();
                            go('remision', r.id);
                          }}
                        >
                          ${T.open}
                        </button>
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
    </div>
  </div>`;
}
