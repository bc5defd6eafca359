import fc from 'fast-check';
import { median } from '../../src/reports/reports.repository';
import { createServiceContext, ServiceContext } from '../helpers/service-context';

/**
 * The report's median over stored days (sorted arrays, bisected by binary search in each) equals
 * percentile_cont(0.5) over every value, to the bit: with more values than it sorts at once
 * (10,000), with ties (whole hours) and without (stay lengths), odd and even counts, empty days.
 */
describe("Reports' median of sorted per-day arrays", () => {
  let ctx: ServiceContext;

  beforeAll(async () => {
    ctx = await createServiceContext({ env: { APP_ROLE: 'api' } });
  });
  afterAll(() => ctx.close());

  it('equals percentile_cont(0.5) over all the values', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40_000 }),
        fc.integer({ min: 1, max: 400 }),
        fc.constantFrom(0, 1, 24 * 365),
        fc.integer(),
        async (count, days, wholeUpTo, seed) => {
          // Values drawn in SQL (setseed: the same run replays), spread over `days` arrays;
          // wholeUpTo > 0 draws whole numbers up to it (ties), 0 fractions of days.
          const [row] = await ctx.dataSource.query<{ got: number | null; want: number | null }[]>(
            `WITH seeded AS (SELECT setseed($4::float8)),
             vals AS (
               SELECT (random() * $2::int)::int AS day,
                      CASE WHEN $3::int > 0 THEN floor(random() * $3::int) ELSE random() * 200 END AS v
               FROM seeded, generate_series(1, $1::int)
             ), days AS (
               SELECT array_agg(v ORDER BY v) FILTER (WHERE v IS NOT NULL) AS a
               FROM generate_series(0, $2::int) d LEFT JOIN vals ON vals.day = d GROUP BY d
             ), days_filled AS (SELECT coalesce(a, '{}') AS a FROM days)
             SELECT (WITH days AS (SELECT * FROM days_filled) SELECT ${median('a')}) AS got,
                    (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v) FROM vals) AS want`,
            [count, days, wholeUpTo, (seed % 1000) / 1000],
          );
          expect(row.got).toBe(row.want);
        },
      ),
      { numRuns: 25 },
    );
  });
});
