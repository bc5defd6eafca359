import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Config } from '../config/config';
import { FOLLOW_UPS_RELAY_QUEUE, RELAY_SCHEDULER_ID, RelayJob } from './follow-ups.queue';
import { OutboxRelay } from './outbox-relay';

/** How often a worker process checks that the relay's job scheduler still exists in Redis. */
const WATCH_EVERY_MS = 2000;

/**
 * Runs the relay at start-up and keeps its BullMQ job scheduler in place. A Redis that comes
 * back empty has lost the scheduler too; the watch puts it back and runs the relay at once, so
 * Redis need not be right for the relay to restore Redis.
 */
@Injectable()
export class RelayScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RelayScheduler.name);
  private timer?: NodeJS.Timeout;
  private checking = false;

  constructor(
    @InjectQueue(FOLLOW_UPS_RELAY_QUEUE) private readonly relayQueue: Queue,
    private readonly relay: OutboxRelay,
    private readonly config: Config,
  ) {}

  onApplicationBootstrap(): void {
    this.relay.trigger();
    void this.ensureScheduler();
    this.timer = setInterval(() => void this.ensureScheduler(), WATCH_EVERY_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async ensureScheduler(): Promise<void> {
    if (this.checking) {
      return;
    }
    this.checking = true;
    try {
      if (await this.relayQueue.getJobScheduler(RELAY_SCHEDULER_ID)) {
        return;
      }
      await this.relayQueue.upsertJobScheduler(
        RELAY_SCHEDULER_ID,
        { every: this.config.followUps.relayEveryMs },
        { name: RelayJob.Relay, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
      );
      this.logger.log(`Outbox relay scheduled every ${this.config.followUps.relayEveryMs} ms`);
      this.relay.trigger();
    } catch {
      // Redis is away; the Redis client logs that once, and the next check tries again.
    } finally {
      this.checking = false;
    }
  }
}
