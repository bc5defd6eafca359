import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runUpdate } from '../database/updates';
import { PendingJob, PendingState, unrelayed } from '../follow-ups/follow-ups.repository';

export interface OrderAlertOutcome {
  status: 'sent' | 'cancelled';
  houseId: string;
  stayId: string;
  orderDueBy: Date;
}

/**
 * The provisional orders' outbox (`order_alerts`), one row per stay admitted provisionally,
 * written by the stay's INSERT trigger (see the provisional-admission migration), cancelled when
 * the order is attached, relayed into BullMQ by the follow-ups relay and settled once by its job.
 */
@Injectable()
export class OrderAlertsRepository {
  constructor(private readonly dataSource: DataSource) {}

  // --- the outbox relay ---

  findUnrelayed(epoch: string, limit: number): Promise<PendingJob[]> {
    return this.dataSource.query<PendingJob[]>(unrelayed('order_alerts'), [epoch, limit]);
  }

  async markRelayed(ids: string[], epoch: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE order_alerts SET relayed_epoch = $2 WHERE id = ANY($1::uuid[]) AND status = 'scheduled'`,
      [ids, epoch],
    );
  }

  findStale(dueBefore: Date, limit: number): Promise<PendingJob[]> {
    return this.dataSource.query<PendingJob[]>(
      `SELECT id, due_at AS "dueAt" FROM order_alerts
       WHERE status = 'scheduled' AND due_at < $1 ORDER BY due_at LIMIT $2`,
      [dueBefore, limit],
    );
  }

  // --- the processor ---

  async findState(id: string): Promise<PendingState | null> {
    const rows = await this.dataSource.query<PendingState[]>(
      `SELECT status, due_at AS "dueAt" FROM order_alerts WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * Sent when the stay is still provisional and active at its due time; otherwise stale (the
   * order came, or she left, and nothing is overdue). Conditional on `scheduled`, so a job run
   * twice settles the row once. The alert goes to the house the stay is in now.
   */
  async settle(manager: EntityManager, id: string, now: Date): Promise<OrderAlertOutcome | null> {
    const { rows } = await runUpdate<OrderAlertOutcome>(
      manager,
      `WITH target AS (
         SELECT a.id, s.house_id, s.id AS stay_id, s.order_due_by,
                (s.provisional AND s.status = 'active') AS applies
         FROM order_alerts a JOIN stays s ON s.id = a.stay_id
         WHERE a.id = $1 AND a.status = 'scheduled' AND a.due_at <= $2
         FOR NO KEY UPDATE OF a
       )
       UPDATE order_alerts a
       SET status = CASE WHEN target.applies THEN 'sent' ELSE 'cancelled' END,
           sent_at = CASE WHEN target.applies THEN $2::timestamptz END,
           cancelled_at = CASE WHEN target.applies THEN NULL ELSE $2::timestamptz END,
           cancel_reason = CASE WHEN target.applies THEN NULL ELSE 'stale' END
       FROM target WHERE a.id = target.id AND a.status = 'scheduled'
       RETURNING a.status, target.house_id AS "houseId", target.stay_id AS "stayId",
                 target.order_due_by AS "orderDueBy"`,
      [id, now],
    );
    return rows[0] ?? null;
  }
}
