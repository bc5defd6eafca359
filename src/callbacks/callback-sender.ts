import { performance } from 'node:perf_hooks';

/** A receiver that has not answered within this long has failed this attempt. */
export const CALLBACK_TIMEOUT_MS = 5000;

export interface PostResult {
  /** Null when no answer came (timeout, connection refused, TLS error). */
  httpStatus: number | null;
  /** Null on a 2xx; otherwise why, in words safe to show an admin (never the secret or body). */
  error: string | null;
  durationMs: number;
}

/**
 * One POST with Node's own fetch (undici): no dependency to add for a single request. Redirects
 * are not followed (`manual` answers the 3xx itself), since a redirect could carry a signed
 * status to a host the admin never configured; the answer's body is not read.
 */
export async function postCallback(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs = CALLBACK_TIMEOUT_MS,
): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Refugio-Callbacks/1',
        ...headers,
      },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    const status = response.status;
    const error =
      status >= 200 && status < 300
        ? null
        : status >= 300 && status < 400
          ? `redirect ${status} not followed`
          : `answered HTTP ${status}`;
    return { httpStatus: status, error, durationMs: elapsed() };
  } catch (failure) {
    return { httpStatus: null, error: describeFailure(failure, timeoutMs), durationMs: elapsed() };
  }
}

function describeFailure(failure: unknown, timeoutMs: number): string {
  const error = failure as Error & { cause?: { code?: string } };
  if (error.name === 'TimeoutError' || error.name === 'AbortError') {
    return `no answer within ${timeoutMs} ms`;
  }
  const code = error.cause?.code;
  return code ? `request failed (${code})` : 'request failed';
}
