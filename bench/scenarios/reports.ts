import { Client } from 'pg';
import {
  BenchContext,
  busiestHouseId,
  calendarDate,
  DAY_MS,
  loadRow,
  ScenarioResult,
} from '../lib';

/** Stored closed days of the network's occupancy history in the year asked. */
async function storedNetworkDays(databaseUrl: string, from: string, to: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM occupancy_days
       WHERE scope = '00000000-0000-0000-0000-000000000000' AND day BETWEEN $1 AND $2`,
      [from, to],
    );
    return rows[0].n;
  } finally {
    await client.end();
  }
}

/**
 * A year of accountability indicators (`GET /reports/indicators`, the last 365 days up to
 * today) for the whole network and for its busiest house, as an admin (every count) and as an
 * analyst (small counts withheld), and the network's CSV export. A report is asked by one
 * person at a time: each variant runs on one connection, so p50/p99 are latencies, not a
 * queue, measured after one request of the variant (timed as firstMs). The very first request
 * of all is timed apart: it comes right after the service started,
 * with no prepared statement planned yet, and counts and stores whatever closed days of the
 * occupancy history and of the report's rollups were not stored yet (on a fresh seed, all of
 * them); PostgreSQL's caches are left as they are.
 */
export async function run(ctx: BenchContext): Promise<ScenarioResult[]> {
  const timeZone = ctx.config.time.zone;
  const to = calendarDate(new Date(), timeZone);
  const from = calendarDate(new Date(Date.now() - 364 * DAY_MS), timeZone);
  const year = `/api/v1/reports/indicators?from=${from}&to=${to}`;
  const [admin, analyst, houseId, storedBefore] = await Promise.all([
    ctx.token('admin'),
    ctx.token('analyst'),
    busiestHouseId(ctx.databaseUrl),
    storedNetworkDays(ctx.databaseUrl, from, to),
  ]);
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  const started = performance.now();
  const first = await fetch(`${ctx.baseUrl}${year}`, { headers: as(admin) });
  const firstRequestMs = Math.round(performance.now() - started);
  if (first.status !== 200) {
    throw new Error(`reports bench: got ${first.status}: ${await first.text()}`);
  }
  const report = (await first.json()) as {
    indicators: { womenServed: number; bedNights: number; admissions: number };
  };

  const variants: [string, string, string][] = [
    ['network, admin', year, admin],
    ['network, analyst (suppressed)', year, analyst],
    ['one house, admin', `${year}&houseId=${houseId}`, admin],
    ['one house, analyst (suppressed)', `${year}&houseId=${houseId}`, analyst],
    ['network, admin, CSV', `${year}&format=csv`, admin],
  ];
  const results: ScenarioResult[] = [
    {
      name: 'reports: first request after start, 1 year, network',
      notes: {
        milliseconds: firstRequestMs,
        storedHistoryDaysBefore: storedBefore,
        womenServed: report.indicators.womenServed,
        admissions: report.indicators.admissions,
        bedNights: report.indicators.bedNights,
      },
    },
  ];
  for (const [label, path, token] of variants) {
    // Its first request apart (a house's first one stores that house's days), then warm.
    const before = performance.now();
    const response = await fetch(`${ctx.baseUrl}${path}`, { headers: as(token) });
    await response.arrayBuffer();
    const firstMs = Math.round(performance.now() - before);
    const load = await ctx.load({ path, headers: as(token), connections: 1 });
    results.push(loadRow(`reports: GET /reports/indicators, 1 year, ${label}`, load, { firstMs }));
  }
  return results;
}
