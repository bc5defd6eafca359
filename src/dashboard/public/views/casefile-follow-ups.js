// @ts-check
// The file's follow-ups after egress: each one's date, state and result, and for those done
// the situation found (safety, housing, legal and psychosocial progress). The team records them
// here, since following her after she leaves is the team's work too.
import { useState } from 'preact/hooks';
import { FormDialog } from '../components/dialog.js';
import { api, explain } from '../lib/api.js';
import { dateOf } from '../lib/format.js';
import { html } from '../lib/html.js';
import { useLoad } from '../lib/load.js';
import { settings } from '../lib/settings.js';
import { say } from '../lib/status.js';
import { FOLLOW_UP_OUTCOME, FOLLOW_UP_STATUS, LOADING } from '../lib/texts.js';
import { T } from './casefile-follow-ups.texts.js';

/**
 * @typedef {import('../lib/types.js').FollowUp} FollowUp
 * @typedef {import('../lib/types.js').Stay} Stay
 * @typedef {{ safety: string, housing: string, legalProgress: string | null,
 *   psychosocialProgress: string | null }} Situation
 * @typedef {FollowUp & { notes?: string | null, situation?: Situation | null }} FollowUpDetail
 */

const OPEN = ['due', 'scheduled'];

/** @param {{ situation: Situation | null | undefined }} props */
function SituationCell({ situation }) {
  if (!situation) {
    return html`<span class="sub">${T.noSituation}</span>`;
  }
  return html`<dl class="situation">
    <dt>${T.safetyLabel}</dt>
    <dd class=${situation.safety === 'at_risk' ? 'warning' : ''}>
      ${T.safety[situation.safety] ?? situation.safety}
    </dd>
    <dt>${T.housingLabel}</dt>
    <dd>${T.housing[situation.housing] ?? situation.housing}</dd>
    ${
      situation.legalProgress &&
      html`<dt>${T.legalProgress}</dt>
        <dd>${situation.legalProgress}</dd>`
    }
    ${
      situation.psychosocialProgress &&
      html`<dt>${T.psychosocialProgress}</dt>
        <dd>${situation.psychosocialProgress}</dd>`
    }
  </dl>`;
}

