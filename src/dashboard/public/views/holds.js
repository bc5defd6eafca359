// @ts-check
import { useEffect, useState } from 'preact/hooks';
import { FormDialog } from '../components/dialog.js';
import { api, explain } from '../lib/api.js';
import { shortDateTime } from '../lib/format.js';
import { html } from '../lib/html.js';
import { settings } from '../lib/settings.js';
import { say } from '../lib/status.js';
import { T } from './holds.texts.js';

/** @typedef {import('../lib/types.js').Hold} Hold @typedef {import('../lib/types.js').Stay} Stay */

/** API.md's bounds of a hold's minutes. */
const MIN_MINUTES = 5;
const MAX_MINUTES = 480;

/** Whole minutes until an instant, as of `now`. @param {string} instant @param {number} now */
export function minutesLeft(instant, now = Date.now()) {
  return Math.max(0, Math.floor((new Date(instant).getTime() - now) / 60_000));
}

/** Re-renders every 30 s, so that the time left counts down between the view's reloads. */
function useMinuteClock() {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * "Reservar cupo": the family's beds of one placement option kept for the minutes she needs to
 * arrive (HOLD_MINUTES by default, from the settings).
 * @param {{ referralId: string, name: string, people: number, houseId: string, houseCode: string,
 *   bedIds: string[], onHeld: (hold: Hold) => void, onClose: () => void }} props
 */
export function HoldDialog({
  referralId,
  name,
  people,
  houseId,
  houseCode,
  bedIds,
  onHeld,
  onClose,
}) {
  /** @param {FormData} form */
  const submit = async (form) => {
    /** @type {Hold} */
    const hold = await api('/holds', {
      method: 'POST',
      body: { referralId, houseId, bedIds, minutes: Number(form.get('minutes')) },
    });
    say(T.held(houseCode, shortDateTime(hold.expiresAt)));
    onHeld(hold);
  };
  return html`<${FormDialog}
    title=${T.holdTitle}
    submitText=${T.holdSubmit}
    labels=${{ minutes: T.minutes.toLowerCase() }}
    onSubmit=${submit}
    onClose=${onClose}
  >
    <p>${T.holdIntro(name, people, houseCode)}</p>
    <label for="hold-minutes">${T.minutes}</label>
    <input
      id="hold-minutes"
      name="minutes"
      type="number"
      min=${MIN_MINUTES}
      max=${MAX_MINUTES}
      step="1"
      required
      value=${settings().stay.holdMinutes}
      aria-describedby="hold-minutes-hint"
    />
    <p id="hold-minutes-hint" class="sub">${T.minutesHint(MIN_MINUTES, MAX_MINUTES)}</p>
  <//>`;
}

/**
 * Live holds with their time left, each confirmed (the admission, which takes the held beds)
 * or cancelled from here.
 * @param {{ holds: Hold[], names: Map<string, string>, codes: Map<string, string>,
 *   onConfirmed: (stay: Stay, hold: Hold) => void, onCancelled: () => void }} props
 */
export function LiveHolds({ holds, names, codes, onConfirmed, onCancelled }) {
  const now = useMinuteClock();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  /** @param {() => Promise<void>} action */
  const run = async (action) => {
    setError('');
    setBusy(true);
    try {
      await action();
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  };
  /** @param {Hold} hold */
  const confirm = (hold) =>
    run(async () => {
      /** @type {Stay} */
      const stay = await api('/stays', { method: 'POST', body: { referralId: hold.referralId } });
      say(T.confirmed(codes.get(stay.houseId) ?? '', stay.occupants.length));
      onConfirmed(stay, hold);
    });
  /** @param {Hold} hold */
  const cancel = (hold) =>
    run(async () => {
      await api(`/holds/${hold.id}/cancel`, { method: 'POST' });
      say(T.cancelled);
      onCancelled();
    });
  const live = holds.filter((h) => minutesLeft(h.expiresAt, now) > 0);
  return html`<div class="card scroll" id="live-holds">
    <h3>${T.liveTitle}</h3>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${
      live.length === 0
        ? html`<p>${T.liveNone}</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">${T.family}</th>
                <th scope="col">${T.house}</th>
                <th scope="col" class="num">${T.beds}</th>
                <th scope="col">${T.expires}</th>
                <th scope="col">${T.left}</th>
                <th scope="col"><span class="sr">${T.confirm}</span></th>
              </tr>
            </thead>
            <tbody>
              ${live.map((hold) => {
                const name = names.get(hold.referralId) ?? T.unknownFamily;
                return html`<tr key=${hold.id} data-hold-id=${hold.id}>
                  <td>${name}</td>
                  <td>${codes.get(hold.houseId) ?? '—'}</td>
                  <td class="num">${hold.beds.length}</td>
                  <td>${shortDateTime(hold.expiresAt)}</td>
                  <td class="time-left">${T.timeLeft(minutesLeft(hold.expiresAt, now))}</td>
                  <td class="row">
                    <button
                      type="button"
                      disabled=${busy}
                      aria-label=${T.confirmLabel(name)}
                      onClick=${() => confirm(hold)}
                    >
                      ${T.confirm}
                    </button>
                    <button
                      type="button"
                      class="secondary"
                      disabled=${busy}
                      aria-label=${T.cancelLabel(name)}
                      onClick=${() => cancel(hold)}
                    >
                      ${T.cancel}
                    </button>
                  </td>
                </tr>`;
              })}
            </tbody>
          </table>`
    }
  </div>`;
}
