import { JwtService } from '@nestjs/jwt';
import { StaffRole } from '../src/common/actor';
import { parseConfig } from '../src/config/config';
import { errorBody } from './helpers/error-body';
import { createTestApp, TestApp } from './helpers/test-app';
import { baseTestEnvironment, randomSuffix } from './helpers/test-env';

interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  sessionExpiresAt: string;
  passwordChangeRequired: boolean;
}

interface Account {
  id: string;
  username: string;
  password: string;
}

/** Helpers over one test app: each call of `address()` is a client of its own for the limits. */
function sessionHelpers(t: TestApp) {
  const address = () => `10.${[1, 2, 3].map(() => Math.floor(Math.random() * 250)).join('.')}`;
  const helpers = {
    address,
    async createUser(role: StaffRole = 'admission_officer', houseId?: string): Promise<Account> {
      const username = `${role.replace(/_/g, '.')}.${randomSuffix()}`;
      const password = `password-${randomSuffix()}-long`;
      const response = await t
        .http()
        .post('/api/v1/users')
        .set('Authorization', `Bearer ${await t.adminToken()}`)
        .send({ username, password, role, ...(houseId ? { houseId } : {}) })
        .expect(201);
      return { id: response.body.id, username, password };
    },
    async login(account: Account): Promise<Tokens> {
      const response = await t
        .http()
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', address())
        .send({ username: account.username, password: account.password })
        .expect(200);
      return response.body;
    },
    refresh(refreshToken: unknown, from = address()) {
      return t
        .http()
        .post('/api/v1/auth/refresh')
        .set('X-Forwarded-For', from)
        .send({ refreshToken });
    },
    houses(accessToken: string) {
      return t.http().get('/api/v1/houses').set('Authorization', `Bearer ${accessToken}`);
    },
  };
  return helpers;
}

