import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { PostgresAdmin, postgresAdmin } from '../fixtures/postgres-admin';

export const DEFAULT_TEST_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * Where the test services are; CI and developers may point elsewhere with these variables, and
 * global-setup sets them to embedded servers when nothing answers at the defaults. Read at each
 * call: global-setup and global-teardown share this module and set them after it is loaded.
 */
export const pgAdminUrl = (): string => process.env.TEST_PG_URL ?? DEFAULT_TEST_PG_URL;
export const testRedisUrl = (): string => process.env.TEST_REDIS_URL ?? DEFAULT_TEST_REDIS_URL;

export const ADMIN_USERNAME = 'admin';
export const ADMIN_PASSWORD = 'test-admin-password-1234';

/** Settings every test app starts from; each test file gets its own database and queue prefix. */
export function baseTestEnvironment(): Record<string, string> {
  return {
    NODE_ENV: 'test',
    REDIS_URL: testRedisUrl(),
    JWT_SECRET: 'test-jwt-secret-that-is-long-enough-0123456789',
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    ADMIN_USERNAME,
    ADMIN_PASSWORD,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    FOLLOW_UP_SCHEDULE: 'PT4S,PT9S',
    DATABASE_POOL_SIZE: '10',
  };
}

export function randomSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** Read at each call: global-setup may point TEST_PG_URL at embedded servers after load. */
const admin = (): PostgresAdmin => postgresAdmin(pgAdminUrl());

export const databaseUrl = (name: string): string => admin().databaseUrl(name);

export const withAdminClient = <T>(fn: (client: Client) => Promise<T>): Promise<T> =>
  admin().withClient(fn);

export const createDatabase = (name: string, template?: string): Promise<string> =>
  admin().createDatabase(name, { template });

export const dropDatabase = (name: string): Promise<void> => admin().dropDatabase(name);
