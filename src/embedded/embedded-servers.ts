import { resolve } from 'node:path';
import { Config } from '../config/config';
import { ConfigurationError, Environment } from '../config/environment';
import { startEmbeddedPostgres } from './embedded-postgres';
import { startEmbeddedRedis } from './embedded-redis';
import { answers, EmbeddedServer, EmbeddedServerError } from './server-process';

export interface EmbeddedServers {
  servers: EmbeddedServer[];
  /** One line per server started, for the log. */
  notes: string[];
  /** The URLs of the servers started, under their variable names, to use instead. */
  urls: Partial<Record<'DATABASE_URL' | 'REDIS_URL', string>>;
}

interface Need {
  name: EmbeddedServer['name'];
  variable: 'DATABASE_URL' | 'REDIS_URL';
  start: (dataDir: string) => Promise<EmbeddedServer>;
}

const NEEDS: Need[] = [
  { name: 'PostgreSQL', variable: 'DATABASE_URL', start: (dir) => startEmbeddedPostgres(dir) },
  { name: 'Redis', variable: 'REDIS_URL', start: (dir) => startEmbeddedRedis(dir) },
];

function hostAndPort(url: string, defaultPort: number): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || defaultPort) };
}

/**
 * API.md's "Running it with nothing but Node": for PostgreSQL and for Redis alike, a URL that is
 * set is used as it is; otherwise EMBEDDED decides between the default address and a server of
 * the service's own. Production never embeds. `isSet` says whether the operator gave the URL
 * (the environment or a .env file), since `config` holds the defaults already. The config is
 * frozen: the caller builds its config again with the returned `urls`.
 */
export async function startEmbeddedServers(
  config: Config,
  isSet: (variable: string) => boolean,
): Promise<EmbeddedServers> {
  const result: EmbeddedServers = { servers: [], notes: [], urls: {} };
  const defaults = new Environment();
  const dataDir = resolve(config.embedded.dataDir);
  try {
    for (const need of NEEDS) {
      if (isSet(need.variable)) {
        continue;
      }
      if (config.app.production) {
        throw new ConfigurationError(
          `Invalid configuration: ${need.variable} is required in production (embedded servers are for development only)`,
        );
      }
      const target = hostAndPort(
        defaults[need.variable],
        need.variable === 'DATABASE_URL' ? 5432 : 6379,
      );
      const address = `${target.host}:${target.port}`;
      if (config.embedded.mode !== 'always' && (await answers(target.host, target.port))) {
        continue;
      }
      if (config.embedded.mode === 'never') {
        throw new EmbeddedServerError(
          `Nothing answers at ${address} for ${need.name}, ${need.variable} is not set and ` +
            `EMBEDDED=never: start ${need.name} there or set ${need.variable}`,
        );
      }
      const server = await need.start(dataDir);
      result.servers.push(server);
      result.urls[need.variable] = server.url;
      const why =
        config.embedded.mode === 'always'
          ? 'EMBEDDED=always'
          : `${need.variable} is not set and nothing answers at ${address}`;
      result.notes.push(
        `${why}: started an embedded ${need.name} on ${server.address} (pid ${server.pid}) ` +
          `with its data in ${dataDir}`,
      );
    }
  } catch (error) {
    await stopEmbeddedServers(result.servers);
    throw error;
  }
  return result;
}

/** Stops the servers in reverse order of start, each waited for. */
export async function stopEmbeddedServers(servers: EmbeddedServer[]): Promise<void> {
  for (const server of [...servers].reverse()) {
    await server.stop();
  }
}

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/**
 * Stops the servers when the service stops, after Nest has closed the application. Nest's
 * shutdown hooks (app.factory.ts) close the app on the first SIGTERM or SIGINT, remove their
 * listener and raise the signal again; this listener lets that first delivery pass while Nest's
 * is still there, and on the second stops the servers and raises the signal itself, so the
 * process still ends by the signal. Should the process end any other way, 'exit' asks them to
 * stop (it cannot wait for them).
 */
export function stopWithTheService(servers: EmbeddedServer[]): void {
  if (servers.length === 0) {
    return;
  }
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping || process.listenerCount(signal) > 1) {
      return;
    }
    stopping = true;
    void stopEmbeddedServers(servers).finally(() => {
      for (const name of STOP_SIGNALS) {
        process.removeListener(name, onSignal);
      }
      process.kill(process.pid, signal);
    });
  };
  for (const name of STOP_SIGNALS) {
    process.on(name, onSignal);
  }
  process.once('exit', () => {
    for (const server of servers) {
      server.signalStop();
    }
  });
}
