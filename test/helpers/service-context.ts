import { Type } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { createRootLogger, PinoNestLogger } from '../../src/common/logger';
import { StaffActor } from '../../src/common/actor';
import { Config, parseConfig } from '../../src/config/config';
import { prepareDatabase } from '../../src/database/prepare-database';
import { baseTestEnvironment, createDatabase, randomSuffix } from './test-env';
import { perDescribe } from './per-describe';

/**
 * The application's modules without HTTP: for rules that live in the services, the database or
 * the queue, tested by calling the services directly (no controller, guard or listener).
 */
export interface ServiceContext {
  module: TestingModule;
  /** A provider of the application, such as a service or the Clock. */
  get<T>(token: Type<T> | string | symbol): T;
  dataSource: DataSource;
  config: Config;
  /** The seeded admin as the guard would resolve her, for use cases that take a staff actor. */
  adminActor(): Promise<StaffActor>;
  close(): Promise<void>;
}

export interface ServiceContextOptions {
  /** Extra or overridden settings (APP_ROLE: 'api' leaves the queue workers out). */
  env?: Record<string, string>;
}

/**
 * Wires AppModule against a fresh database cloned from the run's seeded template (as the e2e
 * apps do), a queue prefix of its own and the real Redis, and runs the lifecycle hooks, so
 * the queue workers run as they do in the service.
 */
export async function createServiceContext(
  options: ServiceContextOptions = {},
): Promise<ServiceContext> {
  const runId = process.env.REFUGIO_TEST_RUN_ID as string;
  const databaseUrl = await createDatabase(
    `refugio_test_${runId}_${randomSuffix()}`,
    process.env.REFUGIO_TEST_TEMPLATE,
  );
  const config = parseConfig({
    ...baseTestEnvironment(),
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: `refugio-test-${runId}-${randomSuffix()}`,
    ...options.env,
  });
  const module = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .setLogger(new PinoNestLogger(createRootLogger(config.log)))
    .compile();
  await module.init();
  const dataSource = module.get(DataSource);
  try {
    await prepareDatabase(dataSource, config, { log: () => undefined, warn: () => undefined });
  } catch (error) {
    await module.close();
    throw error;
  }
  return {
    module,
    get: <T>(token: Type<T> | string | symbol): T => module.get<T>(token, { strict: false }),
    dataSource,
    config,
    async adminActor() {
      const [admin] = await dataSource.query<{ id: string }[]>(
        'SELECT id FROM users WHERE username = $1',
        [config.auth.firstAdmin?.username],
      );
      return {
        kind: 'staff',
        id: admin.id,
        role: 'admin',
        houseId: null,
        discipline: null,
        sessionId: 'service',
        requestId: 'service',
      };
    },
    close: () => module.close(),
  };
}

/** The service context of a `describe` block, made before its tests and closed after them. */
export function useServiceContext(options: ServiceContextOptions = {}): ServiceContext {
  return perDescribe(() => createServiceContext(options));
}
