import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { FollowUpsService } from '../../src/follow-ups/follow-ups.service';
import { FOLLOW_UPS_QUEUE } from '../../src/follow-ups/follow-ups.queue';
import {
  createStay,
  followUpsOfStay,
  scheduleEgress,
  StayFixture,
} from '../factories/follow-up-fixtures';
import { waitFor } from '../helpers/processes';
import { useServiceContext } from '../helpers/service-context';

const DAY = 24 * 60 * 60 * 1000;

/** Term alerts remind the house as a stay's term nears, moves with it, and end with egress. */
describe('Term alerts', () => {
  const t = useServiceContext();
  let followUps: FollowUpsService;
  let houses: { id: string; code: string }[];

  beforeAll(async () => {
    followUps = t.get(FollowUpsService);
    houses = await t.dataSource.query('SELECT id, code FROM houses ORDER BY code');
  });

  async function alerts(stayId: string) {
    return t.dataSource.query<
      { id: string; kind: string; status: string; dueAt: Date; cancelReason: string | null }[]
    >(
      `SELECT id, kind, status, due_at AS "dueAt", cancel_reason AS "cancelReason"
       FROM term_alerts WHERE stay_id = $1 ORDER BY created_at, due_at`,
      [stayId],
    );
  }
  const place = async (s: StayFixture, termEndsAt: Date) => {
    await t.dataSource.transaction((manager) =>
      followUps.scheduleTermAlerts(manager, { ...s, termEndsAt }),
    );
    await t.dataSource.query(
      `UPDATE stays SET term_ends_at = $2, max_ends_at = greatest(max_ends_at, $2) WHERE id = $1`,
      [s.id, termEndsAt],
    );
    followUps.enqueueSoon();
  };

  it('remind the house at the term and when the stay is still active a day after it', async () => {
    const termEndsAt = new Date(Date.now() - DAY + 3000);
    const active = await createStay(t.dataSource, {
      houseId: houses[2].id,
      admittedAt: new Date(Date.now() - 120 * DAY),
      termEndsAt,
    });
    await place(active, termEndsAt);
    // Fourteen days before is long past and overtaken by "the term ends": only that and overdue.
    expect((await alerts(active.id)).map((a) => a.kind)).toEqual(['term_ends', 'term_overdue']);
    const sent = await waitFor(
      async () => {
        const rows = await alerts(active.id);
        return rows.every((a) => a.status === 'sent') ? rows : undefined;
      },
      { timeoutMs: 20000, what: 'both alerts sent' },
    );
    const reminders = await t.dataSource.query(
      `SELECT kind, house_id AS "houseId", term_alert_id AS "alertId" FROM reminders WHERE stay_id = $1 ORDER BY recorded_at`,
      [active.id],
    );
    expect(reminders).toEqual(
      sent.map((a) => ({ kind: a.kind, houseId: houses[2].id, alertId: a.id })),
    );
  });

  it('move with an extension and are cancelled by egress', async () => {
    const termEndsAt = new Date(Date.now() + 14 * DAY + 4000);
    const active = await createStay(t.dataSource, {
      houseId: houses[3].id,
      admittedAt: new Date(Date.now() - 100 * DAY),
      termEndsAt,
    });
    await place(active, termEndsAt);
    const first = await alerts(active.id);
    expect(first.map((a) => [a.kind, a.status])).toEqual([
      ['term_ending_soon', 'scheduled'],
      ['term_ends', 'scheduled'],
      ['term_overdue', 'scheduled'],
    ]);

    const extended = new Date(termEndsAt.getTime() + 30 * DAY);
    await place(active, extended);
    const moved = await alerts(active.id);
    expect(moved.slice(0, 3).map((a) => [a.status, a.cancelReason])).toEqual([
      ['cancelled', 'rescheduled'],
      ['cancelled', 'rescheduled'],
      ['cancelled', 'rescheduled'],
    ]);
    expect(moved.slice(3).map((a) => [a.kind, a.status, a.dueAt.getTime()])).toEqual([
      ['term_ending_soon', 'scheduled', extended.getTime() - 14 * DAY],
      ['term_ends', 'scheduled', extended.getTime()],
      ['term_overdue', 'scheduled', extended.getTime() + DAY],
    ]);
    // The old "ending soon" job fires four seconds from now and must change nothing.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    const queue = t.get<Queue>(getQueueToken(FOLLOW_UPS_QUEUE));
    await waitFor(
      async () => (await queue.getJobState(`term-alert-${moved[0].id}`)) === 'unknown',
      { what: 'the old alert job done' },
    );
    const reminders = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM reminders WHERE stay_id = $1`,
      [active.id],
    );
    expect(reminders[0].n).toBe(0);

    const exitedAt = new Date();
    await t.dataSource.query(
      `UPDATE stays SET status = 'exited', exited_at = $2, egress_reason = 'voluntary' WHERE id = $1`,
      [active.id, exitedAt],
    );
    await scheduleEgress(t.dataSource, followUps, { ...active, exitedAt });
    const after = await alerts(active.id);
    expect(after.slice(3).map((a) => [a.status, a.cancelReason])).toEqual([
      ['cancelled', 'egress'],
      ['cancelled', 'egress'],
      ['cancelled', 'egress'],
    ]);
    expect(await followUpsOfStay(t.dataSource, active.id)).toHaveLength(2);
  });
});
