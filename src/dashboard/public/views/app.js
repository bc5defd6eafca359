// @ts-check
import { useEffect, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { dateTime } from '../lib/format.js';
import { html } from '../lib/html.js';
import { RefreshTick } from '../lib/load.js';
import {
  claims,
  endSession,
  onPasswordNeeded,
  onSessionEnd,
  resumeSession,
} from '../lib/session.js';
import { Dialog } from '../components/dialog.js';
import { ChangePasswordForm, ReauthDialog } from '../components/password.js';
import { T as PASSWORD } from '../components/password.texts.js';
import { onStatus, say } from '../lib/status.js';
import { rememberSettings } from '../lib/settings.js';

import { ROLE } from '../lib/texts.js';
import { T } from './app.texts.js';
import { AdmissionsView } from './admissions.js';
import { HistoryView } from './history.js';
import { HouseView } from './house.js';
import { LoginView } from './login.js';
import { NetworkView } from './network.js';
import { PeopleView } from './people.js';
import { CasefileView } from './casefile.js';
import { TeamDayView } from './team-day.js';
import { ReferralView } from './referral.js';
import { ReportsView } from './reports.js';

const REFRESH_MS = 30_000;

/** @typedef {{ view: string, param: string | null }} Route */
/** @typedef {(view: string, param?: string | null) => void} Go */

/** The sections a role may open, in the nav's order; the first opens after login. */
function sections() {
  if (claims()?.role === 'team_member') {
    return [['dia', T.day]];
  }
  // The analyst reads reports and nothing else (the API answers 403 anywhere else).
  if (claims()?.role === 'analyst') {
    return [['informes', T.reports]];
  }
  if (claims()?.role === 'house_coordinator') {
    return [
      ['casa', T.ownHouse],
      ['historico', T.history],
      ['informes', T.reports],
    ];
  }
  return [
    ['red', T.network],
    ['ingresos', T.admissions],
    ['casa', T.houses],
    ['historico', T.history],
    ['informes', T.reports],
    ...(claims()?.role === 'admin' ? [['personas', T.people]] : []),
  ];
}

/**
 * The service's settings. The analyst may not read them (403: reports only), and her one page
 * needs only a zone to pick "last month" in: the browser's, which for a monthly period is the
 * same month but at midnight's edge.
 * @param {string | undefined} role
 * @returns {Promise<unknown>}
 */
function settingsOf(role) {
  if (role !== 'analyst') {
    return api('/settings');
  }
  return Promise.resolve({
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    stay: { termMonths: 0, maxExtensionMonths: 0, maxMonths: 0 },
    egressReasons: [],
    followUpOutcomes: [],
    followUpSchedule: [],
    termEndingWindowDays: 0,
  });
}

/** True while someone types or has a dialog open: the 30 s refresh must not disturb her. */
function busy() {
  const active = document.activeElement;
  return (
    (active !== null && ['INPUT', 'SELECT', 'TEXTAREA'].includes(active.tagName)) ||
    document.querySelector('dialog[open]') !== null
  );
}

/** @param {{ route: Route, go: Go }} props */
function CurrentView({ route, go }) {
  switch (route.view) {
    case 'red':
      return html`<${NetworkView} go=${go} />`;
    case 'ingresos':
      return html`<${AdmissionsView} go=${go} />`;
    case 'remision':
      return html`<${ReferralView} id=${route.param} go=${go} />`;
    case 'casa':
      return html`<${HouseView} houseId=${route.param} go=${go} />`;
    case 'historico':
      return html`<${HistoryView} />`;
    case 'dia':
      return html`<${TeamDayView} go=${go} />`;
    case 'expediente':
      return html`<${CasefileView} stayId=${route.param} go=${go} />`;
    case 'personas':
      return html`<${PeopleView} />`;
    case 'informes':
      return html`<${ReportsView} />`;
    default:
      return html`<p>${T.unknown}</p>`;
  }
}

export function App() {
  const [signedIn, setSignedIn] = useState(resumeSession);
  const [ready, setReady] = useState(false);
  const [loginMessage, setLoginMessage] = useState('');
  const [route, setRoute] = useState(/** @type {Route} */ ({ view: '', param: null }));
  const [status, setStatus] = useState({ text: '', error: false });
  const [tick, setTick] = useState(0);
  const [refreshedAt, setRefreshedAt] = useState(/** @type {Date | null} */ (null));

  const [reauth, setReauth] = useState(
    /** @type {{ resume: (ok: boolean) => void } | null} */ (null),
  );
  const [changing, setChanging] = useState(false);

  useEffect(() => onStatus(setStatus), []);
  useEffect(() => onPasswordNeeded((resume) => setReauth({ resume })), []);
  useEffect(
    () =>
      onSessionEnd((message) => {
        setSignedIn(false);
        setReady(false);
        setLoginMessage(message);
        setStatus({ text: '', error: false });
      }),
    [],
  );
  useEffect(() => {
    if (!signedIn) {
      return;
    }
    settingsOf(claims()?.role).then(
      (settings) => {
        rememberSettings(/** @type {import('../lib/types.js').Settings} */ (settings));
        setRoute({ view: sections()[0][0], param: null });
        setReady(true);
        setRefreshedAt(new Date());
      },
      () => endSession(''),
    );
  }, [signedIn]);
  useEffect(() => {
    const timer = setInterval(() => {
      if (ready && !busy()) {
        setTick((n) => n + 1);
        setRefreshedAt(new Date());
      }
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [ready]);
  useEffect(() => {
    // A new section: its heading takes the focus, so a screen reader announces it. Not on the
    // login form, where the focus belongs in the username.
    if (ready) {
      /** @type {HTMLElement | null} */ (document.querySelector('main h2'))?.focus();
    }
  }, [route, ready]);

  /** @type {Go} */
  const go = (view, param = null) => {
    // Another view starts without the last one's message; a view that moves on after an action
    // says what happened after calling go (see the rejection).
    setStatus({ text: '', error: false });
    setRoute({ view, param });
  };
  const logout = () => {
    // The session ends on the server too (its refresh token stops working), even if the answer
    // never comes back.
    api('/auth/logout', { method: 'POST' })
      .catch(() => null)
      .finally(() => endSession(T.loggedOut));
  };
  const role = claims()?.role;
  const showApp = signedIn && ready;
  return html`<${RefreshTick.Provider} value=${tick}>
    <header class="top">
      <h1>${T.title} <span class="subtitle">${T.subtitle}</span></h1>
      ${
        showApp &&
        html`<nav aria-label=${T.sections}>
            ${sections().map(
              ([view, text]) =>
                html`<button
                  type="button"
                  key=${view}
                  aria-current=${
                    route.view === view || (view === 'ingresos' && route.view === 'remision')
                      ? 'page'
                      : undefined
                  }
                  onClick=${() => go(view)}
                >
                  ${text}
                </button>`,
            )}
          </nav>
          <div class="session">
            <span>${role ? (ROLE[role] ?? role) : ''}</span>
            <button type="button" onClick=${() => setChanging(true)}>${T.password}</button>
            <button type="button" onClick=${logout}>${T.logout}</button>
          </div>`
      }
    </header>
    <div
      id="status"
      class=${status.error ? 'status error' : 'status'}
      role="status"
      aria-live="polite"
    >
      ${status.text}
    </div>
    <main id="main" tabindex="-1">
      ${
        showApp
          ? html`<${CurrentView} route=${route} go=${go} key=${`${route.view}:${route.param}`} />`
          : !signedIn &&
            html`<${LoginView} message=${loginMessage} onLogin=${() => setSignedIn(true)} />`
      }
    </main>
    ${
      reauth &&
      html`<${ReauthDialog}
        onDone=${(/** @type {boolean} */ ok) => {
          setReauth(null);
          reauth.resume(ok);
        }}
      />`
    }
    ${
      changing &&
      html`<${Dialog} title=${PASSWORD.changeTitle} onClose=${() => setChanging(false)}>
        <${ChangePasswordForm}
          onDone=${() => {
            setChanging(false);
            say(PASSWORD.changed);
          }}
          onCancel=${() => setChanging(false)}
        />
      <//>`
    }
    <footer class="foot">
      <p>${T.confidential}</p>
      ${showApp && refreshedAt && html`<p>${T.refreshed(dateTime(refreshedAt))}</p>`}
    </footer>
  <//>`;
}
