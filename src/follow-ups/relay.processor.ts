import { WorkerHost } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { OutboxRelay, RelayReport } from './outbox-relay';
import { RelayJobName, RelayJob } from './follow-ups.queue';

/** The one worker of the relay queue: runs the outbox relay each time the scheduler fires. */
@Injectable()
export class RelayProcessor extends WorkerHost {
  constructor(private readonly relay: OutboxRelay) {
    super();
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
