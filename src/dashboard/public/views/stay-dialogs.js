// @ts-check
import { useState } from 'preact/hooks';
import { Dialog, FormDialog } from '../components/dialog.js';
import { api, explain } from '../lib/api.js';
import { dateOf, dateTime, instantFromLocal, isoDate, localDateTime } from '../lib/format.js';
import { html } from '../lib/html.js';
import { settings } from '../lib/settings.js';
import { say } from '../lib/status.js';
import { CANCEL, EGRESS_REASON } from '../lib/texts.js';
import { T } from './stay-dialogs.texts.js';

/** @typedef {import('../lib/types.js').Stay} Stay */
/** @typedef {{ stay: Stay, family: string, onDone: () => void, onClose: () => void }} Props */

/** @param {Props} props */
export function ExtensionDialog({ stay, family, onDone, onClose }) {
  const submit = async (/** @type {FormData} */ form) => {
    /** @type {Stay} */
    const extended = await api(`/stays/${stay.id}/extensions`, {
      method: 'POST',
      body: { until: String(form.get('until') ?? ''), reason: String(form.get('reason') ?? '') },
    });
    say(T.extended(family, dateTime(extended.termEndsAt)));
    onDone();
  };
  return html`<${FormDialog}
    title=${T.extendTitle}
    submitText=${T.extendSubmit}
    labels=${{ until: T.until.toLowerCase(), reason: T.reason.toLowerCase() }}
    onSubmit=${submit}
    onClose=${onClose}
  >
    <p>
      ${T.extendIntro(family, dateTime(stay.termEndsAt), dateOf(stay.maxEndsAt), settings().stay.maxMonths)}
    </p>
    <label for="until">${T.until}</label>
    <input
      id="until"
      name="until"
      type="date"
      min=${isoDate(new Date(stay.termEndsAt))}
      max=${isoDate(new Date(stay.maxEndsAt))}
      required
    />
    <label for="extension-reason">${T.reason}</label>
    <textarea id="extension-reason" name="reason" required maxlength="1000"></textarea>
  <//>`;
}

/**
 * Egress in two steps: the form (date and time, default now, in the service's zone), then a
 * confirmation that says what will happen, since beds are freed at once and for good.
 * @param {Props} props
 */
export function EgressDialog({ stay, family, onDone, onClose }) {
  const people = stay.occupants.length;
  const [values, setValues] = useState({
    exitedAt: localDateTime(),
    reason: settings().egressReasons[0],
    destination: '',
    notes: '',
  });
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const labels = {
    exitedAt: T.exitedAt.toLowerCase(),
    reason: T.egressReason.toLowerCase(),
    destination: 'destino',
    notes: 'observaciones',
  };
  /** @param {Event} event */
  const field = (event) => {
    const input = /** @type {HTMLInputElement} */ (event.currentTarget);
    setValues({ ...values, [input.name]: input.value });
  };
  /** @param {SubmitEvent} event */
  const next = (event) => {
    event.preventDefault();
    setError(values.exitedAt > localDateTime() ? T.future : '');
    setConfirming(values.exitedAt <= localDateTime());
  };
  const send = async () => {
    setBusy(true);
    setError('');
    try {
      const exitedAt = instantFromLocal(values.exitedAt);
      await api(`/stays/${stay.id}/egress`, {
        method: 'POST',
        body: {
          exitedAt,
          reason: values.reason,
          ...(values.destination.trim() ? { destination: values.destination.trim() } : {}),
          ...(values.notes.trim() ? { notes: values.notes } : {}),
        },
      });
      // Follow-ups exist only where she authorised contact: the count is read, not assumed.
      /** @type {unknown[] | null} */
      const scheduled = await api(`/follow-ups?stayId=${stay.id}`).catch(() => null);
      say(T.egressed(family, dateTime(exitedAt), scheduled?.length ?? null));
      onDone();
    } catch (e) {
      setError(explain(e, labels));
      setConfirming(false);
      setBusy(false);
    }
  };
  if (confirming) {
    return html`<${Dialog} title=${T.confirmTitle} onClose=${onClose}>
      <p id="egress-confirmation">
        ${T.confirmText(family, people, dateTime(instantFromLocal(values.exitedAt)), EGRESS_REASON[values.reason] ?? values.reason)}
      </p>
      <div class="row">
        <button type="button" class="danger" disabled=${busy} onClick=${send}>${T.confirm}</button>
        <button type="button" class="secondary" onClick=${() => setConfirming(false)}>
          ${T.back}
        </button>
      </div>
    <//>`;
  }
  return html`<${Dialog} title=${T.egressTitle} onClose=${onClose}>
    <form onSubmit=${next}>
      <p>${T.egressIntro(family, people)}</p>
      <label for="exited-at">${T.exitedAt}</label>
      <input
        id="exited-at"
        name="exitedAt"
        type="datetime-local"
        required
        max=${localDateTime()}
        value=${values.exitedAt}
        onInput=${field}
        aria-describedby="exited-at-hint"
      />
      <p id="exited-at-hint" class="hint">${T.exitedAtHint}</p>
      <label for="egress-reason">${T.egressReason}</label>
      <select id="egress-reason" name="reason" required value=${values.reason} onChange=${field}>
        ${settings().egressReasons.map(
          (reason) =>
            html`<option value=${reason} key=${reason}>${EGRESS_REASON[reason] ?? reason}</option>`,
        )}
      </select>
      <label for="destination">${T.destination}</label>
      <input
        id="destination"
        name="destination"
        maxlength="500"
        value=${values.destination}
        onInput=${field}
      />
      <label for="egress-notes">${T.notes}</label>
      <textarea
        id="egress-notes"
        name="notes"
        maxlength="5000"
        value=${values.notes}
        onInput=${field}
      ></textarea>
      <p class="error" role="alert">${error}</p>
      <div class="row">
        <button type="submit">${T.next}</button>
        <button type="button" class="secondary" onClick=${onClose}>${CANCEL}</button>
      </div>
    </form>
  <//>`;
}
