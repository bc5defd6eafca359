import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { BenchContext, load, postJson, Scenario, ScenarioResult, StaffRole } from './lib';
import { run as followUps } from './scenarios/follow-ups';
import { run as health } from './scenarios/health';
import { run as referrals } from './scenarios/referrals';
import { run as stays } from './scenarios/stays';

/**
 * `npm run bench [--quick] [scenario…]`: starts the built service on a fresh database, measures
 * start-to-ready, runs each scenario at 32 connections, then prints one table and writes
 * bench/results.json with every figure and its ratio to GET /health measured in the same run.
 */
const SCENARIOS: Record<string, Scenario> = { health, referrals, stays, 'follow-ups': followUps };

const ROOT = join(__dirname, '..', '..');
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

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

function databaseUrl(name: string): string {
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

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

  const database = process.env.BENCH_DATABASE ?? `refugio_bench_${Date.now().toString(36)}`;
  const reuse = process.env.BENCH_DATABASE !== undefined;
  if (!reuse) {
    await admin((c) => c.query(`CREATE DATABASE "${database}"`));
  }
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    PORT: String(port),
    DATABASE_URL: databaseUrl(database),
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
  };

  progress(`starting the built service on port ${port}, database ${database}`);
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  let readyMs: number;
  for (;;) {
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

  const adminToken = (
    await postJson<{ accessToken: string }>(`${baseUrl}/api/v1/auth/login`, {
      username: env.ADMIN_USERNAME,
      password: env.ADMIN_PASSWORD,
    })
  ).body.accessToken;
  const ctx: BenchContext = {
    baseUrl,
    databaseUrl: env.DATABASE_URL,
    env,
    quick,
    async token(role: StaffRole, houseId?: string) {
      const username = `bench.${role.replace(/_/g, '.')}.${randomBytes(3).toString('hex')}`;
      const password = randomBytes(18).toString('base64url');
      const created = await postJson(
        `${baseUrl}/api/v1/users`,
        { username, password, role, ...(houseId ? { houseId } : {}) },
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

  const results: ScenarioResult[] = [
    { name: 'start to ready', notes: { milliseconds: Math.round(readyMs) } },
  ];
  try {
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
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    if (!reuse && !process.env.BENCH_KEEP_DATABASE) {
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    }
  }
  report(results);
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
