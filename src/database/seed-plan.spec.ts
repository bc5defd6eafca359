import { bedLabel, planRooms } from './seed-plan';

describe('planRooms', () => {
  it('puts 42 places in several family rooms of 2 to 6 beds', () => {
    const rooms = planRooms(42);
    expect(rooms.reduce((sum, r) => sum + r.beds, 0)).toBe(42);
    expect(rooms.length).toBeGreaterThanOrEqual(8);
    expect(rooms.every((r) => r.beds >= 2 && r.beds <= 6)).toBe(true);
    expect(rooms.filter((r) => r.beds === 3 || r.beds === 4).length).toBeGreaterThan(
      rooms.length / 2,
    );
    expect(rooms.some((r) => r.wheelchairAccessible)).toBe(true);
    expect(rooms.some((r) => !r.wheelchairAccessible)).toBe(true);
  });

  it.each([1, 2, 5, 13, 41, 43, 100])('never leaves a lone bed in a room when %i places', (n) => {
    const rooms = planRooms(n);
    expect(rooms.reduce((sum, r) => sum + r.beds, 0)).toBe(n);
    if (n > 1) {
      expect(rooms.every((r) => r.beds >= 2)).toBe(true);
    }
  });

  it('labels beds by room number and letter', () => {
    expect(bedLabel(3, 0)).toBe('3A');
    expect(bedLabel(12, 5)).toBe('12F');
  });
});
