import { createTestApp, TestApp } from './helpers/test-app';
import { TestRedis, waitFor } from './helpers/processes';

describe('Health and readiness', () => {
  let redis: TestRedis;
  let t: TestApp;

  beforeAll(async () => {
    redis = await TestRedis.start();
    t = await createTestApp({ env: { REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  it('is alive and ready while Postgres and Redis answer', async () => {
    await t.http().get('/health').expect(200, { status: 'ok' });
    const ready = await t.http().get('/health/ready').expect(200);
    expect(ready.body.details).toEqual({ postgres: { status: 'up' }, redis: { status: 'up' } });
  });

  it('answers 503 while Redis is stopped, keeps serving what needs only Postgres, and 200 when it returns', async () => {
    const admin = await t.adminToken();
    await redis.stop();
    const notReady = await t.http().get('/health/ready').expect(503);
    expect(notReady.body).toEqual({
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: 'Not ready: redis',
    });
    await t.http().get('/health').expect(200);
    await t.as(admin).get('/api/v1/occupancy').expect(200);

    await redis.start();
    await waitFor(async () => (await t.http().get('/health/ready')).status === 200, {
      what: 'readiness',
    });
  });
});
