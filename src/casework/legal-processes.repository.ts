import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runUpdate } from '../database/updates';
import { LegalProcessKind, LegalProcessStatus } from './casework.types';

export interface LegalProcessRecord {
  id: string;
  stayId: string;
  houseId: string;
  /** The case whose key encrypts its texts. */
  referralId: string;
  kind: LegalProcessKind;
  authorityCipher: string;
  caseNumberCipher: string;
  status: LegalProcessStatus;
  nextHearingAt: Date | null;
  noteCipher: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface LegalProcessChangeRecord {
  legalProcessId: string;
  action: 'created' | 'updated';
  changed: string[];
  status: LegalProcessStatus | null;
  nextHearingAt: Date | null;
  noteCipher: string | null;
  changedBy: string;
  changedAt: Date;
}

const COLUMNS = `p.id, p.stay_id AS "stayId", s.house_id AS "houseId", s.referral_id AS "referralId", p.kind,
  p.authority AS "authorityCipher", p.case_number AS "caseNumberCipher", p.status,
  p.next_hearing_at AS "nextHearingAt", p.note AS "noteCipher", p.created_by AS "createdBy",
  p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;

const CHANGE_COLUMNS = `c.legal_process_id AS "legalProcessId", c.action, c.changed, c.status,
  c.next_hearing_at AS "nextHearingAt", c.note AS "noteCipher", c.changed_by AS "changedBy",
  c.changed_at AS "changedAt"`;

/** Legal processes and their change history, written together in one transaction. */
@Injectable()
export class LegalProcessesRepository {
  constructor(private readonly dataSource: DataSource) {}

  findByStay(stayId: string): Promise<LegalProcessRecord[]> {
    return this.dataSource.query<LegalProcessRecord[]>(
      `SELECT ${COLUMNS} FROM legal_processes p JOIN stays s ON s.id = p.stay_id
       WHERE p.stay_id = $1 ORDER BY p.created_at, p.id`,
      [stayId],
    );
  }

  async findById(id: string, manager?: EntityManager): Promise<LegalProcessRecord | null> {
    const rows = await (manager ?? this.dataSource).query<LegalProcessRecord[]>(
      `SELECT ${COLUMNS} FROM legal_processes p JOIN stays s ON s.id = p.stay_id WHERE p.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The process locked while a change to it and its history commit. */
  async lock(manager: EntityManager, id: string): Promise<LegalProcessRecord | null> {
    const rows = await manager.query<LegalProcessRecord[]>(
      `SELECT ${COLUMNS} FROM legal_processes p JOIN stays s ON s.id = p.stay_id
       WHERE p.id = $1 FOR NO KEY UPDATE OF p`,
      [id],
    );
    return rows[0] ?? null;
  }

  changesOf(ids: string[]): Promise<LegalProcessChangeRecord[]> {
    return this.dataSource.query<LegalProcessChangeRecord[]>(
      `SELECT ${CHANGE_COLUMNS} FROM legal_process_changes c
       WHERE c.legal_process_id = ANY($1::uuid[]) ORDER BY c.changed_at, c.id`,
      [ids],
    );
  }

  async insert(
    manager: EntityManager,
    process: {
      stayId: string;
      kind: LegalProcessKind;
      authorityCipher: string;
      caseNumberCipher: string;
      status: LegalProcessStatus;
      nextHearingAt: Date | null;
      noteCipher: string | null;
      authorId: string;
    },
    now: Date,
  ): Promise<string> {
    const [row] = await manager.query<{ id: string }[]>(
      `WITH created AS (
         INSERT INTO legal_processes (stay_id, kind, authority, case_number, status,
           next_hearing_at, note, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id
       ), change AS (
         INSERT INTO legal_process_changes (legal_process_id, action, changed, status,
           next_hearing_at, note, changed_by, changed_at)
         SELECT id, 'created', $10::text[], $5, $6, $7, $8, $9 FROM created
       )
       SELECT id FROM created`,
      [
        process.stayId,
        process.kind,
        process.authorityCipher,
        process.caseNumberCipher,
        process.status,
        process.nextHearingAt,
        process.noteCipher,
        process.authorId,
        now,
        ['kind', 'authority', 'caseNumber', 'status', 'nextHearingAt', 'note'].filter(
          (field) =>
            (field !== 'nextHearingAt' || process.nextHearingAt !== null) &&
            (field !== 'note' || process.noteCipher !== null),
        ),
      ],
    );
    return row.id;
  }

  /** Applies the fields named in `changed` and records the change in the history. */
  async update(
    manager: EntityManager,
    id: string,
    change: {
      changed: ('status' | 'nextHearingAt' | 'note')[];
      status: LegalProcessStatus | null;
      nextHearingAt: Date | null;
      noteCipher: string | null;
      authorId: string;
    },
    now: Date,
  ): Promise<void> {
    await runUpdate(
      manager,
      `UPDATE legal_processes SET
         status = CASE WHEN 'status' = ANY($2::text[]) THEN $3 ELSE status END,
         next_hearing_at = CASE WHEN 'nextHearingAt' = ANY($2::text[]) THEN $4::timestamptz
                                ELSE next_hearing_at END,
         note = CASE WHEN 'note' = ANY($2::text[]) THEN $5 ELSE note END,
         updated_at = greatest($6, created_at)
       WHERE id = $1`,
      [id, change.changed, change.status, change.nextHearingAt, change.noteCipher, now],
    );
    await manager.query(
      `INSERT INTO legal_process_changes (legal_process_id, action, changed, status,
         next_hearing_at, note, changed_by, changed_at)
       VALUES ($1, 'updated', $2::text[], $3, $4, $5, $6, $7)`,
      [
        id,
        change.changed,
        change.changed.includes('status') ? change.status : null,
        change.changed.includes('nextHearingAt') ? change.nextHearingAt : null,
        change.changed.includes('note') ? change.noteCipher : null,
        change.authorId,
        now,
      ],
    );
  }
}
