import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { isPgError, PG_UNIQUE_VIOLATION } from '../common/pg-errors';

export interface House {
  id: string;
  code: string;
  name: string;
  capacity: number;
  active: boolean;
}

export interface BedView {
  id: string;
  label: string;
  inService: boolean;
  occupantId: string | null;
}

export interface RoomView {
  id: string;
  name: string;
  wheelchairAccessible: boolean;
  beds: BedView[];
}

export interface BedState {
  id: string;
  houseId: string;
  inService: boolean;
  occupied: boolean;
}

interface HouseRow {
  id: string;
  code: string;
  name: string;
  capacity: number;
  active: boolean;
}

const HOUSE_SELECT = `
  SELECT h.id, h.code, h.name, h.active,
         (SELECT count(*)::int FROM beds b WHERE b.house_id = h.id AND b.in_service) AS capacity
  FROM houses h`;

@Injectable()
export class HousesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findAll(houseId: string | null): Promise<House[]> {
    return this.dataSource.query<HouseRow[]>(
      `${HOUSE_SELECT} WHERE ($1::uuid IS NULL OR h.id = $1) ORDER BY h.code`,
      [houseId],
    );
  }

  /** Pass the use case's manager inside a transaction: a second pool connection could wait forever. */
  async houseExists(
    houseId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const rows = await manager.query<unknown[]>('SELECT 1 FROM houses WHERE id = $1', [houseId]);
    return rows.length > 0;
  }

  async findById(id: string): Promise<House | null> {
    const rows = await this.dataSource.query<HouseRow[]>(`${HOUSE_SELECT} WHERE h.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async insert(code: string, name: string): Promise<House> {
    try {
      const rows = await this.dataSource.query<HouseRow[]>(
        `INSERT INTO houses (code, name) VALUES ($1, $2)
         RETURNING id, code, name, active, 0 AS capacity`,
        [code, name],
      );
      return rows[0];
    } catch (error) {
      if (isPgError(error, PG_UNIQUE_VIOLATION)) {
        throw new DomainError('CONFLICT', 'A house with this code already exists');
      }
      throw error;
    }
  }

  /** Rooms in order with their beds; `occupantId` is the person holding the bed right now. */
  async findRooms(houseId: string): Promise<RoomView[]> {
    const rows = await this.dataSource.query<
      {
        room_id: string;
        room_name: string;
        wheelchair_accessible: boolean;
        bed_id: string | null;
        label: string | null;
        in_service: boolean | null;
        occupant_id: string | null;
      }[]
    >(
      `SELECT r.id AS room_id, r.name AS room_name, r.wheelchair_accessible,
              b.id AS bed_id, b.label, b.in_service, o.person_id AS occupant_id
       FROM rooms r
       LEFT JOIN beds b ON b.room_id = r.id
       LEFT JOIN stay_occupants o ON o.bed_id = b.id AND upper_inf(o.during)
       WHERE r.house_id = $1
       ORDER BY r.position, b.position`,
      [houseId],
    );
    const rooms = new Map<string, RoomView>();
    for (const row of rows) {
      let room = rooms.get(row.room_id);
      if (!room) {
        room = {
          id: row.room_id,
          name: row.room_name,
          wheelchairAccessible: row.wheelchair_accessible,
          beds: [],
        };
        rooms.set(row.room_id, room);
      }
      if (row.bed_id) {
        room.beds.push({
          id: row.bed_id,
          label: row.label as string,
          inService: row.in_service as boolean,
          occupantId: row.occupant_id,
        });
      }
    }
    return [...rooms.values()];
  }

  async insertRoom(
    houseId: string,
    name: string,
    beds: number,
    wheelchairAccessible: boolean,
  ): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      // Serialises room creation per house, so two rooms never take the same position.
      await manager.query('SELECT id FROM houses WHERE id = $1 FOR NO KEY UPDATE', [houseId]);
      try {
        const [{ id: roomId, position }] = await manager.query<{ id: string; position: number }[]>(
          `INSERT INTO rooms (house_id, name, position, wheelchair_accessible)
           VALUES ($1, $2, (SELECT coalesce(max(position), 0) + 1 FROM rooms WHERE house_id = $1), $3)
           RETURNING id, position`,
          [houseId, name, wheelchairAccessible],
        );
        await manager.query(
          `INSERT INTO beds (house_id, room_id, label, position)
           SELECT $1, $2, $3::int || chr(64 + n), n FROM generate_series(1, $4::int) AS n`,
          [houseId, roomId, position, beds],
        );
        return roomId;
      } catch (error) {
        if (isPgError(error, PG_UNIQUE_VIOLATION)) {
          throw new DomainError('CONFLICT', 'A room with this name already exists in the house');
        }
        throw error;
      }
    });
  }

  /**
   * Locks the bed's row for the rest of the transaction, so its state cannot change under us.
   * Whether it is occupied is read by a second statement, after the lock: a statement that
   * waited for the lock still sees the data of its own start, and would miss an admission
   * that committed in the meantime.
   */
  async lockBed(manager: EntityManager, bedId: string): Promise<BedState | null> {
    const rows = await manager.query<{ id: string; house_id: string; in_service: boolean }[]>(
      `SELECT b.id, b.house_id, b.in_service FROM beds b WHERE b.id = $1 FOR NO KEY UPDATE`,
      [bedId],
    );
    const row = rows[0];
    if (!row) {
      return null;
    }
    const [{ occupied }] = await manager.query<{ occupied: boolean }[]>(
      // A live transport hold keeps the bed too (its interval ends in the future).
      `SELECT EXISTS (SELECT 1 FROM stay_occupants o
                      WHERE o.bed_id = $1 AND (upper_inf(o.during) OR upper(o.during) > now()))
              AS occupied`,
      [bedId],
    );
    return { id: row.id, houseId: row.house_id, inService: row.in_service, occupied };
  }

  async takeOutOfService(
    manager: EntityManager,
    bedId: string,
    at: Date,
    reason: string,
    userId: string,
  ): Promise<void> {
    await manager.query('UPDATE beds SET in_service = false WHERE id = $1', [bedId]);
    await manager.query(
      `INSERT INTO bed_service_periods (bed_id, out_of_service, reason_out, taken_out_by)
       VALUES ($1, tstzrange($2, NULL, '[)'), $3, $4)`,
      [bedId, at, reason, userId],
    );
  }

  async putBackInService(
    manager: EntityManager,
    bedId: string,
    at: Date,
    reason: string,
    userId: string,
  ): Promise<void> {
    await manager.query('UPDATE beds SET in_service = true WHERE id = $1', [bedId]);
    await manager.query(
      `UPDATE bed_service_periods
       SET out_of_service = tstzrange(lower(out_of_service), greatest($2, lower(out_of_service) + interval '1 microsecond'), '[)'),
           reason_back = $3, put_back_by = $4
       WHERE bed_id = $1 AND upper_inf(out_of_service)`,
      [bedId, at, reason, userId],
    );
  }

  async findBedHistory(
    bedId: string,
  ): Promise<{ from: Date; to: Date | null; reasonOut: string; reasonBack: string | null }[]> {
    const rows = await this.dataSource.query<
      { from: Date; to: Date | null; reason_out: string; reason_back: string | null }[]
    >(
      `SELECT lower(out_of_service) AS "from", upper(out_of_service) AS "to", reason_out, reason_back
       FROM bed_service_periods WHERE bed_id = $1 ORDER BY lower(out_of_service)`,
      [bedId],
    );
    return rows.map((r) => ({
      from: r.from,
      to: r.to,
      reasonOut: r.reason_out,
      reasonBack: r.reason_back,
    }));
  }
}