describe('Staff sessions', () => {
  let t: TestApp;
  let h: ReturnType<typeof sessionHelpers>;

  beforeAll(async () => {
    t = await createTestApp({
      env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: 'true' },
    });
    h = sessionHelpers(t);
  });
  afterAll(() => t.close());

  it('stores a refresh token only as its hash', async () => {
    const tokens = await h.login(await h.createUser());
    const rows = await t.dataSource.query<{ token_hash: Buffer }[]>(
      'SELECT token_hash FROM staff_refresh_tokens',
    );
    const raw = Buffer.from(tokens.refreshToken, 'utf8');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.token_hash).toHaveLength(32);
      expect(raw.includes(row.token_hash)).toBe(false);
    }
  });

  it('trades a refresh token for a new pair that works, in the same session', async () => {
    const first = await h.login(await h.createUser());
    const response = await h.refresh(first.refreshToken).expect(200);
    const second: Tokens = response.body;
    expect(second).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshToken: expect.stringMatching(/^rfr_[\w-]{43}$/),
      sessionExpiresAt: first.sessionExpiresAt,
      passwordChangeRequired: false,
    });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await h.houses(second.accessToken).expect(200);
    // The access token of before stays good until it expires: the session is the same.
    await h.houses(first.accessToken).expect(200);
    const third = await h.refresh(second.refreshToken).expect(200);
    await h.houses(third.body.accessToken).expect(200);
  });

  it('refuses a used refresh token and ends the whole session when one comes back', async () => {
    const account = await h.createUser();
    const first = await h.login(account);
    const second: Tokens = (await h.refresh(first.refreshToken).expect(200)).body;
    const other = await h.login(account);

    const reused = await h.refresh(first.refreshToken).expect(401);
    expect(reused.body).toEqual(
      errorBody(401, 'UNAUTHENTICATED', 'The refresh token is invalid, used or expired'),
    );
    // Everything of that session is over: the rotated pair and the first access token.
    await h.refresh(second.refreshToken).expect(401);
    const ended = await h.houses(second.accessToken).expect(401);
    expect(ended.body.code).toBe('UNAUTHENTICATED');
    await h.houses(first.accessToken).expect(401);
    // Her other session (another device) goes on.
    await h.houses(other.accessToken).expect(200);

    const [session] = await t.dataSource.query(
      `SELECT s.id, s.revoked_reason FROM staff_sessions s
       WHERE s.user_id = $1 AND s.revoked_at IS NOT NULL`,
      [account.id],
    );
    expect(session.revoked_reason).toBe('refresh_token_reused');
    const events = await t.dataSource.query(
      `SELECT action, details FROM audit_events WHERE resource_id = $1`,
      [session.id],
    );
    expect(events).toEqual([
      { action: 'session.refresh_token_reused', details: { userId: account.id } },
    ]);
  });

  it('lets exactly one of parallel refreshes with the same token through, and then ends the session', async () => {
    for (let round = 0; round < 3; round++) {
      const tokens = await h.login(await h.createUser());
      // Each from an address of its own, so that the failure limit plays no part.
      const responses = await Promise.all(
        Array.from({ length: 4 }, () => h.refresh(tokens.refreshToken)),
      );
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 401, 401, 401]);
      // The others presented a used token: reuse, so the pair the winner got is over too.
      const winner = responses.find((r) => r.status === 200)?.body as Tokens;
      await h.houses(winner.accessToken).expect(401);
      await h.refresh(winner.refreshToken).expect(401);
    }
  });

  it('answers 400 for a malformed refresh body and 401 for a token it never issued', async () => {
    for (const body of [{}, { refreshToken: 42 }, { refreshToken: '' }]) {
      const response = await t.http().post('/api/v1/auth/refresh').send(body).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain('refreshToken');
    }
    const unknownField = await t
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: 'rfr_x', extra: true })
      .expect(400);
    expect(unknownField.body.errors).toEqual([
      { field: 'extra', message: 'extra is not a known field' },
    ]);
    await h.refresh('not-a-token').expect(401);
    await h.refresh(`rfr_${'A'.repeat(43)}`).expect(401);
  });

  it('counts failed refreshes per address like failed logins, and gives a success back', async () => {
    const from = h.address();
    const tokens = await h.login(await h.createUser());
    // A success does not count.
    const fresh: Tokens = (await h.refresh(tokens.refreshToken, from).expect(200)).body;
    for (let i = 0; i < 3; i++) {
      await h.refresh(`rfr_${randomSuffix().repeat(5)}abc`, from).expect(401);
    }
    const limited = await h.refresh(fresh.refreshToken, from).expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected, and the limited attempt did not use the token.
    await h.refresh(fresh.refreshToken).expect(200);
  });

  it('ends the session on logout: its access and refresh tokens stop at once', async () => {
    const account = await h.createUser();
    const tokens = await h.login(account);
    const other = await h.login(account);
    await t.as(tokens.accessToken).post('/api/v1/auth/logout').expect(204);
    await h.houses(tokens.accessToken).expect(401);
    await h.refresh(tokens.refreshToken).expect(401);
    await t.as(tokens.accessToken).post('/api/v1/auth/logout').expect(401);
    await t.http().post('/api/v1/auth/logout').expect(401);
    await h.houses(other.accessToken).expect(200);
  });

  it('answers 401 at once to the token of a user whose row was deleted', async () => {
    const account = await h.createUser();
    const tokens = await h.login(account);
    await h.houses(tokens.accessToken).expect(200);
    await t.dataSource.query('DELETE FROM users WHERE id = $1', [account.id]);
    const response = await h.houses(tokens.accessToken).expect(401);
    expect(response.body).toEqual(
      errorBody(401, 'UNAUTHENTICATED', 'The session has ended; log in again'),
    );
    await h.refresh(tokens.refreshToken).expect(401);
  });

  it('answers 401 at once to a user disabled behind the API’s back, and to her refresh', async () => {
    const account = await h.createUser();
    const tokens = await h.login(account);
    await t.dataSource.query('UPDATE users SET active = false WHERE id = $1', [account.id]);
    await h.houses(tokens.accessToken).expect(401);
    await h.refresh(tokens.refreshToken).expect(401);
  });

  it('applies a change of role at once, whatever the token says', async () => {
    const account = await h.createUser('admission_officer');
    const tokens = await h.login(account);
    await t.as(tokens.accessToken).get('/api/v1/users').expect(403);
    await t.dataSource.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [account.id]);
    await t.as(tokens.accessToken).get('/api/v1/users').expect(200);
    const refreshed: Tokens = (await h.refresh(tokens.refreshToken).expect(200)).body;
    const claims = JSON.parse(
      Buffer.from(refreshed.accessToken.split('.')[1], 'base64url').toString(),
    );
    expect(claims).toMatchObject({ sub: account.id, role: 'admin', houseId: null });
  });

  it('refuses a well-signed token that names no live session', async () => {
    const account = await h.createUser();
    const jwt = t.app.get(JwtService);
    // A token of before sessions existed, and one naming a session of someone else.
    const noSession = await jwt.signAsync({
      sub: account.id,
      role: 'admission_officer',
      houseId: null,
    });
    await h.houses(noSession).expect(401);
    const other = await h.login(await h.createUser());
    const otherSid = JSON.parse(
      Buffer.from(other.accessToken.split('.')[1], 'base64url').toString(),
    ).sid;
    const borrowed = await jwt.signAsync({
      sub: account.id,
      sid: otherSid,
      role: 'admission_officer',
      houseId: null,
    });
    await h.houses(borrowed).expect(401);
  });
});

