import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { postgresAdmin } from '../fixtures/postgres-admin';

/** Where the test services are; CI and developers may point elsewhere with these variables. */
export const PG_ADMIN_URL =
  process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const ADMIN_USERNAME = 'admin';
export const ADMIN_PASSWORD = 'test-admin-password-1234';

/** Settings every test app starts from; each test file gets its own database and queue prefix. */
export function baseTestEnvironment(): Record<string, string> {
  return {
    NODE_ENV: 'test',
    REDIS_URL: TEST_REDIS_URL,
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

const admin = postgresAdmin(PG_ADMIN_URL);

export const databaseUrl = (name: string): string => admin.databaseUrl(name);

export const withAdminClient = <T>(fn: (client: Client) => Promise<T>): Promise<T> =>
  admin.withClient(fn);

export const createDatabase = (name: string, template?: string): Promise<string> =>
  admin.createDatabase(name, { template });

export const dropDatabase = (name: string): Promise<void> => admin.dropDatabase(name);
