import { Pool } from 'pg';
import request, { Response } from 'supertest';
import { referralBody } from './factories/referrals';
import { freePort, RunningService, startService, TestRedis, waitFor } from './helpers/processes';
import { Caller, callerAgent, freshDatabaseUrl } from './helpers/test-app';
import {
  ADMIN_PASSWORD,
  ADMIN_USERNAME,
  baseTestEnvironment,
  randomSuffix,
} from './helpers/test-env';

const LOGIN_LIMIT = 3;
const REFERRER_LIMIT = 5;
/** Stays admitted before the race, 40 in each of the 5 houses of 42 beds. */
const ADMITTED_BEFORE = 200;
/** Admissions in the race: more than the beds that egress frees, so houses fill up. */
const ADMISSIONS_IN_RACE = 300;

/**
 * The built service scaled out: two `api` and two `worker` processes on one database and one
 * Redis. Whatever must not happen twice is held by Postgres and Redis, not by a process.
 */
describe('Scale-out: two APIs and two workers', () => {
  let redis: TestRedis;
  let pool: Pool;
  const apis: string[] = [];
  const services: RunningService[] = [];
  let officer: string;
  let admin: string;

  /** Request i goes to one API or the other. */
  const api = (i: number) => request(apis[i % apis.length]);
  /** Requests to the i-th API instance (round robin) as the caller. */
  const as = (i: number, caller: Caller) => callerAgent(apis[i % apis.length], caller);

  async function start(env: Record<string, string>, role: 'api' | 'worker') {
    const port = await freePort();
    const service = startService({ ...env, APP_ROLE: role, PORT: String(port) });
    services.push(service);
    await waitFor(
      () => Promise.resolve(/Refugio (worker started|listening)/.test(service.output())),
      { timeoutMs: 30000, what: `a ${role} process\n${service.output()}` },
    );
    return `http://127.0.0.1:${port}`;
  }

  const login = (i: number, username: string, password: string) =>
    api(i).post('/api/v1/auth/login').send({ username, password });

  async function sql<T>(text: string, values: unknown[] = []): Promise<T[]> {
    return (await pool.query(text, values)).rows as T[];
  }

  async function inBatches(count: number, send: (i: number) => Promise<Response>) {
    const answers: Response[] = [];
    for (let start = 0; start < count; start += 50) {
      const batch = Array.from({ length: Math.min(50, count - start) }, (_, j) => send(start + j));
      answers.push(...(await Promise.all(batch)));
    }
    return answers;
  }

  beforeAll(async () => {
    redis = await TestRedis.start();
    const databaseUrl = await freshDatabaseUrl();
    pool = new Pool({ connectionString: databaseUrl, max: 2 });
    const env = {
      ...baseTestEnvironment(),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `refugio-test-scale-${randomSuffix()}`,
      // The start-up line is at info.
      LOG_LEVEL: 'info',
      FOLLOW_UP_SCHEDULE: 'PT2S,PT4S',
      FOLLOW_UP_RELAY_EVERY_MS: '1000',
      LOGIN_RATE_LIMIT_PER_MINUTE: String(LOGIN_LIMIT),
      REFERRER_RATE_LIMIT_PER_MINUTE: String(REFERRER_LIMIT),
    };
    // All four start at once: migrations and seeding run under the advisory lock.
    apis.push(...(await Promise.all([start(env, 'api'), start(env, 'api')])));
    await Promise.all([start(env, 'worker'), start(env, 'worker')]);

    admin = (await login(0, ADMIN_USERNAME, ADMIN_PASSWORD).expect(200)).body.accessToken;
    const password = `password-${randomSuffix()}-long`;
    const username = `officer.${randomSuffix()}`;
    await as(1, admin)
      .post('/api/v1/users')
      .send({ username, password, role: 'admission_officer' })
      .expect(201);
    officer = (await login(1, username, password).expect(200)).body.accessToken;
  }, 60000);

  afterAll(async () => {
    await Promise.all(
      services.map(async (service) => {
        if (service.child.exitCode === null && service.child.signalCode === null) {
          service.child.kill('SIGTERM');
          await service.exited;
        }
      }),
    );
    await pool?.end();
    await redis?.stop();
  });

  it('keeps the bed ledger, occupancy and follow-ups exact under 500 concurrent admissions and egresses', async () => {
    const houses = await sql<{ id: string; code: string }>(
      'SELECT id, code FROM houses ORDER BY code',
    );
    expect(houses).toHaveLength(5);
    const staff = (i: number, method: 'get' | 'post', path: string) => as(i, officer)[method](path);

    // Setting the scene in batches of 50, so that only the race itself overloads the pools.
    const intakes = await inBatches(ADMITTED_BEFORE + ADMISSIONS_IN_RACE, (i) =>
      staff(i, 'post', '/api/v1/referrals').send(referralBody()),
    );
    expect(intakes.map((r) => r.status)).toEqual(intakes.map(() => 201));
    const referralIds = intakes.map((r) => r.body.id as string);
    const admit = (referralId: string, i: number) =>
      staff(i, 'post', '/api/v1/stays').send({ referralId, houseId: houses[i % 5].id });

    const before = await inBatches(ADMITTED_BEFORE, (i) => admit(referralIds[i], i));
    expect(before.map((r) => r.status)).toEqual(before.map(() => 201));
    const stayIds = before.map((r) => r.body.id as string);
    // Her consent to follow-up contact, without which egress schedules none (API.md, Consent).
    const grants = await inBatches(ADMITTED_BEFORE, (i) =>
      staff(i, 'post', `/api/v1/stays/${stayIds[i]}/consents`).send({
        purpose: 'follow_up_contact',
        granted: true,
      }),
    );
    expect(grants.map((r) => r.status)).toEqual(grants.map(() => 201));

    // The race: every egress and every admission at once, alternating between the two APIs.
    const waiting = referralIds.slice(ADMITTED_BEFORE);
    const operations: Promise<Response>[] = [];
    for (let i = 0; i < Math.max(stayIds.length, waiting.length); i++) {
      if (i < stayIds.length) {
        operations.push(
          staff(i, 'post', `/api/v1/stays/${stayIds[i]}/egress`).send({ reason: 'voluntary' }),
        );
      }
      if (i < waiting.length) {
        operations.push(admit(waiting[i], i + 1));
      }
    }
    expect(operations).toHaveLength(500);
    const answers = await Promise.all(operations);
    const isEgress = (r: Response) => r.request.url.endsWith('/egress');
    for (const answer of answers.filter((r) => r.status !== 200 && r.status !== 201)) {
      // Refusals a client can act on: a full house, beds that kept changing under the retries,
      // or a pool whose connections all stayed busy (503, retry shortly). Never a 500.
      const allowed = isEgress(answer)
        ? ['SERVICE_UNAVAILABLE']
        : ['NO_CAPACITY', 'CONFLICT', 'SERVICE_UNAVAILABLE'];
      expect({ status: answer.status, code: answer.body.code }).toEqual({
        status: answer.body.code === 'SERVICE_UNAVAILABLE' ? 503 : 409,
        code: expect.stringMatching(new RegExp(`^(${allowed.join('|')})$`)),
      });
    }
    expect(answers.filter((r) => !isEgress(r) && r.status === 201).length).toBeGreaterThan(0);
    // A 503 can also mean the admission committed and only its answer was lost (the pool timed
    // out on the read after commit): such a referral is admitted with its whole family, or not at
    // all, which the checks below prove; count it among the admissions.
    const lostAnswers = answers
      .filter((r) => !isEgress(r) && r.status === 503)
      .map((r) => {
        const data = r.request.toJSON().data as string | { referralId: string };
        return (typeof data === 'string' ? (JSON.parse(data) as { referralId: string }) : data)
          .referralId;
      });
    const [{ n: committedDespite503 }] = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM referrals WHERE id = ANY($1::uuid[]) AND status = 'admitted'`,
      [lostAnswers],
    );
    const admitted =
      answers.filter((r) => !isEgress(r) && r.status === 201).length + committedDespite503;
    // What a client does with a 503: try again. The first attempt left nothing half done: either
    // it never committed (the retry answers 200) or it committed and only its answer was lost
    // (the retry answers 409 INVALID_STATE, and the stay has indeed ended).
    for (const [i, answer] of answers.entries()) {
      if (isEgress(answer) && answer.status === 503) {
        const path = answer.request.url.replace(/^https?:\/\/[^/]+/, '');
        const retry = await staff(i, 'post', path).send({ reason: 'voluntary' });
        if (retry.status !== 200) {
          expect({ status: retry.status, code: retry.body.code }).toEqual({
            status: 409,
            code: 'INVALID_STATE',
          });
          const stay = await staff(i, 'get', path.replace(/\/egress$/, '')).expect(200);
          expect(stay.body.status).toBe('exited');
        }
      }
    }

    // No bed held twice: no overlapping intervals, and no bed with two open ones.
    const [ledger] = await sql<{ overlaps: number; doublyOpen: number; open: number }>(
      `SELECT
         (SELECT count(*)::int FROM stay_occupants a JOIN stay_occupants b
            ON a.bed_id = b.bed_id AND a.id < b.id AND a.during && b.during) AS overlaps,
         (SELECT count(*)::int FROM (SELECT bed_id FROM stay_occupants WHERE upper_inf(during)
            GROUP BY bed_id HAVING count(*) > 1) d) AS "doublyOpen",
         (SELECT count(*)::int FROM stay_occupants WHERE upper_inf(during)) AS open`,
    );
    expect(ledger).toEqual({ overlaps: 0, doublyOpen: 0, open: admitted });
    // Each admission wrote its stay, occupant and referral status together, or nothing.
    const [states] = await sql<{ active: number; admittedReferrals: number; exited: number }>(
      `SELECT (SELECT count(*)::int FROM stays WHERE status = 'active') AS active,
              (SELECT count(*)::int FROM referrals WHERE status = 'admitted') AS "admittedReferrals",
              (SELECT count(*)::int FROM stays WHERE status = 'exited') AS exited`,
    );
    expect(states).toEqual({
      active: admitted,
      admittedReferrals: admitted,
      exited: ADMITTED_BEFORE,
    });

    // Occupancy, as both APIs answer it, is the ledger's count of people in beds.
    const perHouse = await sql<{ houseId: string; occupied: number }>(
      `SELECT h.id AS "houseId", count(o.id)::int AS occupied
       FROM houses h LEFT JOIN stay_occupants o ON o.house_id = h.id AND upper_inf(o.during)
       GROUP BY h.id`,
    );
    const expected = Object.fromEntries(perHouse.map((h) => [h.houseId, h.occupied]));
    for (const i of [0, 1]) {
      const occupancy = await staff(i, 'get', '/api/v1/occupancy').expect(200);
      const answered = Object.fromEntries(
        (occupancy.body.houses as { houseId: string; occupied: number }[]).map((h) => [
          h.houseId,
          h.occupied,
        ]),
      );
      expect(answered).toEqual(expected);
      expect(occupancy.body.totals.occupied).toBe(admitted);
    }

    // Every egress has one follow-up per offset; each falls due once, across two workers.
    const [scheduled] = await sql<{ followUps: number; staysWithout: number }>(
      `SELECT (SELECT count(*)::int FROM follow_ups) AS "followUps",
              (SELECT count(*)::int FROM stays s WHERE s.status = 'exited' AND
                 (SELECT count(*) FROM follow_ups f WHERE f.stay_id = s.id) <> 2) AS "staysWithout"`,
    );
    expect(scheduled).toEqual({ followUps: 2 * ADMITTED_BEFORE, staysWithout: 0 });
    await waitFor(
      async () =>
        (
          await sql<{ n: number }>(
            `SELECT count(*)::int AS n FROM follow_ups WHERE status <> 'due'`,
          )
        )[0].n === 0,
      { timeoutMs: 40000, intervalMs: 250, what: 'every follow-up due' },
    );
    const [reminders] = await sql<{ total: number; repeated: number; audited: number }>(
      `SELECT (SELECT count(*)::int FROM reminders WHERE kind = 'follow_up_due') AS total,
              (SELECT count(*)::int FROM (SELECT follow_up_id FROM reminders
                 WHERE follow_up_id IS NOT NULL GROUP BY follow_up_id HAVING count(*) > 1) r) AS repeated,
              (SELECT count(*)::int FROM audit_events WHERE action = 'follow_up.became_due') AS audited`,
    );
    expect(reminders).toEqual({
      total: 2 * ADMITTED_BEFORE,
      repeated: 0,
      audited: 2 * ADMITTED_BEFORE,
    });
    const due = await staff(1, 'get', '/api/v1/follow-ups?status=due').expect(200);
    expect(due.body).toHaveLength(2 * ADMITTED_BEFORE);
    expect(new Set((due.body as { remindersSent: number }[]).map((f) => f.remindersSent))).toEqual(
      new Set([1]),
    );
  }, 90000);

  it('counts failed logins split across both APIs as one', async () => {
    const username = `nobody.${randomSuffix()}`;
    const statuses: number[] = [];
    // One after the other, so that the order of the counts is known.
    for (let i = 0; i < LOGIN_LIMIT + 2; i++) {
      statuses.push((await login(i, username, 'not-the-password-at-all')).status);
    }
    expect(statuses).toEqual([...Array<number>(LOGIN_LIMIT).fill(401), 429, 429]);
    const limited = await login(0, username, 'not-the-password-at-all');
    expect(limited.body).toEqual({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: expect.any(String),
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it("holds a referrer key's limit across both APIs, under parallel requests", async () => {
    const referrer = await as(0, admin)
      .post('/api/v1/referrers')
      .send({ name: `Comisaría ${randomSuffix()}`, authorityType: 'comisaria_familia' })
      .expect(201);
    const answers = await Promise.all(
      Array.from({ length: 4 * REFERRER_LIMIT }, (_, i) =>
        api(i)
          .get('/api/v1/referrals')
          .set('X-Api-Key', referrer.body.apiKey as string),
      ),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([
      ...Array<number>(REFERRER_LIMIT).fill(200),
      ...Array<number>(3 * REFERRER_LIMIT).fill(429),
    ]);
  });
});
