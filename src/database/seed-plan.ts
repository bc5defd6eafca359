export interface SeedRoom {
  name: string;
  beds: number;
  wheelchairAccessible: boolean;
}

/** Bed counts cycled to fill a house: mostly family rooms of 3-4, a few of 2 and of 6. */
const ROOM_SIZES = [4, 3, 4, 6, 3, 4, 2, 4, 3, 4, 3, 2];

/**
 * Rooms for a house of `places` beds. The last room takes what is left; a single bed left over
 * joins the room before it, since nobody lives alone in a room built for a family.
 * The first two rooms are on the ground floor and wheelchair-accessible.
 */
export function planRooms(places: number): SeedRoom[] {
  const sizes: number[] = [];
  let left = places;
  for (let i = 0; left > 0; i++) {
    const size = Math.min(ROOM_SIZES[i % ROOM_SIZES.length], left);
    sizes.push(size);
    left -= size;
  }
  if (sizes.length > 1 && sizes[sizes.length - 1] === 1) {
    sizes.pop();
    sizes[sizes.length - 1] += 1;
  }
  return sizes.map((beds, i) => ({
    name: `Habitación ${i + 1}`,
    beds,
    wheelchairAccessible: i < 2,
  }));
}

/** Bed labels inside a room: 1A, 1B, … */
export function bedLabel(roomNumber: number, bedIndex: number): string {
  return `${roomNumber}${String.fromCharCode(65 + bedIndex)}`;
}
