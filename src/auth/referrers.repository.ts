import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runPrepared, statement } from '../database/prepared';
import { runUpdate } from '../database/updates';

export type AuthorityType = 'comisaria_familia' | 'juez_control_garantias';

export interface Referrer {
  id: string;
  name: string;
  authorityType: AuthorityType;
  createdAt: Date;
  revokedAt: Date | null;
}

interface ReferrerRow {
  id: string;
  name: string;
  authority_type: AuthorityType;
  created_at: Date;
  revoked_at: Date | null;
}

const toReferrer = (row: ReferrerRow): Referrer => ({
  id: row.id,
  name: row.name,
  authorityType: row.authority_type,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

const ACTIVE_BY_KEY_HASH = statement(
  'referrers-active-by-key-hash',
  'SELECT id FROM referrers WHERE api_key_hash = $1 AND revoked_at IS NULL',
);

@Injectable()
export class ReferrersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One indexed lookup per request, prepared since every referrer request makes it; nothing is
   * cached, so revocation takes effect on the next request.
   */
  async findActiveIdByKeyHash(keyHash: Buffer): Promise<string | null> {
    const rows = await runPrepared<{ id: string }>(this.dataSource, ACTIVE_BY_KEY_HASH, [keyHash]);
    return rows[0]?.id ?? null;
  }

  async insert(input: {
    name: string;
    authorityType: AuthorityType;
    keyHash: Buffer;
    createdBy: string;
  }): Promise<Referrer> {
    const rows = await this.dataSource.query<ReferrerRow[]>(
      `INSERT INTO referrers (name, authority_type, api_key_hash, created_by)
       VALUES ($1, $2, $3, $4)
       RETURNING id, name, authority_type, created_at, revoked_at`,
      [input.name, input.authorityType, input.keyHash, input.createdBy],
    );
    return toReferrer(rows[0]);
  }

  async findAll(): Promise<Referrer[]> {
    const rows = await this.dataSource.query<ReferrerRow[]>(
      'SELECT id, name, authority_type, created_at, revoked_at FROM referrers ORDER BY name, id',
    );
    return rows.map(toReferrer);
  }

  /** Revoking twice keeps the first revocation time. Null when the referrer does not exist. */
  async revoke(id: string): Promise<Referrer | null> {
    const { rows } = await runUpdate<ReferrerRow>(
      this.dataSource,
      `UPDATE referrers SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1
       RETURNING id, name, authority_type, created_at, revoked_at`,
      [id],
    );
    const row = rows[0];
    return row ? toReferrer(row) : null;
  }
}
