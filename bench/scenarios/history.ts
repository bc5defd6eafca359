import {
  BenchContext,
  busiestHouseId,
  calendarDate,
  DAY_MS,
  loadRow as row,
  ScenarioResult,
} from '../lib';

/**
 * What a Ministry's dashboard asks: occupancy now (the whole network, one house) and a year of
 * daily bed-nights (the whole network, one house). The history is a report, not a hot path: the
 * network's year is asked one request at a time, and its p50 is the figure to hold against the
 * 100 ms target; the first request, which counts and stores the closed days, is timed apart.
 */
export async function run(ctx: BenchContext): Promise<ScenarioResult[]> {
  const admin = await ctx.token('admin');
  const headers = { authorization: `Bearer ${admin}` };
  const houseId = await busiestHouseId(ctx.databaseUrl);
  const timeZone = ctx.config.time.zone;
  const to = calendarDate(new Date(), timeZone);
  const from = calendarDate(new Date(Date.now() - 364 * DAY_MS), timeZone);

  const houses = await fetch(`${ctx.baseUrl}/api/v1/occupancy`, { headers }).then(
    async (r) => ((await r.json()) as { houses: unknown[] }).houses.length,
  );
  const started = performance.now();
  const days = await fetch(`${ctx.baseUrl}/api/v1/occupancy/history?from=${from}&to=${to}`, {
    headers,
  }).then(async (r) => ((await r.json()) as { days: unknown[] }).days.length);
  const firstRequestMs = Math.round(performance.now() - started);

  const network = await ctx.load({ path: '/api/v1/occupancy', headers, connections: 32 });
  const oneHouse = await ctx.load({
    path: `/api/v1/occupancy?houseId=${houseId}`,
    headers,
    connections: 32,
  });
  const yearAll = await ctx.load({
    path: `/api/v1/occupancy/history?from=${from}&to=${to}`,
    headers,
    connections: 1,
  });
  const yearOne = await ctx.load({
    path: `/api/v1/occupancy/history?from=${from}&to=${to}&houseId=${houseId}`,
    headers,
    connections: 4,
  });
  return [
    row('occupancy: GET /occupancy (network)', network, { houses }),
    row('occupancy: GET /occupancy?houseId (one house)', oneHouse),
    row('history: GET /occupancy/history, 1 year, all houses (1 conn)', yearAll, {
      days,
      houses,
      firstRequestMs,
    }),
    row('history: GET /occupancy/history, 1 year, one house (4 conns)', yearOne, { days }),
  ];
}
