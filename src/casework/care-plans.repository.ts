import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runUpdate } from '../database/updates';
import { GoalArea, GoalStatus } from './casework.types';

export interface GoalRecord {
  id: string;
  stayId: string;
  houseId: string;
  /** The case whose key encrypts its description. */
  referralId: string;
  area: GoalArea;
  descriptionCipher: string;
  status: GoalStatus;
  targetDate: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `g.id, g.stay_id AS "stayId", s.house_id AS "houseId", s.referral_id AS "referralId", g.area,
  g.description AS "descriptionCipher", g.status, to_char(g.target_date, 'YYYY-MM-DD') AS "targetDate",
  g.created_by AS "createdBy", g.created_at AS "createdAt", g.updated_at AS "updatedAt"`;

@Injectable()
export class CarePlansRepository {
  constructor(private readonly dataSource: DataSource) {}

  findByStay(stayId: string): Promise<GoalRecord[]> {
    return this.dataSource.query<GoalRecord[]>(
      `SELECT ${COLUMNS} FROM care_plan_goals g JOIN stays s ON s.id = g.stay_id
       WHERE g.stay_id = $1 ORDER BY g.created_at, g.id`,
      [stayId],
    );
  }

  async findById(id: string): Promise<GoalRecord | null> {
    const rows = await this.dataSource.query<GoalRecord[]>(
      `SELECT ${COLUMNS} FROM care_plan_goals g JOIN stays s ON s.id = g.stay_id WHERE g.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async insert(
    manager: EntityManager,
    goal: {
      stayId: string;
      area: GoalArea;
      descriptionCipher: string;
      targetDate: string | null;
      authorId: string;
    },
    now: Date,
  ): Promise<string> {
    const [row] = await manager.query<{ id: string }[]>(
      `INSERT INTO care_plan_goals
         (stay_id, area, description, target_date, created_by, created_at, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $5, $6) RETURNING id`,
      [goal.stayId, goal.area, goal.descriptionCipher, goal.targetDate, goal.authorId, now],
    );
    return row.id;
  }

  /** Only the fields given change; `targetDate: null` clears it. */
  async update(
    manager: EntityManager,
    id: string,
    change: {
      status?: GoalStatus;
      descriptionCipher?: string;
      targetDate?: string | null;
      authorId: string;
    },
    now: Date,
  ): Promise<void> {
    await runUpdate(
      manager,
      `UPDATE care_plan_goals SET
         status = coalesce($2, status),
         description = coalesce($3, description),
         target_date = CASE WHEN $4 THEN $5::date ELSE target_date END,
         updated_by = $6, updated_at = greatest($7, created_at)
       WHERE id = $1`,
      [
        id,
        change.status ?? null,
        change.descriptionCipher ?? null,
        change.targetDate !== undefined,
        change.targetDate ?? null,
        change.authorId,
        now,
      ],
    );
  }
}
