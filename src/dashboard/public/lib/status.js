// @ts-check
// The page's one status line (role="status"): what just happened, or what went wrong.

/** @typedef {{ text: string, error: boolean }} Status */

/** @type {(status: Status) => void} */
let show = () => undefined;

/** @param {(status: Status) => void} listener */
export function onStatus(listener) {
  show = listener;
}

/** @param {string} text @param {boolean} [error] */
export function say(text, error = false) {
  show({ text, error });
}
