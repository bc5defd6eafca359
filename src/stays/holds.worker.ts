import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Config } from '../config/config';
import { AppRole } from '../config/environment';
import {
  errorOncePerOutage,
  producerConnection,
  workerConnection,
} from '../follow-ups/queue-connections';
import { HoldsService, SweepReport } from './holds.service';
import {
  HOLDS_QUEUE,
  HOLDS_SWEEP_EVERY_MS,
  HOLDS_SWEEP_SCHEDULER_ID,
  HoldsJob,
  HoldsJobName,
} from './holds.queue';

/**
 * Runs the holds sweep in worker processes (APP_ROLE worker or all): keeps its job scheduler in
 * Redis (put back when Redis returns empty) and processes its jobs. Built by hand rather than
 * with @Processor because its settings come from the validated environment.
 */
@Injectable()
export class HoldsWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HoldsWorker.name);
  private queue?: Queue;
  private worker?: Worker;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly holds: HoldsService,
    private readonly config: Config,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.app.role === AppRole.Api) {
      return;
    }
    const warn = errorOncePerOutage((m) => this.logger.warn(m));
    this.queue = new Queue(HOLDS_QUEUE, {
      connection: producerConnection(this.config.redis.url),
      prefix: this.config.queue.prefix,
    });
    this.queue.on('error', warn);
    this.worker = new Worker(HOLDS_QUEUE, (job) => this.process(job), {
      connection: workerConnection(this.config.redis.url),
      prefix: this.config.queue.prefix,
      lockDuration: this.config.queue.lockDurationMs,
      stalledInterval: this.config.queue.stalledIntervalMs,
      concurrency: 1,
    });
    this.worker.on('error', warn);
    void this.ensureScheduler();
    this.timer = setInterval(() => void this.ensureScheduler(), HOLDS_SWEEP_EVERY_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.worker?.close();
    await this.queue?.close();
  }

  async process(job: Job): Promise<SweepReport> {
    const name = job.name as HoldsJobName;
    switch (name) {
      case HoldsJob.Sweep: {
        const report = await this.holds.sweep();
        if (report.expired > 0 || report.alerted > 0) {
          this.logger.log(`Holds sweep: ${report.expired} expired, ${report.alerted} alerted`);
        }
        return report;
      }
      default: {
        const unknown: never = name;
        throw new UnrecoverableError(`Unknown job name ${String(unknown)}`);
      }
    }
  }

  private async ensureScheduler(): Promise<void> {
    try {
      if (this.queue && !(await this.queue.getJobScheduler(HOLDS_SWEEP_SCHEDULER_ID))) {
        await this.queue.upsertJobScheduler(
          HOLDS_SWEEP_SCHEDULER_ID,
          { every: HOLDS_SWEEP_EVERY_MS },
          { name: HoldsJob.Sweep, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
        );
      }
    } catch {
      // Redis is away; the queue's error listener said so once, the next check tries again.
    }
  }
}
