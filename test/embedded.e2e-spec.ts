import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../src/embedded/server-process';
import { referralBody } from './factories/referrals';
import { freePort, RunningService, startService, waitFor } from './helpers/processes';
import { baseTestEnvironment } from './helpers/test-env';

interface Started {
  service: RunningService;
  base: string;
  pids: { postgres: number; redis: number };
}

describe('The built service with EMBEDDED=always (a machine with only Node)', () => {
  // Under root PostgreSQL runs as nobody, which must be able to enter the data directory.
  const dataDir = mkdtempSync(join(tmpdir(), 'refugio-embedded-'));
  chmodSync(dataDir, 0o755);
  const running: RunningService[] = [];
  const serverPids: number[] = [];

  afterAll(() => {
    // Only after a failure is anything still running here.
    for (const pid of [...running.map((s) => s.child.pid ?? 0), ...serverPids]) {
      if (pid > 0 && isAlive(pid)) {
        process.kill(pid, 'SIGKILL');
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<Started> {
    // No DATABASE_URL and no REDIS_URL: the service must use servers of its own.
    const { REDIS_URL: _redis, ...env } = baseTestEnvironment();
    const port = await freePort();
    const service = startService({
      ...env,
      EMBEDDED: 'always',
      REFUGIO_DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'info',
    });
    running.push(service);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${base}/health/ready`)).status === 200, {
      timeoutMs: 90000,
      intervalMs: 250,
      what: `the service ready\n${service.output()}`,
    });
    const pidOf = (name: string): number => {
      const match = new RegExp(
        `EMBEDDED=always: started an embedded ${name} on 127\\.0\\.0\\.1:\\d+ \\(pid (\\d+)\\)`,
      ).exec(service.output());
      if (!match) {
        throw new Error(`no line about the embedded ${name}\n${service.output()}`);
      }
      serverPids.push(Number(match[1]));
      return Number(match[1]);
    };
    return { service, base, pids: { postgres: pidOf('PostgreSQL'), redis: pidOf('Redis') } };
  }

  async function login(base: string): Promise<string> {
    const env = baseTestEnvironment();
    const response = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { accessToken: string }).accessToken;
  }

  async function post(base: string, token: string, path: string, body: unknown): Promise<Response> {
    return fetch(`${base}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  }

  async function stopAndExpectNothingLeft({ service, pids }: Started): Promise<void> {
    service.child.kill('SIGTERM');
    // Nest closes the app, the servers are stopped after it, and the process ends by the signal.
    expect(await service.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect({ postgres: isAlive(pids.postgres), redis: isAlive(pids.redis) }).toEqual({
      postgres: false,
      redis: false,
    });
  }

  it('keeps an admitted family across a stop (SIGTERM) and a new start, leaving no server behind', async () => {
    const first = await start();
    expect(isAlive(first.pids.postgres)).toBe(true);
    expect(isAlive(first.pids.redis)).toBe(true);
    const token = await login(first.base);
    const referral = await post(first.base, token, '/referrals', referralBody({ dependants: 2 }));
    expect(referral.status).toBe(201);
    const { id: referralId } = (await referral.json()) as { id: string };
    const admitted = await post(first.base, token, '/stays', { referralId });
    expect(admitted.status).toBe(201);
    const stay = (await admitted.json()) as { id: string; houseId: string; occupants: unknown[] };
    expect(stay.occupants).toHaveLength(3);

    await stopAndExpectNothingLeft(first);

    const second = await start();
    expect(second.service.output()).not.toContain('Seeded');
    expect(second.service.output()).not.toContain('Created the database');
    const again = await fetch(`${second.base}/api/v1/stays/${stay.id}`, {
      headers: { authorization: `Bearer ${await login(second.base)}` },
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({
      id: stay.id,
      referralId,
      houseId: stay.houseId,
      status: 'active',
      occupants: stay.occupants,
    });

    await stopAndExpectNothingLeft(second);
  }, 240000);

  it('refuses to embed in production: with no DATABASE_URL it stops with one line', async () => {
    const { REDIS_URL: _redis, ...env } = baseTestEnvironment();
    const service = startService({ ...env, NODE_ENV: 'production', EMBEDDED: 'always' });
    expect((await service.exited).code).toBe(1);
    expect(service.output().trim()).toBe(
      'Invalid configuration: DATABASE_URL is required in production (embedded servers are for development only)',
    );
  });

  it('rejects an EMBEDDED value the contract does not name, in one line', async () => {
    const service = startService({ ...baseTestEnvironment(), EMBEDDED: 'sometimes' });
    expect((await service.exited).code).toBe(1);
    expect(service.output().trim()).toBe(
      'Invalid configuration: EMBEDDED must be one of auto, always, never',
    );
  });
});
