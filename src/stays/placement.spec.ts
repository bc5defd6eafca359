import fc from 'fast-check';
import { FreeBed, FreeRoom, placeInHouse, rankHouses, rankPlacements } from './placement';

/** A house's free beds from room sizes: `[[4, true], [3]]` is a 4-bed accessible room and a 3-bed room. */
function house(code: string, rooms: [number, boolean?][]): FreeBed[] {
  return rooms.flatMap(([beds, accessible], r) =>
    Array.from({ length: beds }, (_, b) => ({
      houseId: `house-${code}`,
      houseCode: code,
      roomId: `${code}-room-${r + 1}`,
      roomPosition: r + 1,
      wheelchairAccessible: accessible ?? false,
      bedId: `${code}-${r + 1}${String.fromCharCode(65 + b)}`,
      bedPosition: b + 1,
    })),
  );
}

const family = (size: number, wheelchairAccessible = false) => ({ size, wheelchairAccessible });

describe('placeInHouse', () => {
  it('puts the family in the room that fits it most tightly', () => {
    const option = placeInHouse(house('CR-1', [[6], [4], [3], [4]]), family(3));
    expect(option).toMatchObject({
      beds: ['CR-1-3A', 'CR-1-3B', 'CR-1-3C'],
      rooms: 1,
      leftInRoom: 0,
    });
  });

  it('prefers the earlier room between equally tight fits', () => {
    const option = placeInHouse(house('CR-1', [[2], [4], [4]]), family(4));
    expect(option?.beds).toEqual(['CR-1-2A', 'CR-1-2B', 'CR-1-2C', 'CR-1-2D']);
  });

  it('spreads a family no room can hold over as few rooms as possible', () => {
    // 7 people: rooms of 4 and 3 (two rooms), not 2 + 2 + 3.
    const option = placeInHouse(house('CR-1', [[2], [4], [2], [3]]), family(7));
    expect(option).toMatchObject({ rooms: 2, leftInRoom: null });
    expect(option?.beds).toEqual([
      'CR-1-2A',
      'CR-1-2B',
      'CR-1-2C',
      'CR-1-2D',
      'CR-1-4A',
      'CR-1-4B',
      'CR-1-4C',
    ]);
  });

  it('gives a wheelchair user accessible rooms only', () => {
    const beds = house('CR-1', [[2, true], [6], [3, true]]);
    expect(placeInHouse(beds, family(3, true))?.beds).toEqual(['CR-1-3A', 'CR-1-3B', 'CR-1-3C']);
    expect(placeInHouse(beds, family(5, true))?.rooms).toBe(2);
    expect(placeInHouse(beds, family(6, true))).toBeNull();
    expect(placeInHouse(beds, family(6))?.beds).toHaveLength(6);
  });

  it('answers null when the house cannot take the whole family', () => {
    expect(placeInHouse(house('CR-1', [[2], [1]]), family(4))).toBeNull();
    expect(placeInHouse([], family(1))).toBeNull();
  });

  it('counts every free bed of the house in freePlaces', () => {
    expect(placeInHouse(house('CR-1', [[2, true], [6]]), family(1, true))?.freePlaces).toBe(8);
  });
});

describe('rankPlacements', () => {
  it('orders one-room houses by fewest beds left empty, then most free beds, then code', () => {
    const free = [
      ...house('CR-5', [[4], [4]]), // room of 4: 1 left empty, 8 free
      ...house('CR-4', [[3], [2]]), // room of 3: 0 left empty, 5 free
      ...house('CR-3', [[3], [6]]), // 0 left empty, 9 free
      ...house('CR-2', [[3], [6]]), // 0 left empty, 9 free: before CR-3 by code
      ...house('CR-1', [[2], [2], [2]]), // needs two rooms
      ...house('CR-6', [[1], [1]]), // cannot take 3
    ];
    expect(rankPlacements(free, family(3)).map((o) => o.houseCode)).toEqual([
      'CR-2',
      'CR-3',
      'CR-4',
      'CR-5',
      'CR-1',
    ]);
  });

  it('orders split houses by fewest rooms, then most free beds', () => {
    const free = [
      ...house('CR-1', [[2], [2], [2]]), // three rooms for 5
      ...house('CR-2', [[3], [2]]), // two rooms, 5 free
      ...house('CR-3', [[3], [3], [1]]), // two rooms, 7 free
    ];
    expect(rankPlacements(free, family(5)).map((o) => [o.houseCode, o.rooms])).toEqual([
      ['CR-3', 2],
      ['CR-2', 2],
      ['CR-1', 3],
    ]);
  });

  it('lists nothing when no house can take the family', () => {
    expect(rankPlacements(house('CR-1', [[2]]), family(3))).toEqual([]);
  });
});

describe('rankHouses', () => {
  /** Free beds counted per room, as the admission reads them from the database. */
  function countRooms(beds: FreeBed[]): FreeRoom[] {
    const rooms = new Map<string, FreeRoom>();
    for (const bed of beds) {
      const room = rooms.get(bed.roomId) ?? {
        houseId: bed.houseId,
        houseCode: bed.houseCode,
        roomId: bed.roomId,
        roomPosition: bed.roomPosition,
        wheelchairAccessible: bed.wheelchairAccessible,
        freeBeds: 0,
      };
      room.freeBeds++;
      rooms.set(bed.roomId, room);
    }
    return [...rooms.values()];
  }

  it('ranks houses from room counts exactly as rankPlacements does from beds', () => {
    const roomSizes = fc.array(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.boolean()), {
      minLength: 0,
      maxLength: 8,
    });
    fc.assert(
      fc.property(
        fc.array(roomSizes, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 9 }),
        fc.boolean(),
        (houses, size, wheelchair) => {
          const beds = houses.flatMap((rooms, h) =>
            house(`CR-${String(h).padStart(2, '0')}`, rooms),
          );
          const needs = family(size, wheelchair);
          const fromBeds = rankPlacements(beds, needs).map(
            ({ houseId, freePlaces, rooms, leftInRoom }) => ({
              houseId,
              freePlaces,
              rooms,
              leftInRoom,
            }),
          );
          const fromRooms = rankHouses(countRooms(beds), needs).map(
            ({ houseId, freePlaces, rooms, leftInRoom }) => ({
              houseId,
              freePlaces,
              rooms,
              leftInRoom,
            }),
          );
          expect(fromRooms).toEqual(fromBeds);
        },
      ),
    );
  });

  it('leaves out the houses whose accessible rooms cannot hold a wheelchair user’s family', () => {
    const rooms = countRooms([...house('CR-1', [[6], [2, true]]), ...house('CR-2', [[3, true]])]);
    expect(rankHouses(rooms, family(3, true)).map((r) => r.houseCode)).toEqual(['CR-2']);
    expect(rankHouses(rooms, family(3)).map((r) => r.houseCode)).toEqual(['CR-2', 'CR-1']);
  });
});
