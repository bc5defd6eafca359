import { OCCUPANCY_DAYS_LOCK } from '../src/occupancy/occupancy.repository';
import { REPORT_DAYS_LOCK } from '../src/reports/reports.repository';
import { useTestApp } from './helpers/test-app';

type Day = { date: string; occupied: number; capacity: number };

describe('Occupancy history: closed days stored once counted, corrections forget them', () => {
  const t = useTestApp();
  let houses: { id: string; code: string }[];

  beforeAll(async () => {
    houses = await t.houses();
  });

  async function history(from: string, to: string, houseId?: string): Promise<Day[]> {
    const house = houseId ? `&houseId=${houseId}` : '';
    const response = await t
      .as(t.officer)
      .get(`/api/v1/occupancy/history?from=${from}&to=${to}${house}`)
      .expect(200);
    return response.body.days;
  }

  const storedDays = (scope: string): Promise<number> =>
    t.count('SELECT count(*) FROM occupancy_days WHERE scope = $1', [scope]);

  const occupiedOn = (days: Day[], date: string) => days.find((d) => d.date === date)?.occupied;

  it('answers closed days from the stored figures, and a back-dated admission corrects them', async () => {
    const house = houses[1];
    const stay = await t.admit({
      houseId: house.id,
      admittedAt: '2025-06-10T09:00:00-05:00',
      dependants: 2,
    });
    await t.egress(stay.id, { reason: 'voluntary', exitedAt: '2025-06-20T09:00:00-05:00' });

    const first = await history('2025-06-01', '2025-06-30', house.id);
    expect(first).toHaveLength(30);
    expect(occupiedOn(first, '2025-06-09')).toBe(0);
    expect(occupiedOn(first, '2025-06-10')).toBe(3);
    expect(occupiedOn(first, '2025-06-19')).toBe(3);
    expect(occupiedOn(first, '2025-06-20')).toBe(0);
    expect(await storedDays(house.id)).toBe(30);

    // The second answer is read from the table: a figure changed there shows.
    await t.dataSource.query(
      `UPDATE occupancy_days SET occupied = 99 WHERE scope = $1 AND day = '2025-06-25'`,
      [house.id],
    );
    expect(occupiedOn(await history('2025-06-01', '2025-06-30', house.id), '2025-06-25')).toBe(99);

    // A correction in the past forgets the stored days from its instant on.
    await t.admit({ houseId: house.id, admittedAt: '2025-06-15T09:00:00-05:00' });
    const corrected = await history('2025-06-01', '2025-06-30', house.id);
    expect(occupiedOn(corrected, '2025-06-14')).toBe(3);
    expect(occupiedOn(corrected, '2025-06-15')).toBe(4);
    expect(occupiedOn(corrected, '2025-06-20')).toBe(1);
    expect(occupiedOn(corrected, '2025-06-25')).toBe(1);
  });

  it('forgets the network’s stored days and the corrected house’s, not the other houses’', async () => {
    const [changed, untouched] = [houses[2], houses[3]];
    const before = await history('2025-07-01', '2025-07-10');
    await history('2025-07-01', '2025-07-10', changed.id);
    await history('2025-07-01', '2025-07-10', untouched.id);
    const network = '00000000-0000-0000-0000-000000000000';
    expect(await storedDays(network)).toBe(10);

    const stay = await t.admit({
      houseId: changed.id,
      admittedAt: '2025-07-05T12:00:00-05:00',
      dependants: 1,
    });
    await t.egress(stay.id, { reason: 'voluntary', exitedAt: '2025-07-08T12:00:00-05:00' });
    // Forgotten from the day the admission reached back to (the day before, for safety).
    expect(await storedDays(changed.id)).toBeLessThanOrEqual(4);
    expect(await storedDays(network)).toBeLessThanOrEqual(4);
    expect(await storedDays(untouched.id)).toBe(10);

    const added = [0, 0, 0, 0, 2, 2, 2, 0, 0, 0];
    const after = await history('2025-07-01', '2025-07-10');
    expect(after.map((d) => d.occupied)).toEqual(before.map((d, i) => d.occupied + added[i]));
    const house = await history('2025-07-01', '2025-07-10', changed.id);
    expect(house.map((d) => d.occupied)).toEqual(added);
  });

  it('counts only the days missing from the store, such as the days closed since the last request', async () => {
    const house = houses[0];
    await history('2025-09-01', '2025-09-30', house.id);
    expect(await storedDays(house.id)).toBe(30);
    // Two days never stored, and a stored figure changed by hand to see what is kept.
    await t.dataSource.query(
      `DELETE FROM occupancy_days WHERE scope = $1 AND day IN ('2025-09-20', '2025-09-22')`,
      [house.id],
    );
    await t.dataSource.query(
      `UPDATE occupancy_days SET occupied = 77 WHERE scope = $1 AND day IN ('2025-09-19', '2025-09-21', '2025-09-23')`,
      [house.id],
    );
    const days = await history('2025-09-01', '2025-09-30', house.id);
    expect(days.map((d) => d.date)).toEqual(
      Array.from({ length: 30 }, (_, i) => `2025-09-${String(i + 1).padStart(2, '0')}`),
    );
    // Outside the missing span the stored figures are kept; inside it, counted again.
    expect(occupiedOn(days, '2025-09-19')).toBe(77);
    expect(occupiedOn(days, '2025-09-21')).toBe(0);
    expect(occupiedOn(days, '2025-09-23')).toBe(77);
    expect(await storedDays(house.id)).toBe(30);
  });

  it('makes a fill wait for a correction in flight, so that it stores what was committed', async () => {
    const house = houses[4];
    const [bed] = await t.dataSource.query<{ id: string }[]>(
      `SELECT b.id FROM beds b
       WHERE b.house_id = $1 AND NOT EXISTS (SELECT 1 FROM stay_occupants o WHERE o.bed_id = b.id)
       ORDER BY b.id LIMIT 1`,
      [house.id],
    );
    const correction = t.dataSource.createQueryRunner();
    await correction.connect();
    await correction.startTransaction();
    try {
      // The bed was only added on 5 August 2025: capacity before that day was 41.
      await correction.query(`UPDATE beds SET available_from = $2 WHERE id = $1`, [
        bed.id,
        '2025-08-05T08:00:00-05:00',
      ]);
      let settled = false;
      const fill = history('2025-08-01', '2025-08-10', house.id).finally(() => {
        settled = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(settled).toBe(false);
      await correction.commitTransaction();

      const capacities = (await fill).map((d) => d.capacity);
      expect(capacities).toEqual([41, 41, 41, 41, 42, 42, 42, 42, 42, 42]);
      expect((await history('2025-08-01', '2025-08-10', house.id)).map((d) => d.capacity)).toEqual(
        capacities,
      );
    } finally {
      if (correction.isTransactionActive) {
        await correction.rollbackTransaction();
      }
      await correction.release();
    }
  });

  it('lets admissions and egresses at the present run while a fill holds the lock', async () => {
    // Fills of the occupancy days and of the report's days alike.
    const filler = t.dataSource.createQueryRunner();
    await filler.connect();
    await filler.query('SELECT pg_advisory_lock($1), pg_advisory_lock($2)', [
      OCCUPANCY_DAYS_LOCK,
      REPORT_DAYS_LOCK,
    ]);
    try {
      const work = (async () => {
        const stay = await t.admit({ houseId: houses[0].id, dependants: 1 });
        await t.egress(stay.id);
        return 'done';
      })();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise((resolve) => {
        timer = setTimeout(() => resolve('blocked'), 10_000);
      });
      expect(await Promise.race([work, timeout])).toBe('done');
      clearTimeout(timer);
    } finally {
      await filler.query('SELECT pg_advisory_unlock($1), pg_advisory_unlock($2)', [
        OCCUPANCY_DAYS_LOCK,
        REPORT_DAYS_LOCK,
      ]);
      await filler.release();
    }
  });
});
