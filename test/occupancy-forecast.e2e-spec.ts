import { DateTime } from 'luxon';
import { createReferral } from './factories/referrals';
import { createTestApp, TestApp } from './helpers/test-app';

const TZ = 'America/Bogota';

interface Admitted {
  people: number;
  termEndsAt: string;
  maxEndsAt: string;
}

describe('GET /occupancy/forecast', () => {
  let t: TestApp;
  let houseA: string;
  let houseB: string;
  let admin: string;
  const stays: Admitted[] = [];

  const get = (path: string, token: string) => t.as(token).get(`/api/v1${path}`);

  beforeAll(async () => {
    t = await createTestApp();
    [houseA, houseB] = (await t.houses()).map((h) => h.id);
    admin = await t.adminToken();
    // Terms end 3, 10, 10 and 40 days from now (admitted 4 months minus that ago), one already
    // past its term, and one extended to its limit: known terms the forecast must follow.
    const now = DateTime.now().setZone(TZ);
    for (const [daysToTerm, dependants] of [
      [3, 2],
      [10, 0],
      [10, 1],
      [40, 3],
      [-5, 1],
      [20, 0],
    ] as const) {
      const referral = await createReferral(t, { dependants });
      const admittedAt = now.minus({ months: 4 }).plus({ days: daysToTerm, hours: 2 });
      const res = await t
        .http()
        .post('/api/v1/stays')
        .set('Authorization', `Bearer ${admin}`)
        .send({ referralId: referral.id, houseId: houseA, admittedAt: admittedAt.toISO() })
        .expect(201);
      let { termEndsAt } = res.body as { termEndsAt: string };
      if (daysToTerm === 20) {
        const max = DateTime.fromISO(res.body.maxEndsAt as string).setZone(TZ);
        const extended = await t
          .http()
          .post(`/api/v1/stays/${res.body.id}/extensions`)
          .set('Authorization', `Bearer ${admin}`)
          .send({ until: max.toISODate(), reason: 'Audiencia pendiente' })
          .expect(200);
        termEndsAt = extended.body.termEndsAt;
      }
      stays.push({ people: dependants + 1, termEndsAt, maxEndsAt: res.body.maxEndsAt });
    }
  }, 60_000);
  afterAll(() => t.close());

  /** The forecast counted here from the stays' terms. */
  function expected(days: number, capacity: number) {
    const today = DateTime.now().setZone(TZ).startOf('day');
    return Array.from({ length: days }, (_, n) => {
      const day = today.plus({ days: n });
      const ends = day.plus({ days: 1 }).toMillis();
      const sum = (f: (s: Admitted) => boolean) =>
        stays.filter(f).reduce((total, s) => total + s.people, 0);
      const occupied = sum((s) => Date.parse(s.termEndsAt) >= ends);
      return {
        date: day.toISODate(),
        occupied,
        free: capacity - occupied,
        termEnding: sum(
          (s) => DateTime.fromISO(s.termEndsAt).setZone(TZ).toISODate() === day.toISODate(),
        ),
        maxEnding: sum((s) => Date.parse(s.maxEndsAt) < ends),
      };
    });
  }

  it('lists 60 days by default, following the active stays’ terms', async () => {
    const res = await get(`/occupancy/forecast?houseId=${houseA}`, admin).expect(200);
    expect(res.body.days).toHaveLength(60);
    expect(res.body.days).toEqual(expected(60, 42));
    // Not trivial: places free up on the days the terms end.
    expect(res.body.days[0].occupied).toBe(3 + 1 + 2 + 4 + 1);
    expect(res.body.days.map((d: { termEnding: number }) => d.termEnding)).toContain(3);
  });

  it('sums every house for the network, and narrows to N days', async () => {
    const res = await get('/occupancy/forecast?days=45', admin).expect(200);
    expect(res.body.days).toEqual(expected(45, 42 * (await t.houses()).length));
    const one = await get(`/occupancy/forecast?days=1&houseId=${houseB}`, admin).expect(200);
    expect(one.body.days).toEqual([
      expect.objectContaining({ occupied: 0, free: 42, termEnding: 0, maxEnding: 0 }),
    ]);
    expect((await get('/occupancy/forecast?days=180', admin).expect(200)).body.days).toHaveLength(
      180,
    );
  });

  it('refuses days outside 1-180 with 400, another house to a coordinator with 404, analysts with 403', async () => {
    for (const days of ['0', '181', 'abc', '2.5', '-1']) {
      const res = await get(`/occupancy/forecast?days=${days}`, admin);
      expect({ days, status: res.status, code: res.body.code }).toEqual({
        days,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    await get('/occupancy/forecast?extra=1', admin).expect(400);
    const coordinator = await t.tokenFor('house_coordinator', houseA);
    await get(`/occupancy/forecast?houseId=${houseB}`, coordinator).expect(404);
    const own = await get('/occupancy/forecast?days=5', coordinator).expect(200);
    expect(own.body.days).toEqual(expected(5, 42));
    await get('/occupancy/forecast', await t.tokenFor('analyst')).expect(403);
  });
});
