import type { Occupancy } from './stay.repository';
import type { PersonRole } from './stays.types';

/** Beds are given in the family's order: the woman's first. */
export function assignBeds(
  people: { personId: string; role: PersonRole }[],
  beds: string[],
): Occupancy[] {
  return people.map((p, i) => ({ personId: p.personId, role: p.role, bedId: beds[i] }));
}

/** A bed free for the whole stay, as read from the ledger in one query. */
export interface FreeBed {
  houseId: string;
  houseCode: string;
  roomId: string;
  roomPosition: number;
  wheelchairAccessible: boolean;
  bedId: string;
  bedPosition: number;
}

export interface FamilyNeeds {
  size: number;
  wheelchairAccessible: boolean;
}

export interface PlacementOption {
  houseId: string;
  houseCode: string;
  /** Free beds of the house, every room counted. */
  freePlaces: number;
  /** The beds the service would give, in the family's order (the woman's first). */
  beds: string[];
  /** How many rooms the family would be spread over (1 is best). */
  rooms: number;
  /** Beds left empty in the room when the family fits in one room; null otherwise. */
  leftInRoom: number | null;
}

/** A room's free beds, counted: enough to rank houses without reading every bed. */
export interface FreeRoom {
  houseId: string;
  houseCode: string;
  roomId: string;
  roomPosition: number;
  wheelchairAccessible: boolean;
  freeBeds: number;
}

/** How one house would take the family, before any bed is named. */
export interface HouseRank {
  houseId: string;
  houseCode: string;
  freePlaces: number;
  rooms: number;
  leftInRoom: number | null;
}

interface RoomCount {
  position: number;
  free: number;
}

/**
 * Which rooms of one house the family would get, or null when the usable rooms cannot hold
 * them all. A room that holds everyone wins, the tightest fit first so that big rooms stay free
 * for big families; otherwise as few rooms as possible, the fullest-free first. The chosen
 * rooms come back in room order, so that the family sleeps in neighbouring beds.
 */
function chooseRooms<R extends RoomCount>(
  usable: R[],
  size: number,
): { rooms: R[]; leftInRoom: number | null } | null {
  if (usable.reduce((sum, r) => sum + r.free, 0) < size) {
    return null;
  }
  let tightest: R | null = null;
  for (const room of usable) {
    if (
      room.free >= size &&
      (tightest === null ||
        room.free < tightest.free ||
        (room.free === tightest.free && room.position < tightest.position))
    ) {
      tightest = room;
    }
  }
  if (tightest) {
    return { rooms: [tightest], leftInRoom: tightest.free - size };
  }
  const bySize = [...usable].sort((a, b) => b.free - a.free || a.position - b.position);
  const chosen: R[] = [];
  let count = 0;
  for (const room of bySize) {
    if (count >= size) {
      break;
    }
    chosen.push(room);
    count += room.free;
  }
  chosen.sort((a, b) => a.position - b.position);
  return { rooms: chosen, leftInRoom: null };
}

interface Room extends RoomCount {
  roomId: string;
  wheelchairAccessible: boolean;
  beds: FreeBed[];
}

function roomsOf(beds: FreeBed[]): Room[] {
  const rooms = new Map<string, Room>();
  for (const bed of beds) {
    let room = rooms.get(bed.roomId);
    if (!room) {
      room = {
        roomId: bed.roomId,
        position: bed.roomPosition,
        wheelchairAccessible: bed.wheelchairAccessible,
        free: 0,
        beds: [],
      };
      rooms.set(bed.roomId, room);
    }
    room.beds.push(bed);
    room.free++;
  }
  for (const room of rooms.values()) {
    room.beds.sort((a, b) => a.bedPosition - b.bedPosition);
  }
  return [...rooms.values()];
}

/**
 * Where one house would put the family (see chooseRooms), beds taken in room and bed order, or
 * null when it cannot take all of them. A wheelchair user gets accessible rooms only.
 */
export function placeInHouse(houseBeds: FreeBed[], family: FamilyNeeds): PlacementOption | null {
  if (houseBeds.length === 0) {
    return null;
  }
  const { houseId, houseCode } = houseBeds[0];
  const rooms = roomsOf(houseBeds).filter(
    (r) => r.wheelchairAccessible || !family.wheelchairAccessible,
  );
  const plan = chooseRooms(rooms, family.size);
  if (!plan) {
    return null;
  }
  const beds = plan.rooms.flatMap((r) => r.beds).slice(0, family.size);
  return {
    houseId,
    houseCode,
    freePlaces: houseBeds.length,
    beds: beds.map((b) => b.bedId),
    rooms: plan.rooms.length,
    leftInRoom: plan.leftInRoom,
  };
}

function byHouse<T extends { houseId: string }>(items: T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.houseId);
    if (group) {
      group.push(item);
    } else {
      groups.set(item.houseId, [item]);
    }
  }
  return [...groups.values()];
}

/** Best first (API.md): one room before several, by fewest beds left empty in that room; then fewest rooms; then most free beds; then house code. */
function byRank(a: HouseRank, b: HouseRank): number {
  return (
    a.rooms - b.rooms ||
    (a.leftInRoom ?? 0) - (b.leftInRoom ?? 0) ||
    b.freePlaces - a.freePlaces ||
    (a.houseCode < b.houseCode ? -1 : a.houseCode > b.houseCode ? 1 : 0)
  );
}

/** Every house that can take the whole family now, best first, with the beds it would give. */
export function rankPlacements(freeBeds: FreeBed[], family: FamilyNeeds): PlacementOption[] {
  const options: PlacementOption[] = [];
  for (const beds of byHouse(freeBeds)) {
    const option = placeInHouse(beds, family);
    if (option) {
      options.push(option);
    }
  }
  return options.sort(byRank);
}

/**
 * The same order as rankPlacements, from free beds counted per room: what an admission needs to
 * decide which house to try first, without reading every free bed of a national network.
 */
export function rankHouses(freeRooms: FreeRoom[], family: FamilyNeeds): HouseRank[] {
  const ranks: HouseRank[] = [];
  for (const rooms of byHouse(freeRooms)) {
    const usable = rooms
      .filter((r) => r.wheelchairAccessible || !family.wheelchairAccessible)
      .map((r) => ({ position: r.roomPosition, free: r.freeBeds }));
    const plan = chooseRooms(usable, family.size);
    if (plan) {
      ranks.push({
        houseId: rooms[0].houseId,
        houseCode: rooms[0].houseCode,
        freePlaces: rooms.reduce((sum, r) => sum + r.freeBeds, 0),
        rooms: plan.rooms.length,
        leftInRoom: plan.leftInRoom,
      });
    }
  }
  return ranks.sort(byRank);
}
