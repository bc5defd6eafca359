// @ts-check
import { useState } from 'preact/hooks';
import { FormDialog } from '../components/dialog.js';
import { api, explain } from '../lib/api.js';
import { dateOf } from '../lib/format.js';
import { html } from '../lib/html.js';
import { useLoad } from '../lib/load.js';
import { settings } from '../lib/settings.js';
import { say } from '../lib/status.js';
import { FOLLOW_UP_OUTCOME, FOLLOW_UP_STATUS, LOADING } from '../lib/texts.js';
import { T } from './follow-ups.texts.js';

/** @typedef {import('../lib/types.js').FollowUp} FollowUp @typedef {import('../lib/types.js').Stay} Stay */

/** @param {Stay | undefined} stay */
function egressOf(stay) {
  if (!stay?.exitedAt) {
    return '—';
  }
  return html`${dateOf(stay.exitedAt)}<span class="sub">${T.people(stay.occupants.length)}</span>`;
}

/**
 * The house's follow-ups still to do, due first, then scheduled, soonest first; each can be
 * recorded as done.
 * @param {{ houseId: string, version: number }} props
 */
export function FollowUps({ houseId, version }) {
  const [recording, setRecording] = useState(/** @type {FollowUp | null} */ (null));
  const { data, error, reload } = useLoad(async () => {
    const [due, scheduled] = await Promise.all(
      ['due', 'scheduled'].map(
        (status) =>
          /** @type {Promise<FollowUp[]>} */ (
            api(`/follow-ups?houseId=${houseId}&status=${status}`)
          ),
      ),
    );
    const soonest = (/** @type {FollowUp} */ a, /** @type {FollowUp} */ b) =>
      Date.parse(a.dueAt) - Date.parse(b.dueAt);
    const followUps = [...due.sort(soonest), ...scheduled.sort(soonest)];
    // Which egress each follow-up is about: the stays they name, once each.
    const ids = [...new Set(followUps.map((f) => f.stayId))];
    const stays = await Promise.all(
      ids.map((id) => /** @type {Promise<Stay>} */ (api(`/stays/${id}`))),
    );
    return { followUps, stays: new Map(stays.map((stay) => [stay.id, stay])) };
  }, [houseId, version]);
  const record = async (/** @type {FormData} */ form) => {
    if (!recording) {
      return;
    }
    const notes = String(form.get('notes') ?? '');
    await api(`/follow-ups/${recording.id}/complete`, {
      method: 'POST',
      body: { outcome: String(form.get('outcome') ?? ''), ...(notes.trim() ? { notes } : {}) },
    });
    say(T.saved(dateOf(recording.dueAt)));
    setRecording(null);
    reload();
  };
  return html`<div class="card scroll" id="follow-ups">
    <h3>${T.title}</h3>
    ${
      !data
        ? html`<p class=${error ? 'error' : ''} role=${error ? 'alert' : undefined}>
            ${error ? explain(error) : LOADING}
          </p>`
        : data.followUps.length === 0
          ? html`<p>${T.none}</p>`
          : html`<table>
              <thead>
                <tr>
                  <th scope="col">${T.egress}</th>
                  <th scope="col">${T.due}</th>
                  <th scope="col" class="num">${T.number}</th>
                  <th scope="col">${T.status}</th>
                  <th scope="col" class="num">${T.reminders}</th>
                  <th scope="col"><span class="sr">${T.record}</span></th>
                </tr>
              </thead>
              <tbody>
                ${data.followUps.map(
                  (f) =>
                    html`<tr key=${f.id} data-follow-up-id=${f.id} data-status=${f.status}>
                      <td>${egressOf(data.stays.get(f.stayId))}</td>
                      <td>${dateOf(f.dueAt)}</td>
                      <td class="num">${f.sequence}</td>
                      <td class=${f.status === 'due' ? 'warning' : ''}>
                        ${FOLLOW_UP_STATUS[f.status] ?? f.status}
                      </td>
                      <td class="num">${f.remindersSent}</td>
                      <td>
                        <button
                          type="button"
                          class="secondary"
                          aria-label=${T.recordLabel(dateOf(f.dueAt))}
                          onClick=${() => setRecording(f)}
                        >
                          ${T.record}
                        </button>
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
    }
    ${
      recording &&
      html`<${FormDialog}
        title=${T.dialogTitle}
        submitText=${T.save}
        labels=${{ outcome: T.outcome.toLowerCase(), notes: 'observaciones' }}
        onSubmit=${record}
        onClose=${() => setRecording(null)}
      >
        <p>${T.dialogIntro(dateOf(recording.dueAt), recording.sequence)}</p>
        <label for="follow-up-outcome">${T.outcome}</label>
        <select id="follow-up-outcome" name="outcome" required>
          ${settings().followUpOutcomes.map(
            (outcome) =>
              html`<option value=${outcome} key=${outcome}>
                ${FOLLOW_UP_OUTCOME[outcome] ?? outcome}
              </option>`,
          )}
        </select>
        <label for="follow-up-notes">${T.notes}</label>
        <textarea id="follow-up-notes" name="notes" maxlength="5000"></textarea>
      <//>`
    }
  </div>`;
}
