import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { hashPassword } from '../auth/password';
import { usernameKey } from '../auth/username';
import { PiiCipher } from '../common/pii-cipher';
import { Config, SeedSettings } from '../config/config';
import { prepareKeyStore } from '../common/key-store';
import { databaseOptions } from './database-options';
import { bedLabel, planRooms } from './seed-plan';

/** Any constant works, as long as every instance of Refugio uses the same one. */
const MIGRATION_LOCK_KEY = 727_460_001;

export interface PrepareLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface PrepareResult {
  migrationsApplied: string[];
  housesSeeded: number;
  /** Set only when an admin was created with a generated password, to be shown once. */
  generatedAdmin?: { username: string; password: string };
}

/**
 * Applies pending migrations, grants the service's role what it needs, seeds an empty database
 * and creates the first admin, all as the database's owner (MIGRATIONS_DATABASE_URL) under one
 * session-level advisory lock: instances starting at once wait for each other, and the later
 * ones find the work done. Then checks that the service's own connection (`dataSource`, which
 * in production logs in as DATABASE_APP_ROLE) holds those grants, so that a wrong login stops
 * start-up with one line instead of failing requests later. The key store (its database and
 * table, see key-store.ts) is prepared under the same lock.
 */
export async function prepareDatabase(
  dataSource: DataSource,
  config: Config,
  logger: PrepareLogger,
): Promise<PrepareResult> {
  const result = await migrateDatabase(config, logger);
  await assertServiceGrants(dataSource, config);
  return result;
}

/**
 * The owner's part alone, through MIGRATIONS_DATABASE_URL: what `npm run migrate` (a deployment's
 * one-off step, such as docker-compose's `migrate` service) runs before the service starts.
 */
export async function migrateDatabase(
  config: Config,
  logger: PrepareLogger,
): Promise<PrepareResult> {
  const owner = new DataSource(
    databaseOptions({ ...config.database, poolSize: 3 }, { owner: true }),
  );
  await owner.initialize();
  try {
    return await prepareAsOwner(owner, config, logger);
  } finally {
    await owner.destroy();
  }
}

async function prepareAsOwner(
  dataSource: DataSource,
  config: Config,
  logger: PrepareLogger,
): Promise<PrepareResult> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) {
      logger.log(
        `Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`,
      );
    }
    // Again at every start (the migration did it once): tables someone else created, and a
    // DATABASE_APP_ROLE changed since, get the same grants and refusals. Only the owner may: a
    // service started after a separate migration step (MIGRATIONS_DATABASE_URL unset, so its
    // own login here) finds the work done and skips it.
    const [{ owner }] = await dataSource.query<{ owner: boolean }[]>(
      `SELECT has_function_privilege('database_grant_app_role(text)', 'EXECUTE') AS owner`,
    );
    if (owner) {
      await dataSource.query('SELECT database_grant_app_role($1)', [config.database.appRole]);
    }
    // After the role exists (the grants above may have made it): its key store grants name it.
    await prepareKeyStore(config);
    // Order numbers written in clear before they were encrypted: batch by batch, each committed.
    let lastLogged = 0;
    const encrypted = await encryptPlainProtectionOrderNumbers(
      dataSource,
      new PiiCipher(config),
      (done) => {
        if (done - lastLogged >= 100_000) {
          lastLogged = done;
          logger.log(`Encrypting earlier protection order numbers: ${done} so far`);
        }
      },
    );
    if (encrypted > 0) {
      logger.log(`Encrypted ${encrypted} earlier protection order number(s)`);
    }
    return await dataSource.transaction(async (manager) => {
      const housesSeeded = await seedHouses(manager, config.seed);
      if (housesSeeded > 0) {
        logger.log(`Seeded ${housesSeeded} houses of ${config.seed.placesPerHouse} places`);
      }
      const generatedAdmin = await ensureFirstAdmin(manager, config, logger);
      const cipher = new PiiCipher(config);
      const hashedKeys = await hashSetAsideIdempotencyKeys(manager, cipher);
      if (hashedKeys > 0) {
        logger.log(`Stored ${hashedKeys} earlier Idempotency-Key value(s) as HMACs`);
      }
      return { migrationsApplied: applied.map((m) => m.name), housesSeeded, generatedAdmin };
    });
  } finally {
    await lockRunner
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
      .catch(() => undefined);
    await lockRunner.release();
  }
}

/** The service's login may write a stay and append to the audit log, or start-up stops here. */
async function assertServiceGrants(dataSource: DataSource, config: Config): Promise<void> {
  const [grants] = await dataSource.query<{ login: string; enough: boolean }[]>(
    `SELECT current_user AS login,
            has_table_privilege('stays', 'SELECT, INSERT, UPDATE')
              AND has_table_privilege('audit_events', 'SELECT, INSERT') AS enough`,
  );
  if (!grants.enough) {
    throw new Error(
      `DATABASE_URL logs in as "${grants.login}", which lacks the grants of DATABASE_APP_ROLE ` +
        `("${config.database.appRole}"): log in as that role or a member of it`,
    );
  }
}

/**
 * Hashes the Idempotency-Key values that migration 1764506000000 set aside (written in clear
 * before keys were stored as HMACs) into idempotency_keys, and empties the side table. At most a
 * day of keys is live, so one statement each way; a key someone re-used meanwhile keeps its row.
 */