/** @param {{ stay: Stay }} props */
export function CasefileFollowUps({ stay }) {
  const [recording, setRecording] = useState(/** @type {FollowUp | null} */ (null));
  // Kept on the page (not only announced) so the person who recorded a risk knows what followed.
  const [notice, setNotice] = useState('');
  const { data, error, reload } = useLoad(async () => {
    /** @type {FollowUp[]} */
    const list = await api(`/follow-ups?stayId=${stay.id}`);
    list.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
    // The situation is only in the one-by-one answer; only completed ones have any.
    /** @type {(f: FollowUp) => Promise<FollowUpDetail>} */
    const detail = (f) =>
      f.status === 'completed' ? api(`/follow-ups/${f.id}`) : Promise.resolve(f);
    return Promise.all(list.map((f) => detail(f).catch(() => /** @type {FollowUpDetail} */ (f))));
  }, [stay.id]);
  const record = async (/** @type {FormData} */ form) => {
    if (!recording) {
      return;
    }
    const text = (/** @type {string} */ name) => String(form.get(name) ?? '').trim();
    const situation = {
      safety: text('safety'),
      housing: text('housing'),
      ...(text('legalProgress') ? { legalProgress: text('legalProgress') } : {}),
      ...(text('psychosocialProgress')
        ? { psychosocialProgress: text('psychosocialProgress') }
        : {}),
    };
    await api(`/follow-ups/${recording.id}/complete`, {
      method: 'POST',
      body: {
        outcome: text('outcome'),
        ...(text('notes') ? { notes: text('notes') } : {}),
        situation,
      },
    });
    const message =
      situation.safety === 'at_risk'
        ? `${T.saved(dateOf(recording.dueAt))} ${T.alertRaised}`
        : T.saved(dateOf(recording.dueAt));
    say(message);
    setNotice(message);
    setRecording(null);
    reload();
  };
  return html`<section
    class="card scroll"
    aria-labelledby="cf-follow-ups"
    id="cf-follow-ups-section"
  >
    <h3 id="cf-follow-ups">${T.title}</h3>
    ${notice && html`<p id="follow-up-notice" class="notice">${notice}</p>`}
    ${
      !data
        ? html`<p class=${error ? 'error' : ''} role=${error ? 'alert' : undefined}>
            ${error ? explain(error) : LOADING}
          </p>`
        : data.length === 0
          ? html`<p>${stay.status === 'exited' ? T.none : T.notExited}</p>`
          : html`<table id="case-follow-ups">
              <thead>
                <tr>
                  <th scope="col">${T.due}</th>
                  <th scope="col">${T.status}</th>
                  <th scope="col">${T.outcome}</th>
                  <th scope="col">${T.situation}</th>
                </tr>
              </thead>
              <tbody>
                ${data.map(
                  (f) =>
                    html`<tr key=${f.id} data-follow-up-id=${f.id} data-status=${f.status}>
                      <td>${dateOf(f.dueAt)}</td>
                      <td class=${f.status === 'due' ? 'warning' : ''}>
                        ${FOLLOW_UP_STATUS[f.status] ?? f.status}
                      </td>
                      <td>
                        ${f.outcome ? (FOLLOW_UP_OUTCOME[f.outcome] ?? f.outcome) : '—'}
                        ${
                          f.cancelReason &&
                          html`<span class="sub"
                            >${T.cancelReason[f.cancelReason] ?? f.cancelReason}</span
                          >`
                        }
                        ${f.notes && html`<span class="sub">${f.notes}</span>`}
                      </td>
                      <td>
                        ${
                          OPEN.includes(f.status)
                            ? html`<button
                                type="button"
                                class="secondary"
                                aria-label=${T.recordLabel(dateOf(f.dueAt))}
                                onClick=${() => setRecording(f)}
                              >
                                ${T.record}
                              </button>`
                            : f.status === 'completed'
                              ? html`<${SituationCell} situation=${f.situation} />`
                              : '—'
                        }
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
    }
    ${recording && html`<${RecordDialog} followUp=${recording} onSubmit=${record} onClose=${() => setRecording(null)} />`}
  </section>`;
}

/** @param {{ followUp: FollowUp, onSubmit: (f: FormData) => Promise<void>, onClose: () => void }} props */
function RecordDialog({ followUp, onSubmit, onClose }) {
  /** @param {string} name @param {string} label @param {Record<string, string>} options */
  const select = (name, label, options) =>
    html`<label for=${`fu-${name}`}>${label}</label>
      <select id=${`fu-${name}`} name=${name} required>
        ${Object.entries(options).map(([k, v]) => html`<option value=${k} key=${k}>${v}</option>`)}
      </select>`;
  const outcomes = Object.fromEntries(
    settings().followUpOutcomes.map((o) => [o, FOLLOW_UP_OUTCOME[o] ?? o]),
  );
  return html`<${FormDialog}
    title=${T.dialogTitle}
    submitText=${T.save}
    labels=${{
      outcome: T.outcome.toLowerCase(),
      safety: T.safetyLabel.toLowerCase(),
      housing: T.housingLabel.toLowerCase(),
      legalProgress: T.legalProgress.toLowerCase(),
      psychosocialProgress: T.psychosocialProgress.toLowerCase(),
      notes: 'observaciones',
    }}
    onSubmit=${onSubmit}
    onClose=${onClose}
  >
    <p>${T.dialogIntro(dateOf(followUp.dueAt), followUp.sequence)}</p>
    ${select('outcome', T.outcome, outcomes)}
    ${select('safety', T.safetyLabel, { unknown: T.safety.unknown, safe: T.safety.safe, at_risk: T.safety.at_risk })}
    ${select('housing', T.housingLabel, { unknown: T.housing.unknown, stable: T.housing.stable, temporary: T.housing.temporary, none: T.housing.none })}
    <label for="fu-legalProgress">${T.legalProgress} ${T.optional}</label>
    <textarea id="fu-legalProgress" name="legalProgress" rows="2" maxlength="5000"></textarea>
    <label for="fu-psychosocialProgress">${T.psychosocialProgress} ${T.optional}</label>
    <textarea
      id="fu-psychosocialProgress"
      name="psychosocialProgress"
      rows="2"
      maxlength="5000"
    ></textarea>
    <label for="fu-notes">${T.notes}</label>
    <textarea id="fu-notes" name="notes" rows="2" maxlength="5000"></textarea>
  <//>`;
}
