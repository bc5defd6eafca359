// @ts-check
// Every call to the API goes through here: the token, JSON in and out, and errors turned into
// Spanish sentences a person can act on.
import { askPassword, endSession, freshToken, refresh, setRefresher, token } from './session.js';
import { checkFields, ERROR, FIELD, stayLimitExceeded } from './texts.js';
import { currentSettings } from './settings.js';

const API = '/api/v1';

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {{ code?: string, message?: string, errors?: { field: string, message: string }[] } | null} body
   */
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/**
 * @typedef {{ method?: 'GET' | 'POST' | 'PATCH', body?: unknown, accept?: string }} CallOptions
 */

/**
 * The body of an answer and whether the API names a next page (`Link: <…>; rel="next"`).
 * @template T
 * @param {string} path
 * @param {CallOptions} [options]
 * @returns {Promise<{ body: T, hasNext: boolean }>}
 */
export async function apiPage(path, options = {}) {
  // Logging in and refreshing carry no bearer: they are how one gets it.
  const open = path === '/auth/login' || path === '/auth/refresh';
  let bearer = open ? null : await freshToken();
  let response = await send(path, options, bearer);
  if (response.status === 401 && bearer) {
    // The access token expired or the session was revoked: a refresh first, and when the
    // session is really over, the password asked over the current view; then the same call
    // again, so nothing she typed is lost.
    if ((await refresh()) || (await askPassword())) {
      bearer = token();
      response = await send(path, options, bearer);
    }
    if (response.status === 401) {
      endSession(ERROR.UNAUTHENTICATED);
    }
  }
  if (response.ok && options.accept) {
    // A file (an export): its bytes, as the browser will save them.
    return {
      body: /** @type {T} */ (/** @type {unknown} */ (await response.blob())),
      hasNext: false,
    };
  }
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(response.status, body);
  }
  return { body, hasNext: /rel="next"/.test(response.headers.get('Link') ?? '') };
}

/**
 * @param {string} path
 * @param {CallOptions} options
 * @param {string | null} bearer
 * @returns {Promise<Response>}
 */
async function send(path, options, bearer) {
  try {
    return await fetch(API + path, {
      method: options.method ?? 'GET',
      headers: {
        Accept: options.accept ?? 'application/json',
        ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, null);
  }
}

setRefresher(async (refreshToken) => {
  try {
    return await api('/auth/refresh', { method: 'POST', body: { refreshToken } });
  } catch (e) {
    // Offline is not the end of a session: the next call tries again.
    if (e instanceof ApiError && e.status === 0) {
      throw e;
    }
    return null;
  }
});

/**
 * @template T
 * @param {string} path
 * @param {CallOptions} [options]
 * @returns {Promise<T>}
 */
export async function api(path, options = {}) {
  return (await apiPage(/** @type {string} */ (path), options)).body;
}

/**
 * Downloads a file the API makes (an export) with the session's bearer, which a plain link
 * could not send, and saves it under `filename` through a temporary Blob link.
 * @param {string} path
 * @param {string} mime
 * @param {string} filename
 */
export async function download(path, mime, filename) {
  const blob = /** @type {Blob} */ ((await apiPage(path, { accept: mime })).body);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click ran; the URL would otherwise live on.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * A Spanish sentence for an error, naming wrong fields by their Spanish labels. `labels`
 * names a form's own fields (e.g. `reason` is "motivo del rechazo" there).
 * @param {unknown} error
 * @param {Record<string, string>} [labels]
 */
export function explain(error, labels = {}) {
  if (!(error instanceof ApiError)) {
    return ERROR.UNKNOWN;
  }
  if (error.status === 0) {
    return ERROR.OFFLINE;
  }
  const code = error.body?.code ?? '';
  if (code === 'VALIDATION_FAILED') {
    const names = (error.body?.errors ?? []).map((e) => {
      const last = e.field.split('.').pop() ?? e.field;
      return labels[e.field] ?? labels[last] ?? FIELD[last] ?? null;
    });
    const known = [...new Set(names.filter((n) => n !== null))];
    return known.length > 0 ? checkFields(known) : ERROR.INVALID;
  }
  if (code === 'STAY_LIMIT_EXCEEDED') {
    const settings = currentSettings();
    return stayLimitExceeded(settings ? settings.stay.maxMonths : 0);
  }
  return ERROR[code] ?? ERROR.UNKNOWN;
}
