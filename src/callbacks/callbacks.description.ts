/**
 * The status callback as a referrer's receiver sees it, for the OpenAPI descriptions. The
 * verification example checks what `verifyCallbackSignature` (callback-signature.ts, which the
 * tests use) checks, written as a receiver would; README.md carries the same lines.
 */
export const CALLBACKS_DESCRIPTION = `**Status callbacks.** When one of the referrer's referrals becomes \`admitted\`, \`rejected\`, \`withdrawn\` or \`exited\`, the service POSTs to \`callbackUrl\` (JSON, within seconds):

\`\`\`json
{ "event": "referral.status_changed", "eventId": "6f1c…", "referralId": "0b7e…",
  "externalReference": "CF-KENNEDY-2026-00123", "status": "rejected",
  "statusReason": "No hay cupo disponible en este momento", "occurredAt": "2026-11-30T03:10:00.000Z" }
\`\`\`

\`statusReason\` is what \`GET /referrals/:id\` shows the referrer (a rejection's standard text, a withdrawal's own reason, else null). Never a house, bed, room or address.

Headers: \`X-Refugio-Event-Id\` (the same on every retry: use it to ignore repeats) and \`X-Refugio-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed by webhookSecret>\`. Any 2xx is success; anything else, a redirect (not followed) or no answer in 5 s is retried with exponential backoff (10 s doubling to 1 h) for about 26 hours. A \`410 Gone\` turns the callback off (set \`callbackUrl\` again to turn it on). \`GET /referrers/:id/deliveries\` lists the attempts.

Verifying in Node.js (read the raw body before parsing it):

\`\`\`js
const { createHmac, timingSafeEqual } = require('node:crypto');

function verify(secret, rawBody, header, toleranceSeconds = 300) {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2)));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(\`\${t}.\${rawBody}\`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
\`\`\``;
