import {
  CallbackReceiver,
  ReceivedCallback,
  registerCallbackReferrer,
} from './helpers/callback-receiver';
import { waitFor } from './helpers/processes';
import { useWorkerProcesses } from './helpers/worker-processes';

/**
 * The built service as two worker processes sharing one Redis of the test's own, with status
 * changes made through an `api` app in this process and a referrer's receiver beside it.
 */
describe('Status callbacks delivered by separate worker processes', () => {
  const w = useWorkerProcesses('callbacks', {
    CALLBACK_TEST_RETRY_DELAY_MS: '300',
    FOLLOW_UP_RELAY_EVERY_MS: '500',
  });
  let receiver: CallbackReceiver;

  async function callbackReferrer(path: string): Promise<{ apiKey: string; secret: string }> {
    const { apiKey, webhookSecret } = await registerCallbackReferrer(w.producer, receiver, path);
    return { apiKey, secret: webhookSecret };
  }

  async function referrals(apiKey: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      ids.push((await w.producer.referral({}, { as: { apiKey } })).id);
    }
    return ids;
  }

  function reject(id: string) {
    return w.producer
      .as(w.producer.officer)
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
    receiver = await CallbackReceiver.start();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('two workers deliver each event once, signed, with the same event id on its retries', async () => {
    await w.start('worker');
    await w.start('worker');
    const { apiKey, secret } = await callbackReferrer('/two-workers');
    receiver.flaky('/two-workers');
    const ids = await referrals(apiKey, 12);
    await Promise.all(ids.slice(0, 8).map(reject));
    await Promise.all(ids.slice(8).map((id) => w.producer.admit(id)));

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
      await w.producer.count(`SELECT count(*) FROM callback_events WHERE status <> 'delivered'`),
    ).toBe(0);
  });

  it('keeps the status changes made while Redis is down, and delivers them when it returns', async () => {
    const { apiKey, secret } = await callbackReferrer('/redis-outage');
    const ids = await referrals(apiKey, 6);
    await w.redis.stop();
    await Promise.all(ids.slice(0, 4).map(reject));
    await Promise.all(ids.slice(4).map((id) => w.producer.admit(id)));
    expect(
      await w.producer.count(`SELECT count(*) FROM callback_events WHERE status = 'pending'`),
    ).toBe(6);
    expect(receiver.at('/redis-outage')).toHaveLength(0);

    await w.redis.start();
    const received = await allDelivered('/redis-outage', 6);
    expect(new Set(received.map((r) => r.body.referralId as string))).toEqual(new Set(ids));
    expect(receiver.allSigned('/redis-outage', secret)).toBe(true);
  });
});
