import { CallbackReceiver, ReceivedCallback } from './helpers/callback-receiver';
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
 * The built service as two worker processes sharing one Redis of the test's own, with status
 * changes made through an `api` app in this process and a referrer's receiver beside it.
 */
describe('Status callbacks delivered by separate worker processes', () => {
  let redis: TestRedis;
  let databaseUrl: string;
  let producer: TestApp;
  let receiver: CallbackReceiver;
  let queuePrefix: string;
  const services: RunningService[] = [];
  const env = () => ({
    ...baseTestEnvironment(),
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: queuePrefix,
    CALLBACK_TEST_RETRY_DELAY_MS: '300',
    FOLLOW_UP_RELAY_EVERY_MS: '500',
  });

  async function startWorker(): Promise<RunningService> {
    const service = startService({
      ...env(),
      APP_ROLE: 'worker',
      LOG_LEVEL: 'info',
      PORT: String(await freePort()),
    });
    services.push(service);
    await waitFor(() => Promise.resolve(/Refugio worker started/.test(service.output())), {
      timeoutMs: 20000,
      what: `a worker process\n${service.output()}`,
    });
    return service;
  }

  async function callbackReferrer(path: string): Promise<{ apiKey: string; secret: string }> {
    const response = await producer
      .as(producer.admin)
      .post('/api/v1/referrers')
      .send({
        name: `Comisaría ${path}`,
        authorityType: 'comisaria_familia',
        callbackUrl: receiver.url(path),
      })
      .expect(201);
    return {
      apiKey: response.body.apiKey as string,
      secret: response.body.webhookSecret as string,
    };
  }

  async function referrals(apiKey: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      ids.push((await producer.referral({}, { as: { apiKey } })).id);
    }
    return ids;
  }

  function reject(id: string) {
    return producer
      .as(producer.officer)
      .post(`/api/v1/referrals/${id}/reject`)
      .send({ reason: 'No cumple', reasonCode: 'not_eligible' })
      .expect(200);
  }

  /** Every event at `path` answered 200, once; returns the requests, retries included. */
  function allDelivered(path: string, events: number): Promise<ReceivedCallback[]> {
    return waitFor(
      () => {
        const at = receiver.at(path);
        const delivered = new Set(at.filter((r) => r.answered === 200).map((r) => r.eventId));
        return Promise.resolve(delivered.size >= events ? at : undefined);
      },
      { timeoutMs: 60000, what: `${events} events delivered at ${path}` },
    );
  }

  beforeAll(async () => {
    redis = await TestRedis.start();
    receiver = await CallbackReceiver.start();
    databaseUrl = await freshDatabaseUrl();
    queuePrefix = `refugio-test-callbacks-${randomSuffix()}`;
    producer = await createTestApp({
      databaseUrl,
      env: { REDIS_URL: redis.url, QUEUE_PREFIX: queuePrefix, APP_ROLE: 'api' },
    });
  });
  afterAll(async () => {
    await killServices(services);
    await producer.close();
    await receiver.close();
    await redis.stop();
  });

  it('two workers deliver each event once, signed, with the same event id on its retries', async () => {
    await startWorker();
    await startWorker();
    const { apiKey, secret } = await callbackReferrer('/two-workers');
    receiver.flaky('/two-workers');
    const ids = await referrals(apiKey, 12);
    await Promise.all(ids.slice(0, 8).map(reject));
    await Promise.all(ids.slice(8).map((id) => producer.admit(id)));

    const received = await allDelivered('/two-workers', 12);
    // Anything a relay or the second worker added late would show up now.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const byEvent = new Map<string, ReceivedCallback[]>();
    for (const r of receiver.at('/two-workers')) {
      byEvent.set(r.eventId, [...(byEvent.get(r.eventId) ?? []), r]);
    }
    expect(byEvent.size).toBe(12);
    for (const attempts of byEvent.values()) {
      expect(attempts.map((a) => a.answered)).toEqual([500, 200]);
      expect(new Set(attempts.map((a) => a.body.referralId)).size).toBe(1);
    }
    expect(new Set(received.map((r) => r.body.referralId as string))).toEqual(new Set(ids));
    expect(receiver.allSigned('/two-workers', secret)).toBe(true);
    expect(
      await producer.count(`SELECT count(*) FROM callback_events WHERE status <> 'delivered'`),
    ).toBe(0);
  });

  it('keeps the status changes made while Redis is down, and delivers them when it returns', async () => {
    const { apiKey, secret } = await callbackReferrer('/redis-outage');
    const ids = await referrals(apiKey, 6);
    await redis.stop();
    await Promise.all(ids.slice(0, 4).map(reject));
    await Promise.all(ids.slice(4).map((id) => producer.admit(id)));
    expect(
      await producer.count(`SELECT count(*) FROM callback_events WHERE status = 'pending'`),
    ).toBe(6);
    expect(receiver.at('/redis-outage')).toHaveLength(0);

    await redis.start();
    const received = await allDelivered('/redis-outage', 6);
    expect(new Set(received.map((r) => r.body.referralId as string))).toEqual(new Set(ids));
    expect(receiver.allSigned('/redis-outage', secret)).toBe(true);
  });
});
