import { DateTime, Duration } from 'luxon';

export interface PlannedFollowUp {
  sequence: number;
  offset: string;
  dueAt: Date;
}

/**
 * One follow-up per offset after egress. Offsets are added in TZ_SERVICE, so a month is a
 * calendar month there and the end of a month clamps (Jan 31 + P1M = Feb 28/29).
 */
export function planFollowUps(
  exitedAt: Date,
  offsets: readonly Duration[],
  zone: string,
): PlannedFollowUp[] {
  const start = DateTime.fromJSDate(exitedAt).setZone(zone);
  return offsets.map((offset, index) => ({
    sequence: index + 1,
    offset: offset.toISO() ?? '',
    dueAt: start.plus(offset).toJSDate(),
  }));
}

export type TermAlertKind = 'term_ending_soon' | 'term_ends' | 'term_overdue';

export interface PlannedTermAlert {
  kind: TermAlertKind;
  dueAt: Date;
}

/** How long before the term the house is told it ends soon. */
export const TERM_ENDING_SOON_DAYS = 14;
/**
 * A stay is overdue when it is still active one day (24 hours) after its term: the alert at
 * the term itself already asked for egress or an extension; this one says neither happened.
 */
export const TERM_OVERDUE_AFTER_DAYS = 1;

/**
 * The alerts for a term. An alert already overtaken by a later one that is also in the past
 * is left out: a stay loaded from past records, or extended by a few days, gets the latest
 * alert that applies, not three at once.
 */
export function planTermAlerts(termEndsAt: Date, now: Date, zone: string): PlannedTermAlert[] {
  const term = DateTime.fromJSDate(termEndsAt).setZone(zone);
  const all: PlannedTermAlert[] = [
    { kind: 'term_ending_soon', dueAt: term.minus({ days: TERM_ENDING_SOON_DAYS }).toJSDate() },
    { kind: 'term_ends', dueAt: term.toJSDate() },
    { kind: 'term_overdue', dueAt: term.plus({ days: TERM_OVERDUE_AFTER_DAYS }).toJSDate() },
  ];
  return all.filter((_alert, index) => {
    const next = all[index + 1];
    return next === undefined || next.dueAt.getTime() > now.getTime();
  });
}
