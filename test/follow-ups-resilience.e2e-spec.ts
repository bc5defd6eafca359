import { FollowUpsService } from '../src/follow-ups/follow-ups.service';
import {
  createStay,
  FollowUpRow,
  scheduleEgress,
  whenFollowUpsDue,
} from './factories/follow-up-fixtures';
import { TestRedis } from './helpers/processes';
import { createTestApp, freshDatabaseUrl, TestApp } from './helpers/test-app';
import { randomSuffix } from './helpers/test-env';

/** Postgres is the truth: restarts, a Redis that is down or comes back empty lose nothing. */
describe('Follow-ups survive restarts and Redis outages', () => {
  let redis: TestRedis;
  let databaseUrl: string;
  const queuePrefix = `refugio-test-resilience-${randomSuffix()}`;
  let t: TestApp | undefined;

  const startApp = () =>
    createTestApp({
      databaseUrl,
      env: { REDIS_URL: redis.url, QUEUE_PREFIX: queuePrefix, FOLLOW_UP_RELAY_EVERY_MS: '1000' },
    });

  beforeAll(async () => {
    redis = await TestRedis.start();
    databaseUrl = await freshDatabaseUrl();
  });
  afterAll(async () => {
    await t?.close();
    await redis.stop();
  });

  const allDue = (stayIds: string[]) => whenFollowUpsDue((t as TestApp).dataSource, stayIds);

  function expectOnceEach(rows: FollowUpRow[]): void {
    for (const row of rows) {
      expect(row.reminders).toBe(1);
      expect((row.becameDueAt as Date).getTime()).toBeGreaterThanOrEqual(row.dueAt.getTime());
    }
  }

  it('loses nothing when the app restarts between egress and due time, or crashed before enqueueing', async () => {
    t = await startApp();
    const houseId = (await t.houses())[0].id;
    const enqueued = await createStay(t.dataSource, { houseId, exitedAt: new Date() });
    const neverEnqueued = await createStay(t.dataSource, { houseId, exitedAt: new Date() });
    const followUps = t.app.get(FollowUpsService);
    await scheduleEgress(t.dataSource, followUps, enqueued);
    // Committed, then the process "crashed" before its enqueue: only the relay can find these.
    await scheduleEgress(t.dataSource, followUps, neverEnqueued, { enqueue: false });
    const pending = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM follow_ups WHERE status = 'scheduled'`,
    );
    expect(pending[0].n).toBe(4);
    await t.close();
    t = undefined;

    t = await startApp();
    expectOnceEach(await allDue([enqueued.id, neverEnqueued.id]));
  });

  it('schedules while Redis is down, and the follow-ups fall due after an empty Redis returns', async () => {
    t ??= await startApp();
    const app = t;
    const houseId = (await app.houses())[1].id;
    const followUps = app.app.get(FollowUpsService);
    await redis.stop();

    const stays = [
      await createStay(app.dataSource, { houseId, exitedAt: new Date() }),
      await createStay(app.dataSource, { houseId, exitedAt: new Date(Date.now() - 60_000) }),
    ];
    for (const stay of stays) {
      // What egress does: commits, then enqueueSoon() must neither throw nor wait for Redis.
      await scheduleEgress(app.dataSource, followUps, stay);
    }
    await app.as(app.admin).get('/api/v1/follow-ups').expect(200);

    await redis.start(); // a new redis-server without persistence: empty
    expectOnceEach(await allDue(stays.map((s) => s.id)));
  });
});
