import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { InjectRedis } from '../common/redis';
import { Config } from '../config/config';
import { FOLLOW_UPS_QUEUE, FOLLOW_UPS_RELAY_QUEUE } from './follow-ups.queue';
import { FollowUpsRepository, OUTBOX_TABLES, OutboxTable } from './follow-ups.repository';
import { outboxEpochKey } from './outbox-relay';

/** The job states an operator watches: work piling up, running, or given up on. */
export const WATCHED_JOB_STATES = ['waiting', 'delayed', 'active', 'failed'] as const;
export type WatchedJobState = (typeof WATCHED_JOB_STATES)[number];

export interface OutboxState {
  outbox: OutboxTable;
  pending: number;
  /** Creation of the oldest pending row; null when none is pending. */
  oldestCreatedAt: Date | null;
}

export interface QueueDepth {
  queue: string;
  state: WatchedJobState;
  jobs: number;
}

/**
 * What operations watch of the follow-up machinery (for GET /metrics): how many jobs each
 * queue holds, and what the outbox relay has not yet handed to Redis. Counts only: no ids, no
 * payloads.
 */
@Injectable()
export class FollowUpsMonitor {
  private readonly queues: Queue[];

  constructor(
    @InjectQueue(FOLLOW_UPS_QUEUE) followUps: Queue,
    @InjectQueue(FOLLOW_UPS_RELAY_QUEUE) relay: Queue,
    @InjectRedis() private readonly redis: Redis,
    private readonly repository: FollowUpsRepository,
    private readonly config: Config,
  ) {
    this.queues = [followUps, relay];
  }

  /** One Redis round trip per queue; fails (rather than waits) while Redis is away. */
  async queueDepths(): Promise<QueueDepth[]> {
    const perQueue = await Promise.all(
      this.queues.map(async (queue) => {
        const counts = await queue.getJobCounts(...WATCHED_JOB_STATES);
        return WATCHED_JOB_STATES.map((state) => ({
          queue: queue.name,
          state,
          // BullMQ counts paused jobs under 'waiting' too: both wait for a worker.
          jobs: state === 'waiting' ? (counts.waiting ?? 0) + (counts.paused ?? 0) : counts[state],
        }));
      }),
    );
    return perQueue.flat().map((depth) => ({ ...depth, jobs: depth.jobs ?? 0 }));
  }

  /**
   * Rows of the outbox tables not yet in the current Redis. While Redis does not answer, or
   * before the relay has started an epoch there, only the rows never enqueued are counted.
   */
  async outboxBacklog(): Promise<OutboxState[]> {
    const epoch = await this.redis.get(outboxEpochKey(this.config.queue.prefix)).catch(() => null);
    const backlog = await this.repository.findOutboxBacklog(epoch);
    return OUTBOX_TABLES.map((outbox) => {
      const row = backlog.find((b) => b.outbox === outbox);
      return { outbox, pending: row?.pending ?? 0, oldestCreatedAt: row?.oldestCreatedAt ?? null };
    });
  }
}
