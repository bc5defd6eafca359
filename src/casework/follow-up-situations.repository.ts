import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { HousingSituation, SafetySituation } from './casework.types';

export interface SituationRecord {
  safety: SafetySituation;
  housing: HousingSituation;
  legalProgressCipher: string | null;
  psychosocialProgressCipher: string | null;
}

/**
 * The situation found at a follow-up, recorded by the follow-ups feature when it completes one
 * (in that transaction): one per follow-up, as completion is.
 */
@Injectable()
export class FollowUpSituationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    manager: EntityManager,
    followUpId: string,
    situation: SituationRecord,
    recordedBy: string,
    now: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO follow_up_situations
         (follow_up_id, safety, housing, legal_progress, psychosocial_progress, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        followUpId,
        situation.safety,
        situation.housing,
        situation.legalProgressCipher,
        situation.psychosocialProgressCipher,
        recordedBy,
        now,
      ],
    );
  }

  async find(followUpId: string): Promise<SituationRecord | null> {
    const rows = await this.dataSource.query<SituationRecord[]>(
      `SELECT safety, housing, legal_progress AS "legalProgressCipher",
              psychosocial_progress AS "psychosocialProgressCipher"
       FROM follow_up_situations WHERE follow_up_id = $1`,
      [followUpId],
    );
    return rows[0] ?? null;
  }
}
