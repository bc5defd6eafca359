import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runUpdate } from '../database/updates';
import { PersonRole, StayStatus } from './stays.types';

export interface Occupancy {
  personId: string;
  role: PersonRole;
  bedId: string;
}

export interface LockedStay {
  id: string;
  referralId: string;
  houseId: string;
  status: StayStatus;
  admittedAt: Date;
  termEndsAt: Date;
  maxEndsAt: Date;
  lastMovedAt: Date;
}

export interface StayRecord extends LockedStay {
  /** Admitted before its protection order, still waiting for it. */
  provisional: boolean;
  /** Admission + the provisional hours, for a stay admitted provisionally; else null. */
  orderDueBy: Date | null;
  exitedAt: Date | null;
  egressReason: string | null;
  egressDestinationCiphertext: string | null;
  /** Still encrypted: the service decrypts. */
  egressNotesCiphertext: string | null;
  createdAt: Date;
  updatedAt: Date;
  occupants: Occupancy[];
  extensions: {
    previousTermEndsAt: Date;
    termEndsAt: Date;
    reason: string;
    extendedBy: string;
    extendedAt: Date;
  }[];
  transfers: {
    fromHouseId: string;
    toHouseId: string;
    reason: string;
    transferredBy: string;
    transferredAt: Date;
  }[];
}

interface StayRow {
  id: string;
  referral_id: string;
  house_id: string;
  status: StayStatus;
  admitted_at: Date;
  term_ends_at: Date;
  max_ends_at: Date;
  last_moved_at: Date;
  provisional: boolean;
  order_due_by: Date | null;
  exited_at: Date | null;
  egress_reason: string | null;
  egress_destination: string | null;
  egress_notes: string | null;
  created_at: Date;
  updated_at: Date;
}

function toLockedStay(row: StayRow): LockedStay {
  return {
    id: row.id,
    referralId: row.referral_id,
    houseId: row.house_id,
    status: row.status,
    admittedAt: row.admitted_at,
    termEndsAt: row.term_ends_at,
    maxEndsAt: row.max_ends_at,
    lastMovedAt: row.last_moved_at,
  };
}

const STAY_COLUMNS = `s.id, s.referral_id, s.house_id, s.status, s.admitted_at, s.term_ends_at,
  s.max_ends_at, s.last_moved_at, s.provisional, s.order_due_by, s.exited_at, s.egress_reason, s.egress_destination,
  s.egress_notes, s.created_at, s.updated_at`;

/**
 * Permanencia: the stay's own rows (term, extensions, transfers) and the reads of stays, and the
 * ledger moves a transfer makes.
 */
