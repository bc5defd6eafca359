import type { Response } from 'supertest';
import { createReferral } from './factories/referrals';
import { TestApp, useTestApp } from './helpers/test-app';

/** Pairs of one bed's intervals that overlap: must always be none. */
async function doubleBookings(t: TestApp): Promise<number> {
  return t.count(
    `SELECT count(*) FROM stay_occupants a
     JOIN stay_occupants b ON a.bed_id = b.bed_id AND a.id < b.id AND a.during && b.during`,
  );
}

async function referralStatus(t: TestApp, id: string): Promise<string> {
  const [{ status }] = await t.dataSource.query<{ status: string }[]>(
    'SELECT status FROM referrals WHERE id = $1',
    [id],
  );
  return status;
}

describe('Admission under concurrency', () => {
  const t = useTestApp();

  it('admits exactly 42 of 60 women racing for one 42-bed house; the rest get NO_CAPACITY', async () => {
    const [house] = await t.houses();
    const referrals = [];
    for (let i = 0; i < 60; i++) {
      referrals.push(await createReferral(t));
    }
    const responses: Response[] = await Promise.all(
      referrals.map((r) =>
        t.as(t.officer).post('/api/v1/stays').send({ referralId: r.id, houseId: house.id }),
      ),
    );
    // Every answer is a stay or a refusal; any other one is shown whole, before the counts.
    expect(
      responses.filter((r) => r.status !== 201 && r.status !== 409).map((r) => r.body),
    ).toEqual([]);
    const created = responses.filter((r) => r.status === 201);
    const refused = responses.filter((r) => r.status === 409);
    expect(created).toHaveLength(42);
    expect(refused).toHaveLength(18);
    for (const r of refused) {
      expect(r.body).toEqual({
        statusCode: 409,
        code: 'NO_CAPACITY',
        message: expect.any(String),
      });
    }
    const beds = created.map((r) => r.body.occupants[0].bedId);
    expect(new Set(beds).size).toBe(42);
    expect(await doubleBookings(t)).toBe(0);
    const [{ open, distinctBeds }] = await t.dataSource.query(
      `SELECT count(*)::int AS open, count(DISTINCT bed_id)::int AS "distinctBeds"
       FROM stay_occupants WHERE upper_inf(during) AND house_id = $1`,
      [house.id],
    );
    expect({ open, distinctBeds }).toEqual({ open: 42, distinctBeds: 42 });
    // Refused referrals are untouched: still waiting, no stay.
    const statuses = await t.dataSource.query(
      `SELECT status, count(*)::int AS count FROM referrals
       WHERE id = ANY($1::uuid[]) GROUP BY status ORDER BY status`,
      [referrals.map((r) => r.id)],
    );
    expect(statuses).toEqual([
      { status: 'admitted', count: 42 },
      { status: 'received', count: 18 },
    ]);
  });

  it('admits one of two parallel admissions of the same referral; the other is ALREADY_ADMITTED', async () => {
    const referral = await createReferral(t, { dependants: 1 });
    const responses: Response[] = await Promise.all(
      [0, 1].map(() => t.as(t.officer).post('/api/v1/stays').send({ referralId: referral.id })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(responses.find((r) => r.status === 409)?.body.code).toBe('ALREADY_ADMITTED');
    expect(
      await t.count('SELECT count(*)::int AS count FROM stays WHERE referral_id = $1', [
        referral.id,
      ]),
    ).toBe(1);
  });

  it('refuses in the database a raw INSERT of an overlapping occupancy of a bed', async () => {
    const [{ stay_id, bed_id, house_id }] = await t.dataSource.query(
      `SELECT stay_id, bed_id, house_id FROM stay_occupants WHERE upper_inf(during) LIMIT 1`,
    );
    // Another person of the same house, moved into the held bed for a later, overlapping while.
    const [other] = await t.dataSource.query(
      `SELECT o.stay_id, o.person_id, o.role FROM stay_occupants o
       WHERE o.house_id = $1 AND o.stay_id <> $2 LIMIT 1`,
      [house_id, stay_id],
    );
    await t.dataSource.query(
      `UPDATE stay_occupants SET during = tstzrange(lower(during), now())
                              WHERE stay_id = $1`,
      [other.stay_id],
    );
    await expect(
      t.dataSource.query(
        `INSERT INTO stay_occupants (stay_id, person_id, role, house_id, bed_id, during)
         SELECT $1, $2, $3, $4, $5, tstzrange(s.admitted_at, s.admitted_at + interval '1 hour')
         FROM stays s WHERE s.id = $1`,
        [other.stay_id, other.person_id, other.role, house_id, bed_id],
      ),
    ).rejects.toMatchObject({ code: '23P01', constraint: 'stay_occupants_bed_id_during_excl' });
    expect(await doubleBookings(t)).toBe(0);
  });
});

describe('Family admissions across the network', () => {
  const t = useTestApp();

  it('never oversubscribes a house nor splits a family in 50 parallel admissions of 1-6 people', async () => {
    const sizes = [6, 5, 4, 6, 3, 2, 6, 1, 5, 4];
    const referrals = [];
    for (let i = 0; i < 50; i++) {
      referrals.push(await createReferral(t, { dependants: sizes[i % sizes.length] - 1 }));
    }
    const responses: Response[] = await Promise.all(
      referrals.map((r) => t.as(t.officer).post('/api/v1/stays').send({ referralId: r.id })),
    );
    for (const r of responses) {
      expect([201, 409]).toContain(r.status);
      if (r.status === 409) {
        expect(r.body.code).toBe('NO_CAPACITY');
      }
    }
    const created = responses.filter((r) => r.status === 201);
    const refusedIds = referrals.filter((_, i) => responses[i].status === 409).map((r) => r.id);
    expect(created.length).toBeGreaterThan(40);
    expect(refusedIds.length).toBeGreaterThan(0);

    // Every family whole, in one house, one bed each.
    for (const [i, r] of responses.entries()) {
      if (r.status !== 201) {
        continue;
      }
      expect(r.body.occupants.map((o: { personId: string }) => o.personId)).toEqual(
        referrals[i].people,
      );
      expect(r.body.occupants[0].role).toBe('woman');
    }
    expect(
      await t.count(`SELECT count(*)::int AS split FROM stays s
       WHERE EXISTS (SELECT 1 FROM stay_occupants o JOIN beds b ON b.id = o.bed_id
                     WHERE o.stay_id = s.id AND (b.house_id <> s.house_id OR o.house_id <> s.house_id))`),
    ).toBe(0);
    const perHouse = await t.dataSource.query(
      `SELECT h.code,
              (SELECT count(*)::int FROM beds b WHERE b.house_id = h.id AND b.in_service) AS beds,
              (SELECT count(*)::int FROM stay_occupants o WHERE o.house_id = h.id AND upper_inf(o.during)) AS held
       FROM houses h`,
    );
    for (const h of perHouse) {
      expect(h.held).toBeLessThanOrEqual(h.beds);
    }
    expect(await doubleBookings(t)).toBe(0);

    // NO_CAPACITY only for a real lack of room: beds only got taken during the run, so a
    // family refused then still cannot be placed now.
    for (const id of refusedIds) {
      const options = await t
        .as(t.officer)
        .get(`/api/v1/referrals/${id}/placement-options`)
        .expect(200);
      expect(options.body).toEqual([]);
      expect(await referralStatus(t, id)).toBe('received');
    }
  });
});

describe('Placement, admission rules and bed choice', () => {
  const t = useTestApp();
  let houses: { id: string; code: string }[];

  beforeAll(async () => {
    houses = await t.houses();
  });

  const admit = (body: Record<string, unknown>) => t.as(t.officer).post('/api/v1/stays').send(body);

  it('ranks houses best first and gives the tightest room, the woman first', async () => {
    // A woman alone goes to the smallest room of CR-2, which then has 41 free beds.
    const placed = await t.admit({ houseId: houses[1].id });
    const cr2Rooms = await t.rooms(houses[1].id, t.officer);
    const roomOfBed = (rooms: typeof cr2Rooms, bedId: string) =>
      rooms.find((r) => r.beds.some((b) => b.id === bedId));
    expect(roomOfBed(cr2Rooms, placed.occupants[0].bedId)?.beds).toHaveLength(2);

    const family = await createReferral(t, { dependants: 2 });
    const options = await t
      .as(t.officer)
      .get(`/api/v1/referrals/${family.id}/placement-options`)
      .expect(200);
    expect(options.body.map((o: { houseCode: string }) => o.houseCode)).toEqual([
      'CR-1',
      'CR-3',
      'CR-4',
      'CR-5',
      'CR-2',
    ]);
    expect(options.body[0]).toEqual({
      houseId: houses[0].id,
      houseCode: 'CR-1',
      freePlaces: 42,
      beds: expect.any(Array),
      rooms: expect.any(Array),
    });
    expect(options.body[4].freePlaces).toBe(41);
    const cr1Rooms = await t.rooms(houses[0].id, t.officer);
    const room = roomOfBed(cr1Rooms, options.body[0].beds[0]);
    // The tightest room that holds all three, leaving the accessible rooms (1 and 2) free.
    expect(room?.name).toBe('Habitación 5');
    expect(room?.beds.map((b) => b.id)).toEqual(options.body[0].beds);
    // The option names the rooms and bed labels it would use, in the family's order.
    expect(options.body[0].rooms).toEqual([
      {
        roomId: room?.id,
        name: 'Habitación 5',
        wheelchairAccessible: false,
        beds: room?.beds.map((b) => ({ bedId: b.id, label: b.label })),
      },
    ]);

    // Without a house, the admission takes the first option, exactly those beds.
    const stay = await admit({ referralId: family.id }).expect(201);
    expect(stay.body).toEqual({
      id: expect.any(String),
      referralId: family.id,
      houseId: houses[0].id,
      status: 'active',
      admittedAt: expect.any(String),
      termEndsAt: expect.any(String),
      maxEndsAt: expect.any(String),
      lastMovedAt: stay.body.admittedAt,
      provisional: false,
      orderDueBy: null,
      orderOverdue: false,
      occupants: family.people.map((personId, i) => ({
        personId,
        role: i === 0 ? 'woman' : 'dependant',
        bedId: options.body[0].beds[i],
      })),
      exitedAt: null,
      egressReason: null,
      egressDestination: null,
      egressNotes: null,
      extensions: [],
      transfers: [],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const referral = await t.dataSource.query(
      'SELECT status, admitted_at FROM referrals WHERE id = $1',
      [family.id],
    );
    expect(referral[0].status).toBe('admitted');
    expect(referral[0].admitted_at.toISOString()).toBe(stay.body.admittedAt);
  });

  it('gives a wheelchair user accessible rooms only, and NO_CAPACITY when they are too small', async () => {
    const five = await createReferral(t, { dependants: 4, wheelchairAccessible: true });
    const options = await t
      .as(t.officer)
      .get(`/api/v1/referrals/${five.id}/placement-options`)
      .expect(200);
    expect(options.body.length).toBeGreaterThan(0);
    for (const option of options.body) {
      const rooms = await t.rooms(option.houseId, t.officer);
      for (const bedId of option.beds) {
        expect(rooms.find((r) => r.beds.some((b) => b.id === bedId))?.wheelchairAccessible).toBe(
          true,
        );
      }
    }
    // Seeded houses have 7 accessible beds (rooms of 4 and 3): a family of 8 fits nowhere.
    const eight = await createReferral(t, { dependants: 7, wheelchairAccessible: true });
    const none = await t
      .as(t.officer)
      .get(`/api/v1/referrals/${eight.id}/placement-options`)
      .expect(200);
    expect(none.body).toEqual([]);
    const refused = await admit({ referralId: eight.id }).expect(409);
    expect(refused.body.code).toBe('NO_CAPACITY');
    expect(await referralStatus(t, eight.id)).toBe('received');
  });

  it('answers placement options 404 for an unknown referral, 409 for one not waiting, 403 for coordinators', async () => {
    await t
      .as(t.officer)
      .get('/api/v1/referrals/00000000-0000-4000-8000-000000000000/placement-options')
      .expect(404);
    const withdrawn = await createReferral(t, { status: 'withdrawn' });
    const conflict = await t
      .as(t.officer)
      .get(`/api/v1/referrals/${withdrawn.id}/placement-options`)
      .expect(409);
    expect(conflict.body.code).toBe('INVALID_STATE');
    const coordinator = await t.tokenFor('house_coordinator', houses[0].id);
    await t.as(coordinator).get(`/api/v1/referrals/${withdrawn.id}/placement-options`).expect(403);
    await t.as(coordinator).post('/api/v1/stays').send({ referralId: withdrawn.id }).expect(403);
  });

  it('refuses a referral already admitted, withdrawn or rejected with nothing changed', async () => {
    const referral = await createReferral(t);
    await t.admit(referral.id);
    expect((await admit({ referralId: referral.id }).expect(409)).body.code).toBe(
      'ALREADY_ADMITTED',
    );
    for (const status of ['withdrawn', 'rejected'] as const) {
      const other = await createReferral(t, { status });
      expect((await admit({ referralId: other.id }).expect(409)).body.code).toBe('INVALID_STATE');
    }
    await admit({ referralId: '00000000-0000-4000-8000-000000000000' }).expect(404);
  });

  it('validates the body before the state: malformed, future or before the order → 400', async () => {
    const referral = await createReferral(t, { issuedAt: '2026-03-10' });
    const missing = await admit({}).expect(400);
    expect(missing.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'referralId' })]),
    );
    const unknown = await admit({ referralId: referral.id, bedCount: 2 }).expect(400);
    expect(unknown.body.errors[0].field).toBe('bedCount');
    const noOffset = await admit({ referralId: referral.id, admittedAt: '2026-03-10T10:00:00' });
    expect(noOffset.status).toBe(400);
    expect(noOffset.body.errors[0].field).toBe('admittedAt');
    const future = await admit({
      referralId: referral.id,
      admittedAt: new Date(Date.now() + 60_000).toISOString(),
    }).expect(400);
    expect(future.body.errors).toEqual([{ field: 'admittedAt', message: expect.any(String) }]);
    // 23:59 on 9 March in Bogotá is before the order's day, even though it is 10 March in UTC.
    const early = await admit({
      referralId: referral.id,
      admittedAt: '2026-03-10T04:59:59Z',
    }).expect(400);
    expect(early.body.errors[0].field).toBe('admittedAt');
    // A malformed request for an admitted referral is still 400, not 409.
    const admitted = await t.admit();
    await admit({ referralId: admitted.referralId, admittedAt: 'yesterday' }).expect(400);

    const ok = await admit({
      referralId: referral.id,
      admittedAt: '2026-03-10T05:00:00Z',
    }).expect(201);
    expect(ok.body.admittedAt).toBe('2026-03-10T05:00:00.000Z');
    // 10 March 00:00 in Bogotá + 4 months = 10 July 00:00; + 6 = 10 September.
    expect(ok.body.termEndsAt).toBe('2026-07-10T05:00:00.000Z');
    expect(ok.body.maxEndsAt).toBe('2026-09-10T05:00:00.000Z');
  });

  it('takes chosen beds when given, and refuses wrong, foreign or taken beds', async () => {
    const house = houses[2];
    const rooms = await t.rooms(house.id, t.officer);
    const freeBeds = rooms.flatMap((r) => r.beds).filter((b) => b.occupantId === null);
    const family = await createReferral(t, { dependants: 1 });
    const wrongCount = await admit({
      referralId: family.id,
      houseId: house.id,
      bedIds: [freeBeds[0].id],
    }).expect(400);
    expect(wrongCount.body.errors[0].field).toBe('bedIds');
    await admit({ referralId: family.id, bedIds: [freeBeds[0].id, freeBeds[1].id] }).expect(400);
    const duplicate = await admit({
      referralId: family.id,
      houseId: house.id,
      bedIds: [freeBeds[0].id, freeBeds[0].id],
    }).expect(400);
    expect(duplicate.body.errors[0].field).toBe('bedIds');
    const foreignBed = (await t.rooms(houses[3].id, t.officer))[0].beds[0].id;
    const foreign = await admit({
      referralId: family.id,
      houseId: house.id,
      bedIds: [freeBeds[0].id, foreignBed],
    }).expect(400);
    expect(foreign.body.errors[0].field).toBe('bedIds');

    const chosen = [freeBeds[5].id, freeBeds[9].id];
    const stay = await admit({ referralId: family.id, houseId: house.id, bedIds: chosen }).expect(
      201,
    );
    expect(stay.body.occupants.map((o: { bedId: string }) => o.bedId)).toEqual(chosen);

    const another = await createReferral(t);
    const taken = await admit({
      referralId: another.id,
      houseId: house.id,
      bedIds: [freeBeds[9].id],
    }).expect(409);
    expect(taken.body.code).toBe('BED_OCCUPIED');
    expect(await referralStatus(t, another.id)).toBe('received');
  });

  it('keeps an occupied bed in service: PATCH /beds/:id answers BED_OCCUPIED', async () => {
    const stay = await t.admit({ houseId: houses[4].id });
    const bedId = stay.occupants[0].bedId;
    const refused = await t
      .as(t.officer)
      .patch(`/api/v1/beds/${bedId}`)
      .send({ inService: false, reason: 'Colchón dañado' })
      .expect(409);
    expect(refused.body.code).toBe('BED_OCCUPIED');
    await t.egress(stay.id);
    await t.takeOutOfService(bedId, 'Colchón dañado', { as: t.officer });
  });

  it('refuses in the database a stay for a referral that cannot be admitted', async () => {
    const withdrawn = await createReferral(t, { status: 'withdrawn' });
    await expect(
      t.dataSource.query(
        `INSERT INTO stays (referral_id, house_id, admitted_at, term_ends_at, max_ends_at, last_moved_at)
         VALUES ($1, $2, now(), now() + interval '4 months', now() + interval '6 months', now())`,
        [withdrawn.id, houses[0].id],
      ),
    ).rejects.toMatchObject({ code: '23514' });
    const early = await createReferral(t, { issuedAt: '2026-06-01' });
    await expect(
      t.dataSource.query(
        `INSERT INTO stays (referral_id, house_id, admitted_at, term_ends_at, max_ends_at, last_moved_at)
         VALUES ($1, $2, '2026-05-01T00:00:00Z', '2026-09-01T00:00:00Z', '2026-11-01T00:00:00Z', '2026-05-01T00:00:00Z')`,
        [early.id, houses[0].id],
      ),
    ).rejects.toMatchObject({ code: '23514' });
  });
});
