import { BenchContext, percentile, ScenarioResult } from '../lib';
import { doubleBookings, OFFICERS, prepareReferrals } from './stays';

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * 32 officers on the 5-house seed, each in turn holding a family's beds (the service chooses
 * the house), confirming the hold by the admission (which takes the held beds) and recording
 * the egress so the network does not fill; then the ledger, where holds and stays claim beds
 * alike, is checked for any bed held twice.
 */
export async function run(ctx: BenchContext): Promise<ScenarioResult[]> {
  const seconds = ctx.quick ? 3 : 10;
  const referrals = await prepareReferrals(ctx, ctx.quick ? 2000 : 6000);
  const officer = await ctx.token('admission_officer');
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${officer}` };
  const holdMs: number[] = [];
  const confirmMs: number[] = [];
  const cycleMs: number[] = [];
  let cycles = 0;
  let refused = 0;
  let failures = 0;
  let heldBedsNotGiven = 0;
  let next = 0;
  const deadline = Date.now() + seconds * 1000;
  const started = Date.now();

  const post = async (path: string, body: object) => {
    const t0 = performance.now();
    const response = await fetch(`${ctx.baseUrl}/api/v1${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    return { status: response.status, json, ms: performance.now() - t0 };
  };

  const officerLoop = async () => {
    while (Date.now() < deadline && next < referrals.length) {
      const referralId = referrals[next++];
      const cycleStart = performance.now();
      const hold = await post('/holds', { referralId });
      holdMs.push(hold.ms);
      if (hold.status === 409) {
        refused++;
        continue;
      }
      if (hold.status !== 201) {
        failures++;
        continue;
      }
      const stay = await post('/stays', { referralId });
      confirmMs.push(stay.ms);
      if (stay.status !== 201) {
        failures++;
        continue;
      }
      const beds = (stay.json.occupants as { bedId: string }[]).map((o) => o.bedId);
      if (JSON.stringify(beds) !== JSON.stringify(hold.json.beds)) {
        heldBedsNotGiven++;
      }
      const exited = await post(`/stays/${stay.json.id as string}/egress`, { reason: 'voluntary' });
      if (exited.status !== 200) {
        failures++;
      }
      cycleMs.push(performance.now() - cycleStart);
      cycles++;
    }
  };
  await Promise.all(Array.from({ length: OFFICERS }, officerLoop));
  const elapsed = (Date.now() - started) / 1000;
  holdMs.sort((a, b) => a - b);
  confirmMs.sort((a, b) => a - b);
  cycleMs.sort((a, b) => a - b);

  return [
    {
      name: `holds: hold + confirm (+ egress) cycles, ${OFFICERS} concurrent officers`,
      requestsPerSecond: round(cycles / elapsed),
      // The hold request itself; the whole cycle's p99 is in the notes.
      p50Ms: round(percentile(holdMs, 50)),
      p99Ms: round(percentile(holdMs, 99)),
      errors: failures,
      notes: {
        cycles,
        cycleP99Ms: round(percentile(cycleMs, 99)),
        holdsRefused: refused,
        confirmP50Ms: round(percentile(confirmMs, 50)),
        confirmP99Ms: round(percentile(confirmMs, 99)),
        heldBedsNotGiven,
        bedsHeldTwice: await doubleBookings(ctx.databaseUrl),
        seconds: round(elapsed),
      },
    },
  ];
}
