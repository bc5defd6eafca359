import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runUpdate } from '../database/updates';
import { AlertFilter, AlertView } from './alerts.types';

const VIEW_COLUMNS = `
  a.id, a.house_id AS "houseId", a.kind, a.stay_id AS "stayId", a.follow_up_id AS "followUpId",
  a.legal_process_id AS "legalProcessId", a.due_at AS "dueAt", a.created_at AS "createdAt",
  a.status, a.acknowledged_at AS "acknowledgedAt", a.acknowledged_by AS "acknowledgedBy"`;

/**
 * The alerts table, written only here. Every raise is an INSERT … ON CONFLICT DO NOTHING on the
 * source's unique key, run in the transaction that records the source: a second delivery of
 * the same job, or a second worker, raises nothing.
 */
@Injectable()
export class AlertsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The alert of a reminder just recorded by the follow-ups queue. */
  async raiseForReminder(manager: EntityManager, reminderId: string, now: Date): Promise<boolean> {
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO alerts (house_id, kind, stay_id, follow_up_id, reminder_id, due_at, created_at)
       SELECT r.house_id,
              CASE r.kind WHEN 'follow_up_due' THEN 'follow_up_due'
                          WHEN 'term_ending_soon' THEN 'term_ending' ELSE 'term_ended' END,
              r.stay_id, r.follow_up_id, r.id, coalesce(f.due_at, t.term_ends_at), $2
       FROM reminders r
       LEFT JOIN follow_ups f ON f.id = r.follow_up_id
       LEFT JOIN term_alerts t ON t.id = r.term_alert_id
       WHERE r.id = $1
       ON CONFLICT DO NOTHING RETURNING id`,
      [reminderId, now],
    );
    return rows.length > 0;
  }

  /** A follow-up completed with the woman at risk: one open alert for the house, at once. */
  async raiseAtRisk(
    manager: EntityManager,
    source: { followUpId: string; houseId: string; stayId: string },
    now: Date,
  ): Promise<boolean> {
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO alerts (house_id, kind, stay_id, follow_up_id, due_at, created_at)
       VALUES ($1, 'at_risk', $2, $3, $4, $4)
       ON CONFLICT (follow_up_id) WHERE kind = 'at_risk' DO NOTHING RETURNING id`,
      [source.houseId, source.stayId, source.followUpId, now],
    );
    return rows.length > 0;
  }

  /** A hearing tomorrow, for the house of the stay whose legal process it is. */
  async raiseForHearing(
    manager: EntityManager,
    source: {
      hearingAlertId: string;
      houseId: string;
      stayId: string;
      legalProcessId: string;
      hearingAt: Date;
    },
    now: Date,
  ): Promise<boolean> {
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO alerts (house_id, kind, stay_id, legal_process_id, hearing_alert_id, due_at, created_at)
       VALUES ($1, 'hearing_soon', $2, $3, $4, $5, $6)
       ON CONFLICT (hearing_alert_id) DO NOTHING RETURNING id`,
      [
        source.houseId,
        source.stayId,
        source.legalProcessId,
        source.hearingAlertId,
        source.hearingAt,
        now,
      ],
    );
    return rows.length > 0;
  }

  /**
   * A hold_expiring alert for each live hold that ends within `minutesBefore`: one per hold by
   * the alert's unique hold_id, so a replayed sweep raises nothing new.
   */
  raiseHoldExpiring(
    manager: EntityManager,
    now: Date,
    minutesBefore: number,
  ): Promise<{ id: string; holdId: string; houseId: string }[]> {
    return manager.query(
      `INSERT INTO alerts (house_id, kind, hold_id, due_at, created_at)
       SELECT h.house_id, 'hold_expiring', h.id, h.expires_at, $1
       FROM holds h
       WHERE h.status = 'held' AND h.expires_at > $1
         AND h.expires_at <= $1::timestamptz + make_interval(mins => $2)
       ON CONFLICT (hold_id) DO NOTHING
       RETURNING id, hold_id AS "holdId", house_id AS "houseId"`,
      [now, minutesBefore],
    );
  }

  /** A provisional stay's order overdue: one alert per order alert (so per stay). */
  async raiseForOrder(
    manager: EntityManager,
    source: { orderAlertId: string; houseId: string; stayId: string; orderDueBy: Date },
    now: Date,
  ): Promise<boolean> {
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO alerts (house_id, kind, stay_id, order_alert_id, due_at, created_at)
       VALUES ($1, 'order_overdue', $2, $3, $4, $5)
       ON CONFLICT (order_alert_id) DO NOTHING RETURNING id`,
      [source.houseId, source.stayId, source.orderAlertId, source.orderDueBy, now],
    );
    return rows.length > 0;
  }

  findMany(filter: AlertFilter): Promise<AlertView[]> {
    return this.dataSource.query<AlertView[]>(
      `SELECT ${VIEW_COLUMNS} FROM alerts a
       WHERE ($1::uuid IS NULL OR a.house_id = $1)
         AND ($2::text IS NULL OR a.status = $2)
         AND ($3::text IS NULL OR a.kind = $3)
       ORDER BY a.created_at DESC, a.id DESC
       LIMIT $4`,
      [filter.houseId, filter.status, filter.kind, filter.limit],
    );
  }

  async findById(id: string): Promise<AlertView | null> {
    const rows = await this.dataSource.query<AlertView[]>(
      `SELECT ${VIEW_COLUMNS} FROM alerts a WHERE a.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Conditional: only an open alert is acknowledged, and only once, whoever asks first. */
  async acknowledge(
    manager: EntityManager,
    id: string,
    userId: string,
    now: Date,
  ): Promise<AlertView | null> {
    const { rows } = await runUpdate<AlertView>(
      manager,
      `UPDATE alerts a SET status = 'acknowledged', acknowledged_at = $3, acknowledged_by = $2
       WHERE a.id = $1 AND a.status = 'open' RETURNING ${VIEW_COLUMNS}`,
      [id, userId, now],
    );
    return rows[0] ?? null;
  }
}
