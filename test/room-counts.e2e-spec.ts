import { createReferral } from './factories/referrals';
import { useTestApp } from './helpers/test-app';

/**
 * The rooms' free-bed counters (beds in service, beds held) are kept by database triggers as
 * the ledger changes; admissions without a named house rank houses by them. Whatever runs
 * concurrently, they must equal a recount from the beds and the ledger, and give the same free
 * beds per room as counting from the ledger.
 */
describe('Rooms’ free-bed counters', () => {
  const t = useTestApp();
  let houses: { id: string; code: string }[];

  beforeAll(async () => {
    houses = await t.houses();
  });

  const post = (path: string, token: string, body: Record<string, unknown>) =>
    fetch(`${t.baseUrl}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });

  async function roomsOff(): Promise<number> {
    const [{ count }] = await t.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM rooms r
       WHERE r.beds_in_service <> (SELECT count(*) FROM beds b WHERE b.room_id = r.id AND b.in_service)
          OR r.beds_held <> (SELECT count(*) FROM stay_occupants o JOIN beds b ON b.id = o.bed_id
                             WHERE b.room_id = r.id AND upper_inf(o.during))`,
    );
    return count;
  }

  /**
   * Free beds per room by the counters and by the ledger, for rooms with any free bed: at the
   * present `stays_free_rooms` reads the counters; one millisecond apart it counts the ledger.
   */
  async function bothWays() {
    const now = new Date();
    const freeRooms = async (clock: Date) =>
      (
        await t.dataSource.query<{ key: string }[]>(
          `SELECT room_id || ':' || free_beds AS key FROM stays_free_rooms($1, $2, NULL)`,
          [now, clock],
        )
      )
        .map((r) => r.key)
        .sort();
    return {
      counted: await freeRooms(now),
      fromLedger: await freeRooms(new Date(now.getTime() + 1)),
    };
  }

  it('stay equal to a recount through parallel admissions, egresses, transfers and bed changes', async () => {
    const referrals = await Promise.all(
      Array.from({ length: 36 }, (_, i) => createReferral(t, { dependants: i % 4 })),
    );
    const admitted = await Promise.all(
      referrals.map((r) => post('/stays', t.officer, { referralId: r.id })),
    );
    const stays = (await Promise.all(admitted.map((r) => r.json()))) as {
      id: string;
      houseId: string;
    }[];
    expect(admitted.every((r) => r.status === 201)).toBe(true);
    expect(await roomsOff()).toBe(0);

    // Half leave, a few move house, and a free bed goes out of service, all at once.
    const free = await t.dataSource.query<{ id: string }[]>(
      `SELECT b.id FROM beds b
       WHERE NOT EXISTS (SELECT 1 FROM stay_occupants o WHERE o.bed_id = b.id AND upper_inf(o.during))
       ORDER BY b.id LIMIT 3`,
    );
    const results = await Promise.all([
      ...stays
        .slice(0, 18)
        .map((s) => post(`/stays/${s.id}/egress`, t.officer, { reason: 'voluntary' })),
      ...stays.slice(18, 24).map((s) =>
        post(`/stays/${s.id}/transfer`, t.officer, {
          toHouseId: houses.find((h) => h.id !== s.houseId)?.id,
          reason: 'Riesgo de ubicación',
        }),
      ),
      ...free.map((b) =>
        fetch(`${t.baseUrl}/api/v1/beds/${b.id}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${t.admin}` },
          body: JSON.stringify({ inService: false, reason: 'Humedad' }),
        }),
      ),
    ]);
    // A transfer may find no room for the family in the other house (409); nothing else fails.
    expect(results.filter((r) => r.status !== 200 && r.status !== 409)).toEqual([]);
    expect(results.slice(0, 18).every((r) => r.status === 200)).toBe(true);
    expect(await roomsOff()).toBe(0);

    const { counted, fromLedger } = await bothWays();
    expect(counted.length).toBeGreaterThan(0);
    expect(counted).toEqual(fromLedger);
  });

  it('ranks houses and gives beds from the counters exactly as from the ledger', async () => {
    // Some houses fuller than others, so that the ranking has something to decide.
    for (const [i, house] of houses.slice(0, 3).entries()) {
      for (let n = 0; n <= i; n++) {
        const referral = await createReferral(t, { dependants: 3 });
        expect(
          (await post('/stays', t.officer, { referralId: referral.id, houseId: house.id })).status,
        ).toBe(201);
      }
    }
    const now = new Date();
    const placements = (size: number, wheelchair: boolean, clock: Date) =>
      t.dataSource.query<{ house_id: string; bed_ids: string[] }[]>(
        `SELECT house_id, bed_ids FROM stays_placement($1, $2, $3, $4, NULL) ORDER BY rank`,
        [size, wheelchair, now, clock],
      );
    for (const size of [1, 2, 3, 4, 5, 6, 7]) {
      for (const wheelchair of [false, true]) {
        const counted = await placements(size, wheelchair, now);
        expect(counted.length).toBeGreaterThan(0);
        expect(counted).toEqual(await placements(size, wheelchair, new Date(now.getTime() + 1)));
      }
    }
  });

  it('refuses a counter that would say a room holds more beds than it has in service', async () => {
    const [room] = await t.dataSource.query<{ id: string }[]>('SELECT id FROM rooms LIMIT 1');
    await expect(
      t.dataSource.query('UPDATE rooms SET beds_held = beds_in_service + 1 WHERE id = $1', [
        room.id,
      ]),
    ).rejects.toMatchObject({ constraint: 'rooms_counts_consistent' });
  });
});
