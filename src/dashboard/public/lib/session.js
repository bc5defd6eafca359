// @ts-check
// The staff session, in one place: the access token, the refresh token that keeps it alive
// through a night shift, what the token says about its holder, and how the session ends.
// Only `api.js` calls the API; this module is handed the calls it needs (`setRefresher`), so
// that the two do not import each other.

/** @typedef {import('./types.js').Claims} Claims */
/**
 * @typedef {{ accessToken: string, refreshToken: string, expiresIn: number,
 *   sessionExpiresAt?: string, passwordChangeRequired?: boolean }} TokenPair
 * @typedef {{ accessToken: string, refreshToken: string, expiresAt: number,
 *   username: string }} Saved
 */

const SESSION_KEY = 'refugio.session';
/** Refresh when less than this is left of the access token (or a quarter of its life). */
const MARGIN_MS = 60_000;

/** @type {{ saved: Saved | null, claims: Claims | null }} */
const current = { saved: null, claims: null };

/** @type {Set<(message: string) => void>} */
const endListeners = new Set();

/** @type {((refreshToken: string) => Promise<TokenPair | null>) | null} */
let refresher = null;
/** @type {Promise<boolean> | null} */
let refreshing = null;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;

/** @param {string} token @returns {Claims | null} */
function decodeClaims(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload));
  } catch {
    return null;
  }
}

/** @param {Saved} saved */
function keep(saved) {
  current.saved = saved;
  current.claims = decodeClaims(saved.accessToken);
  // sessionStorage: gone when the tab closes, never shared with other tabs or sites.
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(saved));
  clearTimeout(timer);
  // Refreshed ahead of time even while nobody clicks, so a form left open for an hour still
  // sends with a valid token.
  const lifetime = saved.expiresAt - Date.now();
  const wait = Math.max(1_000, lifetime - Math.min(MARGIN_MS, lifetime / 4));
  timer = setTimeout(() => void refresh(), wait);
}

/** Gives the session the call that trades a refresh token for a new pair (set by api.js). */
export function setRefresher(
  /** @type {(refreshToken: string) => Promise<TokenPair | null>} */ fn,
) {
  refresher = fn;
}

/**
 * Starts a session from a login's answer; false when the token is unusable.
 * @param {TokenPair} pair
 * @param {string} username
 */
export function startSession(pair, username) {
  if (!decodeClaims(pair.accessToken) || !pair.refreshToken) {
    return false;
  }
  keep({
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    expiresAt: Date.now() + pair.expiresIn * 1000,
    username,
  });
  return true;
}

/** The session kept by this tab (after a reload), if there is one. */
export function resumeSession() {
  try {
    const saved = /** @type {Saved | null} */ (
      JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null')
    );
    if (saved && saved.accessToken && saved.refreshToken) {
      keep(saved);
      return true;
    }
  } catch {
    // A damaged entry is no session.
  }
  sessionStorage.removeItem(SESSION_KEY);
  return false;
}

/**
 * Trades the refresh token for a new pair, once at a time however many calls ask (a refresh
 * token works once: two at once would end the session). False when the session is over.
 */
export function refresh() {
  const saved = current.saved;
  if (!saved || !refresher) {
    return Promise.resolve(false);
  }
  if (!refreshing) {
    const fn = refresher;
    refreshing = fn(saved.refreshToken)
      .then((pair) =>
        pair !== null && current.saved === saved ? startSession(pair, saved.username) : false,
      )
      .catch(() => false)
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

/** An access token valid for a while yet, refreshed first if it is about to expire. */
export async function freshToken() {
  const saved = current.saved;
  if (!saved) {
    return null;
  }
  if (saved.expiresAt - Date.now() < 10_000) {
    await refresh();
  }
  return current.saved?.accessToken ?? null;
}

export function token() {
  return current.saved?.accessToken ?? null;
}

export function claims() {
  return current.claims;
}

/** The username of this session, to ask only for the password when it must be typed again. */
export function username() {
  return current.saved?.username ?? '';
}

/** Ends the session and tells the page why (shown on the login form). */
export function endSession(message = '') {
  clearTimeout(timer);
  current.saved = null;
  current.claims = null;
  sessionStorage.removeItem(SESSION_KEY);
  for (const listener of endListeners) {
    listener(message);
  }
}

/** @param {(message: string) => void} listener @returns {() => void} */
export function onSessionEnd(listener) {
  endListeners.add(listener);
  return () => endListeners.delete(listener);
}

// When the session is really over (revoked, or past SESSION_MAX_HOURS), the page asks for the
// password over the current view and the call that failed is sent again: what was typed stays.

/** @type {((resume: (ok: boolean) => void) => void) | null} */
let askListener = null;
/** @type {Promise<boolean> | null} */
let asking = null;

/** The App shows the password dialog when asked, and calls `resume` with the outcome. */
export function onPasswordNeeded(/** @type {(resume: (ok: boolean) => void) => void} */ fn) {
  askListener = fn;
  return () => {
    askListener = null;
  };
}

/** Asks for the password once, however many calls wait; true once a new session started. */
export function askPassword() {
  const ask = askListener;
  if (!ask || !current.saved) {
    return Promise.resolve(false);
  }
  if (!asking) {
    asking = new Promise((resolve) => ask(resolve)).then((ok) => {
      asking = null;
      return /** @type {boolean} */ (ok);
    });
  }
  return asking;
}
