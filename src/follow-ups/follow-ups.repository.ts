import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runUpdate } from '../database/updates';
import { PlannedFollowUp, PlannedTermAlert, TermAlertKind } from './follow-up-schedule';

export type FollowUpStatus = 'scheduled' | 'due' | 'completed' | 'cancelled';
export type FollowUpOutcome = 'contacted' | 'not_reachable' | 'declined';
export type FollowUpCancelReason = 'readmitted' | 'consent_withdrawn' | 'consent_expired';

export interface FollowUpView {
  id: string;
  stayId: string;
  houseId: string;
  sequence: number;
  dueAt: Date;
  status: FollowUpStatus;
  remindersSent: number;
  outcome: FollowUpOutcome | null;
  completedAt: Date | null;
  becameDueAt: Date | null;
  cancelledAt: Date | null;
  cancelReason: FollowUpCancelReason | null;
}

export interface FollowUpRecord extends FollowUpView {
  /** Encrypted; decrypted by the service only when a person asks for this one follow-up. */
  notesCipher: string | null;
  /** The case whose key encrypts its notes and situation. */
  referralId: string;
}

export interface FollowUpFilter {
  status?: FollowUpStatus;
  houseId?: string;
  stayId?: string;
}

/** A row the relay must (re)enqueue: its id and when it falls due. */
export interface PendingJob {
  id: string;
  dueAt: Date;
}

export interface PendingState {
  status: string;
  dueAt: Date;
}

export interface Became {
  houseId: string;
  stayId: string;
}

export interface TermAlertOutcome {
  status: 'sent' | 'cancelled';
  kind: TermAlertKind;
  houseId: string;
  stayId: string;
}

export interface NewReminder {
  kind: 'follow_up_due' | TermAlertKind;
  houseId: string;
  stayId: string;
  followUpId?: string;
  termAlertId?: string;
}

/**
 * The tables the outbox relay reads (see OutboxRelay; hearing_alerts and order_alerts have the
 * same columns).
 */
export const OUTBOX_TABLES = [
  'follow_ups',
  'term_alerts',
  'hearing_alerts',
  'order_alerts',
] as const;
export type OutboxTable = (typeof OUTBOX_TABLES)[number];

export interface OutboxBacklog {
  outbox: OutboxTable;
  pending: number;
  oldestCreatedAt: Date;
}

const VIEW_COLUMNS = `
  f.id, f.stay_id AS "stayId", f.house_id AS "houseId", f.sequence, f.due_at AS "dueAt",
  f.status, f.outcome, f.completed_at AS "completedAt", f.became_due_at AS "becameDueAt",
  f.cancelled_at AS "cancelledAt", f.cancel_reason AS "cancelReason",
  (SELECT count(*)::int FROM reminders r WHERE r.follow_up_id = f.id) AS "remindersSent"`;

/**
 * Pending rows (`scheduled`, or the table's own word) not enqueued into the Redis epoch $1,
 * earliest due first, $2 at most. Three
 * branches instead of `IS DISTINCT FROM`, so that each is a range of the (epoch, due) index and
 * the rows already in the current epoch, nearly all of them, are never read.
 */
export function unrelayed(
  table: OutboxTable | 'callback_events',
  { pending = 'scheduled', due = 'due_at' } = {},
): string {
  return `(SELECT id, ${due} AS "dueAt" FROM ${table}
           WHERE status = '${pending}' AND relayed_epoch IS NULL ORDER BY ${due} LIMIT $2)
          UNION ALL
          (SELECT id, ${due} FROM ${table}
           WHERE status = '${pending}' AND relayed_epoch < $1 ORDER BY ${due} LIMIT $2)
          UNION ALL
          (SELECT id, ${due} FROM ${table}
           WHERE status = '${pending}' AND relayed_epoch > $1 ORDER BY ${due} LIMIT $2)
          ORDER BY "dueAt" LIMIT $2`;
}

