import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runUpdate } from '../database/updates';
import { PendingJob, PendingState, unrelayed } from '../follow-ups/follow-ups.repository';

/** A hearing is announced this long before it starts. */
export const HEARING_ALERT_HOURS_BEFORE = 24;

export interface HearingAlertOutcome {
  status: 'sent' | 'cancelled';
  houseId: string;
  stayId: string;
  legalProcessId: string;
  hearingAt: Date;
}

/**
 * The hearing alerts outbox, written only here: scheduled by casework in the transaction that
 * sets a hearing date, relayed into BullMQ by the follow-ups relay, settled once by its job.
 */
@Injectable()
export class HearingAlertsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The process's hearing is now `hearingAt` (or none): the pending alert for another date is
   * cancelled and one for the new date placed. Setting the same date again changes nothing.
   */
  async reschedule(
    manager: EntityManager,
    legalProcessId: string,
    hearingAt: Date | null,
    now: Date,
  ): Promise<void> {
    await runUpdate(
      manager,
      `UPDATE hearing_alerts SET status = 'cancelled', cancelled_at = $3, cancel_reason = 'rescheduled'
       WHERE legal_process_id = $1 AND status = 'scheduled'
         AND ($2::timestamptz IS NULL OR hearing_at <> $2)`,
      [legalProcessId, hearingAt, now],
    );
    if (hearingAt !== null) {
      await manager.query(
        `INSERT INTO hearing_alerts (legal_process_id, hearing_at, due_at)
         VALUES ($1, $2, $2::timestamptz - make_interval(hours => $3))
         ON CONFLICT (legal_process_id) WHERE status = 'scheduled' DO NOTHING`,
        [legalProcessId, hearingAt, HEARING_ALERT_HOURS_BEFORE],
      );
    }
  }

  // --- the outbox relay ---

  findUnrelayed(epoch: string, limit: number): Promise<PendingJob[]> {
    return this.dataSource.query<PendingJob[]>(unrelayed('hearing_alerts'), [epoch, limit]);
  }

  async markRelayed(ids: string[], epoch: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE hearing_alerts SET relayed_epoch = $2 WHERE id = ANY($1::uuid[]) AND status = 'scheduled'`,
      [ids, epoch],
    );
  }

  findStale(dueBefore: Date, limit: number): Promise<PendingJob[]> {
    return this.dataSource.query<PendingJob[]>(
      `SELECT id, due_at AS "dueAt" FROM hearing_alerts
       WHERE status = 'scheduled' AND due_at < $1 ORDER BY due_at LIMIT $2`,
      [dueBefore, limit],
    );
  }

  // --- the processor ---

  async findState(id: string): Promise<PendingState | null> {
    const rows = await this.dataSource.query<PendingState[]>(
      `SELECT status, due_at AS "dueAt" FROM hearing_alerts WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * Sent when the process still has this hearing and is not closed; otherwise stale. The alert
   * goes to the house the stay is in now (or left, for a process followed after egress).
   */
  async settle(manager: EntityManager, id: string, now: Date): Promise<HearingAlertOutcome | null> {
    const { rows } = await runUpdate<HearingAlertOutcome>(
      manager,
      `WITH target AS (
         SELECT h.id, s.house_id, s.id AS stay_id, p.id AS legal_process_id, h.hearing_at,
                (p.next_hearing_at = h.hearing_at AND p.status <> 'closed') AS applies
         FROM hearing_alerts h
         JOIN legal_processes p ON p.id = h.legal_process_id
         JOIN stays s ON s.id = p.stay_id
         WHERE h.id = $1 AND h.status = 'scheduled' AND h.due_at <= $2
         FOR NO KEY UPDATE OF h
       )
       UPDATE hearing_alerts h
       SET status = CASE WHEN target.applies THEN 'sent' ELSE 'cancelled' END,
           sent_at = CASE WHEN target.applies THEN $2::timestamptz END,
           cancelled_at = CASE WHEN target.applies THEN NULL ELSE $2::timestamptz END,
           cancel_reason = CASE WHEN target.applies THEN NULL ELSE 'stale' END
       FROM target WHERE h.id = target.id AND h.status = 'scheduled'
       RETURNING h.status, target.house_id AS "houseId", target.stay_id AS "stayId",
                 target.legal_process_id AS "legalProcessId", target.hearing_at AS "hearingAt"`,
      [id, now],
    );
    return rows[0] ?? null;
  }
}
