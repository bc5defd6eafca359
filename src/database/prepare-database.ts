import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { hashPassword } from '../auth/password';
import { Config, SeedSettings } from '../config/config';
import { prepareKeyStore } from '../common/key-store';
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
 * Applies pending migrations, prepares the key store (its database and table, see key-store.ts),
 * seeds an empty database and creates the first admin, all under
 * one session-level advisory lock: instances starting at once wait for each other, and the
 * later ones find the work done.
 */
export async function prepareDatabase(
  dataSource: DataSource,
  config: Config,
  logger: PrepareLogger,
): Promise<PrepareResult> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    await prepareKeyStore(config);
    if (applied.length > 0) {
      logger.log(
        `Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`,
      );
    }
    return await dataSource.transaction(async (manager) => {
      const housesSeeded = await seedHouses(manager, config.seed);
      if (housesSeeded > 0) {
        logger.log(`Seeded ${housesSeeded} houses of ${config.seed.placesPerHouse} places`);
      }
      const generatedAdmin = await ensureFirstAdmin(manager, config, logger);
      return { migrationsApplied: applied.map((m) => m.name), housesSeeded, generatedAdmin };
    });
  } finally {
    await lockRunner
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
      .catch(() => undefined);
    await lockRunner.release();
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
    [username, await hashPassword(password)],
  );
  logger.log(`Created the first admin account "${username}"`);
  return generated ? { username, password } : undefined;
}
