import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

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

export function databaseUrl(name: string): string {
  const url = new URL(pgAdminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

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

export async function withAdminClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: pgAdminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(name: string, template?: string): Promise<string> {
  await withAdminClient(async (client) => {
    // CREATE DATABASE … TEMPLATE fails while another session uses the template; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
        return;
      } catch (error) {
        if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) {
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  return databaseUrl(name);
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
