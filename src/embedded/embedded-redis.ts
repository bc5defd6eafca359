import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import Redis from 'ioredis';
import {
  closeLog,
  EmbeddedServer,
  EmbeddedServerError,
  freePort,
  lastLogLine,
  openLog,
  stopChild,
  waitUntilReady,
} from './server-process';

export interface EmbeddedRedisOptions {
  /** Off for a test run's throwaway server: nothing written to disk. */
  durable?: boolean;
}

const INSTALL_HINT =
  'Embedded Redis needs a redis-server binary and none could be found or downloaded: ' +
  'install one (apt-get install redis-server, dnf install redis, brew install redis) ' +
  'or set REDIS_URL (or REDISMS_SYSTEM_BINARY to a redis-server)';

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

/** redis-memory-server prints a failed download on console.error; INSTALL_HINT says it all. */
async function withoutConsoleErrors<T>(fn: () => Promise<T>): Promise<T> {
  /* eslint-disable no-console -- silenced only while the library looks for a binary */
  const printError = console.error;
  console.error = () => undefined;
  try {
    return await fn();
  } finally {
    console.error = printError;
  }
  /* eslint-enable no-console */
}

/**
 * REDISMS_SYSTEM_BINARY, else a redis-server on the PATH, else the one redis-memory-server has
 * downloaded and built before (or downloads and builds now, which needs the network and make).
 */
export async function redisServerBinary(): Promise<string> {
  const configured = process.env.REDISMS_SYSTEM_BINARY;
  if (configured && existsSync(configured)) {
    return configured;
  }
  const found = onPath('redis-server');
  if (found) {
    return found;
  }
  try {
    const { RedisBinary } = await import('redis-memory-server');
    const path = (await withoutConsoleErrors(() => RedisBinary.getPath())).replace(/^"|"$/g, '');
    if (path && existsSync(path)) {
      return path;
    }
  } catch {
    // reported below in one line
  }
  throw new EmbeddedServerError(INSTALL_HINT);
}

function majorVersion(binary: string): number {
  try {
    const out = execFileSync(binary, ['--version'], { encoding: 'utf8' });
    return Number(/v=(\d+)/.exec(out)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

async function answersPing(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * Starts redis-server with its data in `<dataDir>/redis`: AOF on (fsync every second), the
 * same `noeviction` the README asks of a production Redis, a generated password kept in
 * `<dataDir>/redis.password`, 127.0.0.1 only, a free port. The settings go in on stdin
 * (`redis-server -`), so the password is not on the command line for `ps` to show.
 * redis-memory-server is used only to find or fetch the binary: its server keeps data in a
 * temporary directory and persists nothing.
 */
export async function startEmbeddedRedis(
  dataDir: string,
  { durable = true }: EmbeddedRedisOptions = {},
): Promise<EmbeddedServer> {
  const binary = await redisServerBinary();
  if (majorVersion(binary) > 0 && majorVersion(binary) < 6) {
    throw new EmbeddedServerError(
      `Embedded Redis found ${binary}, older than the 6.2 BullMQ needs: install a newer redis-server`,
    );
  }
  const root = resolve(dataDir);
  const dir = join(root, 'redis');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const passwordPath = join(root, 'redis.password');
  if (!existsSync(passwordPath)) {
    writeFileSync(passwordPath, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  }
  const password = readFileSync(passwordPath, 'utf8').trim();
  const port = await freePort();
  const logPath = join(root, 'redis.log');
  const config = [
    `port ${port}`,
    'bind 127.0.0.1',
    'protected-mode yes',
    'daemonize no',
    `dir "${dir}"`,
    `requirepass "${password}"`,
    'maxmemory-policy noeviction',
    'save ""',
    `appendonly ${durable ? 'yes' : 'no'}`,
    'appendfsync everysec',
  ].join('\n');

  const log = openLog(logPath);
  // detached, like PostgreSQL: Ctrl-C reaches the service alone, which stops Redis after it has
  // closed its own connections.
  const child = spawn(binary, ['-'], { detached: true, stdio: ['pipe', log, log] });
  closeLog(log);
  child.once('error', () => undefined);
  child.stdin?.on('error', () => undefined);
  child.stdin?.end(`${config}\n`);
  child.unref();

  const url = `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  if (!(await waitUntilReady(child, () => answersPing(url), 15000))) {
    await stopChild(child, 'SIGKILL', 2000);
    throw new EmbeddedServerError(
      `Embedded Redis did not start (log ${logPath}): ${lastLogLine(logPath) || 'no output'}`,
    );
  }
  return {
    name: 'Redis',
    pid: child.pid as number,
    url,
    address: `127.0.0.1:${port}`,
    // SIGTERM: Redis flushes the append-only file and exits.
    stop: () => stopChild(child, 'SIGTERM'),
    signalStop: () => void child.kill('SIGTERM'),
  };
}
