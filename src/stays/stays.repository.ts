import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runUpdate } from '../database/updates';
import { runPrepared, statement } from '../database/prepared';
import { FamilyNeeds, FreeBed, FreeRoom } from './placement';

export type StayStatus = 'active' | 'exited';
export type PersonRole = 'woman' | 'dependant';
export type ReferralStatus = 'received' | 'admitted' | 'rejected' | 'withdrawn' | 'exited';

export interface ReferralForAdmission {
  id: string;
  status: ReferralStatus;
  /** The protection order's date, `YYYY-MM-DD`. */
  orderIssuedAt: string;
  wheelchairAccessible: boolean;
}

export interface Person {
  personId: string;
  role: PersonRole;
}

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
  s.max_ends_at, s.last_moved_at, s.exited_at, s.egress_reason, s.egress_destination,
  s.egress_notes, s.created_at, s.updated_at`;

/**
 * A bed `b` of house `h` is free from $1 when it is in service and counted by then, its house
 * takes admissions, and nothing of the ledger reaches past $1: no open interval (indexed by bed)
 * and no closed one ending after $1 (indexed by its end), nor a period out of service.
 */
const FREE_FROM_1 = `h.active AND b.in_service AND b.available_from <= $1
     AND NOT EXISTS (SELECT 1 FROM stay_occupants o
                     WHERE o.bed_id = b.id AND upper_inf(o.during))
     AND NOT EXISTS (SELECT 1 FROM stay_occupants o
                     WHERE o.bed_id = b.id AND NOT upper_inf(o.during) AND upper(o.during) > $1)
     AND NOT EXISTS (SELECT 1 FROM bed_service_periods p
                     WHERE p.bed_id = b.id AND p.out_of_service && tstzrange($1, NULL, '[)'))`;

const FREE_ROOMS_NOW = statement(
  'stays-free-rooms-now',
  `SELECT h.id AS house_id, h.code, r.id AS room_id, r.position AS room_position,
          r.wheelchair_accessible, r.beds_in_service - r.beds_held AS free_beds
   FROM rooms r JOIN houses h ON h.id = r.house_id
   WHERE h.active AND r.beds_in_service > r.beds_held`,
);

/**
 * The rooms of the $3 best houses that have a room holding the whole family ($1 people; $2: a
 * wheelchair user, accessible rooms only), in the order of rankHouses: such houses come before
 * any house that would split the family, by fewest beds left empty, then most free beds, then
 * code (in code-point order, as JavaScript compares).
 */
const FREE_ROOMS_OF_BEST_HOUSES = statement(
  'stays-free-rooms-of-best-houses',
  `WITH free AS (
     SELECT r.house_id, r.id AS room_id, r.position, r.wheelchair_accessible,
            r.beds_in_service - r.beds_held AS free_beds
     FROM rooms r
     WHERE r.beds_in_service > r.beds_held
   ), best AS (
     SELECT f.house_id, h.code
     FROM free f JOIN houses h ON h.id = f.house_id
     WHERE h.active
     GROUP BY f.house_id, h.code
     HAVING bool_or(f.free_beds >= $1 AND (f.wheelchair_accessible OR NOT $2))
     ORDER BY min(f.free_beds) FILTER (WHERE f.free_beds >= $1 AND (f.wheelchair_accessible OR NOT $2)),
              sum(f.free_beds) DESC, h.code COLLATE "C"
     LIMIT $3
   )
   SELECT b.house_id, b.code, f.room_id, f.position AS room_position, f.wheelchair_accessible,
          f.free_beds
   FROM best b JOIN free f ON f.house_id = b.house_id`,
);

const FREE_ROOMS_SINCE = statement(
  'stays-free-rooms-since',
  `SELECT h.id AS house_id, h.code, r.id AS room_id, r.position AS room_position,
          r.wheelchair_accessible, count(*)::int AS free_beds
   FROM beds b
   JOIN rooms r ON r.id = b.room_id
   JOIN houses h ON h.id = b.house_id
   WHERE ${FREE_FROM_1}
   GROUP BY h.id, h.code, r.id, r.position, r.wheelchair_accessible`,
);

/** The bed ledger: stays, who holds which bed over which interval, extensions and transfers. */
@Injectable()
export class StaysRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findReferral(
    referralId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ReferralForAdmission | null> {
    return this.readReferral(manager, referralId, false);
  }

  /** Locks the referral, so that two admissions of one woman run one after the other. */
  async lockReferral(
    manager: EntityManager,
    referralId: string,
  ): Promise<ReferralForAdmission | null> {
    return this.readReferral(manager, referralId, true);
  }

  private async readReferral(
    manager: EntityManager,
    referralId: string,
    lock: boolean,
  ): Promise<ReferralForAdmission | null> {
    const rows = await manager.query<
      {
        id: string;
        status: ReferralStatus;
        protection_order_issued_at: string;
        wheelchair_accessible: boolean;
      }[]
    >(
      `SELECT id, status, protection_order_issued_at, wheelchair_accessible
       FROM referrals WHERE id = $1 ${lock ? 'FOR NO KEY UPDATE' : ''}`,
      [referralId],
    );
    const row = rows[0];
    return row
      ? {
          id: row.id,
          status: row.status,
          orderIssuedAt: row.protection_order_issued_at,
          wheelchairAccessible: row.wheelchair_accessible,
        }
      : null;
  }

  /** The family in order: the woman first, then her dependants. */
  async findFamily(manager: EntityManager, referralId: string): Promise<Person[]> {
    return manager.query<Person[]>(
      `SELECT id AS "personId", role FROM referral_people WHERE referral_id = $1 ORDER BY position`,
      [referralId],
    );
  }

  /**
   * Beds free from `from` on, in one query: in service, counted in capacity by then, never out
   * of service since, and held by nobody over [from, ∞). A back-dated admission thus only gets
   * beds that were free all along.
   */
  async findFreeBeds(
    manager: EntityManager,
    from: Date,
    houseId: string | null,
  ): Promise<FreeBed[]> {
    const rows = await manager.query<
      {
        house_id: string;
        code: string;
        room_id: string;
        room_position: number;
        wheelchair_accessible: boolean;
        bed_id: string;
        bed_position: number;
      }[]
    >(
      `SELECT h.id AS house_id, h.code, r.id AS room_id, r.position AS room_position,
              r.wheelchair_accessible, b.id AS bed_id, b.position AS bed_position
       FROM beds b
       JOIN rooms r ON r.id = b.room_id
       JOIN houses h ON h.id = b.house_id
       WHERE ${FREE_FROM_1}
         AND ($2::uuid IS NULL OR b.house_id = $2)
       ORDER BY h.code, r.position, b.position`,
      [from, houseId],
    );
    return rows.map((r) => ({
      houseId: r.house_id,
      houseCode: r.code,
      roomId: r.room_id,
      roomPosition: r.room_position,
      wheelchairAccessible: r.wheelchair_accessible,
      bedId: r.bed_id,
      bedPosition: r.bed_position,
    }));
  }

  /**
   * Free beds counted per room across the network: what an admission without a named house ranks
   * houses by. For an admission at the present the rooms' own counters answer (kept by the
   * database with the ledger, see the room-counts migration): an occupied bed stays in service,
   * beds count from their creation and intervals never end in the future, so in-service minus
   * held is exactly the beds free from now on. A back-dated admission needs beds free since then
   * and counts them from the ledger, with the same rules as findFreeBeds. With `best`, an
   * admission at the present reads only the rooms of the best houses that can hold the family
   * in one room (`complete` is then false: the rest of the network may follow).
   */
  async findFreeRooms(
    manager: EntityManager,
    from: Date,
    now: Date,
    best?: { needs: FamilyNeeds; houses: number },
  ): Promise<{ rooms: FreeRoom[]; complete: boolean }> {
    const backdated = from.getTime() !== now.getTime();
    const [query, values] = backdated
      ? [FREE_ROOMS_SINCE, [from]]
      : best
        ? [
            FREE_ROOMS_OF_BEST_HOUSES,
            [best.needs.size, best.needs.wheelchairAccessible, best.houses],
          ]
        : [FREE_ROOMS_NOW, []];
    const rows = await runPrepared<{
      house_id: string;
      code: string;
      room_id: string;
      room_position: number;
      wheelchair_accessible: boolean;
      free_beds: number;
    }>(manager, query, values);
    const rooms = rows.map((r) => ({
      houseId: r.house_id,
      houseCode: r.code,
      roomId: r.room_id,
      roomPosition: r.room_position,
      wheelchairAccessible: r.wheelchair_accessible,
      freeBeds: r.free_beds,
    }));
    // The best houses are the head of the ranking only: the rest of the network may follow.
    return { rooms, complete: query !== FREE_ROOMS_OF_BEST_HOUSES };
  }

  async houseExists(manager: EntityManager, houseId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>('SELECT 1 FROM houses WHERE id = $1', [houseId]);
    return rows.length > 0;
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
   * Locks one house unless another transaction holds it: false when it is busy, so an
   * admission free to choose can try the next house instead of queueing behind the lock.
   */
  async lockHouseIfFree(manager: EntityManager, houseId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      'SELECT id FROM houses WHERE id = $1 FOR NO KEY UPDATE SKIP LOCKED',
      [houseId],
    );
    return rows.length === 1;
  }

  /**
   * A savepoint lets an admission without a named house try houses one by one: rolling back to
   * it releases the house's lock, so a transaction never holds two house locks it took in
   * different orders.
   */
  async savepoint(manager: EntityManager, name: string): Promise<void> {
    await manager.query(`SAVEPOINT ${name}`);
  }

  async rollbackToSavepoint(manager: EntityManager, name: string): Promise<void> {
    await manager.query(`ROLLBACK TO SAVEPOINT ${name}`);
  }

  async releaseSavepoint(manager: EntityManager, name: string): Promise<void> {
    await manager.query(`RELEASE SAVEPOINT ${name}`);
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

  async insertStay(
    manager: EntityManager,
    stay: {
      referralId: string;
      houseId: string;
      admittedAt: Date;
      termEndsAt: Date;
      maxEndsAt: Date;
      admittedBy: string;
      now: Date;
    },
  ): Promise<string> {
    const [{ id }] = await manager.query<{ id: string }[]>(
      `INSERT INTO stays (referral_id, house_id, admitted_at, term_ends_at, max_ends_at,
                          last_moved_at, admitted_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $3, $6, $7, $7)
       RETURNING id`,
      [
        stay.referralId,
        stay.houseId,
        stay.admittedAt,
        stay.termEndsAt,
        stay.maxEndsAt,
        stay.admittedBy,
        stay.now,
      ],
    );
    return id;
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

  /** Conditional on the status, so that only one of two racing admissions moves it. */
  async markReferralAdmitted(
    manager: EntityManager,
    referralId: string,
    admittedAt: Date,
    now: Date,
  ): Promise<boolean> {
    const { count: updated } = await runUpdate(
      manager,
      `UPDATE referrals SET status = 'admitted', admitted_at = $2, updated_at = $3
       WHERE id = $1 AND status = 'received'`,
      [referralId, admittedAt, now],
    );
    return updated === 1;
  }

  async markReferralExited(
    manager: EntityManager,
    referralId: string,
    exitedAt: Date,
    now: Date,
  ): Promise<boolean> {
    const { count: updated } = await runUpdate(
      manager,
      `UPDATE referrals SET status = 'exited', exited_at = $2, updated_at = $3
       WHERE id = $1 AND status = 'admitted'`,
      [referralId, exitedAt, now],
    );
    return updated === 1;
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

  /** Conditional on the status: of two racing egresses exactly one changes the stay. */
  async markExited(
    manager: EntityManager,
    stayId: string,
    egress: {
      exitedAt: Date;
      reason: string;
      destinationCiphertext: string | null;
      notesCiphertext: string | null;
      exitedBy: string;
      now: Date;
    },
  ): Promise<boolean> {
    const { count: updated } = await runUpdate(
      manager,
      `UPDATE stays SET status = 'exited', exited_at = $2, egress_reason = $3,
              egress_destination = $4, egress_notes = $5, exited_by = $6, updated_at = $7
       WHERE id = $1 AND status = 'active'`,
      [
        stayId,
        egress.exitedAt,
        egress.reason,
        egress.destinationCiphertext,
        egress.notesCiphertext,
        egress.exitedBy,
        egress.now,
      ],
    );
    return updated === 1;
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
