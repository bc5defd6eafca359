import type { Test } from 'supertest';
import { lapseHold } from './factories/holds';
import { createReferral } from './factories/referrals';
import { TestApp, useTestApp } from './helpers/test-app';

const HOLD = {
  id: expect.any(String),
  referralId: expect.any(String),
  houseId: expect.any(String),
  beds: expect.any(Array),
  status: 'held',
  heldAt: expect.any(String),
  expiresAt: expect.any(String),
  stayId: null,
};

/** Pairs of one bed's ledger intervals (stays' and holds' alike) that overlap: always none. */
async function bedsHeldTwice(t: TestApp): Promise<number> {
  return t.count(
    `SELECT count(*) FROM stay_occupants a
     JOIN stay_occupants b ON a.bed_id = b.bed_id AND a.id < b.id AND a.during && b.during`,
  );
}

/** Leaves `n` beds of the house in service (the first ones), taking the rest out by SQL. */
async function leaveFree(t: TestApp, houseId: string, n: number): Promise<string[]> {
  const kept = await t.dataSource.query<{ id: string }[]>(
    `SELECT b.id FROM beds b JOIN rooms r ON r.id = b.room_id
     WHERE b.house_id = $1 ORDER BY r.position, b.position LIMIT $2`,
    [houseId, n],
  );
  const ids = kept.map((b) => b.id);
  await t.dataSource.query(
    `UPDATE beds SET in_service = false WHERE house_id = $1 AND NOT (id = ANY($2::uuid[]))`,
    [houseId, ids],
  );
  return ids;
}

