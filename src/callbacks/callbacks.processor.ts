import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ReferrersRepository } from '../auth/referrers.repository';
import { CaseCipher } from '../common/case-cipher';
import { Clock } from '../common/clock';
import { PiiCipher } from '../common/pii-cipher';
import { errorOncePerOutage } from '../follow-ups/queue-connections';
import { referrerStatusReason } from '../referrals/referral.types';
import { postCallback, CALLBACK_TIMEOUT_MS } from './callback-sender';
import { signCallback } from './callback-signature';
import { CallbackJob, CallbackJobName, DeliverCallbackPayload } from './callbacks.queue';
import { CallbacksRepository, ClaimedEvent, DeliveryOutcome } from './callbacks.repository';

/** An attempt holds its event this long: the request's timeout and ample time to record it. */
const CLAIM_LEASE_MS = CALLBACK_TIMEOUT_MS + 55_000;

export type CallbackOutcome = 'delivered' | 'gone' | 'cancelled' | 'already_settled';

/** The body a referrer receives: never a house, bed, room or address (API.md). */
export function callbackPayload(
  event: ClaimedEvent,
  readTyped: (stored: string) => string | null,
): Record<string, string | null> {
  return {
    event: 'referral.status_changed',
    eventId: event.id,
    referralId: event.referralId,
    externalReference: event.externalReference,
    status: event.status,
    statusReason: referrerStatusReason(event, readTyped),
    occurredAt: event.occurredAt.toISOString(),
  };
}

/**
 * The one worker of the callbacks queue: one signed POST per attempt. The event is claimed in
 * Postgres first, so that two workers (or a job the relay re-added) never post it at once, and
 * a settled event is never posted again. A failure is logged as an attempt and thrown, so BullMQ
 * retries it with the callback backoff; the last failure settles the event as failed.
 */
@Injectable()
export class CallbacksProcessor extends WorkerHost {
  private readonly logger = new Logger(CallbacksProcessor.name);
  private readonly workerError = errorOncePerOutage((m) => this.logger.warn(m));

  constructor(
    private readonly repository: CallbacksRepository,
    private readonly referrers: ReferrersRepository,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly cipher: PiiCipher,
    private readonly caseCipher: CaseCipher,
    private readonly clock: Clock,
  ) {
    super();
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.workerError(error);
  }

  async process(job: Job): Promise<CallbackOutcome> {
    const name = job.name as CallbackJobName;
    switch (name) {
      case CallbackJob.Deliver:
        return this.deliver(job as Job<DeliverCallbackPayload>);
      default: {
        const unknown: never = name;
        throw new UnrecoverableError(`Unknown job name ${String(unknown)}`);
      }
    }
  }

  private async deliver(job: Job<DeliverCallbackPayload>): Promise<CallbackOutcome> {
    const { eventId } = job.data;
    const event = await this.repository.claim(eventId, this.clock.now(), CLAIM_LEASE_MS);
    if (!event) {
      const status = await this.repository.findStatus(eventId);
      if (status === null) {
        throw new UnrecoverableError('Callback event no longer exists');
      }
      if (status !== 'pending') {
        return 'already_settled';
      }
      throw new Error('Callback event is being posted by another worker; later');
    }
    const callback = event.callback;
    if (!callback?.active) {
      await this.repository.cancel(eventId, this.clock.now());
      return 'cancelled';
    }

    // A referrer's own withdrawal reason is encrypted under the case's key (null once erased).
    const reader = await this.caseCipher.reader([event.referralId]);
    const body = JSON.stringify(callbackPayload(event, (stored) => reader.text(stored)));
    const attemptedAt = this.clock.now();
    const signature = signCallback(
      this.cipher.decrypt(callback.secretCipher),
      body,
      Math.floor(attemptedAt.getTime() / 1000),
    );
    const result = await postCallback(callback.url, body, {
      'x-refugio-event-id': eventId,
      'x-refugio-signature': signature,
    });
    const outcome: DeliveryOutcome =
      result.error === null ? 'delivered' : result.httpStatus === 410 ? 'gone' : 'failed';
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

    const attempt = {
      eventId,
      referrerId: event.referrerId,
      attempt: event.attempt,
      outcome,
      attemptedAt,
      ...result,
    };
    const settle = outcome !== 'failed' ? outcome : lastAttempt ? 'failed' : null;
    if (outcome !== 'gone') {
      // One statement (see recordAttempt): no transaction to hold a connection across round trips.
      await this.repository.recordAttempt(this.dataSource.manager, attempt, settle);
    } else {
      await this.dataSource.transaction(async (manager) => {
        await this.repository.recordAttempt(manager, attempt, settle);
        if (
          await this.referrers.disableCallback(manager, event.referrerId, callback.url, attemptedAt)
        ) {
          await this.audit.recordSystem(
            'referrer.callback_disabled',
            'referrer',
            event.referrerId,
            { eventId, httpStatus: 410 },
            manager,
          );
        }
      });
    }
    if (outcome === 'failed') {
      // The message is the attempt's error only: never the URL's query, the body or the secret.
      throw new Error(`Callback attempt ${event.attempt} failed: ${result.error}`);
    }
    return outcome;
  }
}
