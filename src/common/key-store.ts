import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Client, Pool } from 'pg';
import { Config } from '../config/config';
import { ensureDatabaseExists } from '../database/ensure-database';

/** Any constant works, as long as every instance of Refugio uses the same one. */
const KEY_STORE_LOCK_KEY = 727_460_002;

/**
 * The key store's one table. An owner is a case (a referral's id) or a house (for what staff
 * write about its beds). `wrapped` is the data key encrypted by PII_ENCRYPTION_KEY (the PII
 * cipher's `v1.<keyId>…` format, so a rotation re-wraps it); null once the owner was erased: the
 * row stays as a tombstone, so that no later write can make a new key for an erased case.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS data_keys (
    owner_id uuid PRIMARY KEY,
    wrapped text,
    created_at timestamptz NOT NULL DEFAULT now(),
    erased_at timestamptz,
    CHECK ((wrapped IS NULL) = (erased_at IS NOT NULL))
  )`;

/** A data key as stored: wrapped, or null when its owner was erased. */
export interface StoredKey {
  ownerId: string;
  wrapped: string | null;
}

/**
 * Outside production, creates the key store's database when missing (as main.ts does for the
 * main one), then its table. Every start-up runs it; the advisory lock lets instances starting
 * at once wait for each other.
 */
export async function prepareKeyStore(config: Config): Promise<void> {
  // As the owner (MIGRATIONS_DATABASE_URL's login): the service's own role may not create it.
  if (!config.app.production) {
    await ensureDatabaseExists(config.keyStore.ownerUrl);
  }
  const client = new Client({ connectionString: config.keyStore.ownerUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [KEY_STORE_LOCK_KEY]);
    // A service started after a separate migration step logs in as its own role here, which
    // may not create tables: it finds the table made and granted by the owner, and stops there.
    const [table] = (
      await client.query<{ owned: boolean | null }>(
        `SELECT pg_get_userbyid(c.relowner) = current_user AS owned
         FROM (SELECT to_regclass('data_keys') AS oid) t LEFT JOIN pg_class c ON c.oid = t.oid`,
      )
    ).rows;
    if (table.owned === false) {
      return;
    }
    await client.query(SCHEMA);
    // The service's role (least privilege) reads and writes keys; an erasure only empties one
    // (a tombstone), so it never needs DELETE. Validated as a plain lower-case name.
    const role = config.database.appRole;
    const [{ exists }] = (
      await client.query<{ exists: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists',
        [role],
      )
    ).rows;
    if (exists) {
      await client.query(`GRANT SELECT, INSERT, UPDATE ON data_keys TO "${role}"`);
    }
  } finally {
    await client.end();
  }
}

/**
 * The per-case data keys, in a database of their own (KEYSTORE_URL): a backup of the case data
 * holds no key, so erasing a key here makes that backup's copy of the case unreadable.
 */
@Injectable()
export class KeyStore implements OnModuleDestroy {
  private readonly pool: Pool;

  constructor(config: Config) {
    this.pool = new Pool({
      connectionString: config.keyStore.url,
      max: 5,
      connectionTimeoutMillis: 5000,
      query_timeout: 10000,
      application_name: 'refugio-keys',
    });
    // A terminated idle client must not end the process; its next query fails instead.
    this.pool.on('error', () => undefined);
  }

  async find(ownerIds: readonly string[]): Promise<StoredKey[]> {
    if (ownerIds.length === 0) {
      return [];
    }
    const { rows } = await this.pool.query<StoredKey>(
      `SELECT owner_id AS "ownerId", wrapped FROM data_keys WHERE owner_id = ANY($1::uuid[])`,
      [ownerIds],
    );
    return rows;
  }

  /**
   * Stores the key unless the owner has one (or a tombstone): the stored one wins a race, so
   * two writers of one case always end with the same key.
   */
  async createOrFind(ownerId: string, wrapped: string): Promise<StoredKey> {
    const { rows } = await this.pool.query<StoredKey>(
      `WITH created AS (
         INSERT INTO data_keys (owner_id, wrapped) VALUES ($1, $2)
         ON CONFLICT (owner_id) DO NOTHING
         RETURNING owner_id AS "ownerId", wrapped
       )
       SELECT * FROM created
       UNION ALL
       SELECT owner_id, wrapped FROM data_keys WHERE owner_id = $1 AND NOT EXISTS (SELECT 1 FROM created)`,
      [ownerId, wrapped],
    );
    return rows[0];
  }

  /** `createOrFind` for many owners in one round trip (the migration job's batches). */
  async createOrFindMany(keys: readonly StoredKey[]): Promise<StoredKey[]> {
    if (keys.length === 0) {
      return [];
    }
    await this.pool.query(
      `INSERT INTO data_keys (owner_id, wrapped)
       SELECT * FROM unnest($1::uuid[], $2::text[])
       ON CONFLICT (owner_id) DO NOTHING`,
      [keys.map((k) => k.ownerId), keys.map((k) => k.wrapped)],
    );
    return this.find(keys.map((k) => k.ownerId));
  }

  /** Destroys the owners' keys, leaving tombstones. Idempotent. */
  async destroy(ownerIds: readonly string[]): Promise<void> {
    if (ownerIds.length === 0) {
      return;
    }
    await this.pool.query(
      `INSERT INTO data_keys (owner_id, wrapped, erased_at)
       SELECT unnest($1::uuid[]), NULL, now()
       ON CONFLICT (owner_id) DO UPDATE SET wrapped = NULL,
         erased_at = coalesce(data_keys.erased_at, now())`,
      [ownerIds],
    );
  }

  /** Keys not wrapped by `currentKeyId`, a batch at a time after `afterOwnerId` (rotation). */
  async findWrappedOtherwise(
    currentKeyId: string,
    afterOwnerId: string,
    limit: number,
  ): Promise<{ ownerId: string; wrapped: string }[]> {
    const { rows } = await this.pool.query<{ ownerId: string; wrapped: string }>(
      `SELECT owner_id AS "ownerId", wrapped FROM data_keys
       WHERE owner_id > $1 AND wrapped IS NOT NULL AND split_part(wrapped, '.', 2) <> $2
       ORDER BY owner_id LIMIT $3`,
      [afterOwnerId, currentKeyId, limit],
    );
    return rows;
  }

  /** Replaces wrappings, only where the key was not erased meanwhile. */
  async rewrap(keys: readonly { ownerId: string; wrapped: string }[]): Promise<void> {
    await this.pool.query(
      `UPDATE data_keys SET wrapped = k.wrapped
       FROM unnest($1::uuid[], $2::text[]) AS k (owner_id, wrapped)
       WHERE data_keys.owner_id = k.owner_id AND data_keys.wrapped IS NOT NULL`,
      [keys.map((k) => k.ownerId), keys.map((k) => k.wrapped)],
    );
  }

  /** For readiness: the key store answers. */
  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }
}
