import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import type { HearingAlertsRepository } from '../alerts/hearing-alerts.repository';
import type { OrderAlertsRepository } from '../alerts/order-alerts.repository';
import { Clock } from '../common/clock';
import type { Config } from '../config/config';
import type { FollowUpsRepository } from './follow-ups.repository';
import { OutboxRelay } from './outbox-relay';

/** A repository whose every method answers no rows, and which counts the stale look-ups. */
function emptyRepository(calls: string[]): unknown {
  return new Proxy(
    {},
    {
      get: (_target, method: string) => () => {
        calls.push(method);
        return Promise.resolve([]);
      },
    },
  );
}

describe('OutboxRelay', () => {
  const createdAt = new Date(Date.now() - 1000);
  let calls: string[];
  let added: { opts?: { delay?: number; jobId?: string } }[];
  let relay: OutboxRelay;
  let relayed: Promise<void>;

  beforeEach(() => {
    calls = [];
    added = [];
    const queue = {
      addBulk: (jobs: typeof added) => Promise.resolve(added.push(...jobs)),
    } as unknown as Queue;
    const redis = { set: () => Promise.resolve('OK') } as unknown as Redis;
    const repository = emptyRepository(calls);
    relay = new OutboxRelay(
      queue,
      redis,
      repository as FollowUpsRepository,
      repository as HearingAlertsRepository,
      repository as OrderAlertsRepository,
      new Clock(),
      { queue: { prefix: 'spec' } } as Config,
    );
    const unrelayed = [{ id: 'e1', dueAt: createdAt }];
    relayed = new Promise((resolve) =>
      relay.register({
        queue,
        name: 'deliver-callback',
        options: {},
        jobId: (id) => `callback-${id}`,
        payload: (id) => ({ eventId: id }),
        findUnrelayed: () => Promise.resolve(unrelayed.splice(0)),
        markRelayed: () => Promise.resolve(resolve()),
        findStale: () => Promise.resolve(calls.push('findStale')).then(() => []),
      }),
    );
  });

  async function triggeredRunEnds(): Promise<void> {
    await relayed;
    while ((relay as unknown as { running: boolean }).running) {
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  it('enqueues an event that is already due with no delay', async () => {
    relay.trigger();
    await triggeredRunEnds();
    expect(added).toHaveLength(1);
    expect(added[0].opts).toMatchObject({ jobId: 'callback-e1', delay: 0 });
  });

  // A status change triggers the relay after commit and its callback waits for that run: the
  // sweep of every outbox for rows a minute overdue is the scheduled run's work, not this one's.
  it('only relays when a commit triggers it, and sweeps stale rows when the scheduler runs it', async () => {
    relay.trigger();
    await triggeredRunEnds();
    expect(calls.filter((c) => c.startsWith('findStale'))).toEqual([]);

    await relay.runOnce();
    expect(calls.filter((c) => c.startsWith('findStale'))).toHaveLength(5);
  });
});
