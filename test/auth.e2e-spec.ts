import { RateLimiter } from '../src/common/rate-limiter';
import { useTestApp } from './helpers/test-app';
import { ADMIN_PASSWORD, ADMIN_USERNAME } from './helpers/test-env';

describe('Staff authentication', () => {
  const t = useTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3' } });

  it('issues a short-lived bearer token and a refresh token for the right password', async () => {
    const response = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: ADMIN_USERNAME, password: ADMIN_PASSWORD })
      .expect(200);
    expect(response.body).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshToken: expect.stringMatching(/^rfr_[\w-]{43}$/),
      sessionExpiresAt: expect.any(String),
      passwordChangeRequired: false,
    });
    const hoursLeft = (Date.parse(response.body.sessionExpiresAt) - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(11.99);
    expect(hoursLeft).toBeLessThanOrEqual(12);
  });

  it('answers 401 UNAUTHENTICATED for a wrong password or an unknown user, alike', async () => {
    const wrong = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: ADMIN_USERNAME, password: 'not-the-password' })
      .expect(401);
    const unknown = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'nobody.here', password: 'whatever-password' })
      .expect(401);
    expect(wrong.body).toEqual({
      statusCode: 401,
      code: 'UNAUTHENTICATED',
      message: 'Wrong username or password',
    });
    expect(unknown.body).toEqual(wrong.body);
  });

  it('rate limits failed logins per username and address with 429 and Retry-After', async () => {
    const attempt = () =>
      t
        .http()
        .post('/api/v1/auth/login')
        .send({ username: 'target.user', password: 'guess-guess' });
    for (let i = 0; i < 3; i++) {
      await attempt().expect(401);
    }
    const limited = await attempt().expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Another username from the same address is not affected.
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: ADMIN_USERNAME, password: ADMIN_PASSWORD })
      .expect(200);
  });

  it('counts parallel wrong passwords atomically: no more guesses than the limit get through', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 12 }, () =>
        t
          .http()
          .post('/api/v1/auth/login')
          .send({ username: 'parallel.target', password: 'guess-guess' }),
      ),
    );
    const statuses = attempts.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(9);
  });

  it('answers 401 without a token, with a tampered token, and with a token of another secret', async () => {
    await t.http().get('/api/v1/houses').expect(401);
    const [house] = await t.houses();
    const token = await t.tokenFor('house_coordinator', house.id);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    const response = await t
      .http()
      .get('/api/v1/houses')
      .set('Authorization', `Bearer ${header}.${forged}.${signature}`)
      .expect(401);
    expect(response.body.code).toBe('UNAUTHENTICATED');
    await t.as(token).get('/api/v1/houses').expect(200);
    await t.http().get('/api/v1/houses').set('Authorization', `Token ${token}`).expect(401);
  });

  it('answers 403 FORBIDDEN when the role may not call the endpoint', async () => {
    const officer = await t.tokenFor('admission_officer');
    const response = await t
      .as(officer)
      .post('/api/v1/users')
      .send({ username: 'someone.else', password: 'long-enough-password', role: 'admin' })
      .expect(403);
    expect(response.body).toEqual({
      statusCode: 403,
      code: 'FORBIDDEN',
      message: 'Not allowed for this role',
    });
  });

  it('creates users with a hashed password and never returns it', async () => {
    const admin = await t.adminToken();
    const [house] = await t.houses();
    const response = await t
      .as(admin)
      .post('/api/v1/users')
      .send({
        username: 'coord.cr1',
        password: 'a-long-password-1',
        role: 'house_coordinator',
        houseId: house.id,
      })
      .expect(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      username: 'coord.cr1',
      role: 'house_coordinator',
      houseId: house.id,
      discipline: null,
    });
    const [row] = await t.dataSource.query('SELECT password_hash FROM users WHERE id = $1', [
      response.body.id,
    ]);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    await t
      .as(admin)
      .post('/api/v1/users')
      .send({ username: 'coord.cr1', password: 'a-long-password-2', role: 'admission_officer' })
      .expect(409);
  });

  it('requires a house for coordinators and a password of 12 characters', async () => {
    const admin = await t.adminToken();
    const refusals = [
      {
        field: 'houseId',
        user: { username: 'coord.none', password: 'a-long-password-1', role: 'house_coordinator' },
      },
      {
        field: 'password',
        user: { username: 'short.pw', password: 'short', role: 'admission_officer' },
      },
    ];
    for (const { field, user } of refusals) {
      const refused = await t.as(admin).post('/api/v1/users').send(user).expect(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field })]);
    }
  });

  it('refuses a referrer key on staff endpoints, and a revoked key altogether', async () => {
    const admin = await t.adminToken();
    const created = await t
      .as(admin)
      .post('/api/v1/referrers')
      .send({ name: 'Comisaría de Familia Kennedy 1', authorityType: 'comisaria_familia' })
      .expect(201);
    const apiKey: string = created.body.apiKey;
    expect(apiKey.length).toBeGreaterThanOrEqual(43);
    const [row] = await t.dataSource.query('SELECT api_key_hash FROM referrers WHERE id = $1', [
      created.body.id,
    ]);
    expect(Buffer.from(row.api_key_hash).toString('utf8')).not.toContain(apiKey);

    await t.as({ apiKey: apiKey }).get('/api/v1/houses').expect(403);
    await t.as({ apiKey: apiKey }).get('/api/v1/occupancy').expect(403);
    await t
      .http()
      .get('/api/v1/houses')
      .set('X-Api-Key', 'rfg_not-a-real-key-at-all-but-long-enough-to-check')
      .expect(401);

    await t.as(admin).post(`/api/v1/referrers/${created.body.id}/revoke`).expect(200);
    const revoked = await t.as({ apiKey: apiKey }).get('/api/v1/houses').expect(401);
    expect(revoked.body.code).toBe('UNAUTHENTICATED');
  });

  it('forgives a hit only while its window lasts, never leaving a counter without expiry', async () => {
    const limiter = t.app.get(RateLimiter);
    const key = `forgive-test-${Date.now()}`;
    await limiter.forgive(key);
    // A second window starting afterwards counts from 1, not from 0.
    expect((await limiter.hit(key, 60_000))?.count).toBe(1);
    await limiter.forgive(key);
    expect((await limiter.hit(key, 60_000))?.count).toBe(1);
  });
});
