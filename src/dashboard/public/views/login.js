// @ts-check
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../lib/api.js';
import { html } from '../lib/html.js';
import { startSession } from '../lib/session.js';
import { ChangePasswordForm } from '../components/password.js';
import { T } from './login.texts.js';

/** @param {{ message: string, onLogin: () => void }} props */
export function LoginView({ message, onLogin }) {
  const [error, setError] = useState(message);
  const [busy, setBusy] = useState(false);
  // After an administrator's reset: the one-time password she just typed, kept only until the
  // new one is set (every other call answers 403 until then).
  const [oneTime, setOneTime] = useState(/** @type {string | null} */ (null));
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
      /** @type {import('../lib/session.js').TokenPair} */
      const answer = await api('/auth/login', {
        method: 'POST',
        body: { username: name, password },
      });
      if (startSession(answer, name)) {
        if (answer.passwordChangeRequired) {
          setOneTime(password);
        } else {
          onLogin();
        }
        return;
      }
      setError(T.wrong);
    } catch (e) {
      const status = e instanceof ApiError ? e.status : 0;
      setError(status === 429 ? T.tooMany : status === 0 ? T.offline : T.wrong);
    }
    setBusy(false);
  };

  if (oneTime !== null) {
    return html`<section aria-labelledby="login-title">
      <h2 id="login-title" tabindex="-1">${T.changeTitle}</h2>
      <${ChangePasswordForm} current=${oneTime} forced=${true} onDone=${onLogin} />
    </section>`;
  }
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
