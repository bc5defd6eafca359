import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runPrepared, statement } from '../database/prepared';
import { runUpdate } from '../database/updates';
import { AdmissionOutcome } from './admission.repository';
import { HoldStatus } from './stays.types';

/** What `holds_place` answers: `held`, or why it refused before writing anything. */
export type HoldOutcome =
  Exclude<AdmissionOutcome, 'admitted' | 'before_order'> | 'held' | 'already_held';

export interface HoldResult {
  outcome: HoldOutcome;
  holdId: string | null;
  detail: string | null;
}

export interface NewHold {
  referralId: string;
  houseId: string | null;
  bedIds: string[] | null;
  minutes: number;
  now: Date;
  actor: { id: string; role: string; requestId: string };
}

export interface HoldView {
  id: string;
  referralId: string;
  houseId: string;
  beds: string[];
  status: HoldStatus;
  heldAt: Date;
  expiresAt: Date;
  stayId: string | null;
}

export interface HoldFilter {
  status: HoldStatus | null;
  houseId: string | null;
  limit: number;
}

/** A hold the sweep found past its expiresAt and recorded as expired. */
export interface ExpiredHold {
  id: string;
  houseId: string;
  referralId: string;
}

// What a read shows: a held hold past its expiresAt is expired, whether or not the sweep ran.
const VIEW_COLUMNS = `
  h.id, h.referral_id AS "referralId", h.house_id AS "houseId", h.bed_ids AS beds,
  CASE WHEN h.status = 'held' AND h.expires_at <= $1 THEN 'expired' ELSE h.status END AS status,
  h.held_at AS "heldAt", h.expires_at AS "expiresAt", h.stay_id AS "stayId"`;

const PLACE = statement(
  'holds-place',
  `SELECT outcome, hold_id AS "holdId", detail
   FROM holds_place($1, $2, $3, $4, $5, $6, $7, $8)`,
);

/**
 * Transport holds. A hold is placed in one call of `holds_place` (see the transport-holds
 * migration): the same placement as an admission, the hold and its rows in the bed ledger. The
 * ledger rows of a hold exist only while it is `held`; cancelling, confirming (in `stays_admit`)
 * and the sweep delete them, in the transaction that changes the hold's status.
 */
@Injectable()
export class HoldsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async place(hold: NewHold): Promise<HoldResult> {
    const [result] = await runPrepared<HoldResult>(this.dataSource, PLACE, [
      hold.referralId,
      hold.houseId,
      hold.bedIds,
      hold.minutes,
      hold.now,
      hold.actor.id,
      hold.actor.role,
      hold.actor.requestId,
    ]);
    return result;
  }

  async findById(id: string, now: Date, manager?: EntityManager): Promise<HoldView | null> {
    const rows = await (manager ?? this.dataSource).query<HoldView[]>(
      `SELECT ${VIEW_COLUMNS} FROM holds h WHERE h.id = $2`,
      [now, id],
    );
    return rows[0] ?? null;
  }

  findMany(filter: HoldFilter, now: Date): Promise<HoldView[]> {
    return this.dataSource.query<HoldView[]>(
      `SELECT ${VIEW_COLUMNS} FROM holds h
       WHERE ($2::uuid IS NULL OR h.house_id = $2)
         AND CASE $3::text
               WHEN 'held' THEN h.status = 'held' AND h.expires_at > $1
               WHEN 'expired' THEN h.status = 'expired' OR (h.status = 'held' AND h.expires_at <= $1)
               ELSE $3::text IS NULL OR h.status = $3
             END
       ORDER BY h.held_at DESC, h.id
       LIMIT $4`,
      [now, filter.houseId, filter.status, filter.limit],
    );
  }

  /** Cancels a live hold and frees its beds; null when it is not live (or not there). */
  async cancel(manager: EntityManager, id: string, now: Date): Promise<boolean> {
    const { count } = await runUpdate(
      manager,
      `UPDATE holds SET status = 'cancelled', settled_at = $2
       WHERE id = $1 AND status = 'held' AND expires_at > $2`,
      [id, now],
    );
    if (count === 0) {
      return false;
    }
    await this.releaseBeds(manager, [id]);
    return true;
  }

  /**
   * Writes down the holds whose expiresAt has passed as `expired` (their beds were free from
   * that instant on) and deletes their ledger rows. Conditional on `held`, so a second run, or
   * a second worker, finds nothing to do.
   */
  async expireLapsed(manager: EntityManager, now: Date, limit: number): Promise<ExpiredHold[]> {
    const { rows } = await runUpdate<ExpiredHold>(
      manager,
      `UPDATE holds h SET status = 'expired', settled_at = h.expires_at
       FROM (SELECT id FROM holds WHERE status = 'held' AND expires_at <= $1
             ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED) lapsed
       WHERE h.id = lapsed.id
       RETURNING h.id, h.house_id AS "houseId", h.referral_id AS "referralId"`,
      [now, limit],
    );
    await this.releaseBeds(
      manager,
      rows.map((r) => r.id),
    );
    return rows;
  }

  private async releaseBeds(manager: EntityManager, holdIds: string[]): Promise<void> {
    if (holdIds.length > 0) {
      await manager.query(`DELETE FROM stay_occupants WHERE hold_id = ANY($1::uuid[])`, [holdIds]);
    }
  }
}
