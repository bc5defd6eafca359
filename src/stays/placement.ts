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

interface Room {
  roomId: string;
  position: number;
  beds: FreeBed[];
}

function roomsOf(beds: FreeBed[]): Room[] {
  const rooms = new Map<string, Room>();
  for (const bed of beds) {
    let room = rooms.get(bed.roomId);
    if (!room) {
      room = { roomId: bed.roomId, position: bed.roomPosition, beds: [] };
      rooms.set(bed.roomId, room);
    }
    room.beds.push(bed);
  }
  for (const room of rooms.values()) {
    room.beds.sort((a, b) => a.bedPosition - b.bedPosition);
  }
  return [...rooms.values()].sort((a, b) => a.position - b.position);
}

/**
 * Where one house would put the family, or null when it cannot take all of them. A room that
 * holds everyone wins, the tightest fit first so that big rooms stay free for big families;
 * otherwise as few rooms as possible, the fullest-free first, beds taken in room order so that
 * the family sleeps in neighbouring beds.
 */
export function placeInHouse(houseBeds: FreeBed[], family: FamilyNeeds): PlacementOption | null {
  if (houseBeds.length === 0) {
    return null;
  }
  const { houseId, houseCode } = houseBeds[0];
  const usable = family.wheelchairAccessible
    ? houseBeds.filter((b) => b.wheelchairAccessible)
    : houseBeds;
  if (usable.length < family.size) {
    return null;
  }
  const rooms = roomsOf(usable);
  const base = { houseId, houseCode, freePlaces: houseBeds.length };

  const fitting = rooms
    .filter((r) => r.beds.length >= family.size)
    .sort((a, b) => a.beds.length - b.beds.length || a.position - b.position);
  if (fitting.length > 0) {
    const room = fitting[0];
    return {
      ...base,
      beds: room.beds.slice(0, family.size).map((b) => b.bedId),
      rooms: 1,
      leftInRoom: room.beds.length - family.size,
    };
  }

  const bySize = [...rooms].sort(
    (a, b) => b.beds.length - a.beds.length || a.position - b.position,
  );
  const chosen: Room[] = [];
  let count = 0;
  for (const room of bySize) {
    if (count >= family.size) {
      break;
    }
    chosen.push(room);
    count += room.beds.length;
  }
  chosen.sort((a, b) => a.position - b.position);
  const beds = chosen.flatMap((r) => r.beds).slice(0, family.size);
  return { ...base, beds: beds.map((b) => b.bedId), rooms: chosen.length, leftInRoom: null };
}

/**
 * Every house that can take the whole family now, best first (API.md): one room before
 * several, by fewest beds left empty in that room; then fewest rooms; then most free beds;
 * then house code.
 */
export function rankPlacements(freeBeds: FreeBed[], family: FamilyNeeds): PlacementOption[] {
  const byHouse = new Map<string, FreeBed[]>();
  for (const bed of freeBeds) {
    const list = byHouse.get(bed.houseId) ?? [];
    list.push(bed);
    byHouse.set(bed.houseId, list);
  }
  const options: PlacementOption[] = [];
  for (const beds of byHouse.values()) {
    const option = placeInHouse(beds, family);
    if (option) {
      options.push(option);
    }
  }
  return options.sort(
    (a, b) =>
      a.rooms - b.rooms ||
      (a.leftInRoom ?? 0) - (b.leftInRoom ?? 0) ||
      b.freePlaces - a.freePlaces ||
      (a.houseCode < b.houseCode ? -1 : a.houseCode > b.houseCode ? 1 : 0),
  );
}