export async function hashSetAsideIdempotencyKeys(
  manager: EntityManager,
  cipher: PiiCipher,
): Promise<number> {
  const rows = await manager.query<{ callerKey: string; key: string }[]>(
    `SELECT DISTINCT caller_key AS "callerKey", key FROM idempotency_keys_plain`,
  );
  if (rows.length === 0) {
    return 0;
  }
  await manager.query(
    `WITH moved AS (DELETE FROM idempotency_keys_plain RETURNING *)
     INSERT INTO idempotency_keys (caller_key, key, request_fingerprint, referral_id, response, created_at)
     SELECT m.caller_key, h.hmac, m.request_fingerprint, m.referral_id, m.response, m.created_at
     FROM moved m JOIN unnest($1::text[], $2::text[], $3::text[]) AS h (caller_key, key, hmac)
       ON h.caller_key = m.caller_key AND h.key = m.key
     ON CONFLICT (caller_key, key) DO NOTHING`,
    [
      rows.map((r) => r.callerKey),
      rows.map((r) => r.key),
      rows.map((r) => cipher.idempotencyKey(r.key)),
    ],
  );
  return rows.length;
}

/**
 * Encrypts the protection order numbers written in clear before migration 1764506100000, and
 * clears the old column: each batch its own committed transaction, so a large database never
 * holds one long transaction (and its locks) at start-up, and a restart resumes where it
 * stopped. Afterwards every number is written encrypted and the query finds nothing.
 */
export async function encryptPlainProtectionOrderNumbers(
  dataSource: DataSource,
  cipher: PiiCipher,
  progress: (done: number) => void = () => undefined,
  batch = 2000,
): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await dataSource.transaction(async (manager) => {
      const rows = await manager.query<{ id: string; number: string }[]>(
        `SELECT id, protection_order_number AS number FROM referrals
         WHERE protection_order_number IS NOT NULL LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batch],
      );
      if (rows.length > 0) {
        await manager.query(
          `UPDATE referrals r SET protection_order_number_cipher = e.cipher, protection_order_number = NULL
           FROM unnest($1::uuid[], $2::text[]) AS e (id, cipher) WHERE r.id = e.id`,
          [rows.map((r) => r.id), rows.map((r) => cipher.encrypt(r.number))],
        );
      }
      return rows.length;
    });
    if (done === 0) {
      return total;
    }
    total += done;
    progress(total);
  }
}

async function seedHouses(manager: EntityManager, seed: SeedSettings): Promise<number> {
  const [{ count }] = await manager.query<{ count: number }[]>(
    'SELECT count(*)::int AS count FROM houses',
  );
  if (count > 0 || seed.houses === 0) {
    return 0;
  }
  const rooms = planRooms(seed.placesPerHouse);
  for (let h = 1; h <= seed.houses; h++) {
    const [{ id: houseId }] = await manager.query<{ id: string }[]>(
      'INSERT INTO houses (code, name) VALUES ($1, $2) RETURNING id',
      [`CR-${h}`, `Casa Refugio ${h}`],
    );
    const roomRows = await manager.query<{ id: string; position: number }[]>(
      `INSERT INTO rooms (house_id, name, position, wheelchair_accessible)
       SELECT $1, r.name, r.position, r.accessible
       FROM unnest($2::text[], $3::int[], $4::boolean[]) AS r(name, position, accessible)
       RETURNING id, position`,
      [
        houseId,
        rooms.map((r) => r.name),
        rooms.map((_, i) => i + 1),
        rooms.map((r) => r.wheelchairAccessible),
      ],
    );
    const roomIdByPosition = new Map(roomRows.map((r) => [r.position, r.id]));
    const bedRooms: string[] = [];
    const bedLabels: string[] = [];
    const bedPositions: number[] = [];
    rooms.forEach((room, i) => {
      for (let b = 0; b < room.beds; b++) {
        bedRooms.push(roomIdByPosition.get(i + 1) as string);
        bedLabels.push(bedLabel(i + 1, b));
        bedPositions.push(b + 1);
      }
    });
    await manager.query(
      `INSERT INTO beds (house_id, room_id, label, position, available_from)
       SELECT $1, b.room_id, b.label, b.position, '-infinity'
       FROM unnest($2::uuid[], $3::text[], $4::int[]) AS b(room_id, label, position)`,
      [houseId, bedRooms, bedLabels, bedPositions],
    );
  }
  return seed.houses;
}

async function ensureFirstAdmin(
  manager: EntityManager,
  config: Config,
  logger: PrepareLogger,
): Promise<PrepareResult['generatedAdmin']> {
  const [{ count }] = await manager.query<{ count: number }[]>(
    `SELECT count(*)::int AS count FROM users WHERE role = 'admin' AND active`,
  );
  if (count > 0) {
    return undefined;
  }
  let username = config.auth.firstAdmin?.username;
  let password = config.auth.firstAdmin?.password;
  let generated = false;
  if (!username || !password) {
    if (config.app.production) {
      throw new Error(
        'Invalid configuration: ADMIN_USERNAME and ADMIN_PASSWORD are required in production while no admin exists',
      );
    }
    username = 'admin';
    password = randomBytes(18).toString('base64url');
    generated = true;
  }
  await manager.query(
    `INSERT INTO users (username, password_hash, role) VALUES ($1, $2, 'admin')
     ON CONFLICT (lower(username)) DO NOTHING`,
    [usernameKey(username), await hashPassword(password)],
  );
  logger.log(`Created the first admin account "${username}"`);
  return generated ? { username, password } : undefined;
}
