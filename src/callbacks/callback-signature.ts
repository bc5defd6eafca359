import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/** 32 random bytes; shown once to the admin, stored encrypted (the service signs with it). */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

/** `X-Refugio-Signature`: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export function signCallback(secret: string, rawBody: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${rawBody}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

/**
 * What a receiver does (the example in the OpenAPI description and the README is this
 * function): recompute, compare in constant time, refuse old timestamps (replays).
 */
export function verifyCallbackSignature(
  secret: string,
  rawBody: string,
  header: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = new Map(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) {
    return false;
  }
  const expected = Buffer.from(signCallback(secret, rawBody, t).split('v1=')[1], 'hex');
  const given = Buffer.from(parts.get('v1') ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Why `value` cannot be a callback URL, or null when it can: an absolute http(s) URL without
 * credentials or fragment, and https only when `httpsOnly` (production).
 */
export function callbackUrlProblem(value: string, httpsOnly: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'callbackUrl must be an absolute URL';
  }
  if (url.protocol !== 'https:' && (httpsOnly || url.protocol !== 'http:')) {
    return httpsOnly ? 'callbackUrl must use https' : 'callbackUrl must use https or http';
  }
  if (url.username !== '' || url.password !== '') {
    return 'callbackUrl must not carry credentials';
  }
  if (url.hash !== '') {
    return 'callbackUrl must not have a fragment';
  }
  return null;
}
