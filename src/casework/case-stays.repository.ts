import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CaseStay } from './casework.types';

const COLUMNS = `s.id, s.house_id AS "houseId", s.referral_id AS "referralId", s.status,
  s.admitted_at AS "admittedAt", s.exited_at AS "exitedAt"`;

/**
 * Reads of the stays ledger that casework needs (never a write: stays belong to the stays
 * feature). Casework rows are keyed by stay, and the stay's house decides who sees them.
 */
@Injectable()
export class CaseStaysRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(stayId: string): Promise<CaseStay | null> {
    const rows = await this.dataSource.query<CaseStay[]>(
      `SELECT ${COLUMNS} FROM stays s WHERE s.id = $1`,
      [stayId],
    );
    return rows[0] ?? null;
  }

  /**
   * The stay locked against egress and transfer while a write that depends on its state
   * (active, its dates) commits: a goal is never added to a stay that exits meanwhile.
   */
  async lock(manager: EntityManager, stayId: string): Promise<CaseStay | null> {
    const rows = await manager.query<CaseStay[]>(
      `SELECT ${COLUMNS} FROM stays s WHERE s.id = $1 FOR SHARE`,
      [stayId],
    );
    return rows[0] ?? null;
  }

  /** Whether the person is the woman or one of her dependants in this stay's referral. */
  async isPersonOfStay(stayId: string, personId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM stays s JOIN referral_people p ON p.referral_id = s.referral_id
       WHERE s.id = $1 AND p.id = $2`,
      [stayId, personId],
    );
    return rows.length > 0;
  }
}
