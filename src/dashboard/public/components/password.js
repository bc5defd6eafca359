// @ts-check
// Passwords typed inside a session: again when the session ended under her (the call waits and
// is sent again), and a new one, by choice or after an administrator reset it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, explain } from '../lib/api.js';
import { html } from '../lib/html.js';
import { startSession, username } from '../lib/session.js';
import { CANCEL } from '../lib/texts.js';
import { T } from './password.texts.js';

/**
 * Over whatever view is open (and over its dialog): only the password, since the username is
 * the session's. Escape does not close it: the waiting call needs an answer.
 * @param {{ onDone: (ok: boolean) => void }} props
 */
export function ReauthDialog({ onDone }) {
  const ref = useRef(/** @type {HTMLDialogElement | null} */ (null));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const name = username();
  useEffect(() => {
    if (ref.current && !ref.current.open) {
      ref.current.showModal();
    }
  }, []);
  /** @param {SubmitEvent} event */
  const submit = async (event) => {
    event.preventDefault();
    const password = String(
      new FormData(/** @type {HTMLFormElement} */ (event.currentTarget)).get('password') ?? '',
    );
    if (!password) {
      setError(T.wrong);
      return;
    }
    setBusy(true);
    setError('');
    try {
      /** @type {import('../lib/session.js').TokenPair} */
      const pair = await api('/auth/login', {
        method: 'POST',
        body: { username: name, password },
      });
      ref.current?.close();
      onDone(startSession(pair, name));
    } catch (e) {
      const status = e instanceof ApiError ? e.status : 0;
      setError(status === 429 ? T.tooMany : status === 0 ? T.offline : T.wrong);
      setBusy(false);
    }
  };
  return html`<dialog
    ref=${ref}
    id="reauth"
    aria-labelledby="reauth-title"
    aria-describedby="reauth-text"
    onCancel=${(/** @type {Event} */ e) => e.preventDefault()}
  >
    <h3 id="reauth-title">${T.reauthTitle}</h3>
    <p id="reauth-text">${T.reauthText(name)}</p>
    <form onSubmit=${submit} novalidate>
      <label for="reauth-password">${T.password}</label>
      <input
        id="reauth-password"
        name="password"
        type="password"
        autocomplete="current-password"
        required
        autofocus
      />
      <p class="error" role="alert">${error}</p>
      <div class="row">
        <button type="submit" disabled=${busy}>${T.resume}</button>
        <button
          type="button"
          class="secondary"
          onClick=${() => {
            ref.current?.close();
            onDone(false);
          }}
        >
          ${T.giveUp}
        </button>
      </div>
    </form>
  </dialog>`;
}

/**
 * The new password, twice, checked here before the API sees it. `current` is known after a
 * forced change at login (she just typed it), asked for otherwise.
 * @param {{ current?: string, forced?: boolean, onDone: () => void, onCancel?: () => void }} props
 */
export function ChangePasswordForm({ current, forced = false, onDone, onCancel }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const formRef = useRef(/** @type {HTMLFormElement | null} */ (null));
  useEffect(() => formRef.current?.querySelector('input')?.focus(), []);
  /** @param {SubmitEvent} event */
  const submit = async (event) => {
    event.preventDefault();
    const form = new FormData(/** @type {HTMLFormElement} */ (event.currentTarget));
    const currentPassword = current ?? String(form.get('currentPassword') ?? '');
    const newPassword = String(form.get('newPassword') ?? '');
    setError('');
    if (newPassword.length < 12) {
      setError(T.tooShort);
      return;
    }
    if (newPassword !== String(form.get('repeat') ?? '')) {
      setError(T.mismatch);
      return;
    }
    setBusy(true);
    try {
      await api('/auth/password', { method: 'POST', body: { currentPassword, newPassword } });
      onDone();
    } catch (e) {
      setError(explain(e));
      setBusy(false);
    }
  };
  return html`<form
    ref=${formRef}
    class=${forced ? 'card narrow' : ''}
    novalidate
    onSubmit=${submit}
  >
    ${forced && html`<p>${T.forcedText}</p>`}
    ${
      current === undefined &&
      html`<label for="current-password">${T.current}</label>
        <input
          id="current-password"
          name="currentPassword"
          type="password"
          autocomplete="current-password"
          required
        />`
    }
    <label for="new-password">${T.next}</label>
    <input
      id="new-password"
      name="newPassword"
      type="password"
      autocomplete="new-password"
      minlength="12"
      required
    />
    <label for="repeat-password">${T.repeat}</label>
    <input
      id="repeat-password"
      name="repeat"
      type="password"
      autocomplete="new-password"
      required
    />
    <p class="error" role="alert">${error}</p>
    <div class="row">
      <button type="submit" disabled=${busy}>${T.save}</button>
      ${onCancel && html`<button type="button" class="secondary" onClick=${onCancel}>${CANCEL}</button>`}
    </div>
  </form>`;
}
