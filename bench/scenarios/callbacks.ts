import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { generateWebhookSecret } from '../../src/callbacks/callback-signature';
import { PiiCipher } from '../../src/common/pii-cipher';
import { CallbackReceiver } from '../../test/helpers/callback-receiver';
import { BenchContext, percentile, postJson, ScenarioResult } from '../lib';

const CHANGES = 1_000;
const CONNECTIONS = 32;

/**
 * 1,000 referrals of one referrer rejected through the API at 32 connections, each announced to
 * a receiver on this machine: callback delivery lag (the status change's occurredAt to the
 * receiver's first request) at p50 and p99, and the signed POSTs per second. The referrer and
 * its referrals are written in SQL: the service runs in production, where the receiver's plain
 * http URL would be refused through the API.
 */
export async function run(ctx: BenchContext): Promise<ScenarioResult[]> {
  const changes = ctx.quick ? 100 : CHANGES;
  const receiver = await CallbackReceiver.start();
  const db = new Client({ connectionString: ctx.databaseUrl });
  await db.connect();
  try {
    const cipher = new PiiCipher(ctx.config);
    const path = `/bench-${Date.now().toString(36)}`;
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO referrers (name, authority_type, api_key_hash, callback_url, callback_secret)
       VALUES ('Comisaría bench callbacks', 'comisaria_familia', $1, $2, $3) RETURNING id`,
      [randomBytes(32), receiver.url(path), cipher.encrypt(generateWebhookSecret())],
    );
    const referrerId = rows[0].id;
    // Readable, since the answer to a rejection shows staff the referral.
    const personalData = cipher.encryptJson({
      woman: {
        fullName: 'Bench',
        documentType: 'NONE',
        documentNumber: null,
        birthDate: null,
        phone: null,
      },
      dependants: [],
      notes: null,
    });
    const referrals = await db.query<{ id: string }>(
      `INSERT INTO referrals (referrer_id, caller_key, external_reference, request_fingerprint,
         protection_order_number, protection_order_authority_type, protection_order_authority_name,
         protection_order_issued_at, risk_level, family_size, personal_data)
       SELECT $1::uuid, 'referrer:' || $1::text, 'CB-BENCH-' || g, 'bench', 'PO-BENCH', 'comisaria_familia',
         'Bench', '2020-01-01', 'severe', 1, $3
       FROM generate_series(1, $2) g RETURNING id`,
      [referrerId, changes, personalData],
    );
    const ids = referrals.rows.map((r) => r.id);
    const token = await ctx.token('admission_officer');

    const started = Date.now();
    let next = 0;
    let errors = 0;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (next < ids.length) {
          const id = ids[next++];
          const answer = await postJson(
            `${ctx.baseUrl}/api/v1/referrals/${id}/reject`,
            { reason: 'Bench', reasonCode: 'no_capacity' },
            { authorization: `Bearer ${token}` },
          );
          errors += answer.status === 200 ? 0 : 1;
        }
      }),
    );
    const deadline = Date.now() + 180_000;
    const firstOf = new Map<string, number>();
    while (firstOf.size < changes - errors && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (const r of receiver.at(path)) {
        const lag = r.receivedAt - Date.parse(r.body.occurredAt as string);
        if (!firstOf.has(r.eventId)) {
          firstOf.set(r.eventId, lag);
        }
      }
    }
    const elapsedS = (Date.now() - started) / 1000;
    // Where the lag goes: the change's instant to its outbox row, and the row to the first POST.
    const split = await db.query<{ toOutbox: number; toAttempt: number }>(
      `SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM e.created_at - e.occurred_at)) * 1000 AS "toOutbox",
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM d.attempted_at - e.created_at)) * 1000 AS "toAttempt"
       FROM callback_events e JOIN callback_deliveries d ON d.event_id = e.id AND d.attempt = 1
       WHERE e.referrer_id = $1`,
      [referrerId],
    );
    const lags = [...firstOf.values()].sort((a, b) => a - b);
    return [
      {
        name: `callbacks: status change to receiver (${changes} rejections)`,
        p50Ms: Math.round(percentile(lags, 50)),
        p99Ms: Math.round(percentile(lags, 99)),
        errors,
        notes: {
          delivered: firstOf.size,
          requests: receiver.at(path).length,
          maxMs: Math.round(lags[lags.length - 1] ?? NaN),
          deliveredPerSecond: Math.round(firstOf.size / elapsedS),
          p99ChangeToOutboxMs: Math.round(Number(split.rows[0].toOutbox)),
          p99OutboxToPostMs: Math.round(Number(split.rows[0].toAttempt)),
        },
      },
    ];
  } finally {
    await db.end();
    await receiver.close();
  }
}
