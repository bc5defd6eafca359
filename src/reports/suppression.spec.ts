import fc from 'fast-check';
import { CellGroup, suppressSmallCounts } from './suppression';

const MIN = 5;

describe('suppressSmallCounts', () => {
  it('withholds counts from 1 to REPORT_MIN_CELL - 1 and keeps 0 and larger counts', () => {
    const result = suppressSmallCounts(
      { counts: { a: 0, b: 1, c: 4, d: 5, e: 120 }, groups: [], measures: {} },
      MIN,
    );
    expect(result.values).toEqual({ a: 0, b: null, c: null, d: 5, e: 120 });
    expect(result.suppressed).toEqual(['b', 'c']);
  });

  it('withholds the next smallest cell of a group when only one was withheld', () => {
    const result = suppressSmallCounts(
      {
        counts: { 'exits.voluntary': 3, 'exits.other': 9, 'exits.term_completed': 40 },
        groups: [{ cells: ['exits.voluntary', 'exits.other', 'exits.term_completed'] }],
        measures: {},
      },
      MIN,
    );
    expect(result.values).toEqual({
      'exits.voluntary': null,
      'exits.other': null,
      'exits.term_completed': 40,
    });
    expect(result.suppressed).toEqual(['exits.voluntary', 'exits.other']);
  });

  it('withholds a zero as the second cell when every other sibling is zero', () => {
    const result = suppressSmallCounts(
      { counts: { total: 7, 'x.a': 2, 'x.b': 0, 'x.c': 5 }, groups: [], measures: {} },
      MIN,
    );
    expect(result.values['x.a']).toBeNull();
    const grouped = suppressSmallCounts(
      {
        counts: { total: 7, 'x.a': 2, 'x.b': 0, 'x.c': 5 },
        groups: [{ cells: ['x.a', 'x.b', 'x.c'], total: 'total' }],
        measures: {},
      },
      MIN,
    );
    expect(grouped.values).toEqual({ total: 7, 'x.a': null, 'x.b': null, 'x.c': 5 });
  });

  it('withholds rates and medians computed from fewer than REPORT_MIN_CELL people', () => {
    const result = suppressSmallCounts(
      {
        counts: {},
        groups: [],
        measures: { median: { value: 12.5, base: 4 }, rate: { value: 0.8, base: 5 } },
      },
      MIN,
    );
    expect(result.values).toEqual({ median: null, rate: 0.8 });
    expect(result.suppressed).toEqual(['median']);
  });

  /**
   * The attacker knows the published cells, the published total and the rule: every withheld
   * cell is a whole number from 0 to what the total leaves. A withheld cell is recovered when
   * only one value is consistent with all that.
   */
  it('never lets a withheld cell be recovered from the published total and siblings', () => {
    const groupArb = fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.nat(40)), {
      minLength: 2,
      maxLength: 5,
    });
    fc.assert(
      fc.property(fc.array(groupArb, { minLength: 1, maxLength: 3 }), (groupValues) => {
        const counts: Record<string, number> = {};
        const groups: CellGroup[] = [];
        groupValues.forEach((values, g) => {
          const cells = values.map((v, i) => {
            counts[`g${g}.c${i}`] = v;
            return `g${g}.c${i}`;
          });
          counts[`g${g}.total`] = values.reduce((a, b) => a + b, 0);
          groups.push({ cells, total: `g${g}.total` });
        });
        const { values } = suppressSmallCounts({ counts, groups, measures: {} }, MIN);

        for (const group of groups) {
          const total = values[group.total as string];
          const hidden = group.cells.filter((c) => values[c] === null);
          if (hidden.length === 0) {
            continue;
          }
          if (total === null) {
            // Unknown total: every withheld cell may be anything from 0 upwards.
            continue;
          }
          const rest = total - group.cells.reduce((sum, c) => sum + (values[c] ?? 0), 0);
          for (const cell of hidden) {
            const possible = feasibleValues(hidden.length, rest);
            expect(possible.size).toBeGreaterThan(1);
            expect(possible.has(counts[cell])).toBe(true);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('publishes every count unchanged when none is small', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: MIN, max: 1000 }), { maxLength: 8 }), (values) => {
        const counts = Object.fromEntries(values.map((v, i) => [`c${i}`, v]));
        const result = suppressSmallCounts(
          { counts, groups: [{ cells: Object.keys(counts) }], measures: {} },
          MIN,
        );
        expect(result.values).toEqual(counts);
        expect(result.suppressed).toEqual([]);
      }),
    );
  });
});

/**
 * The values one of `k` withheld cells can take when together they add up to `rest`, each a
 * whole number of at least 0: by enumeration over the other cells, not by formula.
 */
function feasibleValues(k: number, rest: number): Set<number> {
  const possible = new Set<number>();
  const walk = (left: number, remaining: number, first: number | null): void => {
    if (left === 0) {
      if (remaining === 0 && first !== null) {
        possible.add(first);
      }
      return;
    }
    for (let v = 0; v <= remaining; v++) {
      walk(left - 1, remaining - v, first ?? v);
    }
  };
  walk(k, rest, null);
  return possible;
}
