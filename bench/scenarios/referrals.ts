import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { BenchContext, ScenarioResult } from '../lib';

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
  const body = (externalReference: string): string =>
    JSON.stringify({
      externalReference,
      protectionOrder: {
        number: '11001-CF-2026-00123',
        authorityType: 'comisaria_familia',
        authorityName: 'Comisaría de Familia Kennedy 1',
        issuedAt: '2026-01-20',
      },
      woman: {
        fullName: 'Mujer de prueba',
        documentType: 'CC',
        documentNumber: String(10_000_000 + sequence),
        birthDate: '1990-04-02',
        phone: '+57 300 000 0000',
      },
      dependants: [
        { fullName: 'Niña de prueba', birthDate: '2019-03-01', relationship: 'child' },
        { fullName: 'Niño de prueba', birthDate: '2021-07-15', relationship: 'child' },
      ],
      riskLevel: 'severe',
      needs: { wheelchairAccessible: false },
      notes: 'Remisión sintética del benchmark',
    });

  const result = await ctx.load({
    path: '/api/v1/referrals',
    method: 'POST',
    headers,
    connections: 32,
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
  try {
    const rows = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM referrals WHERE external_reference LIKE $1',
      [`BENCH-${batch}-%`],
    );
    created = rows.rows[0].n;
  } finally {
    await client.end();
  }
  return [
    {
      name: 'POST /referrals (referrer key, new externalReference each)',
      requestsPerSecond: result.requestsPerSecond,
      p50Ms: result.p50Ms,
      p99Ms: result.p99Ms,
      errors: result.errors + result.non2xx,
      notes: { requests: result.total, referralsCreated: created },
    },
  ];
}
