import { dropDatabase, withAdminClient } from './test-env';

/** Drops every database of this run, the template included, even after a failed test. */
export default async function globalTeardown(): Promise<void> {
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
