import { Queue } from 'bullmq';
import { FollowUpsService } from '../src/follow-ups/follow-ups.service';
import { followUpJobId } from '../src/follow-ups/follow-ups.queue';
import {
  createStay,
  followUpsOfStay,
  FollowUpRow,
  scheduleEgress,
  StayFixture,
  whenFollowUpsDue,
} from './factories/follow-up-fixtures';
import { RunningService, waitFor } from './helpers/processes';
import { TestApp } from './helpers/test-app';
import { useWorkerProcesses } from './helpers/worker-processes';

/**
 * The built service (`npm test` builds it first) in several processes sharing one Redis and
 * one database, with egress driven from an `api` app in this process.
 */
describe('Follow-up workers as separate processes', () => {
  const processes = useWorkerProcesses('procs', {
    // A worker that dies holding a job loses it within about two seconds.
    QUEUE_LOCK_DURATION_MS: '2000',
    QUEUE_STALLED_INTERVAL_MS: '1000',
  });
  let producer: TestApp;
  let queue: Queue;

  async function stop(service: RunningService, signal: NodeJS.Signals) {
    service.child.kill(signal);
    return service.exited;
  }

  async function exitedNow(): Promise<StayFixture> {
    const houseId = (await producer.houses())[0].id;
    // Four seconds ago: the first follow-up is due at once, the second in five seconds.
    return createStay(producer.dataSource, { houseId, exitedAt: new Date(Date.now() - 4000) });
  }

  /** Schedules the stay's follow-ups and waits until a worker is running the first one's job. */
  async function firstJobRunning(stay: StayFixture): Promise<FollowUpRow> {
    await scheduleEgress(producer.dataSource, producer.app.get(FollowUpsService), stay);
    const [first] = await followUpsOfStay(producer.dataSource, stay.id);
    await waitFor(async () => (await queue.getJobState(followUpJobId(first.id))) === 'active', {
      what: 'the job running',
    });
    return first;
  }

  beforeAll(() => {
    ({ producer, queue } = processes);
  });

  it('with one "all" and two "worker" processes, ten egresses give every follow-up one reminder', async () => {
    const running = [
      await processes.start('all'),
      await processes.start('worker'),
      await processes.start('worker'),
    ];
    const stays: StayFixture[] = [];
    for (let i = 0; i < 10; i++) {
      stays.push(await exitedNow());
    }
    const followUps = producer.app.get(FollowUpsService);
    await Promise.all(stays.map((stay) => scheduleEgress(producer.dataSource, followUps, stay)));

    const rows = await whenFollowUpsDue(
      producer.dataSource,
      stays.map((s) => s.id),
    );
    expect(rows).toHaveLength(20);
    expect(rows.map((r) => r.reminders)).toEqual(Array(20).fill(1));
    const audit = await producer.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'follow_up.became_due'`,
    );
    expect(audit[0].n).toBe(20);
    for (const service of running) {
      expect(await stop(service, 'SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    }
  }, 90_000);

  it('finishes the running job before a worker exits on SIGTERM', async () => {
    const worker = await processes.start('worker', { FOLLOW_UP_TEST_PROCESSING_DELAY_MS: '3000' });
    const stay = await exitedNow();
    await firstJobRunning(stay);
    expect(await stop(worker, 'SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    const [after] = await followUpsOfStay(producer.dataSource, stay.id);
    expect([after.status, after.reminders]).toEqual(['due', 1]);
  });

  it('completes a job once after redelivery when its worker is killed in the middle of it', async () => {
    // A Redis that may evict keys is dangerous for BullMQ: the service says so at start-up.
    const { default: Redis } = await import('ioredis');
    const admin = new Redis(processes.redis.url);
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const doomed = await processes.start('worker', { FOLLOW_UP_TEST_PROCESSING_DELAY_MS: '3000' });
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.quit();
    expect(doomed.output()).toContain('maxmemory-policy is allkeys-lru');

    const stay = await exitedNow();
    const first = await firstJobRunning(stay);
    expect(await stop(doomed, 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    // The killed worker's transaction died with it: nothing was recorded.
    expect((await followUpsOfStay(producer.dataSource, stay.id))[0].status).toBe('scheduled');

    const rescuer = await processes.start('worker');
    const rows = await whenFollowUpsDue(producer.dataSource, [stay.id]);
    expect(rows.map((r) => r.reminders)).toEqual([1, 1]);
    const audit = await producer.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'follow_up.became_due' AND resource_id = $1`,
      [first.id],
    );
    expect(audit[0].n).toBe(1);
    await stop(rescuer, 'SIGTERM');
  }, 90_000);
});
