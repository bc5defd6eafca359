import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { Client } from 'pg';
import { postgresAdmin } from '../test/fixtures/postgres-admin';
import { parseConfig } from '../src/config/config';
import { BenchContext, load, postJson, Scenario, ScenarioResult, StaffRole } from './lib';
import { run as callbacks } from './scenarios/callbacks';
import { run as casework } from './scenarios/casework';
import { run as followUps } from './scenarios/follow-ups';
import { run as health } from './scenarios/health';
import { run as history } from './scenarios/history';
import { run as holds } from './scenarios/holds';
import { run as referrals } from './scenarios/referrals';
import { run as reports } from './scenarios/reports';
import { run as stays } from './scenarios/stays';

/**
 * `npm run bench [--quick] [--national] [scenario…]`: starts the built service on a fresh
 * database (or, with --national, on the one `npm run bench:seed` built), measures
 * start-to-ready, runs each scenario at 32 connections, then prints one table and writes
 * bench/results.json with every figure and its ratio to GET /health measured in the same run.
 */
const SCENARIOS: Record<string, Scenario> = {
  health,
  referrals,
  stays,
  holds,
  history,
  'follow-ups': followUps,
  casework,
  callbacks,
  reports,
};

const ROOT = join(__dirname, '..', '..');
const postgres = postgresAdmin(
  process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** A service that is not ready by then is not going to be. */
const START_TIMEOUT_MS = 60_000;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const wanted = args.filter((a) => !a.startsWith('--'));
  const names = wanted.length > 0 ? wanted : Object.keys(SCENARIOS);
  for (const name of names) {
    if (!SCENARIOS[name]) {
      throw new Error(`Unknown scenario "${name}"; known: ${Object.keys(SCENARIOS).join(', ')}`);
    }
  }

  // --national: the database `npm run bench:seed` built (or BENCH_DATABASE), left in place.
  const national = args.includes('--national');
  const database =
    process.env.BENCH_DATABASE ??
    (national ? 'refugio_national' : `refugio_bench_${Date.now().toString(36)}`);
  const reuse = process.env.BENCH_DATABASE !== undefined || national;
  const seeded = seededSettings(database);
  if (national && !seeded) {
    throw new Error(`No bench/.national/${database}.env: run npm run bench:seed first`);
  }
  if (!reuse) {
    await postgres.createDatabase(database);
  }
  // The key store of the per-case keys (KEYSTORE_URL's default): in production the operator
  // creates it, as the main database.
  await postgres.createDatabase(`${database}_keys`, { replace: false }).catch(() => undefined);
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    PORT: String(port),
    DATABASE_URL: postgres.databaseUrl(database),
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `refugio-bench-${randomBytes(3).toString('hex')}`,
    JWT_SECRET: randomBytes(48).toString('base64url'),
    PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ADMIN_USERNAME: 'bench.admin',
    ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
    LOG_LEVEL: 'warn',
    // The benchmark measures throughput, not the limiter.
    REFERRER_RATE_LIMIT_PER_MINUTE: '100000000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    FOLLOW_UP_SCHEDULE: process.env.FOLLOW_UP_SCHEDULE ?? 'P15D,P1M,P3M,P6M',
    // The seeded database's PII key and first admin; a fixed queue prefix keeps the relay's
    // epoch across runs, so only the first run against it enqueues its pending follow-ups.
    ...(seeded ? { ...seeded, QUEUE_PREFIX: `refugio-bench-${database}` } : {}),
  };

  progress(`starting the built service on port ${port}, database ${database}`);
  const started = process.hrtime.bigint();
  // Through the same launcher as `npm start` and the Docker image, so that the peak RSS below is
  // measured with the memory settings production runs with (the launcher execs node: the pid is
  // the service's). PATH leads to the node running this benchmark.
  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p" profiles the service under a scenario.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn('sh', [join(ROOT, 'scripts', 'start.sh'), ...nodeArgs], {
    cwd: ROOT,
    env: { PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // Whatever fails from here on, the service is stopped and its database dropped.
  const results: ScenarioResult[] = [];
  try {
    const baseUrl = `http://127.0.0.1:${port}`;
    let readyMs: number;
    const readyBy = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (Date.now() > readyBy) {
        throw new Error(`The service was not ready within ${START_TIMEOUT_MS / 1000} s`);
      }
      try {
        if ((await fetch(`${baseUrl}/health/ready`)).status === 200) {
          readyMs = Number(process.hrtime.bigint() - started) / 1e6;
          break;
        }
      } catch {
        // not listening yet
      }
      if (child.exitCode !== null) {
        throw new Error('The service exited during start-up');
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    progress(`ready in ${Math.round(readyMs)} ms`);
    const catchUp = seeded ? await waitForRelay(env.DATABASE_URL) : undefined;

    const adminToken = (
      await postJson<{ accessToken: string }>(`${baseUrl}/api/v1/auth/login`, {
        username: env.ADMIN_USERNAME,
        password: env.ADMIN_PASSWORD,
      })
    ).body.accessToken;
    const ctx: BenchContext = {
      baseUrl,
      databaseUrl: env.DATABASE_URL,
      config: parseConfig(env),
      quick,
      async token(role: StaffRole, houseId?: string, discipline?: string) {
        const username = `bench.${role.replace(/_/g, '.')}.${randomBytes(3).toString('hex')}`;
        const password = randomBytes(18).toString('base64url');
        const created = await postJson(
          `${baseUrl}/api/v1/users`,
          {
            username,
            password,
            role,
            ...(houseId ? { houseId } : {}),
            ...(discipline ? { discipline } : {}),
          },
          { authorization: `Bearer ${adminToken}` },
        );
        if (created.status !== 201) {
          throw new Error(`Could not create a ${role}: ${JSON.stringify(created.body)}`);
        }
        return (
          await postJson<{ accessToken: string }>(`${baseUrl}/api/v1/auth/login`, {
            username,
            password,
          })
        ).body.accessToken;
      },
      async referrerKey() {
        const created = await postJson<{ apiKey: string }>(
          `${baseUrl}/api/v1/referrers`,
          {
            name: `Comisaría de prueba ${randomBytes(2).toString('hex')}`,
            authorityType: 'comisaria_familia',
          },
          { authorization: `Bearer ${adminToken}` },
        );
        return created.body.apiKey;
      },
      load: (options) => load(baseUrl, options, quick),
    };

    results.push({ name: 'start to ready', notes: { milliseconds: Math.round(readyMs) } });
    if (catchUp) {
      results.push({ name: 'relay catch-up of the seeded pending jobs', notes: catchUp });
    }
    for (const name of ['health', ...names.filter((n) => n !== 'health')]) {
      progress(`scenario ${name}…`);
      try {
        results.push(...(await SCENARIOS[name](ctx)));
      } catch (error) {
        // One broken scenario must not hide the figures of the others.
        const message = error instanceof Error ? error.message : String(error);
        progress(`scenario ${name} failed: ${message}`);
        results.push({ name: `${name} (failed)`, notes: { error: message } });
        process.exitCode = 1;
      }
    }
    results.push({
      name: 'peak RSS of the service',
      notes: { megabytes: peakRssMb(child.pid as number) },
    });
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    if (!reuse && !process.env.BENCH_KEEP_DATABASE) {
      await postgres.dropDatabase(database);
      await postgres.dropDatabase(`${database}_keys`);
    }
  }
  report(results);
}

/** What bench:seed wrote for its database: PII_ENCRYPTION_KEY, ADMIN_USERNAME, ADMIN_PASSWORD. */
function seededSettings(database: string): Record<string, string> | undefined {
  const file = join(ROOT, 'bench', '.national', `${database}.env`);
  if (!existsSync(file)) {
    return undefined;
  }
  const settings: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^(PII_ENCRYPTION_KEY|ADMIN_USERNAME|ADMIN_PASSWORD)=(.*)$/.exec(line);
    if (match) {
      settings[match[1]] = match[2];
    }
  }
  return settings;
}