describe('Staff sessions on two instances of the API sharing one database', () => {
  let a: TestApp;
  let b: TestApp;
  let h: ReturnType<typeof sessionHelpers>;

  beforeAll(async () => {
    a = await createTestApp({ env: { TRUST_PROXY: 'true' } });
    b = await createTestApp({
      databaseUrl: a.config.database.url,
      env: { TRUST_PROXY: 'true', QUEUE_PREFIX: a.config.queue.prefix },
    });
    h = sessionHelpers(a);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const housesOnB = (token: string) =>
    b.http().get('/api/v1/houses').set('Authorization', `Bearer ${token}`);

  it('ends a session on both at once when it is logged out on one', async () => {
    const tokens = await h.login(await h.createUser());
    await housesOnB(tokens.accessToken).expect(200);
    await a
      .http()
      .post('/api/v1/auth/logout')
      .set('Authorization', `Bearer ${tokens.accessToken}`)
      .expect(204);
    await housesOnB(tokens.accessToken).expect(401);
  });

  it('refuses on the other instance at once a user disabled through one', async () => {
    const account = await h.createUser();
    const tokens = await h.login(account);
    await housesOnB(tokens.accessToken).expect(200);
    await a
      .http()
      .patch(`/api/v1/users/${account.id}`)
      .set('Authorization', `Bearer ${await a.adminToken()}`)
      .send({ active: false })
      .expect(200);
    await housesOnB(tokens.accessToken).expect(401);
  });

  it('lets one of two refreshes sent to different instances at once through', async () => {
    const tokens = await h.login(await h.createUser());
    const responses = await Promise.all(
      [a, b].map((app) =>
        app
          .http()
          .post('/api/v1/auth/refresh')
          .set('X-Forwarded-For', h.address())
          .send({ refreshToken: tokens.refreshToken }),
      ),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 401]);
  });
});

describe('Staff sessions with a short SESSION_MAX_HOURS', () => {
  let t: TestApp;
  let h: ReturnType<typeof sessionHelpers>;
  // 0.001 hours: 3.6 seconds.
  const maxMs = 3600;

  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_MAX_HOURS: '0.001', TRUST_PROXY: 'true' } });
    h = sessionHelpers(t);
  });
  afterAll(() => t.close());

  it('ends a session at its maximum age however often it is refreshed', async () => {
    const started = Date.now();
    const account = await h.createUser();
    const first = await h.login(account);
    expect(first.expiresIn).toBeLessThanOrEqual(4);
    const ends = Date.parse(first.sessionExpiresAt);
    expect(ends - started).toBeGreaterThan(maxMs - 1000);
    expect(ends - started).toBeLessThanOrEqual(maxMs + 1000);

    await new Promise((resolve) => setTimeout(resolve, 1000));
    const second: Tokens = (await h.refresh(first.refreshToken).expect(200)).body;
    // Refreshing does not lengthen the session, and the access token never outlives it.
    expect(second.sessionExpiresAt).toBe(first.sessionExpiresAt);
    expect(second.expiresIn).toBeLessThanOrEqual(3);
    await h.houses(second.accessToken).expect(200);
    // A token that would itself live longer, to see the session's end and not the token's.
    const sid = JSON.parse(
      Buffer.from(first.accessToken.split('.')[1], 'base64url').toString(),
    ).sid;
    const longLived = await t.app
      .get(JwtService)
      .signAsync(
        { sub: account.id, sid, role: 'admission_officer', houseId: null },
        { expiresIn: 600 },
      );
    await h.houses(longLived).expect(200);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, ends - Date.now() + 200)));
    await h.houses(longLived).expect(401);
    await h.houses(second.accessToken).expect(401);
    await h.refresh(second.refreshToken).expect(401);
  });
});

describe('SESSION_MAX_HOURS', () => {
  const env = (value: string) =>
    parseConfig({ ...baseTestEnvironment(), SESSION_MAX_HOURS: value });

  it('defaults to 12 hours and takes fractional hours', () => {
    expect(parseConfig(baseTestEnvironment()).auth.sessionMaxHours).toBe(12);
    expect(env('0.5').auth.sessionMaxHours).toBe(0.5);
  });

  it('stops start-up with one line for a value that is not a sensible number of hours', () => {
    for (const value of ['twelve', '-1', '0', '500']) {
      expect(() => env(value)).toThrow(/^Invalid configuration: SESSION_MAX_HOURS/);
    }
  });
});
