import { InjectQueue, OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue, UnrecoverableError } from 'bullmq';
import { DateTime } from 'luxon';
import { Clock } from '../common/clock';
import { Config } from '../config/config';
import { errorOncePerOutage } from '../follow-ups/queue-connections';
import { CaseKeysRepository } from './case-keys.repository';
import { ErasureService } from './erasure.service';

export const RETENTION_QUEUE = 'retention';
export const RETENTION_JOB = 'erase-expired';
const RETENTION_SCHEDULER_ID = 'retention-daily';
/** Every day at 03:30 in TZ_SERVICE, when nobody is on the dashboard. */
const RETENTION_PATTERN = '30 3 * * *';
const BATCH = 100;

/**
 * Retention (API.md, "Data protection"): erases the cases whose last exit is older than
 * RETENTION_YEARS, a batch at a time (each batch one erasure), until none is due; and finishes
 * erasures whose key store step failed earlier. Idempotent: an erased case is never due again,
 * and two runs at once erase a case at most once (its erasure is conditional on not being erased).
 */
@Injectable()
export class Retention {
  private readonly logger = new Logger(Retention.name);

  constructor(
    private readonly repository: CaseKeysRepository,
    private readonly erasure: ErasureService,
    private readonly clock: Clock,
    private readonly config: Config,
  ) {}

  async run(): Promise<{ erased: number; keysFinished: number }> {
    const keysFinished = await this.erasure.finishPending();
    const before = DateTime.fromJSDate(this.clock.now())
      .minus({ years: this.config.retention.years })
      .toJSDate();
    let erased = 0;
    for (;;) {
      const due = await this.repository.findDueForRetention(before, BATCH);
      if (due.length === 0) {
        break;
      }
      erased += (await this.erasure.erase(null, due, 'retention')).length;
    }
    if (erased > 0 || keysFinished > 0) {
      this.logger.log(
        `Retention: erased ${erased} case(s) whose last exit is older than ${this.config.retention.years} year(s)` +
          (keysFinished > 0 ? `; finished ${keysFinished} earlier erasure(s)` : ''),
      );
    }
    return { erased, keysFinished };
  }
}

/** Keeps the daily job scheduler in Redis (upsert: every instance may do it at start). */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(RetentionScheduler.name);

  constructor(
    @InjectQueue(RETENTION_QUEUE) private readonly queue: Queue,
    private readonly config: Config,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.queue.on(
      'error',
      errorOncePerOutage((m) => this.logger.warn(m)),
    );
    try {
      await this.queue.upsertJobScheduler(
        RETENTION_SCHEDULER_ID,
        { pattern: RETENTION_PATTERN, tz: this.config.time.zone },
        { name: RETENTION_JOB, data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
      );
    } catch {
      // Redis is away at start-up; the next start schedules it (erasure by hand still works).
    }
  }
}

@Injectable()
export class RetentionProcessor extends WorkerHost {
  private readonly logger = new Logger(RetentionProcessor.name);
  private readonly workerError = errorOncePerOutage((m) => this.logger.warn(m));

  constructor(private readonly retention: Retention) {
    super();
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.workerError(error);
  }

  async process(job: Job): Promise<{ erased: number; keysFinished: number }> {
    if (job.name !== RETENTION_JOB) {
      throw new UnrecoverableError(`Unknown job name ${job.name}`);
    }
    return this.retention.run();
  }
}
