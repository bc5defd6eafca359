import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runPrepared, statement } from '../database/prepared';
import { runUpdate } from '../database/updates';

export type AuthorityType = 'comisaria_familia' | 'juez_control_garantias';

export interface Referrer {
  id: string;
  name: string;
  authorityType: AuthorityType;
  createdAt: Date;
  revokedAt: Date | null;
  callbackUrl: string | null;
  /** Set when the receiver answered 410; the callback is off until the URL is set again. */
  callbackDisabledAt: Date | null;
}

/** Where and how to call a referrer back: the secret as the PII cipher's envelope. */
export interface ReferrerCallback {
  url: string;
  secretCipher: string;
  active: boolean;
}

interface ReferrerRow {
  id: string;
  name: string;
  authority_type: AuthorityType;
  created_at: Date;
  revoked_at: Date | null;
  callback_url: string | null;
  callback_disabled_at: Date | null;
}

const COLUMNS =
  'id, name, authority_type, created_at, revoked_at, callback_url, callback_disabled_at';

const toReferrer = (row: ReferrerRow): Referrer => ({
  id: row.id,
  name: row.name,
  authorityType: row.authority_type,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
  callbackUrl: row.callback_url,
  callbackDisabledAt: row.callback_disabled_at,
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
    callback: { url: string; secretCipher: string } | null;
  }): Promise<Referrer> {
    const rows = await this.dataSource.query<ReferrerRow[]>(
      `INSERT INTO referrers (name, authority_type, api_key_hash, created_by, callback_url,
                              callback_secret)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING ${COLUMNS}`,
      [
        input.name,
        input.authorityType,
        input.keyHash,
        input.createdBy,
        input.callback?.url ?? null,
        input.callback?.secretCipher ?? null,
      ],
    );
    return toReferrer(rows[0]);
  }

  async findAll(): Promise<Referrer[]> {
    const rows = await this.dataSource.query<ReferrerRow[]>(
      `SELECT ${COLUMNS} FROM referrers ORDER BY name, id`,
    );
    return rows.map(toReferrer);
  }

  /** Revoking twice keeps the first revocation time. Null when the referrer does not exist. */
  async revoke(id: string): Promise<Referrer | null> {
    const { rows } = await runUpdate<ReferrerRow>(
      this.dataSource,
      `UPDATE referrers SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1
       RETURNING ${COLUMNS}`,
      [id],
    );
    const row = rows[0];
    return row ? toReferrer(row) : null;
  }

  async exists(id: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>('SELECT 1 FROM referrers WHERE id = $1', [
      id,
    ]);
    return rows.length > 0;
  }

  /**
   * Sets (or, with null, removes) the callback; setting it turns a callback that a 410 turned
   * off back on. `name` unchanged when undefined. Null when the referrer does not exist.
   */
  async update(
    id: string,
    input: { name?: string; callback?: { url: string; secretCipher: string } | null },
  ): Promise<Referrer | null> {
    const setsCallback = input.callback !== undefined;
    const { rows } = await runUpdate<ReferrerRow>(
      this.dataSource,
      `UPDATE referrers SET name = coalesce($2, name),
         callback_url = CASE WHEN $3 THEN $4 ELSE callback_url END,
         callback_secret = CASE WHEN $3 THEN $5 ELSE callback_secret END,
         callback_disabled_at = CASE WHEN $3 THEN NULL ELSE callback_disabled_at END
       WHERE id = $1
       RETURNING ${COLUMNS}`,
      [
        id,
        input.name ?? null,
        setsCallback,
        input.callback?.url ?? null,
        input.callback?.secretCipher ?? null,
      ],
    );
    const row = rows[0];
    return row ? toReferrer(row) : null;
  }

  /**
   * A 410 from `url` turns the callback off, in the caller's transaction; not when the admin has
   * set another URL meanwhile (the 410 was about the old one).
   */
  async disableCallback(
    manager: EntityManager,
    id: string,
    url: string,
    now: Date,
  ): Promise<boolean> {
    const { count } = await runUpdate(
      manager,
      `UPDATE referrers SET callback_disabled_at = $3
       WHERE id = $1 AND callback_url = $2 AND callback_disabled_at IS NULL`,
      [id, url, now],
    );
    return count > 0;
  }
}
