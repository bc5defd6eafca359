// @ts-check
// The file's consents (autorizaciones, Ley 1581): per purpose, whether she authorises it now,
// until when, and since when; staff record a grant (with an optional last day) or a withdrawal.
// Withdrawing follow-up contact cancels her pending follow-ups, so the file says so first.
import { useState } from 'preact/hooks';
import { FormDialog } from '../components/dialog.js';
import { api, explain } from '../lib/api.js';
import { calendarDate, dateOf, today } from '../lib/format.js';
import { html } from '../lib/html.js';
import { useLoad } from '../lib/load.js';
import { say } from '../lib/status.js';
import { LOADING } from '../lib/texts.js';
import { T } from './casefile-consents.texts.js';

/**
 * @typedef {{ purpose: string, granted: boolean, expired: boolean, expiresOn: string | null,
 *   recordedAt: string | null }} ConsentState
 * @typedef {{ stayId: string, current: ConsentState[], followUpsCancelled?: number }} Consents
 * @typedef {{ purpose: string, granted: boolean }} Pending
 */

/** @param {ConsentState} c */
const stateOf = (c) =>
  c.granted ? T.granted : c.expired ? T.expired : c.recordedAt ? T.withdrawn : T.never;

/** @param {{ stayId: string, onChange: () => void }} props */
export function CasefileConsents({ stayId, onChange }) {
  const [pending, setPending] = useState(/** @type {Pending | null} */ (null));
  const { data, error, reload } = useLoad(
    () => /** @type {Promise<Consents>} */ (api(`/stays/${stayId}/consents`)),
    [stayId],
  );
  const submit = async (/** @type {FormData} */ form) => {
    if (!pending) {
      return;
    }
    const expiresOn = String(form.get('expiresOn') ?? '').trim();
    /** @type {Consents} */
    const recorded = await api(`/stays/${stayId}/consents`, {
      method: 'POST',
      body: {
        purpose: pending.purpose,
        granted: pending.granted,
        ...(pending.granted && expiresOn ? { expiresOn } : {}),
      },
    });
    const name = T.purposes[pending.purpose] ?? pending.purpose;
    say(pending.granted ? T.saved(name) : T.withdrawnSaved(name, recorded.followUpsCancelled ?? 0));
    setPending(null);
    reload();
    onChange();
  };
  const name = pending ? (T.purposes[pending.purpose] ?? pending.purpose) : '';
  return html`<section class="card scroll" aria-labelledby="cf-consents">
    <h3 id="cf-consents">${T.title}</h3>
    <p>${T.intro}</p>
    ${
      !data
        ? html`<p class=${error ? 'error' : ''} role=${error ? 'alert' : undefined}>
            ${error ? explain(error) : LOADING}
          </p>`
        : html`<table id="consents">
            <thead>
              <tr>
                <th scope="col">${T.purpose}</th>
                <th scope="col">${T.state}</th>
                <th scope="col">${T.validity}</th>
                <th scope="col">${T.recorded}</th>
                <th scope="col">${T.action}</th>
              </tr>
            </thead>
            <tbody>
              ${data.current.map((c) => {
                const purpose = T.purposes[c.purpose] ?? c.purpose;
                return html`<tr
                  key=${c.purpose}
                  data-purpose=${c.purpose}
                  data-granted=${String(c.granted)}
                >
                  <th scope="row">${purpose}</th>
                  <td class=${c.granted ? '' : 'warning'}>${stateOf(c)}</td>
                  <td>
                    ${c.expiresOn ? T.until(calendarDate(c.expiresOn)) : c.granted ? T.noExpiry : '—'}
                  </td>
                  <td>${c.recordedAt ? dateOf(c.recordedAt) : '—'}</td>
                  <td>
                    <button
                      type="button"
                      class="secondary"
                      aria-label=${c.granted ? T.withdrawLabel(purpose) : T.grantLabel(purpose)}
                      onClick=${() => setPending({ purpose: c.purpose, granted: !c.granted })}
                    >
                      ${c.granted ? T.withdraw : T.grant}
                    </button>
                  </td>
                </tr>`;
              })}
            </tbody>
          </table>`
    }
    ${
      pending &&
      html`<${FormDialog}
        title=${pending.granted ? T.grantTitle : T.withdrawTitle}
        submitText=${pending.granted ? T.grantSubmit : T.withdrawSubmit}
        danger=${!pending.granted}
        labels=${{ expiresOn: T.expiresOn.toLowerCase() }}
        onSubmit=${submit}
        onClose=${() => setPending(null)}
      >
        ${
          pending.granted
            ? html`<p>${T.grantIntro(name)}</p>
                <label for="consent-expires-on">${T.expiresOn}</label>
                <input
                  id="consent-expires-on"
                  name="expiresOn"
                  type="date"
                  min=${today()}
                  aria-describedby="consent-expires-hint"
                />
                <p id="consent-expires-hint" class="sub">${T.expiresOnHint}</p>`
            : html`<p>${T.withdrawIntro(name)}</p>
                ${pending.purpose === 'follow_up_contact' && html`<p>${T.withdrawFollowUps}</p>`}`
        }
      <//>`
    }
  </section>`;
}
