import { Duration } from 'luxon';
import { parseDurationList } from '../config/environment';
import { planFollowUps, planTermAlerts } from './follow-up-schedule';

const BOGOTA = 'America/Bogota';

describe('planFollowUps', () => {
  it('adds each offset after egress, numbering them from 1', () => {
    const exitedAt = new Date('2026-03-10T15:00:00Z');
    const plan = planFollowUps(exitedAt, parseDurationList('PT4S,P15D') as Duration[], BOGOTA);
    expect(plan).toEqual([
      { sequence: 1, offset: 'PT4S', dueAt: new Date('2026-03-10T15:00:04Z') },
      { sequence: 2, offset: 'P15D', dueAt: new Date('2026-03-25T15:00:00Z') },
    ]);
  });

  it('counts months in the service time zone and clamps the end of the month', () => {
    // 2026-01-31 22:00 in Bogotá is already February 1st in UTC: months count from Jan 31.
    const exitedAt = new Date('2026-02-01T03:00:00Z');
    const plan = planFollowUps(exitedAt, parseDurationList('P1M,P3M') as Duration[], BOGOTA);
    expect(plan.map((p) => p.dueAt.toISOString())).toEqual([
      '2026-03-01T03:00:00.000Z', // Feb 28 22:00 in Bogotá
      '2026-05-01T03:00:00.000Z', // Apr 30 22:00 in Bogotá
    ]);
  });
});

describe('planTermAlerts', () => {
  const term = new Date('2026-07-10T14:00:00Z');

  it('places ending soon 14 days before, at the term, and overdue one day after', () => {
    const plan = planTermAlerts(term, new Date('2026-03-10T14:00:00Z'), BOGOTA);
    expect(plan).toEqual([
      { kind: 'term_ending_soon', dueAt: new Date('2026-06-26T14:00:00Z') },
      { kind: 'term_ends', dueAt: term },
      { kind: 'term_overdue', dueAt: new Date('2026-07-11T14:00:00Z') },
    ]);
  });

  it('leaves out alerts already overtaken by a later past one', () => {
    const plan = planTermAlerts(term, new Date('2026-07-10T20:00:00Z'), BOGOTA);
    expect(plan.map((a) => a.kind)).toEqual(['term_ends', 'term_overdue']);
    const late = planTermAlerts(term, new Date('2026-09-01T00:00:00Z'), BOGOTA);
    expect(late.map((a) => a.kind)).toEqual(['term_overdue']);
  });
});
