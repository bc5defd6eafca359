// @ts-check
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../lib/api.js';
import { html } from '../lib/html.js';
import { startSession } from '../lib/session.js';
import { T } from './login.texts.js';

/** @param {{ message: string, onLogin: () => void }} props */
export function LoginView({ message, onLogin }) {
  const [error, setError] = useState(message);
  const [busy, setBusy] = useState(false);
  const username = useRef(/** @type {HTMLInputElement | null} */ (null));
  useEffect(() => username.current?.focus(), []);

  /** @param {SubmitEvent} event */
  const submit = async (event) => {
    event.preventDefault();
    const form = new FormData(/** @type {HTMLFormElement} */ (event.currentTarget));
    const name = String(form.get('username') ?? '').trim();
    const password = String(form.get('password') ?? '');
    setError('');
    if (!name || !password) {
      setError(T.missing);
      return;
    }
    setBusy(true);
    try {
      /** @type {{ accessToken: string }} */
      const answer = await api('/auth/login', {
        method: 'POST',
        body: { username: name, password },
      });
      if (startSession(answer.accessToken)) {
        onLogin();
        return;
      }
      setError(T.wrong);
    } catch (e) {
      const status = e instanceof ApiError ? e.status : 0;
      setError(status === 429 ? T.tooMany : status === 0 ? T.offline : T.wrong);
    }
    setBusy(false);
  };

  return html`<section aria-labelledby="login-title">
    <h2 id="login-title" tabindex="-1">${T.title}</h2>
    <form class="card narrow" novalidate onSubmit=${submit}>
      <label for="username">${T.username}</label>
      <input id="username" name="username" autocomplete="username" required ref=${username} />
      <label for="password">${T.password}</label>
      <input
        id="password"
        name="password"
        type="password"
        autocomplete="current-password"
        required
      />
      <p id="login-error" class="error" role="alert">${error}</p>
      <button type="submit" disabled=${busy}>${T.submit}</button>
    </form>
  </section>`;
}
