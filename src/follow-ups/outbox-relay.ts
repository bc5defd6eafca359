import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import Redis from 'ioredis';
import { HearingAlertsRepository } from '../alerts/hearing-alerts.repository';
import { OrderAlertsRepository } from '../alerts/order-alerts.repository';
import { Clock } from '../common/clock';
import { InjectRedis } from '../common/redis';
import { Config } from '../config/config';
import { FollowUpsRepository, PendingJob } from './follow-ups.repository';
import {
  DUE_JOB_OPTIONS,
  FOLLOW_UPS_QUEUE,
  FollowUpJob,
  followUpJobId,
  hearingAlertJobId,
  orderAlertJobId,
  termAlertJobId,
} from './follow-ups.queue';

/** Rows per round trip, and round trips per run: a run's work is bounded. */
export const RELAY_BATCH_SIZE = 500;
export const RELAY_MAX_BATCHES = 10;
/** A row still scheduled this long after its due time has lost its job, or its job failed. */
export const STALE_AFTER_MS = 60_000;
const STALE_BATCH_SIZE = 50;

/** The Redis key of the current epoch (see OutboxRelay). */
export function outboxEpochKey(queuePrefix: string): string {
  return `${queuePrefix}:${FOLLOW_UPS_QUEUE}-outbox:epoch`;
}

export interface RelayReport {
  enqueued: number;
  repaired: number;
}

/**
 * One outbox table the relay empties into one queue. Other features register theirs (see
 * `register`), so that one relay, on one scheduler, serves every outbox.
 */
export interface OutboxSource {
  queue: Queue;
  name: string;
  options: JobsOptions;
  jobId: (id: string) => string;
  payload: (id: string) => Record<string, string>;
  findUnrelayed: (epoch: string, limit: number) => Promise<PendingJob[]>;
  markRelayed: (ids: string[], epoch: string) => Promise<void>;
  findStale: (dueBefore: Date, limit: number) => Promise<PendingJob[]>;
}

