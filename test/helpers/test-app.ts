import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { StaffRole } from '../../src/common/actor';
import { Config, parseConfig } from '../../src/config/config';
import { prepareDatabase } from '../../src/database/prepare-database';
import {
  ADMIN_PASSWORD,
  ADMIN_USERNAME,
  baseTestEnvironment,
  createDatabase,
  randomSuffix,
} from './test-env';

export interface TestApp {
  app: NestFastifyApplication;
  config: Config;
  dataSource: DataSource;
  /** Base URL of the listening app, for real concurrent HTTP requests. */
  baseUrl: string;
  http: () => TestAgent;
  /** A bearer token for a fresh user of the role (coordinators need a house). */
  tokenFor(role: StaffRole, houseId?: string): Promise<string>;
  adminToken(): Promise<string>;
  houses(): Promise<{ id: string; code: string }[]>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Extra or overridden settings, such as a Redis of the test's own. */
  env?: Record<string, string>;
  /** An existing database URL instead of a fresh clone of the seeded template. */
  databaseUrl?: string;
}

/** A fresh database cloned from the run's seeded template, and a queue prefix of its own. */
export async function freshDatabaseUrl(): Promise<string> {
  const runId = process.env.REFUGIO_TEST_RUN_ID as string;
  return createDatabase(
    `refugio_test_${runId}_${randomSuffix()}`,
    process.env.REFUGIO_TEST_TEMPLATE,
  );
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return parseConfig({
    ...baseTestEnvironment(),
    QUEUE_PREFIX: `refugio-test-${process.env.REFUGIO_TEST_RUN_ID}-${randomSuffix()}`,
    ...overrides,
  });
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await freshDatabaseUrl());
  const config = testConfig({ DATABASE_URL: databaseUrl, ...options.env });
  const app = await createApp(config);
  const dataSource = app.get(DataSource);
  await prepareDatabase(dataSource, config, { log: () => undefined, warn: () => undefined });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const http = () => request(baseUrl);

  let adminToken: string | undefined;
  const login = async (username: string, password: string): Promise<string> => {
    const response = await http()
      .post('/api/v1/auth/login')
      .send({ username, password })
      .expect(200);
    return (response.body as { accessToken: string }).accessToken;
  };
  const testApp: TestApp = {
    app,
    config,
    dataSource,
    baseUrl,
    http,
    async adminToken() {
      adminToken ??= await login(ADMIN_USERNAME, ADMIN_PASSWORD);
      return adminToken;
    },
    async tokenFor(role, houseId) {
      const username = `${role.replace(/_/g, '.')}.${randomSuffix()}`;
      const password = `password-${randomSuffix()}-long`;
      await http()
        .post('/api/v1/users')
        .set('Authorization', `Bearer ${await testApp.adminToken()}`)
        .send({ username, password, role, ...(houseId ? { houseId } : {}) })
        .expect(201);
      return login(username, password);
    },
    async houses() {
      return dataSource.query<{ id: string; code: string }[]>(
        'SELECT id, code FROM houses ORDER BY code',
      );
    },
    async close() {
      await app.close();
    },
  };
  return testApp;
}
