import { Queue } from 'bullmq';
import { FollowUpsService } from '../src/follow-ups/follow-ups.service';
import { FOLLOW_UPS_QUEUE, followUpJobId } from '../src/follow-ups/follow-ups.queue';
import { redisOptionsFromUrl } from '../src/follow-ups/queue-connections';
import {
  createStay,
  followUpsOfStay,
  FollowUpRow,
  scheduleEgress,
  StayFixture,
} from './factories/follow-up-fixtures';
import {
  freePort,
  killServices,
  RunningService,
  startService,
  TestRedis,
  waitFor,
} from './helpers/processes';
import { createTestApp, freshDatabaseUrl, TestApp } from './helpers/test-app';
import { baseTestEnvironment, randomSuffix } from './helpers/test-env';

/**
 * The built service (`npm test` builds it first) in several processes sharing one Redis and
 * one database, with egress driven from an `api` app in this process.
 */
describe('Follow-up workers as separate processes', () => {
  let redis: TestRedis;
  let databaseUrl: string;
  let queuePrefix: string;
  let producer: TestApp;
  let queue: Queue;
  const services: RunningService[] = [];

  function serviceEnv(role: 'all' | 'worker', extra: Record<string, string> = {}) {
    return {
      ...baseTestEnvironment(),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: queuePrefix,
      APP_ROLE: role,
      LOG_LEVEL: 'info',
      // A worker that dies holding a job loses it within about two seconds.
      QUEUE_LOCK_DURATION_MS: '2000',
      QUEUE_STALLED_INTERVAL_MS: '1000',
      ...extra,
    };
  }

  async function start(role: 'all' | 'worker', extra: Record<string, string> = {}) {
    const service = startService({ ...serviceEnv(role, extra), PORT: String(await freePort()) });
    services.push(service);
    await waitFor(
      () => Promise.resolve(/Refugio (worker started|listening)/.test(service.output())),
      {
        timeoutMs: 20000,
        what: `a ${role} process\n${service.output()}`,
      },
    );
    return service;
  }

  async function stop(service: RunningService, signal: NodeJS.Signals) {
    service.child.kill(signal);
    return service.exited;
  }

  async function exitedNow(): Promise<StayFixture> {
    const houseId = (await producer.houses())[0].id;
    // Four seconds ago: the first follow-up is due at once, the second in five seconds.
    return createStay(producer.dataSource, { houseId, exitedAt: new Date(Date.now() - 4000) });
  }

  async function whenAllDue(stayIds: string[]): Promise<FollowUpRow[]> {
    return waitFor(
      async () => {
        const rows = (
          await Promise.all(stayIds.map((id) => followUpsOfStay(producer.dataSource, id)))
        ).flat();
        return rows.every((f) => f.status === 'due') ? rows : undefined;
      },
      { timeoutMs: 30000, what: 'every follow-up due' },
    );
  }

  beforeAll(async () => {
    redis = await TestRedis.start();
    databaseUrl = await freshDatabaseUrl();
    queuePrefix = `refugio-test-procs-${randomSuffix()}`;
    producer = await createTestApp({
      databaseUrl,
      env: { REDIS_URL: redis.url, QUEUE_PREFIX: queuePrefix, APP_ROLE: 'api' },
    });
    queue = new Queue(FOLLOW_UPS_QUEUE, {
      connection: redisOptionsFromUrl(redis.url),
      prefix: queuePrefix,
    });
  });
  afterAll(async () => {
    await killServices(services);
    await queue.close();
    await producer.close();
    await redis.stop();
  });

  it('with one "all" and two "worker" processes, ten egresses give every follow-up one reminder', async () => {
    const processes = [await start('all'), await start('worker'), await start('worker')];
    const stays: StayFixture[] = [];
    for (let i = 0; i < 10; i++) {
      stays.push(await exitedNow());
    }
    const followUps = producer.app.get(FollowUpsService);
    await Promise.all(stays.map((stay) => scheduleEgress(producer.dataSource, followUps, stay)));

    const rows = await whenAllDue(stays.map((s) => s.id));
    expect(rows).toHaveLength(20);
    expect(rows.map((r) => r.reminders)).toEqual(Array(20).fill(1));
    const audit = await producer.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'follow_up.became_due'`,
    );
    expect(audit[0].n).toBe(20);
    for (const service of processes) {
      expect(await stop(service, 'SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    }
  });

  it('finishes the running job before a worker exits on SIGTERM', async () => {
    const worker = await start('worker', { FOLLOW_UP_TEST_PROCESSING_DELAY_MS: '3000' });
    const stay = await exitedNow();
    await scheduleEgress(producer.dataSource, producer.app.get(FollowUpsService), stay);
    const [first] = await followUpsOfStay(producer.dataSource, stay.id);
    await waitFor(async () => (await queue.getJobState(followUpJobId(first.id))) === 'active', {
      what: 'the job running',
    });
    expect(await stop(worker, 'SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    const [after] = await followUpsOfStay(producer.dataSource, stay.id);
    expect([after.status, after.reminders]).toEqual(['due', 1]);
  });

  it('completes a job once after redelivery when its worker is killed in the middle of it', async () => {
    // A Redis that may evict keys is dangerous for BullMQ: the service says so at start-up.
    const { default: Redis } = await import('ioredis');
    const admin = new Redis(redis.url);
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const doomed = await start('worker', { FOLLOW_UP_TEST_PROCESSING_DELAY_MS: '3000' });
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.quit();
    expect(doomed.output()).toContain('maxmemory-policy is allkeys-lru');

    const stay = await exitedNow();
    await scheduleEgress(producer.dataSource, producer.app.get(FollowUpsService), stay);
    const [first] = await followUpsOfStay(producer.dataSource, stay.id);
    await waitFor(async () => (await queue.getJobState(followUpJobId(first.id))) === 'active', {
      what: 'the job running',
    });
    expect(await stop(doomed, 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    // The killed worker's transaction died with it: nothing was recorded.
    expect((await followUpsOfStay(producer.dataSource, stay.id))[0].status).toBe('scheduled');

    const rescuer = await start('worker');
    const rows = await whenAllDue([stay.id]);
    expect(rows.map((r) => r.reminders)).toEqual([1, 1]);
    const audit = await producer.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'follow_up.became_due' AND resource_id = $1`,
      [first.id],
    );
    expect(audit[0].n).toBe(1);
    await stop(rescuer, 'SIGTERM');
  });
});