/**
 * The outbox relay: Postgres says what is pending, this puts it into BullMQ. Rows carry the
 * epoch of the Redis they were enqueued into; the epoch is a random value that lives in Redis,
 * so a Redis that comes back empty has a new one and every pending row is enqueued again.
 * Adding is idempotent (deterministic job ids), so relays on several processes at once only
 * repeat each other's work, never duplicate a job.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly sources: OutboxSource[];
  private running = false;
  private again = false;

  constructor(
    @InjectQueue(FOLLOW_UPS_QUEUE) queue: Queue,
    @InjectRedis() private readonly redis: Redis,
    private readonly repository: FollowUpsRepository,
    private readonly hearingAlerts: HearingAlertsRepository,
    private readonly orderAlerts: OrderAlertsRepository,
    private readonly clock: Clock,
    private readonly config: Config,
  ) {
    this.sources = [
      {
        queue,
        options: DUE_JOB_OPTIONS,
        name: FollowUpJob.FollowUpDue,
        jobId: followUpJobId,
        payload: (id) => ({ followUpId: id }),
        findUnrelayed: (e, l) => this.repository.findUnrelayedFollowUps(e, l),
        markRelayed: (ids, e) => this.repository.markFollowUpsRelayed(ids, e),
        findStale: (d, l) => this.repository.findStaleFollowUps(d, l),
      },
      {
        queue,
        options: DUE_JOB_OPTIONS,
        name: FollowUpJob.TermAlertDue,
        jobId: termAlertJobId,
        payload: (id) => ({ termAlertId: id }),
        findUnrelayed: (e, l) => this.repository.findUnrelayedTermAlerts(e, l),
        markRelayed: (ids, e) => this.repository.markTermAlertsRelayed(ids, e),
        findStale: (d, l) => this.repository.findStaleTermAlerts(d, l),
      },
      {
        queue,
        options: DUE_JOB_OPTIONS,
        name: FollowUpJob.HearingAlertDue,
        jobId: hearingAlertJobId,
        payload: (id) => ({ hearingAlertId: id }),
        findUnrelayed: (e, l) => this.hearingAlerts.findUnrelayed(e, l),
        markRelayed: (ids, e) => this.hearingAlerts.markRelayed(ids, e),
        findStale: (d, l) => this.hearingAlerts.findStale(d, l),
      },
      {
        queue,
        options: DUE_JOB_OPTIONS,
        name: FollowUpJob.OrderAlertDue,
        jobId: orderAlertJobId,
        payload: (id) => ({ orderAlertId: id }),
        findUnrelayed: (e, l) => this.orderAlerts.findUnrelayed(e, l),
        markRelayed: (ids, e) => this.orderAlerts.markRelayed(ids, e),
        findStale: (d, l) => this.orderAlerts.findStale(d, l),
      },
    ];
  }

  /** Adds an outbox of another feature; registered at start-up, before the first run. */
  register(source: OutboxSource): void {
    this.sources.push(source);
  }

  /**
   * Runs the relay soon, in the background: never throws and never waits for Redis. Triggers
   * that arrive while a run is going coalesce into one more run. A triggered run only relays:
   * it follows a commit (a status change waits for it, see README "Status callbacks"), so it
   * leaves the stale sweep, a dozen more queries that only matter after a minute, to the
   * scheduled runs.
   */
  trigger(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.runOnce({ sweep: false })
      .catch((error: unknown) => {
        this.logger.warn(
          `Outbox relay could not run, the next one will: ${(error as Error).message}`,
        );
      })
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.trigger();
        }
      });
  }

  /** One run: every outbox into its queue, then (unless `sweep` is false) the stale sweep. */
  async runOnce({ sweep = true }: { sweep?: boolean } = {}): Promise<RelayReport> {
    const epoch = await this.redisEpoch();
    let enqueued = 0;
    for (const source of this.sources) {
      for (let batch = 0; batch < RELAY_MAX_BATCHES; batch++) {
        const rows = await source.findUnrelayed(epoch, RELAY_BATCH_SIZE);
        if (rows.length === 0) {
          break;
        }
        await this.enqueue(source, rows);
        await source.markRelayed(
          rows.map((r) => r.id),
          epoch,
        );
        enqueued += rows.length;
        if (rows.length < RELAY_BATCH_SIZE) {
          break;
        }
      }
    }
    const repaired = sweep ? await this.repairStale() : 0;
    if (enqueued > 0 || repaired > 0) {
      this.logger.log(`Outbox relay enqueued ${enqueued} job(s), repaired ${repaired}`);
    }
    return { enqueued, repaired };
  }

  private async enqueue(source: OutboxSource, rows: PendingJob[]): Promise<void> {
    const now = this.clock.now().getTime();
    await source.queue.addBulk(
      rows.map((row) => ({
        name: source.name,
        data: source.payload(row.id),
        opts: {
          ...source.options,
          jobId: source.jobId(row.id),
          delay: Math.max(0, row.dueAt.getTime() - now),
        },
      })),
    );
  }

  /**
   * The safety net behind the epoch: a row overdue by more than STALE_AFTER_MS whose job is
   * gone (removed by hand) or failed for good (the database was away longer than the retries)
   * gets its job back. Jobs that are waiting or running are left alone.
   */
  private async repairStale(): Promise<number> {
    const dueBefore = new Date(this.clock.now().getTime() - STALE_AFTER_MS);
    let repaired = 0;
    for (const source of this.sources) {
      for (const row of await source.findStale(dueBefore, STALE_BATCH_SIZE)) {
        const jobId = source.jobId(row.id);
        const state = await source.queue.getJobState(jobId);
        if (state === 'failed') {
          await (await source.queue.getJob(jobId))?.retry('failed');
          repaired++;
        } else if (state === 'unknown' || state === 'completed') {
          await source.queue.remove(jobId);
          await this.enqueue(source, [row]);
          repaired++;
        }
      }
    }
    return repaired;
  }

  /** The current Redis's epoch, created on first use (and again after Redis lost everything). */
  private async redisEpoch(): Promise<string> {
    const key = outboxEpochKey(this.config.queue.prefix);
    const fresh = randomUUID();
    if ((await this.redis.set(key, fresh, 'NX')) === 'OK') {
      return fresh;
    }
    // Deleted between the two commands: the unsaved value only makes the next run redo work.
    return (await this.redis.get(key)) ?? fresh;
  }
}
