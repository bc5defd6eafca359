import fc from 'fast-check';
import { DateTime } from 'luxon';
import { atAdmissionTimeOfDay, stayTerms } from './stay-clock';

const BOGOTA = { zone: 'America/Bogota', termMonths: 4, maxExtensionMonths: 2 };

function iso(date: Date, zone = 'America/Bogota'): string {
  return DateTime.fromJSDate(date).setZone(zone).toISO({ suppressMilliseconds: true }) as string;
}

function withProcessTimeZone<T>(zone: string, fn: () => T): T {
  const previous = process.env.TZ;
  process.env.TZ = zone;
  try {
    return fn();
  } finally {
    process.env.TZ = previous;
  }
}

describe('stayTerms (4 + 2 calendar months in TZ_SERVICE)', () => {
  it.each([
    // 31 Oct + 4 months clamps to the end of February; + 6 clamps to 30 April.
    ['2026-10-31T10:00:00-05:00', '2027-02-28T10:00:00-05:00', '2027-04-30T10:00:00-05:00'],
    // The same day in a leap year ends on 29 February.
    ['2027-10-31T10:00:00-05:00', '2028-02-29T10:00:00-05:00', '2028-04-30T10:00:00-05:00'],
    // Admitted on 29 February.
    ['2028-02-29T08:15:00-05:00', '2028-06-29T08:15:00-05:00', '2028-08-29T08:15:00-05:00'],
    // 22:00 in Bogotá is already the next day in UTC: months count from the Bogotá date.
    ['2026-11-30T22:00:00-05:00', '2027-03-30T22:00:00-05:00', '2027-05-30T22:00:00-05:00'],
    ['2026-10-31T23:59:59-05:00', '2027-02-28T23:59:59-05:00', '2027-04-30T23:59:59-05:00'],
  ])('admitted %s: term ends %s, at most %s', (admitted, term, max) => {
    const terms = stayTerms(new Date(admitted), BOGOTA);
    expect(iso(terms.termEndsAt)).toBe(term);
    expect(iso(terms.maxEndsAt)).toBe(max);
  });

  it('gives the same instants whatever the process time zone', () => {
    const admitted = new Date('2026-11-30T22:00:00-05:00');
    const results = ['UTC', 'America/Bogota', 'Asia/Tokyo', 'Pacific/Kiritimati'].map((zone) =>
      withProcessTimeZone(zone, () => {
        const terms = stayTerms(admitted, BOGOTA);
        return [terms.termEndsAt.toISOString(), terms.maxEndsAt.toISOString()];
      }),
    );
    expect(results[0]).toEqual(['2027-03-31T03:00:00.000Z', '2027-05-31T03:00:00.000Z']);
    for (const result of results) {
      expect(result).toEqual(results[0]);
    }
  });

  const instants = fc
    .integer({
      min: Date.parse('1990-01-01T00:00:00Z'),
      max: Date.parse('2090-12-31T00:00:00Z'),
    })
    .map((ms) => new Date(ms));

  it('adds exactly N calendar months, keeping the time of day and clamping the day', () => {
    fc.assert(
      fc.property(
        instants,
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 0, max: 24 }),
        (admitted, term, extension) => {
          const settings = {
            ...BOGOTA,
            termMonths: term,
            maxExtensionMonths: extension,
          };
          const { termEndsAt, maxEndsAt } = stayTerms(admitted, settings);
          const start = DateTime.fromJSDate(admitted).setZone('America/Bogota');
          for (const [end, months] of [
            [termEndsAt, term],
            [maxEndsAt, term + extension],
          ] as const) {
            const local = DateTime.fromJSDate(end).setZone('America/Bogota');
            expect(local.year * 12 + local.month - (start.year * 12 + start.month)).toBe(months);
            expect(local.day).toBe(Math.min(start.day, local.daysInMonth as number));
            expect(local.toFormat('HH:mm:ss.SSS')).toBe(start.toFormat('HH:mm:ss.SSS'));
          }
          expect(admitted.getTime()).toBeLessThan(termEndsAt.getTime());
          expect(termEndsAt.getTime()).toBeLessThanOrEqual(maxEndsAt.getTime());
        },
      ),
    );
  });

  it('does not depend on the process time zone (UTC vs America/Bogota)', () => {
    fc.assert(
      fc.property(instants, (admitted) => {
        const inUtc = withProcessTimeZone('UTC', () => stayTerms(admitted, BOGOTA));
        const inBogota = withProcessTimeZone('America/Bogota', () => stayTerms(admitted, BOGOTA));
        expect(inBogota.termEndsAt.getTime()).toBe(inUtc.termEndsAt.getTime());
        expect(inBogota.maxEndsAt.getTime()).toBe(inUtc.maxEndsAt.getTime());
      }),
      { numRuns: 200 },
    );
  });
});

describe('an extension’s end in TZ_SERVICE', () => {
  it('puts an extension date at the admission time of day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2000-01-01'), max: Date.parse('2080-01-01') }),
        fc.integer({ min: 0, max: 3000 }),
        (admittedMs, offsetDays) => {
          const admitted = new Date(admittedMs);
          const date = DateTime.fromMillis(admittedMs, { zone: 'America/Bogota' })
            .plus({ days: offsetDays })
            .toISODate() as string;
          const end = DateTime.fromJSDate(
            atAdmissionTimeOfDay(date, admitted, 'America/Bogota'),
          ).setZone('America/Bogota');
          expect(end.toISODate()).toBe(date);
          expect(end.toFormat('HH:mm:ss.SSS')).toBe(
            DateTime.fromJSDate(admitted).setZone('America/Bogota').toFormat('HH:mm:ss.SSS'),
          );
        },
      ),
    );
  });
});
