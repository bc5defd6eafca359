import { Queue } from 'bullmq';
import { FollowUpsService } from '../src/follow-ups/follow-ups.service';
import { FollowUpJob, FollowUpJobName } from '../src/follow-ups/follow-ups.queue';
import { admitFamily } from './factories/casework';
import { createStay, scheduleEgress, StayFixture } from './factories/follow-up-fixtures';
import { waitFor } from './helpers/processes';
import { TestApp } from './helpers/test-app';
import { randomSuffix } from './helpers/test-env';
import { useWorkerProcesses } from './helpers/worker-processes';

const HOUR = 60 * 60 * 1000;

interface SourceCounts {
  sources: number;
  alerts: number;
  duplicates: number;
}

/**
 * Exactly one alert per recorded reminder and per hearing, with two worker processes of the
 * built service racing for the same jobs, every job delivered a second time, and Redis lost
 * while work was being scheduled.
 */
describe('Alerts are raised exactly once by the queue workers', () => {
  const processes = useWorkerProcesses('alerts', { FOLLOW_UP_RELAY_EVERY_MS: '1000' });
  let producer: TestApp;
  let queue: Queue;
  let lawyer: string;
  let houseId: string;

  /** Follow-ups due now, terms ended a minute ago, hearings tomorrow: all due at once. */
  async function scheduleWork(count: number): Promise<void> {
    const followUps = producer.app.get(FollowUpsService);
    const stays: StayFixture[] = [];
    for (let i = 0; i < count; i++) {
      stays.push(
        await createStay(producer.dataSource, {
          houseId,
          exitedAt: new Date(Date.now() - 10_000),
        }),
      );
      const active = await createStay(producer.dataSource, {
        houseId,
        admittedAt: new Date(Date.now() - 100 * 24 * HOUR),
        termEndsAt: new Date(Date.now() - 60_000),
      });
      await producer.dataSource.transaction((manager) =>
        followUps.scheduleTermAlerts(manager, active),
      );
    }
    await Promise.all(stays.map((stay) => scheduleEgress(producer.dataSource, followUps, stay)));
    for (let i = 0; i < count; i++) {
      const family = await admitFamily(producer, houseId, { dependants: 0 });
      await producer
        .http()
        .post(`/api/v1/stays/${family.stayId}/legal-processes`)
        .set('Authorization', `Bearer ${lawyer}`)
        .send({
          kind: 'custody',
          authority: 'Juzgado de Familia',
          caseNumber: `C-${i}`,
          status: 'open',
          nextHearingAt: new Date(Date.now() + 23 * HOUR).toISOString(),
        })
        .expect(201);
    }
    followUps.enqueueSoon();
  }

  async function counts(): Promise<SourceCounts> {
    const [row] = await producer.dataSource.query<SourceCounts[]>(
      `SELECT (SELECT count(*) FROM reminders)::int
                + (SELECT count(*) FROM hearing_alerts WHERE status = 'sent')::int AS sources,
              (SELECT count(*) FROM alerts)::int AS alerts,
              (SELECT count(*) FROM (
                 SELECT 1 FROM alerts
                 GROUP BY coalesce(reminder_id, hearing_alert_id, follow_up_id) HAVING count(*) > 1
               ) d)::int AS duplicates`,
    );
    return row;
  }

  async function whenSettled(expected: number): Promise<SourceCounts> {
    return waitFor(
      async () => {
        const [pending] = await producer.dataSource.query<{ n: number }[]>(
          `SELECT ((SELECT count(*) FROM follow_ups WHERE status = 'scheduled' AND due_at <= now())
                + (SELECT count(*) FROM term_alerts WHERE status = 'scheduled' AND due_at <= now())
                + (SELECT count(*) FROM hearing_alerts WHERE status = 'scheduled' AND due_at <= now())
               )::int AS n`,
        );
        const now = await counts();
        return pending.n === 0 && now.sources >= expected ? now : undefined;
      },
      { timeoutMs: 40000, intervalMs: 250, what: `${expected} alert sources settled` },
    );
  }

  beforeAll(async () => {
    ({ producer, queue } = processes);
    houseId = (await producer.houses())[0].id;
    lawyer = await producer.tokenFor('team_member', houseId, 'legal');
  });

  it('with two workers, every reminder and hearing becomes one alert, and a second delivery of every job adds none', async () => {
    await processes.start('worker');
    await processes.start('worker');
    // Per round: 2 follow-ups + 1 term alert + 1 hearing.
    await scheduleWork(6);
    const settled = await whenSettled(6 * 4);
    expect(settled).toEqual({ sources: 24, alerts: 24, duplicates: 0 });

    // Every settled row's job again, twice, under fresh ids, as a redelivery after a crash or a relay replay would.
    const replays: { name: FollowUpJobName; data: Record<string, string> }[] = [
      ...(
        await producer.dataSource.query<{ id: string }[]>(
          `SELECT id FROM follow_ups WHERE status <> 'scheduled'`,
        )
      ).map((r) => ({ name: FollowUpJob.FollowUpDue, data: { followUpId: r.id } })),
      ...(
        await producer.dataSource.query<{ id: string }[]>(
          `SELECT id FROM term_alerts WHERE status <> 'scheduled'`,
        )
      ).map((r) => ({ name: FollowUpJob.TermAlertDue, data: { termAlertId: r.id } })),
      ...(
        await producer.dataSource.query<{ id: string }[]>(
          `SELECT id FROM hearing_alerts WHERE status <> 'scheduled'`,
        )
      ).map((r) => ({ name: FollowUpJob.HearingAlertDue, data: { hearingAlertId: r.id } })),
    ];
    const jobs = await queue.addBulk(
      replays.flatMap((replay) =>
        [1, 2].map((copy) => ({
          ...replay,
          opts: { jobId: `replay-${copy}-${randomSuffix()}`, removeOnComplete: true },
        })),
      ),
    );
    await waitFor(
      async () => {
        const states = await Promise.all(jobs.map((job) => queue.getJobState(job.id as string)));
        return states.every((s) => s === 'unknown' || s === 'completed' || s === 'failed');
      },
      { timeoutMs: 20000, what: 'the replayed jobs done' },
    );
    expect(await counts()).toEqual({ sources: 24, alerts: 24, duplicates: 0 });
  }, 90_000);

  it('raises them once when Redis was lost while they were scheduled, soon after it returns', async () => {
    const before = await counts();
    await processes.redis.stop();
    await scheduleWork(3);
    await processes.redis.start(); // a new redis-server without persistence: empty
    const settled = await whenSettled(before.sources + 3 * 4);
    expect(settled).toEqual({
      sources: before.sources + 12,
      alerts: before.alerts + 12,
      duplicates: 0,
    });
  }, 90_000);
});