@Injectable()
export class StayRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Whether the family of the stay's referral needs accessible rooms (transfers keep to them). */
  async needsWheelchairAccess(manager: EntityManager, referralId: string): Promise<boolean> {
    const [row] = await manager.query<{ wheelchair_accessible: boolean }[]>(
      'SELECT wheelchair_accessible FROM referrals WHERE id = $1',
      [referralId],
    );
    return row?.wheelchair_accessible ?? false;
  }

  /** The referral (the case) of a stay; null when there is no such stay. */
  async findReferralId(stayId: string): Promise<string | null> {
    const rows = await this.dataSource.query<{ referral_id: string }[]>(
      'SELECT referral_id FROM stays WHERE id = $1',
      [stayId],
    );
    return rows[0]?.referral_id ?? null;
  }

  /** Locks the stay for the rest of the use case: extensions, transfers and egress queue on it. */
  async lockStay(manager: EntityManager, stayId: string): Promise<LockedStay | null> {
    const rows = await manager.query<StayRow[]>(
      `SELECT ${STAY_COLUMNS} FROM stays s WHERE s.id = $1 FOR NO KEY UPDATE`,
      [stayId],
    );
    return rows[0] ? toLockedStay(rows[0]) : null;
  }
  async extendTerm(
    manager: EntityManager,
    stayId: string,
    change: {
      previousTermEndsAt: Date;
      termEndsAt: Date;
      reason: string;
      extendedBy: string;
      now: Date;
    },
  ): Promise<void> {
    await manager.query(`UPDATE stays SET term_ends_at = $2, updated_at = $3 WHERE id = $1`, [
      stayId,
      change.termEndsAt,
      change.now,
    ]);
    await manager.query(
      `INSERT INTO stay_extensions (stay_id, previous_term_ends_at, term_ends_at, reason, extended_by, extended_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        stayId,
        change.previousTermEndsAt,
        change.termEndsAt,
        change.reason,
        change.extendedBy,
        change.now,
      ],
    );
  }
  async recordTransfer(
    manager: EntityManager,
    stayId: string,
    transfer: {
      fromHouseId: string;
      toHouseId: string;
      reason: string;
      transferredBy: string;
      at: Date;
    },
  ): Promise<void> {
    await manager.query(
      `UPDATE stays SET house_id = $2, last_moved_at = $3, updated_at = $3 WHERE id = $1`,
      [stayId, transfer.toHouseId, transfer.at],
    );
    await manager.query(
      `INSERT INTO stay_transfers (stay_id, from_house_id, to_house_id, reason, transferred_by, transferred_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        stayId,
        transfer.fromHouseId,
        transfer.toHouseId,
        transfer.reason,
        transfer.transferredBy,
        transfer.at,
      ],
    );
  }
  /**
   * The beds the house would give the family from `at` on, by the one placement rule (the
   * migration's stays_placement), or null when it cannot take all of them.
   */
  async chooseBeds(
    manager: EntityManager,
    houseId: string,
    family: { size: number; wheelchairAccessible: boolean },
    at: Date,
  ): Promise<string[] | null> {
    const [row] = await manager.query<{ bedIds: string[] | null }[]>(
      'SELECT bed_ids AS "bedIds" FROM stays_placement($1, $2, $3, $3, $4)',
      [family.size, family.wheelchairAccessible, at, houseId],
    );
    return row?.bedIds ?? null;
  }

  /**
   * Locks houses' rows in id order, so that admissions and transfers into one house run one at a
   * time and two transfers between the same houses cannot deadlock.
   */
  async lockHouses(manager: EntityManager, houseIds: string[]): Promise<void> {
    await manager.query(
      'SELECT id FROM houses WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE',
      [houseIds],
    );
  }
  /**
   * Locks the chosen beds (a concurrent PATCH /beds/:id locks the same rows) and answers which of
   * them are still free: read after the lock, in a statement of its own, so that it sees what
   * was committed while we waited.
   */
  async lockBedsAndFindUnavailable(
    manager: EntityManager,
    bedIds: string[],
    houseId: string,
    from: Date,
  ): Promise<{ missing: string[]; unavailable: string[] }> {
    const locked = await manager.query<{ id: string }[]>(
      `SELECT id FROM beds WHERE id = ANY($1::uuid[]) AND house_id = $2 ORDER BY id FOR NO KEY UPDATE`,
      [bedIds, houseId],
    );
    const lockedIds = new Set(locked.map((b) => b.id));
    const missing = bedIds.filter((id) => !lockedIds.has(id));
    const unavailable = await manager.query<{ id: string }[]>(
      `SELECT b.id FROM beds b
       WHERE b.id = ANY($1::uuid[])
         AND (NOT b.in_service OR b.available_from > $2
              OR EXISTS (SELECT 1 FROM stay_occupants o
                         WHERE o.bed_id = b.id AND o.during && tstzrange($2, NULL, '[)'))
              OR EXISTS (SELECT 1 FROM bed_service_periods p
                         WHERE p.bed_id = b.id AND p.out_of_service && tstzrange($2, NULL, '[)')))`,
      [[...lockedIds], from],
    );
    return { missing, unavailable: unavailable.map((b) => b.id) };
  }
  /** Opens one interval [from, ∞) per person; the exclusion constraints are the last word. */
  async openOccupancies(
    manager: EntityManager,
    stayId: string,
    houseId: string,
    occupancies: Occupancy[],
    from: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO stay_occupants (stay_id, person_id, role, house_id, bed_id, during)
       SELECT $1, o.person_id, o.role, $2, o.bed_id, tstzrange($3, NULL, '[)')
       FROM unnest($4::uuid[], $5::text[], $6::uuid[]) AS o(person_id, role, bed_id)`,
      [
        stayId,
        houseId,
        from,
        occupancies.map((o) => o.personId),
        occupancies.map((o) => o.role),
        occupancies.map((o) => o.bedId),
      ],
    );
  }
  /** Closes every open interval of the stay at `at`: the beds are free from that instant. */
  async closeOccupancies(manager: EntityManager, stayId: string, at: Date): Promise<number> {
    const { count } = await runUpdate(
      manager,
      `UPDATE stay_occupants SET during = tstzrange(lower(during), $2, '[)')
       WHERE stay_id = $1 AND upper_inf(during)`,
      [stayId, at],
    );
    return count;
  }
  async findOpenOccupancies(manager: EntityManager, stayId: string): Promise<Occupancy[]> {
    return manager.query<Occupancy[]>(
      `SELECT o.person_id AS "personId", o.role, o.bed_id AS "bedId"
       FROM stay_occupants o JOIN referral_people p ON p.id = o.person_id
       WHERE o.stay_id = $1 AND upper_inf(o.during)
       ORDER BY p.position`,
      [stayId],
    );
  }
  async findStay(stayId: string, manager?: EntityManager): Promise<StayRecord | null> {
    const [stay] = await this.findStays({ ids: [stayId] }, manager);
    return stay ?? null;
  }
  /**
   * Stays with their latest bed per person, extensions and transfers, in one round trip: the
   * children come as JSON arrays built by Postgres, already in order.
   */
  async findStays(
    filter: { ids?: string[]; houseId?: string | null; status?: StayStatus },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<StayRecord[]> {
    const rows = await manager.query<
      (StayRow & {
        occupants: { personId: string; role: PersonRole; bedId: string }[];
        extensions: {
          previousTermEndsAt: string;
          termEndsAt: string;
          reason: string;
          extendedBy: string;
          extendedAt: string;
        }[];
        transfers: {
          fromHouseId: string;
          toHouseId: string;
          reason: string;
          transferredBy: string;
          transferredAt: string;
        }[];
      })[]
    >(
      `SELECT ${STAY_COLUMNS},
              (SELECT coalesce(json_agg(json_build_object('personId', latest.person_id,
                                                          'role', latest.role,
                                                          'bedId', latest.bed_id)
                                        ORDER BY latest.position), '[]')
               FROM (SELECT DISTINCT ON (o.person_id) o.person_id, o.role, o.bed_id, p.position
                     FROM stay_occupants o JOIN referral_people p ON p.id = o.person_id
                     WHERE o.stay_id = s.id
                     ORDER BY o.person_id, lower(o.during) DESC) latest) AS occupants,
              (SELECT coalesce(json_agg(json_build_object('previousTermEndsAt', e.previous_term_ends_at,
                                                          'termEndsAt', e.term_ends_at,
                                                          'reason', e.reason,
                                                          'extendedBy', e.extended_by,
                                                          'extendedAt', e.extended_at)
                                        ORDER BY e.extended_at, e.id), '[]')
               FROM stay_extensions e WHERE e.stay_id = s.id) AS extensions,
              (SELECT coalesce(json_agg(json_build_object('fromHouseId', t.from_house_id,
                                                          'toHouseId', t.to_house_id,
                                                          'reason', t.reason,
                                                          'transferredBy', t.transferred_by,
                                                          'transferredAt', t.transferred_at)
                                        ORDER BY t.transferred_at, t.id), '[]')
               FROM stay_transfers t WHERE t.stay_id = s.id) AS transfers
       FROM stays s
       WHERE ($1::uuid[] IS NULL OR s.id = ANY($1::uuid[]))
         AND ($2::uuid IS NULL OR s.house_id = $2)
         AND ($3::text IS NULL OR s.status = $3)
       ORDER BY s.admitted_at DESC, s.id`,
      [filter.ids ?? null, filter.houseId ?? null, filter.status ?? null],
    );
    return rows.map((row) => ({
      ...toLockedStay(row),
      provisional: row.provisional,
      orderDueBy: row.order_due_by,
      exitedAt: row.exited_at,
      egressReason: row.egress_reason,
      egressDestinationCiphertext: row.egress_destination,
      egressNotesCiphertext: row.egress_notes,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      occupants: row.occupants,
      extensions: row.extensions.map((e) => ({
        ...e,
        previousTermEndsAt: new Date(e.previousTermEndsAt),
        termEndsAt: new Date(e.termEndsAt),
        extendedAt: new Date(e.extendedAt),
      })),
      transfers: row.transfers.map((t) => ({ ...t, transferredAt: new Date(t.transferredAt) })),
    }));
  }
}
