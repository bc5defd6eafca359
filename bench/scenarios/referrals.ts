import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { referralBody } from '../../test/factories/referrals';
import { BenchContext, runPgbench, ScenarioResult } from '../lib';

const CONNECTIONS = 32;

/**
 * The comisarías' door: POST /referrals with a referrer key, a family of three, and a new
 * externalReference on every request (so every request is a real intake, not a replay).
 * The count of rows afterwards proves the figure measured inserts, not refusals.
 */
export async function run(ctx: BenchContext): Promise<ScenarioResult[]> {
  const apiKey = await ctx.referrerKey();
  const batch = randomBytes(4).toString('hex');
  let sequence = 0;
  const headers = { 'content-type': 'application/json', 'x-api-key': apiKey };
  // A family of three, as bench/pgbench/referral-intake.sql writes it.
  const body = (externalReference: string): string =>
    JSON.stringify({ ...referralBody({ dependants: 2 }), externalReference });

  const result = await ctx.load({
    path: '/api/v1/referrals',
    method: 'POST',
    headers,
    connections: CONNECTIONS,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/referrals',
        headers,
        setupRequest: (request) => {
          sequence += 1;
          return { ...request, body: body(`BENCH-${batch}-${sequence}`) };
        },
      },
    ],
  });

  const client = new Client({ connectionString: ctx.databaseUrl });
  await client.connect();
  let created: number;
  let referrerId: string;
  try {
    const rows = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM referrals WHERE external_reference LIKE $1',
      [`BENCH-${batch}-%`],
    );
    created = rows.rows[0].n;
    const referrer = await client.query<{ referrer_id: string }>(
      'SELECT referrer_id FROM referrals WHERE external_reference = $1',
      [`BENCH-${batch}-1`],
    );
    referrerId = referrer.rows[0].referrer_id;
  } finally {
    await client.end();
  }
  const tps = await runPgbench(
    ctx.databaseUrl,
    'referral-intake.sql',
    CONNECTIONS,
    ctx.quick ? 3 : 10,
    { referrer: referrerId },
  );
  return [
    {
      name: 'POST /referrals (referrer key, new externalReference each)',
      requestsPerSecond: result.requestsPerSecond,
      p50Ms: result.p50Ms,
      p99Ms: result.p99Ms,
      errors: result.errors + result.non2xx,
      notes: {
        requests: result.total,
        referralsCreated: created,
        ...(tps
          ? { shareOfPgbench: `${((result.requestsPerSecond / tps) * 100).toFixed(1)} %` }
          : {}),
      },
    },
    {
      name: `pgbench: the same writes, ${CONNECTIONS} clients (the database's ceiling)`,
      requestsPerSecond: tps === null ? undefined : Math.round(tps),
      notes: { script: 'bench/pgbench/referral-intake.sql', ran: tps !== null },
    },
  ];
}
