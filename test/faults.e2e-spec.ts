import { Client, Pool } from 'pg';
import { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { toErrorBody } from '../src/common/http-exception.filter';
import { createReferral, ReferralFixture, referralBody } from './factories/referrals';
import { TestRedis, waitFor } from './helpers/processes';
import { createTestApp, grantFollowUpContact, Referrer, TestApp } from './helpers/test-app';
import { pgAdminUrl } from './helpers/test-env';

const UNAVAILABLE = {
  statusCode: 503,
  code: 'SERVICE_UNAVAILABLE',
  message: expect.any(String),
  requestId: expect.any(String),
};

function databaseName(t: TestApp): string {
  return new URL(t.config.database.url).pathname.slice(1);
}

/** Kills every connection to the database but the killer's own, as an operator or a failover would. */
async function terminateConnections(admin: Client, database: string): Promise<number> {
  const { rows } = await admin.query<{ killed: boolean }>(
    `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
     WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [database],
  );
  return rows.length;
}

/** Nothing half written: every stay has its family in beds, every referral its people. */
async function partialWrites(dataSource: DataSource) {
  const [row] = await dataSource.query<Record<string, number>[]>(
    `SELECT
       (SELECT count(*)::int FROM stays s WHERE (SELECT count(*) FROM stay_occupants o
          WHERE o.stay_id = s.id) <> (SELECT family_size FROM referrals r WHERE r.id = s.referral_id))
         AS "staysWithoutTheirFamily",
       (SELECT count(*)::int FROM referrals r WHERE (SELECT count(*) FROM referral_people p
          WHERE p.referral_id = r.id) <> r.family_size) AS "referralsWithoutTheirPeople",
       (SELECT count(*)::int FROM referrals r WHERE r.status = 'admitted' AND NOT EXISTS
          (SELECT 1 FROM stays s WHERE s.referral_id = r.id AND s.status = 'active'))
         AS "admittedWithoutStay",
       (SELECT count(*)::int FROM stays s JOIN referrals r ON r.id = s.referral_id
          WHERE s.status = 'active' AND r.status <> 'admitted') AS "staysOfUnadmitted"`,
  );
  return row;
}

describe('Fault: Postgres connections killed mid-request', () => {
  let t: TestApp;
  let admin: Client;
  let officer: string;

  beforeAll(async () => {
    t = await createTestApp();
    officer = await t.tokenFor('admission_officer');
    admin = new Client({ connectionString: pgAdminUrl() });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await t.close();
  });

  /** Runs fn in a TypeORM transaction whose own backend is killed at the point fn chooses. */
  async function failingTransaction(
    fn: (kill: () => Promise<void>, query: (sql: string) => Promise<unknown>) => Promise<void>,
  ): Promise<unknown> {
    try {
      await t.dataSource.transaction(async (manager) => {
        const [{ pid }] = await manager.query<{ pid: number }[]>('SELECT pg_backend_pid() AS pid');
        const kill = async () => {
          await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        };
        await fn(kill, (sql) => manager.query(sql));
      });
    } catch (error) {
      return error;
    }
    throw new Error('the transaction did not fail');
  }

  it('maps what pg and TypeORM really throw (inside a transaction, at COMMIT, a busy pool) to 503', async () => {
    const midway = await failingTransaction(async (kill, query) => {
      await kill();
      await query('SELECT 1');
    });
    const marker = `fault-${Date.now()}`;
    const atCommit = await failingTransaction(async (kill, query) => {
      await query(
        `INSERT INTO audit_events (actor_id, actor_role, action, resource_type, resource_id, details)
         VALUES (NULL, 'system', '${marker}', 'test', NULL, '{}')`,
      );
      await kill();
    });
    const busy = new Pool({
      connectionString: t.config.database.url,
      max: 1,
      connectionTimeoutMillis: 1000,
    });
    const held = await busy.connect();
    const poolTimeout = await busy.connect().catch((error: unknown) => error);
    held.release();
    await busy.end();

    for (const error of [midway, atCommit, poolTimeout]) {
      expect(error).toBeInstanceOf(Error);
      expect(toErrorBody(error, 'req-1')).toEqual({ ...UNAVAILABLE, requestId: 'req-1' });
    }
    expect(
      await t.count('SELECT count(*)::int AS n FROM audit_events WHERE action = $1', [marker]),
    ).toBe(0);
  });

  it('answers every in-flight admission and intake normally or with a clean 503, writes nothing partial, and recovers', async () => {
    const houses = await t.houses();
    const referrals = [];
    for (let i = 0; i < 40; i++) {
      referrals.push(await createReferral(t, { dependants: i % 3 }));
    }
    const requests: Promise<Response>[] = [];
    referrals.forEach((referral, i) => {
      requests.push(
        t
          .as(officer)
          .post('/api/v1/stays')
          .send({ referralId: referral.id, houseId: houses[i % houses.length].id }),
      );
      requests.push(t.as(officer).post('/api/v1/referrals').send(referralBody()));
    });
    let settled = false;
    const all = Promise.all(requests).finally(() => (settled = true));
    let killed = 0;
    while (!settled) {
      killed += await terminateConnections(admin, databaseName(t));
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const answers = await all;
    expect(killed).toBeGreaterThan(0);

    const statuses = new Set<number>();
    for (const answer of answers) {
      statuses.add(answer.status);
      if (answer.status === 503) {
        expect(answer.body).toEqual(UNAVAILABLE);
      } else {
        expect([200, 201, 409]).toContain(answer.status);
      }
      expect(JSON.stringify(answer.body)).not.toMatch(/stack|SELECT|INSERT|UPDATE|QueryFailed/);
    }
    expect(statuses.has(503)).toBe(true);
    expect(await partialWrites(t.dataSource)).toEqual({
      staysWithoutTheirFamily: 0,
      referralsWithoutTheirPeople: 0,
      admittedWithoutStay: 0,
      staysOfUnadmitted: 0,
    });

    // The pool replaced its dead connections: what failed succeeds now, one after the other.
    for (const [i, referral] of referrals.entries()) {
      const response = await t
        .as(officer)
        .post('/api/v1/stays')
        .send({ referralId: referral.id, houseId: houses[i % houses.length].id });
      expect([201, 409]).toContain(response.status);
      if (response.status === 409) {
        expect(['ALREADY_ADMITTED', 'NO_CAPACITY']).toContain(response.body.code);
      }
    }
    await t.as(officer).get('/api/v1/occupancy').expect(200);
    await t.as(officer).post('/api/v1/referrals').send(referralBody()).expect(201);
    expect(await partialWrites(t.dataSource)).toEqual({
      staysWithoutTheirFamily: 0,
      referralsWithoutTheirPeople: 0,
      admittedWithoutStay: 0,
      staysOfUnadmitted: 0,
    });
  });
});

describe('Fault: Redis stopped under load', () => {
  let redis: TestRedis;
  let t: TestApp;
  let officer: string;
  let referrer: Referrer;

  beforeAll(async () => {
    redis = await TestRedis.start();
    t = await createTestApp({
      env: {
        REDIS_URL: redis.url,
        FOLLOW_UP_SCHEDULE: 'PT2S,PT4S',
        FOLLOW_UP_RELAY_EVERY_MS: '1000',
      },
    });
    officer = await t.tokenFor('admission_officer');
    referrer = await t.referrer('Comisaría de Familia Suba');
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  it('keeps serving what needs only Postgres, says not ready, and loses no follow-up of an egress made meanwhile', async () => {
    const houses = await t.houses();
    const staff = (method: 'get' | 'post', path: string) => t.as(officer)[method](path);
    const admitted: string[] = [];
    for (let i = 0; i < 20; i++) {
      const referral = await createReferral(t);
      const stay = await staff('post', '/api/v1/stays')
        .send({ referralId: referral.id, houseId: houses[i % houses.length].id })
        .expect(201);
      admitted.push(stay.body.id);
      // Without her consent to follow-up contact, egress would schedule none.
      await grantFollowUpContact(t.baseUrl, officer, stay.body.id);
    }
    const waiting: ReferralFixture[] = [];
    for (let i = 0; i < 10; i++) {
      waiting.push(await createReferral(t));
    }

    const load = (from: number) => [
      ...admitted
        .slice(from, from + 10)
        .map((id) => staff('post', `/api/v1/stays/${id}/egress`).send({ reason: 'voluntary' })),
      ...waiting
        .slice(from / 2, from / 2 + 5)
        .map((r, i) =>
          staff('post', '/api/v1/stays').send({ referralId: r.id, houseId: houses[i].id }),
        ),
      ...Array.from({ length: 5 }, () =>
        t.as(referrer).post('/api/v1/referrals').send(referralBody()),
      ),
      ...Array.from({ length: 5 }, () => staff('get', '/api/v1/occupancy')),
      staff('get', '/api/v1/stays?status=active'),
    ];
    // Redis dies while the first half is in flight; the second half runs with it gone.
    const [during] = await Promise.all([Promise.all(load(0)), redis.stop()]);
    const after = await Promise.all(load(10));
    for (const answer of [...during, ...after]) {
      expect({ path: answer.request.url, status: answer.status }).toEqual({
        path: answer.request.url,
        status:
          answer.request.method === 'GET' || answer.request.url.endsWith('/egress') ? 200 : 201,
      });
    }
    const notReady = await t.http().get('/health/ready').expect(503);
    expect(notReady.body.code).toBe('SERVICE_UNAVAILABLE');
    await t.http().get('/health').expect(200);

    // Postgres holds the egresses' follow-ups; an empty Redis gets them from the relay.
    const [{ n: scheduled }] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM follow_ups WHERE status = 'scheduled'`,
    );
    expect(scheduled).toBe(2 * admitted.length);
    await redis.start();
    await waitFor(async () => (await t.http().get('/health/ready')).status === 200, {
      timeoutMs: 20000,
      what: 'readiness',
    });
    await waitFor(
      async () =>
        (
          await t.dataSource.query<{ n: number }[]>(
            `SELECT count(*)::int AS n FROM follow_ups WHERE status <> 'due'`,
          )
        )[0].n === 0,
      { timeoutMs: 30000, intervalMs: 250, what: 'every follow-up due' },
    );
    const due = await staff('get', '/api/v1/follow-ups?status=due').expect(200);
    expect(due.body).toHaveLength(2 * admitted.length);
    expect((due.body as { remindersSent: number }[]).every((f) => f.remindersSent === 1)).toBe(
      true,
    );
  });
});
