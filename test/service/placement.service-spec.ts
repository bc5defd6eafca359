import fc from 'fast-check';
import { createServiceContext, ServiceContext } from '../helpers/service-context';

/**
 * Where a family goes, as the database decides it (`stays_rank_houses`): the one rule behind
 * placement options, admissions and transfers. A house is given as its rooms' free beds:
 * `[[4, true], [3]]` is a 4-bed accessible room and a 3-bed room, positions 1 and 2.
 */
type Room = [free: number, accessible?: boolean];

interface Ranked {
  houseCode: string;
  freePlaces: number;
  /** The chosen rooms as `<code>-<position>`, in room order. */
  rooms: string[];
  leftInRoom: number | null;
}

const uuid = (kind: number, n: number) =>
  `00000000-0000-4000-8000-${kind.toString(16).padStart(4, '0')}${n.toString(16).padStart(8, '0')}`;

describe('Placement rule (stays_rank_houses)', () => {
  let ctx: ServiceContext;

  beforeAll(async () => {
    ctx = await createServiceContext({ env: { APP_ROLE: 'api' } });
  });
  afterAll(() => ctx.close());

  async function rank(
    houses: Record<string, Room[]>,
    size: number,
    wheelchair = false,
  ): Promise<Ranked[]> {
    const names = new Map<string, string>();
    const columns = {
      houses: [] as string[],
      codes: [] as string[],
      rooms: [] as string[],
      positions: [] as number[],
      accessible: [] as boolean[],
      free: [] as number[],
    };
    Object.entries(houses).forEach(([code, rooms], h) => {
      rooms.forEach(([free, accessible], r) => {
        const roomId = uuid(h + 1, r + 1);
        names.set(roomId, `${code}-${r + 1}`);
        columns.houses.push(uuid(h + 1, 0));
        columns.codes.push(code);
        columns.rooms.push(roomId);
        columns.positions.push(r + 1);
        columns.accessible.push(accessible ?? false);
        columns.free.push(free);
      });
    });
    const rows = await ctx.dataSource.query<
      { house_code: string; free_places: number; room_ids: string[]; left_in_room: number }[]
    >(
      `SELECT house_code, free_places, room_ids, left_in_room
       FROM stays_rank_houses($1, $2, $3, $4, $5, $6, $7, $8) ORDER BY rank`,
      [
        size,
        wheelchair,
        columns.houses,
        columns.codes,
        columns.rooms,
        columns.positions,
        columns.accessible,
        columns.free,
      ],
    );
    return rows.map((r) => ({
      houseCode: r.house_code,
      freePlaces: r.free_places,
      rooms: r.room_ids.map((id) => names.get(id) as string),
      leftInRoom: r.left_in_room,
    }));
  }

  it('puts the family in the room that fits it most tightly, the earlier of equal fits', async () => {
    expect(await rank({ 'CR-1': [[6], [4], [3], [4]] }, 3)).toEqual([
      { houseCode: 'CR-1', freePlaces: 17, rooms: ['CR-1-3'], leftInRoom: 0 },
    ]);
    expect((await rank({ 'CR-1': [[2], [4], [4]] }, 4))[0].rooms).toEqual(['CR-1-2']);
  });

  it('spreads a family no room can hold over as few rooms as possible', async () => {
    // 7 people: rooms of 4 and 3 (two rooms), not 2 + 2 + 3.
    expect(await rank({ 'CR-1': [[2], [4], [2], [3]] }, 7)).toEqual([
      { houseCode: 'CR-1', freePlaces: 11, rooms: ['CR-1-2', 'CR-1-4'], leftInRoom: null },
    ]);
  });

  it('gives a wheelchair user accessible rooms only', async () => {
    const house = { 'CR-1': [[2, true], [6], [3, true]] as Room[] };
    expect((await rank(house, 3, true))[0].rooms).toEqual(['CR-1-3']);
    expect((await rank(house, 5, true))[0].rooms).toEqual(['CR-1-1', 'CR-1-3']);
    expect(await rank(house, 6, true)).toEqual([]);
    expect((await rank(house, 6))[0].rooms).toEqual(['CR-1-2']);
    // Every free bed of the house counts in freePlaces, usable or not.
    expect((await rank({ 'CR-1': [[2, true], [6]] }, 1, true))[0].freePlaces).toBe(8);
  });

  it('leaves out a house that cannot take the whole family', async () => {
    expect(await rank({ 'CR-1': [[2], [1]] }, 4)).toEqual([]);
    expect(await rank({}, 1)).toEqual([]);
  });

  it('orders one-room houses by fewest beds left empty, then most free beds, then code', async () => {
    const ranked = await rank(
      {
        'CR-5': [[4], [4]], // room of 4: 1 left empty, 8 free
        'CR-4': [[3], [2]], // room of 3: 0 left empty, 5 free
        'CR-3': [[3], [6]], // 0 left empty, 9 free
        'CR-2': [[3], [6]], // 0 left empty, 9 free: before CR-3 by code
        'CR-1': [[2], [2], [2]], // needs two rooms
        'CR-6': [[1], [1]], // cannot take 3
      },
      3,
    );
    expect(ranked.map((r) => r.houseCode)).toEqual(['CR-2', 'CR-3', 'CR-4', 'CR-5', 'CR-1']);
  });

  it('orders split houses by fewest rooms, then most free beds', async () => {
    const ranked = await rank(
      {
        'CR-1': [[2], [2], [2]], // three rooms for 5
        'CR-2': [[3], [2]], // two rooms, 5 free
        'CR-3': [[3], [3], [1]], // two rooms, 7 free
      },
      5,
    );
    expect(ranked.map((r) => [r.houseCode, r.rooms.length])).toEqual([
      ['CR-3', 2],
      ['CR-2', 2],
      ['CR-1', 3],
    ]);
  });

  it('leaves out the houses whose accessible rooms cannot hold a wheelchair user’s family', async () => {
    const houses = { 'CR-1': [[6], [2, true]] as Room[], 'CR-2': [[3, true]] as Room[] };
    expect((await rank(houses, 3, true)).map((r) => r.houseCode)).toEqual(['CR-2']);
    // A family without the need: CR-1's ordinary room first, though CR-2's accessible one is tighter.
    expect((await rank(houses, 3)).map((r) => r.houseCode)).toEqual(['CR-1', 'CR-2']);
  });

  it('puts a family without the need in an accessible room only when no other room takes it whole', async () => {
    const house = { 'CR-1': [[3, true], [4], [6]] as Room[] };
    expect((await rank(house, 3))[0]).toMatchObject({ rooms: ['CR-1-2'], leftInRoom: 1 });
    // Together in the accessible room rather than split, when no other room can take them whole.
    expect((await rank({ 'CR-1': [[6, true], [3], [2]] }, 5))[0].rooms).toEqual(['CR-1-1']);
    // Split anyway: over the ordinary rooms, while they are enough, not the accessible one.
    expect((await rank({ 'CR-1': [[4, true], [3], [2]] }, 5))[0].rooms).toEqual([
      'CR-1-2',
      'CR-1-3',
    ]);
  });

  it('never gives a family without the need an accessible room while another room of that house fits it (property)', async () => {
    const rooms = fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.boolean()), {
      minLength: 1,
      maxLength: 8,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(rooms, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 8 }),
        async (houseRooms, size) => {
          const houses = Object.fromEntries(houseRooms.map((r, h) => [`CR-${h + 1}`, r as Room[]]));
          const ranked = await rank(houses, size);
          const ordinaryFits = new Set<string>();
          for (const r of ranked) {
            const all = houses[r.houseCode];
            const fits = all.some(([free, accessible]) => !accessible && free >= size);
            const takesAccessible = r.rooms.some(
              (name) => all[Number(name.split('-').pop()) - 1][1] === true,
            );
            // The rule itself: an accessible room only when no other room fits the family.
            expect(fits && takesAccessible).toBe(false);
            // Every chosen room together holds the family.
            const held = r.rooms.reduce(
              (sum, name) => sum + all[Number(name.split('-').pop()) - 1][0],
              0,
            );
            expect(held).toBeGreaterThanOrEqual(size);
            if (fits) {
              ordinaryFits.add(r.houseCode);
            }
          }
          // Ranking accordingly: a house that fits her in an ordinary room comes before any
          // house that would put her in an accessible one.
          const firstAccessible = ranked.findIndex(
            (r) => r.rooms.length === 1 && !ordinaryFits.has(r.houseCode),
          );
          if (firstAccessible >= 0) {
            expect(ranked.slice(firstAccessible).some((r) => ordinaryFits.has(r.houseCode))).toBe(
              false,
            );
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
