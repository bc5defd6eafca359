import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Discipline } from '../common/actor';
import { NoteVisibility } from './casework.types';

export interface NoteRecord {
  id: string;
  stayId: string;
  personId: string | null;
  discipline: Discipline | null;
  visibility: NoteVisibility;
  authorId: string;
  createdAt: Date;
  bodyCipher: string;
}

const COLUMNS = `n.id, n.stay_id AS "stayId", n.person_id AS "personId", n.discipline,
  n.visibility, n.author_id AS "authorId", n.created_at AS "createdAt", n.body AS "bodyCipher"`;

/** Inserts and reads only: the table refuses updates and deletes. */
@Injectable()
export class CaseNotesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    manager: EntityManager,
    note: Omit<NoteRecord, 'id' | 'createdAt'>,
    now: Date,
  ): Promise<NoteRecord> {
    const [row] = await manager.query<NoteRecord[]>(
      `INSERT INTO case_notes AS n (stay_id, person_id, discipline, visibility, body, author_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [
        note.stayId,
        note.personId,
        note.discipline,
        note.visibility,
        note.bodyCipher,
        note.authorId,
        now,
      ],
    );
    return row;
  }

  /**
   * The notes this reader may read, decided here and nowhere else: team notes, and discipline
   * notes only when the reader is, in the users table now, an active team member of that
   * discipline or the note's author still in the team. Coordinators, officers and admins never
   * match the second branch, so their rows never leave the database.
   */
  findReadable(stayId: string, readerId: string, limit: number): Promise<NoteRecord[]> {
    return this.dataSource.query<NoteRecord[]>(
      `SELECT ${COLUMNS} FROM case_notes n
       WHERE n.stay_id = $1
         AND (n.visibility = 'team'
              OR EXISTS (SELECT 1 FROM users u
                         WHERE u.id = $2 AND u.active AND u.role = 'team_member'
                           AND (u.discipline = n.discipline OR n.author_id = u.id)))
       ORDER BY n.created_at DESC, n.id DESC
       LIMIT $3`,
      [stayId, readerId, limit],
    );
  }
}
