// @ts-check
// The service's settings (GET /settings), read once per session: the page keeps no copy of the
// time zone, the stay term, the egress reasons or the alert window.

/** @typedef {import('./types.js').Settings} Settings */

/** @type {Settings | null} */
let loaded = null;

/** @param {Settings} settings */
export function rememberSettings(settings) {
  loaded = settings;
}

/** The settings of this session; null before the first view loads them. */
export function currentSettings() {
  return loaded;
}

/** The settings, for views, which render only after they are loaded. */
export function settings() {
  if (!loaded) {
    throw new Error('settings read before they were loaded');
  }
  return loaded;
}
