import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { Client } from 'pg';
import type { Config } from '../src/config/config';

export type StaffRole =
  'admin' | 'admission_officer' | 'house_coordinator' | 'team_member' | 'analyst';

export interface LoadOptions {
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A fixed body, or per-request `requests` with `setupRequest` for bodies that must differ. */
  body?: string;
  requests?: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    setupRequest?: (request: Record<string, unknown>, context: Record<string, unknown>) => unknown;
  }[];
  connections?: number;
  durationSeconds?: number;
  amount?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  total: number;
}

export interface BenchContext {
  baseUrl: string;
  databaseUrl: string;
  /** The service's settings, parsed from its environment as the service parses them. */
  config: Config;
  quick: boolean;
  /** A fresh user of the role (coordinators and team members need a house, team members a
   * discipline) and her token. */
  token(role: StaffRole, houseId?: string, discipline?: string): Promise<string>;
  referrerKey(): Promise<string>;
  load(options: LoadOptions): Promise<LoadResult>;
}

export interface ScenarioResult {
  name: string;
  requestsPerSecond?: number;
  p50Ms?: number;
  p99Ms?: number;
  errors?: number;
  notes?: Record<string, string | number | boolean>;
}

export type Scenario = (ctx: BenchContext) => Promise<ScenarioResult[]>;

export async function load(
  baseUrl: string,
  options: LoadOptions,
  quick: boolean,
): Promise<LoadResult> {
  const result = await autocannon({
    url: baseUrl + options.path,
    method: options.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: options.body,
    requests: options.requests,
    connections: options.connections ?? 32,
    duration: options.amount ? undefined : (options.durationSeconds ?? (quick ? 3 : 10)),
    amount: options.amount,
    timeout: 10,
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) {
    return NaN;
  }
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export async function postJson<T>(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** pgbench from PGBENCH, Debian's PostgreSQL packages, or the PATH. */
function findPgbench(): string {
  if (process.env.PGBENCH) {
    return process.env.PGBENCH;
  }
  const debian = '/usr/lib/postgresql';
  const versions = existsSync(debian) ? readdirSync(debian).sort().reverse() : [];
  const found = versions
    .map((v) => join(debian, v, 'bin', 'pgbench'))
    .find((path) => existsSync(path));
  return found ?? 'pgbench';
}

/**
 * Runs a script of bench/pgbench/ against the scenario's database (prepared statements, the
 * given clients and seconds, `defines` as -D) and answers its tps, or null when it did not run.
 */
export async function runPgbench(
  databaseUrl: string,
  script: string,
  clients: number,
  seconds: number,
  defines: Record<string, string>,
): Promise<number | null> {
  const file = join(__dirname, '..', '..', 'bench', 'pgbench', script);
  try {
    const { stdout } = await promisify(execFile)(findPgbench(), [
      '--no-vacuum',
      '--protocol=prepared',
      `--client=${clients}`,
      '--jobs=2',
      `--time=${seconds}`,
      ...Object.entries(defines).map(([name, value]) => `--define=${name}=${value}`),
      `--file=${file}`,
      databaseUrl,
    ]);
    const tps = /tps = ([\d.]+)/.exec(stdout);
    return tps ? Number(tps[1]) : null;
  } catch (error) {
    process.stderr.write(`[bench] pgbench did not run: ${(error as Error).message}\n`);
    return null;
  }
}

export const DAY_MS = 86_400_000;

/** The calendar date of an instant in a time zone, `YYYY-MM-DD`. */
export function calendarDate(instant: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return instant.toLocaleDateString('en-CA', { timeZone });
}

/** The house with the most active stays (by code among equals). */
export async function busiestHouseId(databaseUrl: string): Promise<string> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `SELECT h.id FROM houses h
       ORDER BY (SELECT count(*) FROM stays s WHERE s.house_id = h.id AND s.status = 'active') DESC,
                h.code
       LIMIT 1`,
    );
    return rows[0].id;
  } finally {
    await client.end();
  }
}

/** A row of the table from a load: requests that failed or answered other than 2xx are errors. */
export function loadRow(
  name: string,
  result: LoadResult,
  notes?: ScenarioResult['notes'],
): ScenarioResult {
  return {
    name,
    requestsPerSecond: result.requestsPerSecond,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    errors: result.errors + result.non2xx,
    notes: { requests: result.total, ...notes },
  };
}
