import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/embedded/embedded-postgres';
import { redisServerBinary, startEmbeddedRedis } from '../../src/embedded/embedded-redis';
import { answers, EmbeddedServer } from '../../src/embedded/server-process';

interface TestServers {
  servers: EmbeddedServer[];
  dataDir: string;
}

// globalSetup and globalTeardown run in the same process, which is how jest lets them share.
const KEY = Symbol.for('refugio.embeddedTestServers');
type WithServers = typeof globalThis & { [KEY]?: TestServers };

/**
 * A machine with only Node runs the tests too: when TEST_PG_URL (or TEST_REDIS_URL) is unset
 * and nothing answers at the default address, the run starts its own throwaway server and hands
 * its URL to the workers through the variable. TEST_EMBEDDED=always starts them even where
 * servers run, which is how this path is tried on a machine that has them.
 */
export async function startTestServersIfMissing(): Promise<string[]> {
  const always = process.env.TEST_EMBEDDED === 'always';
  const needPostgres = !process.env.TEST_PG_URL && (always || !(await answers('127.0.0.1', 5432)));
  const needRedis = !process.env.TEST_REDIS_URL && (always || !(await answers('127.0.0.1', 6379)));
  if (!needPostgres && !needRedis) {
    return [];
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'refugio-test-servers-'));
  // Under root PostgreSQL runs as nobody, which must be able to enter the directory.
  chmodSync(dataDir, 0o755);
  const state: TestServers = { servers: [], dataDir };
  (globalThis as WithServers)[KEY] = state;
  const notes: string[] = [];
  if (needPostgres) {
    const postgres = await startEmbeddedPostgres(dataDir, { database: 'postgres', durable: false });
    state.servers.push(postgres);
    process.env.TEST_PG_URL = postgres.url;
    notes.push(`embedded PostgreSQL on ${postgres.address}`);
  }
  if (needRedis) {
    const redis = await startEmbeddedRedis(dataDir, { durable: false });
    state.servers.push(redis);
    process.env.TEST_REDIS_URL = redis.url;
    // The tests that stop Redis start a redis-server of their own: the same binary.
    process.env.REDIS_SERVER_BIN ??= await redisServerBinary();
    notes.push(`embedded Redis on ${redis.address}`);
  }
  return notes;
}

export async function stopTestServers(): Promise<void> {
  const state = (globalThis as WithServers)[KEY];
  if (!state) {
    return;
  }
  for (const server of [...state.servers].reverse()) {
    await server.stop();
  }
  rmSync(state.dataDir, { recursive: true, force: true });
  delete (globalThis as WithServers)[KEY];
}
