import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { OutboxRelay, RelayReport } from './outbox-relay';
import { RelayJobName, RelayJob } from './follow-ups.queue';
import { errorOncePerOutage } from './queue-connections';

/** The one worker of the relay queue: runs the outbox relay each time the scheduler fires. */
@Injectable()
export class RelayProcessor extends WorkerHost {
  private readonly logger = new Logger(RelayProcessor.name);
  private readonly workerError = errorOncePerOutage((m) => this.logger.warn(m));

  constructor(private readonly relay: OutboxRelay) {
    super();
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.workerError(error);
  }

  async process(job: Job): Promise<RelayReport> {
    const name = job.name as RelayJobName;
    switch (name) {
      case RelayJob.Relay:
        return this.relay.runOnce();
      default: {
        const unknown: never = name;
        throw new UnrecoverableError(`Unknown job name ${String(unknown)}`);
      }
    }
  }
}
