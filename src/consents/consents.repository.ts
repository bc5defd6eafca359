import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ConsentPurpose, ConsentRecord, ConsentStay } from './consents.types';

const COLUMNS = `c.id, c.purpose, c.version, c.granted, c.expires_on AS "expiresOn", c.expires_at AS "expiresAt",
  c.recorded_at AS "recordedAt", c.recorded_by AS "recordedBy"`;

export interface NewConsent {
  stayId: string;
  purpose: ConsentPurpose;
  granted: boolean;
  expiresOn: string | null;
  expiresAt: Date | null;
  recordedBy: string;
  recordedAt: Date;
}

/** The consents table (append-only), and the reads of the stay it belongs to. */
@Injectable()
export class ConsentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findStay(stayId: string): Promise<ConsentStay | null> {
    const rows = await this.dataSource.query<ConsentStay[]>(
      `SELECT id, house_id AS "houseId" FROM stays WHERE id = $1`,
      [stayId],
    );
    return rows[0] ?? null;
  }

  /**
   * The stay locked as the egress locks it (FOR NO KEY UPDATE): a consent and an egress of the
   * same stay commit one after the other, so the egress reads the consent that holds, and a
   * withdrawal sees the follow-ups an egress wrote. Two consents of a stay queue the same way.
   */
  async lockStay(manager: EntityManager, stayId: string): Promise<ConsentStay | null> {
    const rows = await manager.query<ConsentStay[]>(
      `SELECT id, house_id AS "houseId" FROM stays WHERE id = $1 FOR NO KEY UPDATE`,
      [stayId],
    );
    return rows[0] ?? null;
  }

  /** Appends the purpose's next version (the unique key refuses a second one of a number). */
  async append(manager: EntityManager, consent: NewConsent): Promise<ConsentRecord> {
    const [row] = await manager.query<ConsentRecord[]>(
      `INSERT INTO consents AS c (stay_id, purpose, version, granted, expires_on, expires_at,
                                  recorded_at, recorded_by)
       SELECT $1, $2, coalesce(max(v.version), 0) + 1, $3, $4, $5, $6, $7
       FROM consents v WHERE v.stay_id = $1 AND v.purpose = $2
       RETURNING ${COLUMNS}`,
      [
        consent.stayId,
        consent.purpose,
        consent.granted,
        consent.expiresOn,
        consent.expiresAt,
        consent.recordedAt,
        consent.recordedBy,
      ],
    );
    return row;
  }

  /** Newest first. */
  history(stayId: string): Promise<ConsentRecord[]> {
    return this.dataSource.query<ConsentRecord[]>(
      `SELECT ${COLUMNS} FROM consents c WHERE c.stay_id = $1 ORDER BY c.recorded_at DESC, c.version DESC`,
      [stayId],
    );
  }
}
