import { ERROR_STATUS } from './domain-error';

/**
 * The contract's conventions, as the OpenAPI document's description: a comisaría coding a
 * client reads them at /api/docs, and the repository holds no other copy it could link to.
 * Built from the running settings, so the time zone and session limit stated are the real ones.
 */
export function apiDescription(settings: { timeZone: string; sessionMaxHours: number }): string {
  const codes = Object.entries(ERROR_STATUS)
    .map(([code, status]) => `\`${code}\` (${status})`)
    .join(', ');
  return [
    'Referrals, placement, stays, egress and follow-up for a network of Casas Refugio, Bogotá.',
    '',
    '## Conventions',
    '- **Base path** `/api/v1`. **JSON** in and out (`application/json; charset=utf-8`); ' +
      'bodies over 1 MB answer 413. IDs are UUIDs.',
    '- **Instants** are ISO 8601 with an offset or `Z` (`2026-11-21T22:10:00-05:00`). ' +
      '**Calendar dates** (`birthDate`, `issuedAt`, `until`, history days) are `YYYY-MM-DD` in ' +
      `the service's time zone, \`TZ_SERVICE\` (here \`${settings.timeZone}\`). ` +
      'Months (stay terms, follow-ups) are counted in that zone; a month end clamps ' +
      '(Oct 31 + 4 months = Feb 28/29).',
    '- **Authentication.** Staff: `Authorization: Bearer <accessToken>` from ' +
      '`POST /auth/login`, renewed with `POST /auth/refresh` (the old refresh token stops ' +
      `working; a session lasts at most ${settings.sessionMaxHours} hours). ` +
      'Referrers (comisarías, juzgados): `X-Api-Key: <apiKey>`, shown once when an admin ' +
      'registers them; a revoked key answers 401.',
    '- **Errors** always have one body, never a stack trace or SQL: ' +
      '`{ "statusCode": 409, "code": "NO_CAPACITY", "message": "human text", ' +
      '"errors": [{ "field": "protectionOrder.number", "message": "…" }] }`. `errors` comes ' +
      'only with `VALIDATION_FAILED`; a 500 carries a `requestId` and nothing else. ' +
      `Codes: ${codes}. Each operation lists the answers it may give.`,
    '- **Validation first**: a malformed body is 400 even when the resource is in a state ' +
      'that would refuse it (409). Unknown JSON fields are rejected (400), never stored.',
    '- **JSON only**: a body in any other content type (a form, plain text) answers 415 ' +
      '`UNSUPPORTED_MEDIA_TYPE`; a body nesting objects or arrays deeper than 32 levels ' +
      'answers 400 `VALIDATION_FAILED`.',
    '- **404 for what the caller may not see**: a resource outside the caller’s reach ' +
      '(another referrer’s referral, another house’s stay) answers 404 exactly as one that ' +
      'does not exist. Referrers never learn a house, room or address.',
    '- **Idempotency**: `POST /referrals` with the same `externalReference` from the same ' +
      'caller and the same body (equal as JSON) answers 200 with the first answer; with a ' +
      'different body, 409 `IDEMPOTENCY_MISMATCH`. An optional `Idempotency-Key` header ' +
      'works the same way, per caller, for 24 hours.',
    '- **Rate limits** answer 429 `RATE_LIMITED` with `Retry-After` (seconds).',
    '- Any request may send `X-Request-Id`; it is echoed back and logged, for tracing.',
  ].join('\n');
}
