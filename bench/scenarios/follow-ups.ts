import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import { FOLLOW_UPS_QUEUE } from '../../src/follow-ups/follow-ups.queue';
import { redisOptionsFromUrl } from '../../src/follow-ups/queue-connections';
import type { BenchContext, ScenarioResult } from '../lib';

const FOLLOW_UPS = 10_000;
/** Time for the relay to enqueue everything before the first one falls due. */
const FIRST_DUE_AFTER_MS = 30_000;
/** Due times spread evenly over this window: about 500 falling due per second. */
const SPREAD_MS = 20_000;

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? NaN);
}

async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) {
      throw new Error('follow-ups bench: timed out');
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * 10,000 follow-ups written to the outbox (as 10,000 egresses would leave them), enqueued by
 * the running service's relay, then falling due over 20 s: how late each turns `due` after its
 * dueAt (p50, p99), Redis memory per pending delayed job, and the cost of a relay run that
 * finds nothing to do with 10,000 pending.
 */
export async function run(ctx: BenchContext): Promise<ScenarioResult[]> {
  const db = new Client({ connectionString: ctx.databaseUrl });
  await db.connect();
  const redis = new Redis(ctx.config.redis.url);
  const queue = new Queue(FOLLOW_UPS_QUEUE, {
    connection: redisOptionsFromUrl(ctx.config.redis.url),
    prefix: ctx.config.queue.prefix,
  });
  try {
    const memoryBefore = await usedMemory(redis);
    const firstDue = Date.now() + FIRST_DUE_AFTER_MS;
    // Its own rows only: a seeded (national) database holds many other follow-ups, pending and
    // due, and may have been benchmarked before.
    const run = `BENCH-FU-${Date.now().toString(36)}-`;
    const delayedBefore = await queue.getDelayedCount();
    await db.query('BEGIN');
    await db.query(
      `
      INSERT INTO referrals (caller_key, external_reference, request_fingerprint,
        protection_order_number, protection_order_authority_type, protection_order_authority_name,
        protection_order_issued_at, risk_level, family_size, personal_data)
      SELECT 'staff', $2 || g, 'bench', 'PO-BENCH', 'comisaria_familia', 'Bench',
        '2020-01-01', 'severe', 1, 'v1.bench'
      FROM generate_series(1, $1) g`,
      [FOLLOW_UPS, run],
    );
    await db.query(
      `
      INSERT INTO stays (referral_id, house_id, status, admitted_at, term_ends_at, max_ends_at,
        last_moved_at, exited_at, egress_reason)
      SELECT r.id, (SELECT id FROM houses ORDER BY code LIMIT 1), 'exited',
        now() - interval '60 days', now() + interval '60 days', now() + interval '120 days',
        now() - interval '60 days', now(), 'voluntary'
      FROM referrals r WHERE r.external_reference LIKE $1 || '%'`,
      [run],
    );
    // A stay may only be written for a received referral (a database rule); then it moves on.
    await db.query(
      `
      UPDATE referrals SET status = 'exited', admitted_at = now() - interval '60 days', exited_at = now()
      WHERE external_reference LIKE $1 || '%'`,
      [run],
    );
    const inserted = await db.query<{ id: string }>(
      `INSERT INTO follow_ups (stay_id, house_id, referral_id, sequence, offset_after_egress, due_at)
       SELECT s.id, s.house_id, s.referral_id, 1, 'P15D',
         to_timestamp(($1::bigint + (row_number() OVER (ORDER BY s.id) - 1) * $2::float8 / $3) / 1000.0)
       FROM stays s JOIN referrals r ON r.id = s.referral_id
       WHERE r.external_reference LIKE $4 || '%'
       RETURNING id`,
      [firstDue, SPREAD_MS, FOLLOW_UPS, run],
    );
    const ids = inserted.rows.map((r) => r.id);
    await db.query('COMMIT');

    const enqueueStarted = Date.now();
    await waitUntil(
      async () => (await queue.getDelayedCount()) >= delayedBefore + FOLLOW_UPS,
      FIRST_DUE_AFTER_MS,
    );
    const enqueueMs = Date.now() - enqueueStarted;
    const memoryPending = await usedMemory(redis);

    const plan = await db.query(`
      EXPLAIN (ANALYZE, FORMAT JSON)
      SELECT id, due_at FROM follow_ups
      WHERE status = 'scheduled' AND relayed_epoch IS DISTINCT FROM 'none' ORDER BY due_at LIMIT 500`);
    const idleRelayQueryMs = Number(plan.rows[0]['QUERY PLAN'][0]['Execution Time']);

    await waitUntil(
      async () => {
        const { rows } = await db.query(
          `SELECT count(*)::int AS n FROM follow_ups
           WHERE id = ANY($1::uuid[]) AND status = 'scheduled'`,
          [ids],
        );
        return rows[0].n === 0;
      },
      FIRST_DUE_AFTER_MS + SPREAD_MS + 120_000,
    );

    const { rows } = await db.query(
      `
      SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
             percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99,
             max(ms) AS max, count(*)::int AS n,
             (SELECT count(*)::int FROM reminders
              WHERE kind = 'follow_up_due' AND follow_up_id = ANY($1::uuid[])) AS reminders
      FROM (SELECT extract(epoch FROM became_due_at - due_at) * 1000 AS ms
            FROM follow_ups WHERE id = ANY($1::uuid[]) AND status = 'due') late`,
      [ids],
    );
    const late = rows[0];
    return [
      {
        name: 'follow-ups: dueAt to due (10,000 over 20 s)',
        p50Ms: Math.round(Number(late.p50)),
        p99Ms: Math.round(Number(late.p99)),
        notes: {
          maxMs: Math.round(Number(late.max)),
          due: late.n,
          reminders: late.reminders,
          relayEnqueueMs: enqueueMs,
          redisBytesPerPendingJob: Math.round((memoryPending - memoryBefore) / FOLLOW_UPS),
          idleRelayQueryMs,
        },
      },
    ];
  } finally {
    await queue.close();
    redis.disconnect();
    await db.end();
  }
}
