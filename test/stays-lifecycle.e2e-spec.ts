import { DateTime } from 'luxon';
import { CaseCipher } from '../src/common/case-cipher';
import { useTestApp } from './helpers/test-app';

const BOGOTA = 'America/Bogota';

describe('Extensions, transfers, egress, history and coordinator scoping', () => {
  const t = useTestApp();
  let houses: { id: string; code: string }[];

  beforeAll(async () => {
    houses = await t.houses();
  });

  const post = (path: string, token: string, body: Record<string, unknown>) =>
    t.as(token).post(`/api/v1${path}`).send(body);

  it('extends up to the date of maxEndsAt, at the admission time of day, and no further', async () => {
    const house = houses[0];
    const coordinator = await t.tokenFor('house_coordinator', house.id);
    const stay = await t.admit({ houseId: house.id, admittedAt: '2025-10-31T10:00:00-05:00' });
    expect(stay.termEndsAt).toBe('2026-02-28T15:00:00.000Z');
    expect(stay.maxEndsAt).toBe('2026-04-30T15:00:00.000Z');

    // Body first: a date not after the current term is 400 whoever asks.
    const notLonger = await post(`/stays/${stay.id}/extensions`, coordinator, {
      until: '2026-02-28',
      reason: 'Proceso judicial en curso',
    }).expect(400);
    expect(notLonger.body.errors[0].field).toBe('until');
    await post(`/stays/${stay.id}/extensions`, coordinator, {
      until: '2026-02-30',
      reason: 'x',
    }).expect(400);
    await post(`/stays/${stay.id}/extensions`, coordinator, { until: '2026-03-31' }).expect(400);
    await post(`/stays/${stay.id}/extensions`, t.officer, {
      until: '2026-03-31',
      reason: 'Proceso judicial en curso',
    }).expect(403);
    const otherCoordinator = await t.tokenFor('house_coordinator', houses[1].id);
    await post(`/stays/${stay.id}/extensions`, otherCoordinator, {
      until: '2026-03-31',
      reason: 'Proceso judicial en curso',
    }).expect(404);

    const first = await post(`/stays/${stay.id}/extensions`, coordinator, {
      until: '2026-03-31',
      reason: 'Proceso judicial en curso',
    }).expect(200);
    expect(first.body.termEndsAt).toBe('2026-03-31T15:00:00.000Z');
    expect(first.body.maxEndsAt).toBe(stay.maxEndsAt);

    const beyond = await post(`/stays/${stay.id}/extensions`, t.admin, {
      until: '2026-05-01',
      reason: 'Sin red de apoyo',
    }).expect(409);
    expect(beyond.body.code).toBe('STAY_LIMIT_EXCEEDED');

    const atLimit = await post(`/stays/${stay.id}/extensions`, t.admin, {
      until: '2026-04-30',
      reason: 'Sin red de apoyo',
    }).expect(200);
    expect(atLimit.body.termEndsAt).toBe(stay.maxEndsAt);
    expect(atLimit.body.extensions).toEqual([
      {
        previousTermEndsAt: '2026-02-28T15:00:00.000Z',
        termEndsAt: '2026-03-31T15:00:00.000Z',
        reason: 'Proceso judicial en curso',
        extendedBy: expect.any(String),
        extendedAt: expect.any(String),
      },
      {
        previousTermEndsAt: '2026-03-31T15:00:00.000Z',
        termEndsAt: '2026-04-30T15:00:00.000Z',
        reason: 'Sin red de apoyo',
        extendedBy: expect.any(String),
        extendedAt: expect.any(String),
      },
    ]);
    expect(atLimit.body.extensions[0].extendedBy).not.toBe(atLimit.body.extensions[1].extendedBy);

    await t.egress(stay.id, { reason: 'term_completed' }, { as: coordinator });
    // An extension that would be valid for an active stay is INVALID_STATE once she has left.
    const ended = await post(`/stays/${stay.id}/extensions`, t.admin, {
      until: '2026-05-01',
      reason: 'Tarde',
    }).expect(409);
    expect(ended.body.code).toBe('INVALID_STATE');
  });

  it('caps an extension at maxEndsAt when the admission hour is later on the last day', async () => {
    // Admitted 31 Aug 23:00: maxEndsAt is 28 Feb 23:00; asking for 28 Feb keeps 23:00.
    const stay = await t.admit(
      {},
      { houseId: houses[0].id, admittedAt: '2025-08-31T23:00:00-05:00' },
    );
    expect(stay.maxEndsAt).toBe('2026-03-01T04:00:00.000Z');
    const extended = await post(`/stays/${stay.id}/extensions`, t.admin, {
      until: '2026-02-28',
      reason: 'Proceso judicial en curso',
    }).expect(200);
    expect(extended.body.termEndsAt).toBe(stay.maxEndsAt);
  });

  it('moves the whole family to another house without restarting the clock', async () => {
    const [from, to, full] = houses.slice(1, 4);
    const stay = await t.admit({ houseId: from.id, dependants: 2 });
    const people = stay.occupants.map((o: { personId: string }) => o.personId);

    await post(`/stays/${stay.id}/transfer`, t.officer, { toHouseId: from.id, reason: 'x' }).expect(
      400,
    );
    await post(`/stays/${stay.id}/transfer`, t.officer, { toHouseId: to.id }).expect(400);
    const coordinator = await t.tokenFor('house_coordinator', from.id);
    await post(`/stays/${stay.id}/transfer`, coordinator, {
      toHouseId: to.id,
      reason: 'Riesgo de ubicación',
    }).expect(403);

    // A house with two beds left cannot take a family of three: nothing moves.
    await t.dataSource.query(
      `UPDATE beds SET in_service = false
       WHERE house_id = $1 AND id NOT IN (SELECT id FROM beds WHERE house_id = $1 ORDER BY id LIMIT 2)`,
      [full.id],
    );
    const noRoom = await post(`/stays/${stay.id}/transfer`, t.officer, {
      toHouseId: full.id,
      reason: 'Riesgo de ubicación',
    }).expect(409);
    expect(noRoom.body.code).toBe('NO_CAPACITY');

    const moved = await post(`/stays/${stay.id}/transfer`, t.officer, {
      toHouseId: to.id,
      reason: 'Riesgo de ubicación',
    }).expect(200);
    expect(moved.body).toMatchObject({
      id: stay.id,
      houseId: to.id,
      status: 'active',
      admittedAt: stay.admittedAt,
      termEndsAt: stay.termEndsAt,
      maxEndsAt: stay.maxEndsAt,
    });
    expect(moved.body.occupants.map((o: { personId: string }) => o.personId)).toEqual(people);
    expect(new Date(moved.body.lastMovedAt).getTime()).toBeGreaterThan(
      new Date(stay.admittedAt).getTime(),
    );
    expect(moved.body.transfers).toEqual([
      {
        fromHouseId: from.id,
        toHouseId: to.id,
        reason: 'Riesgo de ubicación',
        transferredBy: expect.any(String),
        transferredAt: moved.body.lastMovedAt,
      },
    ]);
    const beds = await t.dataSource.query(
      `SELECT b.house_id FROM stay_occupants o JOIN beds b ON b.id = o.bed_id
       WHERE o.stay_id = $1 AND upper_inf(o.during)`,
      [stay.id],
    );
    expect(beds.map((b: { house_id: string }) => b.house_id)).toEqual([to.id, to.id, to.id]);
    const occupancy = await t.as(t.officer).get(`/api/v1/occupancy?houseId=${from.id}`).expect(200);
    expect(occupancy.body.totals.occupied).toBe(0);

    // Egress may not be back-dated before the transfer.
    const beforeMove = await post(`/stays/${stay.id}/egress`, t.officer, {
      reason: 'voluntary',
      exitedAt: stay.admittedAt,
    }).expect(400);
    expect(beforeMove.body.errors[0].field).toBe('exitedAt');
    await t.egress(stay.id, { reason: 'voluntary' });
    const afterExit = await post(`/stays/${stay.id}/transfer`, t.officer, {
      toHouseId: from.id,
      reason: 'Riesgo de ubicación',
    }).expect(409);
    expect(afterExit.body.code).toBe('INVALID_STATE');
  });

  it('exits once: frees the beds, closes the referral, encrypts the notes; a second egress is 409', async () => {
    const house = houses[4];
    const stay = await t.admit(
      { dependants: 1 },
      { houseId: house.id, admittedAt: '2026-11-01T08:00:00-05:00' },
    );
    const future = await post(`/stays/${stay.id}/egress`, t.officer, {
      reason: 'voluntary',
      exitedAt: new Date(Date.now() + 3_600_000).toISOString(),
    }).expect(400);
    expect(future.body.errors[0].field).toBe('exitedAt');
    await post(`/stays/${stay.id}/egress`, t.officer, {
      reason: 'voluntary',
      exitedAt: '2026-11-01T07:59:00-05:00',
    }).expect(400);
    await post(`/stays/${stay.id}/egress`, t.officer, { reason: 'bored' }).expect(400);

    const notes = 'Se va con su hermana María a Soacha';
    // No consent recorded: the stay's audit trail below is the admission's and the egress's alone.
    const exited = await t.egress(
      stay.id,
      {
        reason: 'voluntary',
        exitedAt: '2026-11-15T12:00:00-05:00',
        destination: 'Red familiar',
        notes,
      },
      { followUpContact: false },
    );
    expect(exited).toMatchObject({
      status: 'exited',
      exitedAt: '2026-11-15T17:00:00.000Z',
      egressReason: 'voluntary',
      egressDestination: 'Red familiar',
      egressNotes: notes,
    });
    const [row] = await t.dataSource.query('SELECT egress_notes FROM stays WHERE id = $1', [
      stay.id,
    ]);
    expect(row.egress_notes).not.toContain('María');
    // Under the case's key, which only the key store (not the main database) holds.
    expect(row.egress_notes).toMatch(new RegExp(`^v2\\.${stay.referralId}\\.`));
    const reader = await t.app.get(CaseCipher).reader([stay.referralId]);
    expect(reader.decrypt(row.egress_notes)).toBe(notes);
    const [referral] = await t.dataSource.query(
      'SELECT status, exited_at FROM referrals WHERE id = $1',
      [stay.referralId],
    );
    expect(referral.status).toBe('exited');
    expect(referral.exited_at.toISOString()).toBe('2026-11-15T17:00:00.000Z');
    expect(
      await t.count(
        'SELECT count(*)::int AS open FROM stay_occupants WHERE stay_id = $1 AND upper_inf(during)',
        [stay.id],
      ),
    ).toBe(0);
    const audit = await t.dataSource.query(
      `SELECT action, details FROM audit_events WHERE resource_id = $1 ORDER BY id`,
      [stay.id],
    );
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'stay.admitted',
      'stay.exited',
    ]);
    expect(JSON.stringify(audit)).not.toContain('María');

    const again = await post(`/stays/${stay.id}/egress`, t.officer, { reason: 'other' }).expect(
      409,
    );
    expect(again.body.code).toBe('INVALID_STATE');
    // The referral cannot be admitted again.
    const readmit = await post('/stays', t.officer, { referralId: stay.referralId }).expect(409);
    expect(readmit.body.code).toBe('ALREADY_ADMITTED');
  });

  it('answers one 200 and one 409 to two parallel egresses', async () => {
    const stay = await t.admit({ houseId: houses[4].id, dependants: 3 });
    const coordinator = await t.tokenFor('house_coordinator', houses[4].id);
    const responses = await Promise.all([
      post(`/stays/${stay.id}/egress`, t.officer, { reason: 'voluntary' }),
      post(`/stays/${stay.id}/egress`, coordinator, { reason: 'rule_breach' }),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(responses.find((r) => r.status === 409)?.body.code).toBe('INVALID_STATE');
    expect(
      await t.count(
        `SELECT count(*)::int AS exits FROM audit_events WHERE resource_id = $1 AND action = 'stay.exited'`,
        [stay.id],
      ),
    ).toBe(1);
  });

  it('counts bed-nights before, during and after a back-dated stay', async () => {
    const house = houses[3];
    const stay = await t.admit(
      { dependants: 1 },
      { houseId: house.id, admittedAt: '2025-03-10T20:00:00-05:00' },
    );
    await t.egress(stay.id, {
      reason: 'voluntary',
      exitedAt: '2025-03-20T09:00:00-05:00',
    });
    // A second stay admitted at the very last instant of 25 March counts for that day.
    const late = await t.admit(
      {},
      { houseId: house.id, admittedAt: '2025-03-25T23:59:59.999999-05:00' },
    );
    await t.egress(late.id, {
      reason: 'voluntary',
      exitedAt: '2025-03-26T00:00:00-05:00',
    });

    const history = await t
      .as(t.officer)
      .get(`/api/v1/occupancy/history?from=2025-03-08&to=2025-03-27&houseId=${house.id}`)
      .expect(200);
    expect(history.body.days).toHaveLength(20);
    const byDate = Object.fromEntries(
      history.body.days.map((d: { date: string; occupied: number }) => [d.date, d.occupied]),
    );
    expect(byDate['2025-03-08']).toBe(0);
    expect(byDate['2025-03-09']).toBe(0);
    expect(byDate['2025-03-10']).toBe(2);
    expect(byDate['2025-03-19']).toBe(2);
    expect(byDate['2025-03-20']).toBe(0);
    expect(byDate['2025-03-25']).toBe(1);
    expect(byDate['2025-03-26']).toBe(0);
    for (const day of history.body.days) {
      expect(day.capacity).toBe(42);
    }
    const network = await t
      .as(t.officer)
      .get('/api/v1/occupancy/history?from=2025-03-10&to=2025-03-10')
      .expect(200);
    expect(network.body.days).toEqual([{ date: '2025-03-10', occupied: 2, capacity: 210 }]);
  });

  it('counts capacity from the beds in service at the end of the day', async () => {
    const house = houses[0];
    const rooms = await t.rooms(house.id);
    const [free] = rooms.flatMap((r) => r.beds).filter((b) => b.occupantId === null);
    await t.takeOutOfService(free.id, 'Humedad');
    const today = DateTime.now().setZone(BOGOTA);
    const yesterday = today.minus({ days: 1 }).toISODate();
    const history = await t
      .as(t.admin)
      .get(
        `/api/v1/occupancy/history?from=${yesterday}&to=${today.toISODate()}&houseId=${house.id}`,
      )
      .expect(200);
    expect(history.body.days.map((d: { capacity: number }) => d.capacity)).toEqual([42, 41]);
  });

  it('validates history ranges', async () => {
    const get = (query: string) => t.as(t.officer).get(`/api/v1/occupancy/history?${query}`);
    const reversed = await get('from=2026-03-10&to=2026-03-09').expect(400);
    expect(reversed.body.errors[0].field).toBe('to');
    await get('from=2026-02-30&to=2026-03-09').expect(400);
    await get('from=2026-03-01').expect(400);
    await get('from=2000-01-01&to=2026-01-01').expect(400);
    const longest = await get('from=2017-01-01&to=2026-12-31').expect(200);
    expect(longest.body.days).toHaveLength(3652);
  });

  it('shows a coordinator only its own house: stays and history of others are 404', async () => {
    const [own, other] = houses;
    const coordinator = await t.tokenFor('house_coordinator', own.id);
    const mine = await t.admit({ houseId: own.id });
    const theirs = await t.admit({ houseId: other.id });

    await t.as(coordinator).get(`/api/v1/stays/${mine.id}`).expect(200);
    const denied = await t.as(coordinator).get(`/api/v1/stays/${theirs.id}`).expect(404);
    const missing = await t
      .as(coordinator)
      .get('/api/v1/stays/00000000-0000-4000-8000-000000000000')
      .expect(404);
    expect(denied.body).toEqual(missing.body);
    await post(`/stays/${theirs.id}/egress`, coordinator, { reason: 'voluntary' }).expect(404);

    const list = await t.as(coordinator).get('/api/v1/stays?status=active').expect(200);
    expect(list.body.length).toBeGreaterThan(0);
    expect(list.body.every((s: { houseId: string }) => s.houseId === own.id)).toBe(true);
    expect(list.body.some((s: { id: string }) => s.id === mine.id)).toBe(true);
    await t.as(coordinator).get(`/api/v1/stays?houseId=${other.id}`).expect(404);
    await t.as(coordinator).get('/api/v1/stays?status=gone').expect(400);
    await t
      .as(coordinator)
      .get(`/api/v1/occupancy/history?from=2026-01-01&to=2026-01-02&houseId=${other.id}`)
      .expect(404);
    const ownHistory = await t
      .as(coordinator)
      .get('/api/v1/occupancy/history?from=2026-01-01&to=2026-01-01')
      .expect(200);
    expect(ownHistory.body.days[0].capacity).toBe(42);

    const all = await t.as(t.officer).get(`/api/v1/stays?houseId=${other.id}`).expect(200);
    expect(all.body.map((s: { id: string }) => s.id)).toContain(theirs.id);
  });
});

describe('Occupancy from real stays', () => {
  const t = useTestApp();

  it('counts people, terms ending within 14 days and overdue stays', async () => {
    const [house] = await t.houses();
    const now = DateTime.now().setZone(BOGOTA);
    const admissions = [
      { admittedAt: now.minus({ months: 4 }).plus({ days: 10 }), dependants: 2 },
      { admittedAt: now.minus({ months: 4, days: 3 }), dependants: 0 },
      { admittedAt: now.minus({ days: 2 }), dependants: 1 },
    ];
    for (const a of admissions) {
      await t.admit({
        dependants: a.dependants,
        houseId: house.id,
        admittedAt: a.admittedAt.toISO() ?? undefined,
      });
    }
    const response = await t.as(t.officer).get(`/api/v1/occupancy?houseId=${house.id}`).expect(200);
    expect(response.body.houses[0]).toMatchObject({
      capacity: 42,
      occupied: 6,
      free: 36,
      termEndingWithin14Days: 1,
      overdueStays: 1,
    });
  });
});
