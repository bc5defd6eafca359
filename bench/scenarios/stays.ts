import { Client } from 'pg';
import { PiiCipher } from '../../src/common/pii-cipher';
import { BenchContext, percentile, runPgbench, ScenarioResult } from '../lib';
import { CHECKS } from '../seed/verify';

export const OFFICERS = 32;

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * Waiting referrals straight into the database (the intake API is not under test here):
 * families of 1 to 3, personal data encrypted as the service would store it.
 */
export async function prepareReferrals(
  ctx: BenchContext,
  count: number,
  named?: { callerKey: string; references: string[] },
): Promise<string[]> {
  const cipher = new PiiCipher(ctx.config);
  const personalData = Array.from({ length: count }, (_, i) =>
    cipher.encryptJson({ woman: { fullName: `Bench ${i}`, documentType: 'NONE' } }),
  );
  const sizes = Array.from({ length: count }, (_, i) => (i % 3) + 1);
  const run = Date.now().toString(36);
  const references =
    named?.references ?? Array.from({ length: count }, (_, i) => `BENCH-${run}-${i + 1}`);
  const client = new Client({ connectionString: ctx.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `WITH r AS (
         INSERT INTO referrals (caller_key, external_reference, request_fingerprint,
           protection_order_number, protection_order_authority_type,
           protection_order_authority_name, protection_order_issued_at, risk_level,
           family_size, personal_data)
         SELECT $1, d.reference, 'bench', 'BENCH-' || n, 'comisaria_familia',
                'Comisaría de Familia Bench', DATE '2020-01-01', 'severe', d.size, d.data
         FROM unnest($2::int[], $3::text[], $4::text[]) WITH ORDINALITY AS d(size, data, reference, n)
         RETURNING id, family_size
       ), people AS (
         INSERT INTO referral_people (referral_id, position, role, relationship)
         SELECT r.id, p, CASE WHEN p = 0 THEN 'woman' ELSE 'dependant' END,
                CASE WHEN p = 0 THEN NULL ELSE 'child' END
         FROM r, generate_series(0, r.family_size - 1) AS p
       )
       SELECT id FROM r`,
      [named?.callerKey ?? 'staff', sizes, personalData, references],
    );
    return rows.map((r) => r.id);
  } finally {
    await client.end();
  }
}

export async function doubleBookings(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // The seed's own check: sorted per bed, any overlap shows between neighbours.
    const { rows } = await client.query<{ count: number }>(CHECKS.bedHeldTwice);
    return rows[0].count;
  } finally {
    await client.end();
  }
}

/** Referrals each pgbench client admits in turn, more than it can in the time given. */
const PGBENCH_REFERRALS_PER_CLIENT = { quick: 400, full: 1200 };

/**
 * The database's ceiling for the same work: bench/pgbench/stay-cycle.sql (one stays_admit and
 * one stays_egress per transaction of pgbench) with as many clients as officers, for as long.
 */
async function pgbenchCycles(
  ctx: BenchContext,
  seconds: number,
): Promise<{ tps: number | null; bedsHeldTwice: number }> {
  const perClient = ctx.quick
    ? PGBENCH_REFERRALS_PER_CLIENT.quick
    : PGBENCH_REFERRALS_PER_CLIENT.full;
  const references = Array.from(
    { length: OFFICERS * perClient },
    (_, i) => `PGB-${i % OFFICERS}-${Math.floor(i / OFFICERS) + 1}`,
  );
  await prepareReferrals(ctx, references.length, { callerKey: 'staff', references });
  const client = new Client({ connectionString: ctx.databaseUrl });
  await client.connect();
  let actor: string;
  try {
    actor = (
      await client.query<{ id: string }>(
        `SELECT id FROM users WHERE role = 'admission_officer' ORDER BY created_at LIMIT 1`,
      )
    ).rows[0].id;
  } finally {
    await client.end();
  }
  const tps = await runPgbench(ctx.databaseUrl, 'stay-cycle.sql', OFFICERS, seconds, {
    actor,
    k: '0',
  });
  return { tps, bedsHeldTwice: await doubleBookings(ctx.databaseUrl) };
}

/**
 * 32 officers, each admitting a family (the service chooses the house) and at once recording
 * its egress, for a fixed time; then the ledger is checked for any bed held twice. (GET
 * /occupancy is measured with the history, in the `history` scenario.)
 */
export async function run(ctx: BenchContext): Promise<ScenarioResult[]> {
  const seconds = ctx.quick ? 3 : 10;
  const referrals = await prepareReferrals(ctx, ctx.quick ? 3000 : 8000);
  const officer = await ctx.token('admission_officer');
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${officer}` };
  const admissionMs: number[] = [];
  const egressMs: number[] = [];
  let failures = 0;
  let next = 0;
  const deadline = Date.now() + seconds * 1000;
  const started = Date.now();

  const officerLoop = async () => {
    while (Date.now() < deadline && next < referrals.length) {
      const referralId = referrals[next++];
      let t0 = performance.now();
      const admitted = await fetch(`${ctx.baseUrl}/api/v1/stays`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ referralId }),
      });
      const stay = (await admitted.json()) as { id: string };
      admissionMs.push(performance.now() - t0);
      if (admitted.status !== 201) {
        failures++;
        continue;
      }
      // Her consent to follow-up contact (untimed): without it egress schedules no follow-up,
      // and the egress measured here is the one that writes them.
      const consent = await fetch(`${ctx.baseUrl}/api/v1/stays/${stay.id}/consents`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ purpose: 'follow_up_contact', granted: true }),
      });
      await consent.arrayBuffer();
      if (consent.status !== 201) {
        failures++;
        continue;
      }
      t0 = performance.now();
      const exited = await fetch(`${ctx.baseUrl}/api/v1/stays/${stay.id}/egress`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ reason: 'voluntary' }),
      });
      await exited.arrayBuffer();
      egressMs.push(performance.now() - t0);
      if (exited.status !== 200) {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: OFFICERS }, officerLoop));
  const elapsed = (Date.now() - started) / 1000;
  admissionMs.sort((a, b) => a - b);
  egressMs.sort((a, b) => a - b);
  const twice = await doubleBookings(ctx.databaseUrl);
  const pgbench = await pgbenchCycles(ctx, seconds);
  const rate = round(admissionMs.length / elapsed);

  return [
    {
      name: 'stays: admission + egress, 32 concurrent officers',
      requestsPerSecond: rate,
      p50Ms: round(percentile(admissionMs, 50)),
      p99Ms: round(percentile(admissionMs, 99)),
      errors: failures,
      notes: {
        admissions: admissionMs.length,
        egressP50Ms: round(percentile(egressMs, 50)),
        egressP99Ms: round(percentile(egressMs, 99)),
        bedsHeldTwice: twice,
        seconds: round(elapsed),
        ...(pgbench.tps ? { shareOfPgbench: `${((rate / pgbench.tps) * 100).toFixed(1)} %` } : {}),
      },
    },
    {
      name: `pgbench: stays_admit + stays_egress, ${OFFICERS} clients (the database's ceiling)`,
      requestsPerSecond: pgbench.tps === null ? undefined : Math.round(pgbench.tps),
      notes: {
        script: 'bench/pgbench/stay-cycle.sql',
        ran: pgbench.tps !== null,
        bedsHeldTwice: pgbench.bedsHeldTwice,
      },
    },
  ];
}
