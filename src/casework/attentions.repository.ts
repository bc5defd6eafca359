import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Discipline } from '../common/actor';
import { AttentionKind } from './casework.types';

export interface AttentionRecord {
  id: string;
  stayId: string;
  personId: string;
  discipline: Discipline;
  kind: AttentionKind;
  occurredAt: Date;
  durationMinutes: number | null;
  authorId: string;
  noteCipher: string | null;
}

const COLUMNS = `a.id, a.stay_id AS "stayId", a.person_id AS "personId", a.discipline, a.kind,
  a.occurred_at AS "occurredAt", a.duration_minutes AS "durationMinutes",
  a.author_id AS "authorId", a.note AS "noteCipher"`;

@Injectable()
export class AttentionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    manager: EntityManager,
    attention: Omit<AttentionRecord, 'id'>,
    now: Date,
  ): Promise<AttentionRecord> {
    const [row] = await manager.query<AttentionRecord[]>(
      `INSERT INTO attentions AS a (stay_id, person_id, discipline, kind, occurred_at,
         duration_minutes, note, author_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
      [
        attention.stayId,
        attention.personId,
        attention.discipline,
        attention.kind,
        attention.occurredAt,
        attention.durationMinutes,
        attention.noteCipher,
        attention.authorId,
        now,
      ],
    );
    return row;
  }

  findByStay(
    stayId: string,
    filter: { personId: string | null; discipline: Discipline | null; limit: number },
  ): Promise<AttentionRecord[]> {
    return this.dataSource.query<AttentionRecord[]>(
      `SELECT ${COLUMNS} FROM attentions a
       WHERE a.stay_id = $1
         AND ($2::uuid IS NULL OR a.person_id = $2)
         AND ($3::text IS NULL OR a.discipline = $3)
       ORDER BY a.occurred_at DESC, a.id DESC
       LIMIT $4`,
      [stayId, filter.personId, filter.discipline, filter.limit],
    );
  }
}
