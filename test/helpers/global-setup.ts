import { DataSource } from 'typeorm';
import { parseConfig } from '../../src/config/config';
import { databaseOptions } from '../../src/database/database-options';
import { prepareDatabase } from '../../src/database/prepare-database';
import { startTestServersIfMissing, stopTestServers } from './embedded-test-servers';
import { baseTestEnvironment, createDatabase, randomSuffix } from './test-env';

/**
 * One run id per `npm test`: a template database migrated and seeded once, from which every
 * test file clones its own database in a fraction of a second; and a queue prefix of its own.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  const started = await startTestServersIfMissing();
  if (started.length > 0) {
    process.stderr.write(`\nThis run started its own servers: ${started.join(', ')}\n`);
  }
  const runId = `${Date.now().toString(36)}_${randomSuffix()}`;
  const template = `refugio_test_${runId}_tpl`;
  process.env.REFUGIO_TEST_RUN_ID = runId;
  process.env.REFUGIO_TEST_TEMPLATE = template;

  try {
    const url = await createDatabase(template);
    const config = parseConfig({ ...baseTestEnvironment(), DATABASE_URL: url });
    const dataSource = new DataSource(databaseOptions(config.database));
    await dataSource.initialize();
    try {
      await prepareDatabase(dataSource, config, { log: () => undefined, warn: () => undefined });
    } finally {
      await dataSource.destroy();
    }
  } catch (error) {
    // jest runs no teardown after a failed setup: servers started above would be left running.
    await stopTestServers();
    throw error;
  }
}
