/**
 * Small-count suppression for published indicators (rendición de cuentas). Pure, so that the
 * rule can be checked on its own (suppression.spec.ts) and the same function serves JSON, CSV
 * and Excel.
 */

/** Cells of one breakdown (exits by reason, attentions by kind…) and, when published, their sum. */
export interface CellGroup {
  cells: string[];
  /** Path of the published total these cells add up to, if any. */
  total?: string;
}

/** A rate or median: published only when computed from at least the minimum of people. */
export interface Measure {
  value: number | null;
  /** How many people (or stays) it was computed from. */
  base: number;
}

export interface SuppressionInput {
  /** Every count of people, families or events, by path (`exits.voluntary`). */
  counts: Record<string, number>;
  groups: CellGroup[];
  measures: Record<string, Measure>;
}

export interface SuppressionResult {
  values: Record<string, number | null>;
  /** Paths whose value was withheld, in the order of the input. */
  suppressed: string[];
}

/**
 * Counts from 1 to `minCell - 1` become null (primary suppression). In each group where that
 * leaves exactly one cell withheld, the smallest published cell of the group is withheld too
 * (complementary suppression), repeated until no group has a lone withheld cell, so that
 * neither the total nor the siblings give a withheld cell away. A zero can be that second cell:
 * showing it would let the total reveal the first one. Measures over fewer than `minCell`
 * people become null.
 */
export function suppressSmallCounts(input: SuppressionInput, minCell: number): SuppressionResult {
  const withheld = new Set<string>();
  for (const [path, value] of Object.entries(input.counts)) {
    if (value >= 1 && value < minCell) {
      withheld.add(path);
    }
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (const group of input.groups) {
      const hidden = group.cells.filter((c) => withheld.has(c));
      if (hidden.length !== 1) {
        continue;
      }
      const shown = group.cells.filter((c) => !withheld.has(c));
      if (shown.length === 0) {
        continue;
      }
      const next = shown.reduce((a, b) => (input.counts[b] < input.counts[a] ? b : a));
      withheld.add(next);
      changed = true;
    }
  }
  const values: Record<string, number | null> = {};
  const suppressed: string[] = [];
  for (const [path, value] of Object.entries(input.counts)) {
    values[path] = withheld.has(path) ? null : value;
    if (withheld.has(path)) {
      suppressed.push(path);
    }
  }
  for (const [path, measure] of Object.entries(input.measures)) {
    const hide = measure.value !== null && measure.base < minCell;
    values[path] = hide ? null : measure.value;
    if (hide) {
      suppressed.push(path);
    }
  }
  return { values, suppressed };
}