@Injectable()
export class FollowUpsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The stay's pending term alerts cancelled and its follow-ups written, idempotent per (stay,
   * sequence): the migration's function, which the egress's own call (stays_egress) runs too.
   */
  async scheduleAfterEgress(
    manager: EntityManager,
    stay: { id: string; houseId: string; referralId: string },
    planned: PlannedFollowUp[],
    now: Date,
  ): Promise<void> {
    await manager.query('SELECT follow_ups_schedule_after_egress($1, $2, $3, $4, $5, $6, $7)', [
      stay.id,
      stay.houseId,
      stay.referralId,
      planned.map((p) => p.sequence),
      planned.map((p) => p.offset),
      planned.map((p) => p.dueAt),
      now,
    ]);
  }

  async cancelPendingTermAlerts(
    manager: EntityManager,
    stayId: string,
    reason: 'rescheduled',
    now: Date,
  ): Promise<number> {
    const { rows } = await runUpdate<{ id: string }>(
      manager,
      `UPDATE term_alerts SET status = 'cancelled', cancelled_at = $3, cancel_reason = $2
       WHERE stay_id = $1 AND status = 'scheduled' RETURNING id`,
      [stayId, reason, now],
    );
    return rows.length;
  }

  async insertTermAlerts(
    manager: EntityManager,
    stayId: string,
    termEndsAt: Date,
    planned: PlannedTermAlert[],
  ): Promise<void> {
    await manager.query(
      `INSERT INTO term_alerts (stay_id, kind, term_ends_at, due_at)
       SELECT $1, p.kind, $2, p.due_at FROM unnest($3::text[], $4::timestamptz[]) AS p (kind, due_at)`,
      [stayId, termEndsAt, planned.map((p) => p.kind), planned.map((p) => p.dueAt)],
    );
  }

  /**
   * Cancels the pending (scheduled or due) follow-ups of the woman of this referral: those of
   * the referral itself and of every earlier referral with the same document.
   */
  async cancelPendingFollowUpsOfWoman(
    manager: EntityManager,
    referralId: string,
    now: Date,
  ): Promise<number> {
    // One rule for this and the admission's own statement (stays_admit): the migration's function.
    const [{ cancelled }] = await manager.query<{ cancelled: number }[]>(
      'SELECT follow_ups_cancel_for_readmission($1, $2) AS cancelled',
      [referralId, now],
    );
    return cancelled;
  }

  /**
   * The stay's pending (scheduled or due) follow-ups that her current consent no longer covers:
   * all of them without a grant, those due from its expiry on with one. Their queued jobs find
   * them cancelled and record nothing.
   */
  async cancelPendingForConsent(
    manager: EntityManager,
    stayId: string,
    consent: { granted: boolean; expiresAt: Date | null },
    now: Date,
  ): Promise<number> {
    const { rows } = await runUpdate<{ id: string }>(
      manager,
      `UPDATE follow_ups
       SET status = 'cancelled', cancelled_at = $4, updated_at = $4,
           cancel_reason = CASE WHEN $2 THEN 'consent_expired' ELSE 'consent_withdrawn' END
       WHERE stay_id = $1 AND status IN ('scheduled', 'due')
         AND (NOT $2 OR ($3::timestamptz IS NOT NULL AND due_at >= $3))
       RETURNING id`,
      [stayId, consent.granted, consent.expiresAt, now],
    );
    return rows.length;
  }

  // --- the outbox relay ---

  findUnrelayedFollowUps(epoch: string, limit: number): Promise<PendingJob[]> {
    return this.dataSource.query<PendingJob[]>(unrelayed('follow_ups'), [epoch, limit]);
  }

  async markFollowUpsRelayed(ids: string[], epoch: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE follow_ups SET relayed_epoch = $2 WHERE id = ANY($1::uuid[]) AND status = 'scheduled'`,
      [ids, epoch],
    );
  }

  findUnrelayedTermAlerts(epoch: string, limit: number): Promise<PendingJob[]> {
    return this.dataSource.query<PendingJob[]>(unrelayed('term_alerts'), [epoch, limit]);
  }

  async markTermAlertsRelayed(ids: string[], epoch: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE term_alerts SET relayed_epoch = $2 WHERE id = ANY($1::uuid[]) AND status = 'scheduled'`,
      [ids, epoch],
    );
  }

  /**
   * What the relay has not yet handed to Redis, per outbox table: rows never enqueued, and,
   * when the current epoch is known, rows enqueued into an earlier Redis (which lost them).
   * The same index branches as `unrelayed`; normally they hold a handful of rows.
   */
  async findOutboxBacklog(epoch: string | null): Promise<OutboxBacklog[]> {
    const branches = (table: OutboxTable) =>
      [
        `SELECT '${table}' AS outbox, created_at FROM ${table}
         WHERE status = 'scheduled' AND relayed_epoch IS NULL`,
        ...(epoch === null
          ? []
          : [
              `SELECT '${table}', created_at FROM ${table}
               WHERE status = 'scheduled' AND relayed_epoch < $1`,
              `SELECT '${table}', created_at FROM ${table}
               WHERE status = 'scheduled' AND relayed_epoch > $1`,
            ]),
      ].join(' UNION ALL ');
    return this.dataSource.query<OutboxBacklog[]>(
      `SELECT outbox, count(*)::int AS pending, min(created_at) AS "oldestCreatedAt"
       FROM (${OUTBOX_TABLES.map(branches).join(' UNION ALL ')}) AS backlog
       GROUP BY outbox`,
      epoch === null ? [] : [epoch],
    );
  }

  /** Still scheduled well after their due time: their job was lost or failed for good. */
  findStaleFollowUps(dueBefore: Date, limit: number): Promise<PendingJob[]> {
    return this.dataSource.query<PendingJob[]>(
      `SELECT id, due_at AS "dueAt" FROM follow_ups
       WHERE status = 'scheduled' AND due_at < $1 ORDER BY due_at LIMIT $2`,
      [dueBefore, limit],
    );
  }

  findStaleTermAlerts(dueBefore: Date, limit: number): Promise<PendingJob[]> {
    return this.dataSource.query<PendingJob[]>(
      `SELECT id, due_at AS "dueAt" FROM term_alerts
       WHERE status = 'scheduled' AND due_at < $1 ORDER BY due_at LIMIT $2`,
      [dueBefore, limit],
    );
  }

  // --- the processor ---

  async findFollowUpState(id: string): Promise<PendingState | null> {
    const rows = await this.dataSource.query<PendingState[]>(
      `SELECT status, due_at AS "dueAt" FROM follow_ups WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The conditional update that makes "falls due exactly once" true under any redelivery. */
  async markFollowUpDue(manager: EntityManager, id: string, now: Date): Promise<Became | null> {
    const { rows } = await runUpdate<Became>(
      manager,
      `UPDATE follow_ups SET status = 'due', became_due_at = $2, updated_at = $2
       WHERE id = $1 AND status = 'scheduled' AND due_at <= $2
       RETURNING house_id AS "houseId", stay_id AS "stayId"`,
      [id, now],
    );
    return rows[0] ?? null;
  }

  async findTermAlertState(id: string): Promise<PendingState | null> {
    const rows = await this.dataSource.query<PendingState[]>(
      `SELECT status, due_at AS "dueAt" FROM term_alerts WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * Sends the alert when the stay is still active on the same term; otherwise (egress or a
   * term moved without rescheduling) it is stale and cancelled. The reminder goes to the house
   * the stay is in now, which a transfer may have changed.
   */
  async settleTermAlert(
    manager: EntityManager,
    id: string,
    now: Date,
  ): Promise<TermAlertOutcome | null> {
    const { rows } = await runUpdate<TermAlertOutcome>(
      manager,
      `WITH target AS (
         SELECT t.id, t.kind, s.house_id, s.id AS stay_id,
                (s.status = 'active' AND s.term_ends_at = t.term_ends_at) AS applies
         FROM term_alerts t JOIN stays s ON s.id = t.stay_id
         WHERE t.id = $1 AND t.status = 'scheduled' AND t.due_at <= $2
         FOR NO KEY UPDATE OF t
       )
       UPDATE term_alerts t
       SET status = CASE WHEN target.applies THEN 'sent' ELSE 'cancelled' END,
           sent_at = CASE WHEN target.applies THEN $2::timestamptz END,
           cancelled_at = CASE WHEN target.applies THEN NULL ELSE $2::timestamptz END,
           cancel_reason = CASE WHEN target.applies THEN NULL ELSE 'stale' END
       FROM target WHERE t.id = target.id AND t.status = 'scheduled'
       RETURNING t.status, t.kind, target.house_id AS "houseId", target.stay_id AS "stayId"`,
      [id, now],
    );
    return rows[0] ?? null;
  }

  /**
   * One per source, by the unique keys: a second insert for the same source adds nothing.
   * Returns the new reminder's id, or null when it was already recorded.
   */
  async insertReminder(
    manager: EntityManager,
    reminder: NewReminder,
    now: Date,
  ): Promise<string | null> {
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO reminders (kind, house_id, stay_id, follow_up_id, term_alert_id, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id`,
      [
        reminder.kind,
        reminder.houseId,
        reminder.stayId,
        reminder.followUpId ?? null,
        reminder.termAlertId ?? null,
        now,
      ],
    );
    return rows[0]?.id ?? null;
  }

  // --- the staff API ---

  findMany(filter: FollowUpFilter): Promise<FollowUpView[]> {
    return this.dataSource.query<FollowUpView[]>(
      `SELECT ${VIEW_COLUMNS} FROM follow_ups f
       WHERE ($1::text IS NULL OR f.status = $1)
         AND ($2::uuid IS NULL OR f.house_id = $2)
         AND ($3::uuid IS NULL OR f.stay_id = $3)
       ORDER BY f.due_at, f.sequence, f.id`,
      [filter.status ?? null, filter.houseId ?? null, filter.stayId ?? null],
    );
  }

  async findById(id: string): Promise<FollowUpRecord | null> {
    const rows = await this.dataSource.query<FollowUpRecord[]>(
      `SELECT ${VIEW_COLUMNS}, f.notes AS "notesCipher",
              (SELECT s.referral_id FROM stays s WHERE s.id = f.stay_id) AS "referralId"
       FROM follow_ups f WHERE f.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Conditional: only a scheduled or due follow-up can be completed, and only once. */
  async complete(
    manager: EntityManager,
    id: string,
    outcome: FollowUpOutcome,
    notesCipher: string | null,
    completedBy: string,
    now: Date,
  ): Promise<boolean> {
    const { rows } = await runUpdate<{ id: string }>(
      manager,
      `UPDATE follow_ups
       SET status = 'completed', outcome = $2, notes = $3, completed_by = $4, completed_at = $5, updated_at = $5
       WHERE id = $1 AND status IN ('scheduled', 'due') RETURNING id`,
      [id, outcome, notesCipher, completedBy, now],
    );
    return rows.length > 0;
  }
}
