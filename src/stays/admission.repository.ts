import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runPrepared, statement } from '../database/prepared';
import { ReferralStatus } from '../referrals/referral.types';
import { FamilyNeeds, FreeRoom } from './placement';
import { FREE_FROM_1 } from './stay.repository';
import { PersonRole } from './stays.types';

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

/** Ingreso: the referral and family to place, the free rooms to rank, and the stay's first row. */
@Injectable()
export class AdmissionRepository {
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
}
