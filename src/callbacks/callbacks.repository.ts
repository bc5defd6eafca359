import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runUpdate } from '../database/updates';
import { ReferrerCallback } from '../auth/referrers.repository';
import { PendingJob, unrelayed } from '../follow-ups/follow-ups.repository';
import { ReferralStatus, RejectionReasonCode } from '../referrals/referral.types';

export const DELIVERY_OUTCOMES = ['delivered', 'failed', 'gone'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/** An event a worker holds for one attempt, with what its payload needs. */
export interface ClaimedEvent {
  id: string;
  referrerId: string;
  referralId: string;
  externalReference: string;
  status: ReferralStatus;
  statusReasonCode: RejectionReasonCode | null;
  /** The referral's free text and whether the referrer typed it (only then is it hers to read). */
  statusReason: string | null;
  statusReasonByReferrer: boolean;
  occurredAt: Date;
  /** 1 for the first attempt. */
  attempt: number;
  /** The referrer's callback; null when she has none or her key is revoked. */
  callback: ReferrerCallback | null;
}

type ClaimedRow = Omit<ClaimedEvent, 'callback'> & {
  callbackUrl: string | null;
  callbackSecretCipher: string | null;
  callbackActive: boolean;
};

export interface Attempt {
  eventId: string;
  referrerId: string;
  attempt: number;
  outcome: DeliveryOutcome;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: Date;
}

export interface DeliveryView {
  eventId: string;
  referralId: string;
  referralStatus: ReferralStatus;
  attempt: number;
  status: DeliveryOutcome;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: Date;
}

export interface CallbackBacklog {
  pending: number;
  oldestCreatedAt: Date | null;
}

/**
 * The callback outbox (`callback_events`, filled by the `referrals_status_callback` trigger)
 * and its delivery log. Events are settled only through conditional updates, so a job run
 * twice, or by two workers, settles an event once.
 */
@Injectable()
export class CallbacksRepository {
  constructor(private readonly dataSource: DataSource) {}

  // --- the outbox relay ---

  findUnrelayed(epoch: string, limit: number): Promise<PendingJob[]> {
    return this.dataSource.query<PendingJob[]>(
      unrelayed('callback_events', { pending: 'pending', due: 'created_at' }),
      [epoch, limit],
    );
  }

  async markRelayed(ids: string[], epoch: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE callback_events SET relayed_epoch = $2 WHERE id = ANY($1::uuid[]) AND status = 'pending'`,
      [ids, epoch],
    );
  }

  findStale(createdBefore: Date, limit: number): Promise<PendingJob[]> {
    return this.dataSource.query<PendingJob[]>(
      `SELECT id, created_at AS "dueAt" FROM callback_events
       WHERE status = 'pending' AND created_at < $1 ORDER BY created_at LIMIT $2`,
      [createdBefore, limit],
    );
  }

  // --- the processor ---

  /**
   * Takes the event for one attempt until `now + leaseMs`: pending and held by nobody else.
   * Null when it is settled, gone, or another worker is posting it right now. The referrer's
   * callback comes in the same statement: a round trip less per attempt.
   */
  async claim(id: string, now: Date, leaseMs: number): Promise<ClaimedEvent | null> {
    const { rows } = await runUpdate<ClaimedRow>(
      this.dataSource,
      `UPDATE callback_events e
       SET attempts = e.attempts + 1, claimed_until = $2::timestamptz + make_interval(secs => $3)
       FROM referrals r, referrers f
       WHERE e.id = $1 AND r.id = e.referral_id AND f.id = e.referrer_id
         AND e.status = 'pending' AND (e.claimed_until IS NULL OR e.claimed_until < $2)
       RETURNING e.id, e.referrer_id AS "referrerId", e.referral_id AS "referralId",
                 r.external_reference AS "externalReference", e.referral_status AS status,
                 e.status_reason_code AS "statusReasonCode", r.status_reason AS "statusReason",
                 r.status_reason_by_referrer AS "statusReasonByReferrer",
                 e.occurred_at AS "occurredAt", e.attempts AS attempt,
                 CASE WHEN f.revoked_at IS NULL THEN f.callback_url END AS "callbackUrl",
                 f.callback_secret AS "callbackSecretCipher",
                 (f.callback_disabled_at IS NULL) AS "callbackActive"`,
      [id, now, leaseMs / 1000],
    );
    if (rows.length === 0) {
      return null;
    }
    const { callbackUrl, callbackSecretCipher, callbackActive, ...event } = rows[0];
    return {
      ...event,
      callback:
        callbackUrl !== null && callbackSecretCipher !== null
          ? { url: callbackUrl, secretCipher: callbackSecretCipher, active: callbackActive }
          : null,
    };
  }

  async findStatus(id: string): Promise<string | null> {
    const rows = await this.dataSource.query<{ status: string }[]>(
      'SELECT status FROM callback_events WHERE id = $1',
      [id],
    );
    return rows[0]?.status ?? null;
  }

  /** The referrer has no callback any more (removed, revoked, or a 410): nothing to send. */
  async cancel(id: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE callback_events SET status = 'cancelled', settled_at = $2, claimed_until = NULL
       WHERE id = $1 AND status = 'pending'`,
      [id, now],
    );
  }

  /**
   * Logs the attempt and releases the event; `settle` (delivered, gone, or failed for good)
   * ends it, null leaves it pending for the next retry. One statement, so both commit together
   * even outside a transaction: one round trip per attempt instead of four, which is what the
   * worker's throughput hangs on while requests hold the pool.
   */
  async recordAttempt(
    manager: EntityManager,
    attempt: Attempt,
    settle: 'delivered' | 'gone' | 'failed' | null,
  ): Promise<void> {
    await manager.query(
      `WITH logged AS (
         INSERT INTO callback_deliveries (event_id, referrer_id, attempt, outcome, http_status,
                                          error, duration_ms, attempted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8))
       UPDATE callback_events
       SET claimed_until = NULL, status = coalesce($9, status),
           settled_at = CASE WHEN $9::text IS NULL THEN NULL ELSE $8::timestamptz END
       WHERE id = $1 AND status = 'pending'`,
      [
        attempt.eventId,
        attempt.referrerId,
        attempt.attempt,
        attempt.outcome,
        attempt.httpStatus,
        attempt.error,
        attempt.durationMs,
        attempt.attemptedAt,
        settle,
      ],
    );
  }

  // --- reads ---

  findDeliveries(referrerId: string, limit: number): Promise<DeliveryView[]> {
    return this.dataSource.query<DeliveryView[]>(
      `SELECT d.event_id AS "eventId", e.referral_id AS "referralId",
              e.referral_status AS "referralStatus", d.attempt, d.outcome AS status,
              d.http_status AS "httpStatus", d.error, d.duration_ms AS "durationMs",
              d.attempted_at AS "attemptedAt"
       FROM callback_deliveries d JOIN callback_events e ON e.id = d.event_id
       WHERE d.referrer_id = $1
       ORDER BY d.attempted_at DESC, d.id DESC LIMIT $2`,
      [referrerId, limit],
    );
  }

  /** Events not yet delivered (for GET /metrics): how many, and since when. */
  async findBacklog(): Promise<CallbackBacklog> {
    const rows = await this.dataSource.query<CallbackBacklog[]>(
      `SELECT count(*)::int AS pending, min(created_at) AS "oldestCreatedAt"
       FROM callback_events WHERE status = 'pending'`,
    );
    return rows[0];
  }
}
