/**
 * The timeline of the synthetic national network, planned in memory before it is loaded.
 *
 * Each room hosts one family at a time, so every bed's history is a sequence of non-overlapping
 * intervals by construction and a family always takes adjacent beds (positions 1…size) of one
 * room. A transfer joins a family's stay in room r of house A to the slot that starts, while it
 * is still there, in room r of the paired house B (every house has the same rooms, so the family
 * fits): the family leaves A exactly when it enters B and nothing overlaps.
 */

export const DAY_MS = 86_400_000;
/** Longer than any stay may last: the term (4 months) plus the maximum extension (2 months). */
export const MAX_STAY_DAYS = 175;
const TRANSFER_PROBABILITY = 0.012;
const ACTIVE_ROOM_PROBABILITY = 0.8;

export type EgressReason =
  'term_completed' | 'voluntary' | 'transferred_out' | 'rule_breach' | 'other';

export interface PlanRoom {
  id: string;
  beds: number;
}

export interface PlanHouse {
  id: string;
  rooms: PlanRoom[];
}

export interface PlannedStay {
  /** House and room where the family was admitted. */
  houseId: string;
  roomId: string;
  admittedAt: number;
  /** Set when the family moved to `toHouseId`/`toRoomId` at this instant. */
  movedAt: number | null;
  toHouseId: string | null;
  toRoomId: string | null;
  exitedAt: number | null;
  familySize: number;
  egressReason: EgressReason | null;
  extended: boolean;
}

/** A small, fast, seedable generator (mulberry32): the same options give the same data. */
export function randomGenerator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Family sizes 1-6, mostly a woman with one or two children. */
const FAMILY_SIZE_WEIGHTS = [0.2, 0.3, 0.25, 0.15, 0.06, 0.04];

function familySize(random: () => number, roomBeds: number): number {
  let u = random();
  for (let size = 1; size <= FAMILY_SIZE_WEIGHTS.length; size++) {
    u -= FAMILY_SIZE_WEIGHTS[size - 1];
    if (u <= 0) {
      return Math.min(size, roomBeds);
    }
  }
  return Math.min(FAMILY_SIZE_WEIGHTS.length, roomBeds);
}

/** Raw length of a stay in days: many short emergency stays, some of months. */
function rawDuration(random: () => number): number {
  const u = random();
  if (u < 0.55) {
    return 1 - 7 * Math.log(1 - random());
  }
  if (u < 0.9) {
    return 20 + 70 * random();
  }
  return 100 + 75 * random();
}

function egressReason(random: () => number, days: number): EgressReason {
  if (days >= 118) {
    return 'term_completed';
  }
  const u = random();
  if (u < 0.7) {
    return 'voluntary';
  }
  if (u < 0.85) {
    return 'transferred_out';
  }
  return u < 0.93 ? 'rule_breach' : 'other';
}

interface Slot {
  houseId: string;
  roomId: string;
  start: number;
  end: number | null;
  size: number;
  used: boolean;
}

/** `n` stays of one room between `startMs` and `nowMs`; the last one may still be active. */
function roomTimeline(
  random: () => number,
  house: PlanHouse,
  room: PlanRoom,
  n: number,
  startMs: number,
  nowMs: number,
): Slot[] {
  const durations = Array.from({ length: n }, () => rawDuration(random));
  const gaps = Array.from({ length: n }, () => 0.5 - 3 * Math.log(1 - random()));
  const active = n > 0 && random() < ACTIVE_ROOM_PROBABILITY;
  let raw = durations.reduce((s, d) => s + d, 0) + gaps.reduce((s, g) => s + g, 0);
  if (active) {
    // The last family is still there: its stay crosses "now".
    raw -= durations[n - 1] * (0.2 + 0.7 * random());
  }
  const scale = (nowMs - startMs) / DAY_MS / raw;
  const slots: Slot[] = [];
  let t = startMs;
  for (let i = 0; i < n; i++) {
    t += gaps[i] * scale * DAY_MS;
    const start = Math.round(t);
    const days = Math.min(MAX_STAY_DAYS, Math.max(0.05, durations[i] * scale));
    const end = Math.round(start + days * DAY_MS);
    if (start >= nowMs) {
      break;
    }
    slots.push({
      houseId: house.id,
      roomId: room.id,
      start,
      end: end >= nowMs ? null : end,
      size: familySize(random, room.beds),
      used: false,
    });
    if (end >= nowMs) {
      break;
    }
    t = end;
  }
  return slots;
}

/**
 * The stays of a group of houses: `staysPerRoom(roomIndexInNetwork)` of them in each room,
 * over `[startMs, nowMs)`. Houses are paired in order (0 with 1, 2 with 3…) for transfers.
 */
export function planStays(
  houses: PlanHouse[],
  staysOfRoom: (house: number, room: number) => number,
  startMs: number,
  nowMs: number,
  seed: number,
): PlannedStay[] {
  const random = randomGenerator(seed);
  const timelines = houses.map((house, h) =>
    house.rooms.map((room, r) =>
      roomTimeline(random, house, room, staysOfRoom(h, r), startMs, nowMs),
    ),
  );
  const stays: PlannedStay[] = [];
  const finish = (origin: Slot, destination: Slot | null): void => {
    const last = destination ?? origin;
    const days = ((last.end ?? nowMs) - origin.start) / DAY_MS;
    stays.push({
      houseId: origin.houseId,
      roomId: origin.roomId,
      admittedAt: origin.start,
      movedAt: destination ? destination.start : null,
      toHouseId: destination ? destination.houseId : null,
      toRoomId: destination ? destination.roomId : null,
      exitedAt: last.end,
      familySize: origin.size,
      egressReason: last.end === null ? null : egressReason(random, days),
      extended: days > 118 || random() < 0.03,
    });
  };

  for (let h = 0; h + 1 < houses.length; h += 2) {
    houses[h].rooms.forEach((room, r) => {
      const from = timelines[h][r];
      const to = timelines[h + 1][r];
      if (houses[h + 1].rooms[r]?.beds !== room.beds) {
        return;
      }
      let j = 0;
      for (const x of from) {
        while (j < to.length && to[j].start <= x.start) {
          j++;
        }
        const y = to[j];
        if (!y || y.used || (x.end !== null && y.start >= x.end)) {
          continue;
        }
        if (
          ((y.end ?? nowMs) - x.start) / DAY_MS > MAX_STAY_DAYS ||
          random() >= TRANSFER_PROBABILITY
        ) {
          continue;
        }
        x.used = true;
        y.used = true;
        // y's own family never existed: its slot is the transferred family's.
        finish(x, y);
      }
    });
  }
  for (const house of timelines) {
    for (const room of house) {
      for (const slot of room) {
        if (!slot.used) {
          finish(slot, null);
        }
      }
    }
  }
  return stays;
}
