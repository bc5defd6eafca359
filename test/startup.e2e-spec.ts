import { Client } from 'pg';
import { readFileSync } from 'node:fs';
import { referralBody } from './factories/referrals';
import { startService, freePort, waitFor } from './helpers/processes';
import { freshDatabaseUrl } from './helpers/test-app';
import {
  baseTestEnvironment,
  createDatabase,
  dropDatabase,
  randomSuffix,
  withAdminClient,
} from './helpers/test-env';

describe('Start-up of the built service (npm start)', () => {
  const database = `refugio_test_${process.env.REFUGIO_TEST_RUN_ID}_boot_${randomSuffix()}`;

  afterAll(() => dropDatabase(database));

  it('brings two instances up at once on an empty database, with one set of seeded houses', async () => {
    const url = await createDatabase(database);
    const env: Record<string, string> = {
      ...baseTestEnvironment(),
      DATABASE_URL: url,
      QUEUE_PREFIX: `refugio-test-boot-${randomSuffix()}`,
      LOG_LEVEL: 'info',
    };
    const ports = [await freePort(), await freePort()];
    const services = ports.map((port) => startService({ ...env, PORT: String(port) }));
    try {
      for (const [i, port] of ports.entries()) {
        await waitFor(
          async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200,
          { timeoutMs: 20000, what: `instance ${i} ready\n${services[i].output()}` },
        );
      }
      const counts = await withAdminClient(async (client) => {
        await client.query('SELECT 1');
        const { Client } = await import('pg');
        const db = new Client({ connectionString: url });
        await db.connect();
        try {
          const houses = await db.query('SELECT count(*)::int AS n FROM houses');
          const beds = await db.query('SELECT count(*)::int AS n FROM beds');
          const admins = await db.query(
            `SELECT count(*)::int AS n FROM users WHERE role = 'admin'`,
          );
          const migrations = await db.query('SELECT count(*)::int AS n FROM migrations');
          return {
            houses: houses.rows[0].n,
            beds: beds.rows[0].n,
            admins: admins.rows[0].n,
            migrations: migrations.rows[0].n,
          };
        } finally {
          await db.end();
        }
      });
      expect(counts).toEqual({ houses: 5, beds: 210, admins: 1, migrations: expect.any(Number) });
      const output = services.map((s) => s.output()).join('\n');
      expect(output.match(/Seeded 5 houses/g)).toHaveLength(1);
      // No personal data and no secret in the logs of a start.
      expect(output).not.toContain(env.JWT_SECRET);
      expect(output).not.toContain(env.ADMIN_PASSWORD);
    } finally {
      for (const service of services) {
        service.child.kill('SIGTERM');
      }
      const exits = await Promise.all(services.map((s) => s.exited));
      // Nest closes the application on SIGTERM, then ends by the same signal, as it should.
      expect(exits).toEqual([
        { code: null, signal: 'SIGTERM' },
        { code: null, signal: 'SIGTERM' },
      ]);
    }
  });

  it('finishes a request in flight when told to stop (SIGTERM), then exits by the signal', async () => {
    const env = baseTestEnvironment();
    const databaseUrl = await freshDatabaseUrl();
    const port = await freePort();
    const service = startService({
      ...env,
      DATABASE_URL: databaseUrl,
      QUEUE_PREFIX: `refugio-test-boot-${randomSuffix()}`,
      PORT: String(port),
    });
    const base = `http://127.0.0.1:${port}`;
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      await waitFor(async () => (await fetch(`${base}/health/ready`)).status === 200, {
        timeoutMs: 20000,
        what: `the service ready\n${service.output()}`,
      });
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };

      // An uncommitted referral with the same reference holds the intake on the unique index:
      // the request is certainly in the service, inside its statement, when the signal comes.
      const externalReference = `CF-DRAIN-${randomSuffix()}`;
      await db.query('BEGIN');
      await db.query(
        `INSERT INTO referrals (caller_key, external_reference, request_fingerprint,
           protection_order_number, protection_order_authority_type, protection_order_authority_name,
           protection_order_issued_at, risk_level, family_size, personal_data)
         VALUES ('staff', $1, 'test', 'PO-1', 'comisaria_familia', 'Prueba', '2026-01-01',
           'severe', 1, 'v1.test')`,
        [externalReference],
      );
      const answer = fetch(`${base}/api/v1/referrals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify({ ...referralBody(), externalReference }),
      });
      await waitFor(
        async () =>
          (
            await db.query(
              `SELECT 1 FROM pg_stat_activity
               WHERE application_name = 'refugio' AND wait_event_type = 'Lock'`,
            )
          ).rows.length === 1,
        { timeoutMs: 10000, what: 'the intake waiting on the unique index' },
      );
      service.child.kill('SIGTERM');
      // The service has started to stop; new connections are refused from here on.
      await waitFor(
        () =>
          fetch(`${base}/health`, { signal: AbortSignal.timeout(1000) }).then(
            () => false,
            () => true,
          ),
        { timeoutMs: 10000, what: `the service to stop accepting\n${service.output()}` },
      );
      await db.query('ROLLBACK');

      const response = await answer;
      expect(response.status).toBe(201);
      const { rows } = await db.query(
        'SELECT count(*)::int AS n FROM referrals WHERE external_reference = $1',
        [externalReference],
      );
      expect(rows[0].n).toBe(1);
      expect(await service.exited).toEqual({ code: null, signal: 'SIGTERM' });
    } finally {
      await db.end();
      service.child.kill('SIGKILL');
    }
  });

  it("runs as the node process scripts/start.sh execs, with the launcher's memory settings", async () => {
    const port = await freePort();
    const service = startService({
      ...baseTestEnvironment(),
      DATABASE_URL: await freshDatabaseUrl(),
      QUEUE_PREFIX: `refugio-test-boot-${randomSuffix()}`,
      PORT: String(port),
    });
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health`)).status === 200, {
        timeoutMs: 20000,
        what: `the service ready\n${service.output()}`,
      });
      // The launcher must exec node, not start it as a child: the pid Docker and the benchmark
      // signal, and whose peak RSS the benchmark reads, is then the service itself.
      const pid = service.child.pid as number;
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      expect(argv[0]).toBe('node');
      expect(argv).toContainEqual(expect.stringMatching(/^--heap-growing-percent=\d+$/));
      expect(argv).toContainEqual(expect.stringMatching(/dist\/src\/main\.js$/));
      expect(environ).toContainEqual(expect.stringMatching(/^MALLOC_MMAP_THRESHOLD_=\d+$/));
      expect(environ).toContainEqual(expect.stringMatching(/^MALLOC_TRIM_THRESHOLD_=\d+$/));
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  });

  it('stops with one clear line when a required setting is malformed', async () => {
    const service = startService({
      ...baseTestEnvironment(),
      NODE_ENV: 'production',
      JWT_SECRET: 'too-short',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/none',
    });
    expect((await service.exited).code).toBe(1);
    expect(service.output().trim()).toBe(
      'Invalid configuration: JWT_SECRET must be at least 32 characters',
    );
  });

  it('refuses to start in production without the secrets', async () => {
    const { JWT_SECRET: _j, PII_ENCRYPTION_KEY: _p, ...rest } = baseTestEnvironment();
    const service = startService({ ...rest, NODE_ENV: 'production' });
    expect((await service.exited).code).toBe(1);
    expect(service.output().trim()).toBe('Invalid configuration: JWT_SECRET is required');
  });
});