/**
 * A freshly seeded database holds pending follow-ups and term alerts no Redis has seen: the
 * relay enqueues them in its first minutes. The scenarios wait for that, so that they do not
 * measure the catch-up; its duration is a figure of its own.
 */
async function waitForRelay(url: string): Promise<Record<string, number>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const pending = async () =>
    (
      await client.query<{ count: number }>(
        `SELECT (SELECT count(*) FROM follow_ups WHERE status = 'scheduled' AND relayed_epoch IS NULL)
              + (SELECT count(*) FROM term_alerts WHERE status = 'scheduled' AND relayed_epoch IS NULL)
                AS count`,
      )
    ).rows[0].count;
  try {
    const started = Date.now();
    const rows = Number(await pending());
    let left = rows;
    while (left > 0 && Date.now() - started < 600_000) {
      progress(`waiting for the relay: ${left} seeded pending jobs not enqueued yet`);
      await new Promise((resolve) => setTimeout(resolve, 5000));
      left = Number(await pending());
    }
    return { rows, seconds: Math.round((Date.now() - started) / 1000), left };
  } finally {
    await client.end();
  }
}

function report(results: ScenarioResult[]): void {
  const health = results.find((r) => r.name === 'GET /health')?.requestsPerSecond;
  const rows = results.map((r) => ({
    scenario: r.name,
    'req/s': r.requestsPerSecond ?? '',
    'p50 ms': r.p50Ms ?? '',
    'p99 ms': r.p99Ms ?? '',
    errors: r.errors ?? '',
    'vs /health':
      r.requestsPerSecond && health ? `${((r.requestsPerSecond / health) * 100).toFixed(1)} %` : '',
    notes: r.notes
      ? Object.entries(r.notes)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')
      : '',
  }));
  console.table(rows);
  const file = join(ROOT, 'bench', 'results.json');
  writeFileSync(
    file,
    JSON.stringify(
      {
        measuredAt: new Date().toISOString(),
        machine: { cpus: cpus().length, node: process.version },
        results: results.map((r) => ({
          ...r,
          ratioToHealth: r.requestsPerSecond && health ? r.requestsPerSecond / health : undefined,
        })),
      },
      null,
      2,
    ) + '\n',
  );
  progress(`wrote ${file}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[bench] failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