describe('Transport holds (POST /holds)', () => {
  const t = useTestApp();
  let houses: { id: string; code: string }[];

  beforeAll(async () => {
    houses = await t.houses();
  });

  function hold(body: Record<string, unknown>, caller = t.officer): Test {
    return t.as(caller).post('/api/v1/holds').send(body);
  }

  it('holds a family’s beds for HOLD_MINUTES, lists it, and counts the beds as held', async () => {
    const referral = await createReferral(t, { dependants: 2 });
    const before = await t.as(t.officer).get('/api/v1/occupancy').expect(200);
    const response = await hold({ referralId: referral.id }).expect(201);
    expect(response.body).toEqual({ ...HOLD, referralId: referral.id });
    expect(response.body.beds).toHaveLength(3);
    const minutes =
      (Date.parse(response.body.expiresAt) - Date.parse(response.body.heldAt)) / 60_000;
    expect(minutes).toBe(t.config.stay.holdMinutes);

    const listed = await t.as(t.officer).get('/api/v1/holds?status=held').expect(200);
    expect(listed.body).toContainEqual(response.body);

    const after = await t.as(t.officer).get('/api/v1/occupancy').expect(200);
    const house = after.body.houses.find(
      (h: { houseId: string }) => h.houseId === response.body.houseId,
    );
    expect(house.held).toBe(3);
    expect(house.capacity).toBe(house.occupied + house.held + house.free);
    expect(after.body.totals.held).toBe(before.body.totals.held + 3);
    expect(after.body.totals.free).toBe(before.body.totals.free - 3);
    expect(after.body.totals.capacity).toBe(
      after.body.totals.occupied + after.body.totals.held + after.body.totals.free,
    );
    // Held beds are nobody's option: the placement of another family leaves them out.
    const other = await createReferral(t);
    const options = await t.as(t.officer).get(`/api/v1/referrals/${other.id}/placement-options`);
    const offered = (options.body as { beds: string[] }[]).flatMap((o) => o.beds);
    expect(offered.filter((b) => response.body.beds.includes(b))).toEqual([]);
  });

  it('counts a held bed in no bed-night, and not as free in today’s forecast', async () => {
    const house = houses[4];
    const today = new Date().toLocaleDateString('en-CA', { timeZone: t.config.time.zone });
    const read = async () => ({
      history: (
        await t
          .as(t.officer)
          .get(`/api/v1/occupancy/history?from=${today}&to=${today}&houseId=${house.id}`)
          .expect(200)
      ).body.days[0],
      forecast: (
        await t
          .as(t.officer)
          .get(`/api/v1/occupancy/forecast?days=1&houseId=${house.id}`)
          .expect(200)
      ).body.days[0],
    });
    const before = await read();
    const referral = await createReferral(t, { dependants: 1 });
    const held = await hold({ referralId: referral.id, houseId: house.id, minutes: 480 });
    expect(held.status).toBe(201);
    const after = await read();
    expect(after.history).toEqual(before.history);
    // A hold of 8 hours may end before midnight: it is then free at the day's end.
    const endsToday =
      new Date(held.body.expiresAt).toLocaleDateString('en-CA', {
        timeZone: t.config.time.zone,
      }) === today;
    expect(after.forecast.free).toBe(before.forecast.free - (endsToday ? 0 : 2));
    expect(after.forecast.occupied).toBe(before.forecast.occupied);
  });

  it('refuses 4 and 481 minutes (400) and takes 5 and 480', async () => {
    for (const minutes of [4, 481, 90.5]) {
      const referral = await createReferral(t);
      const response = await hold({ referralId: referral.id, minutes }).expect(400);
      expect(response.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [expect.objectContaining({ field: 'minutes' })],
      });
    }
    for (const minutes of [5, 480]) {
      const referral = await createReferral(t);
      const response = await hold({ referralId: referral.id, minutes }).expect(201);
      expect(Date.parse(response.body.expiresAt) - Date.parse(response.body.heldAt)).toBe(
        minutes * 60_000,
      );
    }
  });

  it('keeps one live hold per referral: a second is 409 CONFLICT, also when both race', async () => {
    const referral = await createReferral(t);
    await hold({ referralId: referral.id }).expect(201);
    const second = await hold({ referralId: referral.id }).expect(409);
    expect(second.body).toEqual({ statusCode: 409, code: 'CONFLICT', message: expect.any(String) });

    const racing = await createReferral(t, { dependants: 1 });
    const officer2 = await t.tokenFor('admission_officer');
    const answers = await Promise.all([
      hold({ referralId: racing.id }),
      hold({ referralId: racing.id }, officer2),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(answers.find((r) => r.status === 409)?.body.code).toBe('CONFLICT');
    expect(await t.count(`SELECT count(*) FROM holds WHERE referral_id = $1`, [racing.id])).toBe(1);
  });

  it('gives the last beds to one of two officers holding them at once; the other gets NO_CAPACITY', async () => {
    const house = houses[1];
    await leaveFree(t, house.id, 3);
    const [a, b] = [
      await createReferral(t, { dependants: 2 }),
      await createReferral(t, { dependants: 2 }),
    ];
    const officer2 = await t.tokenFor('admission_officer');
    const answers = await Promise.all([
      hold({ referralId: a.id, houseId: house.id }),
      hold({ referralId: b.id, houseId: house.id }, officer2),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(answers.find((r) => r.status === 409)?.body.code).toBe('NO_CAPACITY');
    expect(await bedsHeldTwice(t)).toBe(0);
  });

  it('lets a hold and an admission of another family race for the same beds: one gets them', async () => {
    const house = houses[2];
    const beds = await leaveFree(t, house.id, 2);
    for (const body of [{ houseId: house.id }, { houseId: house.id, bedIds: beds }]) {
      const [a, b] = [
        await createReferral(t, { dependants: 1 }),
        await createReferral(t, { dependants: 1 }),
      ];
      const [held, admitted] = await Promise.all([
        hold({ referralId: a.id, ...body }),
        t
          .as(t.officer)
          .post('/api/v1/stays')
          .send({ referralId: b.id, ...body }),
      ]);
      expect([held.status, admitted.status].sort()).toEqual([201, 409]);
      const refused = held.status === 409 ? held : admitted;
      expect(['NO_CAPACITY', 'BED_OCCUPIED']).toContain(refused.body.code);
      expect(await bedsHeldTwice(t)).toBe(0);
      // Free the beds again for the next round, by the loser's opposite path.
      if (held.status === 201) {
        await t.as(t.officer).post(`/api/v1/holds/${held.body.id}/cancel`).expect(200);
      } else {
        await t.egress(admitted.body.id);
      }
    }
  });

  it('refuses a bed of bedIds that another family holds (BED_OCCUPIED), to a stay as to a hold', async () => {
    const referral = await createReferral(t, { dependants: 1 });
    const held = await hold({ referralId: referral.id, houseId: houses[3].id }).expect(201);
    const other = await createReferral(t, { dependants: 1 });
    const body = { referralId: other.id, houseId: houses[3].id, bedIds: held.body.beds };
    expect((await hold(body).expect(409)).body.code).toBe('BED_OCCUPIED');
    expect((await t.as(t.officer).post('/api/v1/stays').send(body).expect(409)).body.code).toBe(
      'BED_OCCUPIED',
    );
  });

  it('is refused by the ledger itself: a row written straight into it on a held bed, and taking the bed out of service', async () => {
    const referral = await createReferral(t);
    const held = await hold({ referralId: referral.id, houseId: houses[3].id }).expect(201);
    const other = await createReferral(t);
    // Past every service check: the exclusion constraint alone has to say no.
    await expect(
      t.dataSource.transaction(async (manager) => {
        const [{ id }] = await manager.query<{ id: string }[]>(
          `INSERT INTO holds (referral_id, house_id, bed_ids, held_at, expires_at)
           VALUES ($1, $2, $3, now(), now() + interval '1 hour') RETURNING id`,
          [other.id, houses[3].id, held.body.beds],
        );
        await manager.query(
          `INSERT INTO stay_occupants (hold_id, person_id, role, house_id, bed_id, during)
           VALUES ($1, $2, 'woman', $3, $4, tstzrange(now(), now() + interval '1 hour', '[)'))`,
          [id, other.people[0], houses[3].id, held.body.beds[0]],
        );
      }),
    ).rejects.toMatchObject({ driverError: { code: '23P01' } });
    const refused = await t
      .as(t.admin)
      .patch(`/api/v1/beds/${held.body.beds[0]}`)
      .send({ inService: false, reason: 'Humedad en la pared' })
      .expect(409);
    expect(refused.body.code).toBe('BED_OCCUPIED');
  });

  it('confirms the hold at admission: she gets the held beds, the hold becomes confirmed', async () => {
    const referral = await createReferral(t, { dependants: 1 });
    const held = await hold({ referralId: referral.id }).expect(201);
    const stay = await t.admit(referral.id);
    expect(stay.houseId).toBe(held.body.houseId);
    expect(stay.occupants.map((o) => o.bedId)).toEqual(held.body.beds);
    const after = await t.as(t.officer).get(`/api/v1/holds/${held.body.id}`).expect(200);
    expect(after.body).toMatchObject({ status: 'confirmed', stayId: stay.id });
    expect(
      await t.count(`SELECT count(*) FROM stay_occupants WHERE hold_id = $1`, [held.body.id]),
    ).toBe(0);
    expect(await bedsHeldTwice(t)).toBe(0);
  });

  it('admits elsewhere when bedIds say so, and the hold is still confirmed and its beds freed', async () => {
    const referral = await createReferral(t);
    const held = await hold({ referralId: referral.id, houseId: houses[0].id }).expect(201);
    const rooms = await t.rooms(houses[4].id);
    const bed = rooms.flatMap((r) => r.beds).find((b) => b.inService && !b.occupantId);
    const stay = await t.admit(referral.id, { houseId: houses[4].id, bedIds: [bed!.id] });
    expect(stay.occupants[0].bedId).toBe(bed!.id);
    const after = await t.as(t.officer).get(`/api/v1/holds/${held.body.id}`).expect(200);
    expect(after.body.status).toBe('confirmed');
    expect(
      await t.count(`SELECT count(*) FROM stay_occupants WHERE hold_id = $1`, [held.body.id]),
    ).toBe(0);
  });

  it('shows a hold past expiresAt as expired, and never admits her on beds someone else now holds', async () => {
    const house = houses[0];
    const a = await createReferral(t, { dependants: 1 });
    const heldA = await hold({ referralId: a.id, houseId: house.id }).expect(201);
    await lapseHold(t.dataSource, heldA.body.id, 10);
    const seen = await t.as(t.officer).get(`/api/v1/holds/${heldA.body.id}`).expect(200);
    expect(seen.body.status).toBe('expired');
    expect(
      (await t.as(t.officer).get('/api/v1/holds?status=held').expect(200)).body,
    ).not.toContainEqual(expect.objectContaining({ id: heldA.body.id }));
    // Her beds were free from expiresAt on, with no worker: another family holds them now.
    const b = await createReferral(t, { dependants: 1 });
    const heldB = await hold({
      referralId: b.id,
      houseId: house.id,
      bedIds: heldA.body.beds,
    }).expect(201);
    const admitted = await t.as(t.officer).post('/api/v1/stays').send({ referralId: a.id });
    if (admitted.status === 201) {
      const beds = (admitted.body.occupants as { bedId: string }[]).map((o) => o.bedId);
      expect(beds.filter((bed) => heldB.body.beds.includes(bed))).toEqual([]);
    } else {
      expect(admitted.body.code).toBe('NO_CAPACITY');
    }
    expect(await bedsHeldTwice(t)).toBe(0);
    // A new hold for her is allowed once the first has lapsed.
    const c = await createReferral(t);
    const heldC = await hold({ referralId: c.id }).expect(201);
    await lapseHold(t.dataSource, heldC.body.id, 10);
    await hold({ referralId: c.id }).expect(201);
  });

  it('cancels a live hold (200, beds free at once); a second cancel is 409 INVALID_STATE', async () => {
    const referral = await createReferral(t, { dependants: 1 });
    const held = await hold({ referralId: referral.id }).expect(201);
    const cancelled = await t
      .as(t.officer)
      .post(`/api/v1/holds/${held.body.id}/cancel`)
      .expect(200);
    expect(cancelled.body).toEqual({ ...held.body, status: 'cancelled' });
    expect(
      await t.count(`SELECT count(*) FROM stay_occupants WHERE hold_id = $1`, [held.body.id]),
    ).toBe(0);
    const again = await t.as(t.officer).post(`/api/v1/holds/${held.body.id}/cancel`).expect(409);
    expect(again.body.code).toBe('INVALID_STATE');
    await t
      .as(t.officer)
      .post('/api/v1/holds/00000000-0000-4000-8000-000000000000/cancel')
      .expect(404);
  });

  it('answers NO_CAPACITY, ALREADY_ADMITTED and INVALID_STATE as POST /stays does', async () => {
    const big = await createReferral(t, { dependants: 3 });
    const house = houses[1];
    await leaveFree(t, house.id, 3);
    expect((await hold({ referralId: big.id, houseId: house.id }).expect(409)).body.code).toBe(
      'NO_CAPACITY',
    );
    const stay = await t.admit({});
    expect((await hold({ referralId: stay.referralId }).expect(409)).body.code).toBe(
      'ALREADY_ADMITTED',
    );
    const rejected = await createReferral(t, { status: 'rejected' });
    expect((await hold({ referralId: rejected.id }).expect(409)).body.code).toBe('INVALID_STATE');
    await hold({ referralId: '00000000-0000-4000-8000-000000000000' }).expect(404);
  });

  it('shows a coordinator only her house’s holds; she may not hold, and a referrer gets 403', async () => {
    const referral = await createReferral(t);
    const held = await hold({ referralId: referral.id, houseId: houses[3].id }).expect(201);
    const mine = await t.tokenFor('house_coordinator', houses[3].id);
    const other = await t.tokenFor('house_coordinator', houses[4].id);
    const seen = await t.as(mine).get('/api/v1/holds').expect(200);
    expect(seen.body.map((h: { id: string }) => h.id)).toContain(held.body.id);
    expect(seen.body.every((h: { houseId: string }) => h.houseId === houses[3].id)).toBe(true);
    const notSeen = await t.as(other).get('/api/v1/holds').expect(200);
    expect(notSeen.body.map((h: { id: string }) => h.id)).not.toContain(held.body.id);
    await t.as(other).get(`/api/v1/holds?houseId=${houses[3].id}`).expect(404);
    await t.as(other).get(`/api/v1/holds/${held.body.id}`).expect(404);
    await t.as(mine).post('/api/v1/holds').send({ referralId: referral.id }).expect(403);
    await t.as(mine).post(`/api/v1/holds/${held.body.id}/cancel`).expect(403);

    const referrer = await t.referrer();
    await t.as(referrer).post('/api/v1/holds').send({ referralId: referral.id }).expect(403);
    await t.as(referrer).get('/api/v1/holds').expect(403);
  });
});
