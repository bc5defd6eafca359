import { stopTestServers } from './embedded-test-servers';
import { dropDatabase, withAdminClient } from './test-env';

/**
 * Drops every database of this run, the template included, even after a failed test; then stops
 * the servers the run started, if it started any.
 */
export default async function globalTeardown(): Promise<void> {
  try {
    await dropRunDatabases();
  } finally {
    await stopTestServers();
  }
}

async function dropRunDatabases(): Promise<void> {
  const runId = process.env.REFUGIO_TEST_RUN_ID;
  if (!runId) {
    return;
  }
  const { rows } = await withAdminClient((client) =>
    client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `refugio_test_${runId}%`,
    ]),
  );
  for (const { datname } of rows) {
    await dropDatabase(datname);
  }
}
