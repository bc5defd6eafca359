// @ts-check
// The staff session, in one place: the token, what it says about its holder, and how it ends.
// Refresh tokens (issue 12, another branch) belong here: keep, rotate and forget them beside
// the access token, and let `token()` hand out a fresh one before it expires.

/** @typedef {import('./types.js').Claims} Claims */

const TOKEN_KEY = 'refugio.token';

/** @type {{ token: string | null, claims: Claims | null }} */
const current = { token: null, claims: null };

/** @type {Set<(message: string) => void>} */
const endListeners = new Set();

/** @param {string} token @returns {Claims | null} */
function decodeClaims(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload));
  } catch {
    return null;
  }
}

/** Starts a session from a login's access token; false when the token is unusable or expired. */
export function startSession(/** @type {string} */ token) {
  const claims = decodeClaims(token);
  if (!claims || (claims.exp && claims.exp * 1000 < Date.now())) {
    sessionStorage.removeItem(TOKEN_KEY);
    return false;
  }
  current.token = token;
  current.claims = claims;
  // sessionStorage: gone when the tab closes, never shared with other tabs or sites.
  sessionStorage.setItem(TOKEN_KEY, token);
  return true;
}

/** The session kept by this tab (after a reload), if it is still valid. */
export function resumeSession() {
  const saved = sessionStorage.getItem(TOKEN_KEY);
  return saved !== null && startSession(saved);
}

export function token() {
  return current.token;
}

export function claims() {
  return current.claims;
}

/** Ends the session and tells the page why (shown on the login form). */
export function endSession(message = '') {
  current.token = null;
  current.claims = null;
  sessionStorage.removeItem(TOKEN_KEY);
  for (const listener of endListeners) {
    listener(message);
  }
}

/** @param {(message: string) => void} listener @returns {() => void} */
export function onSessionEnd(listener) {
  endListeners.add(listener);
  return () => endListeners.delete(listener);
}
