import { StaffRole } from '../src/common/actor';
import { createTestApp, TestApp } from './helpers/test-app';
import { ADMIN_USERNAME, randomSuffix } from './helpers/test-env';

interface Account {
  id: string;
  username: string;
  password: string;
}

const NOBODY = '00000000-0000-4000-8000-000000000000';

describe('People administration', () => {
  let t: TestApp;
  let admin: string;
  let house: { id: string };

  const address = () => `10.${[1, 2, 3].map(() => Math.floor(Math.random() * 250)).join('.')}`;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function createUser(role: StaffRole = 'admission_officer', houseId?: string) {
    const account: Account = {
      id: '',
      username: `${role.replace(/_/g, '.')}.${randomSuffix()}`,
      password: `password-${randomSuffix()}-long`,
    };
    const response = await t
      .http()
      .post('/api/v1/users')
      .set(auth(admin))
      .send({
        username: account.username,
        password: account.password,
        role,
        ...(houseId ? { houseId } : {}),
      })
      .expect(201);
    account.id = response.body.id;
    return account;
  }
  const login = (username: string, password: string) =>
    t
      .http()
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', address())
      .send({ username, password });
  const tokenOf = async (account: Account): Promise<string> =>
    (await login(account.username, account.password).expect(200)).body.accessToken;
  const patch = (token: string, id: string, body: unknown) =>
    t
      .http()
      .patch(`/api/v1/users/${id}`)
      .set(auth(token))
      .send(body as object);
  const houses = (token: string) => t.http().get('/api/v1/houses').set(auth(token));

  beforeAll(async () => {
    t = await createTestApp({
      env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: 'true' },
    });
    admin = await t.adminToken();
    [house] = await t.houses();
  });
  afterAll(() => t.close());

  describe('GET /users', () => {
    it('lists every account to an admin, without passwords', async () => {
      const coordinator = await createUser('house_coordinator', house.id);
      const response = await t.http().get('/api/v1/users').set(auth(admin)).expect(200);
      expect(response.body).toEqual(
        expect.arrayContaining([
          {
            id: coordinator.id,
            username: coordinator.username,
            role: 'house_coordinator',
            houseId: house.id,
            discipline: null,
            active: true,
            passwordChangeRequired: false,
            createdAt: expect.any(String),
          },
          expect.objectContaining({ username: ADMIN_USERNAME, role: 'admin', active: true }),
        ]),
      );
      expect(JSON.stringify(response.body)).not.toMatch(/password-|argon2|passwordHash/);
    });

    it('answers 403 to other roles and 401 without a token', async () => {
      const officer = await tokenOf(await createUser('admission_officer'));
      const refused = await t.http().get('/api/v1/users').set(auth(officer)).expect(403);
      expect(refused.body.code).toBe('FORBIDDEN');
      await t.http().get('/api/v1/users').expect(401);
    });
  });

  describe('PATCH /users/:id', () => {
    it('answers 400 for a malformed body or id, before looking the user up', async () => {
      const bodies: [unknown, string][] = [
        [{}, 'body'],
        [{ role: 'superuser' }, 'role'],
        [{ role: null }, 'role'],
        [{ active: 'no' }, 'active'],
        [{ active: null }, 'active'],
        [{ houseId: 'not-a-uuid' }, 'houseId'],
        [{ active: false, password: 'new-password-long' }, 'password'],
      ];
      for (const [body, field] of bodies) {
        const response = await patch(admin, NOBODY, body).expect(400);
        expect(response.body.code).toBe('VALIDATION_FAILED');
        expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      const badId = await patch(admin, 'nope', { active: false }).expect(400);
      expect(badId.body.errors).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
    });

    it('answers 404 for a user that does not exist, and 403 to a non-admin', async () => {
      const missing = await patch(admin, NOBODY, { active: false }).expect(404);
      expect(missing.body).toEqual({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: 'User not found',
      });
      const officer = await createUser();
      await patch(await tokenOf(officer), officer.id, { role: 'admin' }).expect(403);
    });

    it('changes role and house together, taking the house away from other roles', async () => {
      const user = await createUser('admission_officer');
      const noHouse = await patch(admin, user.id, { role: 'house_coordinator' }).expect(400);
      expect(noHouse.body.errors).toEqual([expect.objectContaining({ field: 'houseId' })]);
      const strayHouse = await patch(admin, user.id, { houseId: house.id }).expect(400);
      expect(strayHouse.body.errors).toEqual([expect.objectContaining({ field: 'houseId' })]);
      const unknownHouse = await patch(admin, user.id, {
        role: 'house_coordinator',
        houseId: NOBODY,
      }).expect(400);
      expect(unknownHouse.body.errors).toEqual([
        { field: 'houseId', message: 'houseId must be an existing house' },
      ]);

      const coordinator = await patch(admin, user.id, {
        role: 'house_coordinator',
        houseId: house.id,
      }).expect(200);
      expect(coordinator.body).toMatchObject({ role: 'house_coordinator', houseId: house.id });
      const token = await tokenOf(user);
      const seen = await houses(token).expect(200);
      expect(seen.body.map((h: { id: string }) => h.id)).toEqual([house.id]);

      const officer = await patch(admin, user.id, { role: 'admission_officer' }).expect(200);
      expect(officer.body).toMatchObject({ role: 'admission_officer', houseId: null });
      // The same token now sees every house: roles are read on each request.
      const all = await houses(token).expect(200);
      expect(all.body.length).toBeGreaterThan(1);

      const [event] = await t.dataSource.query(
        `SELECT details FROM audit_events WHERE resource_id = $1 AND action = 'user.updated'
         ORDER BY id DESC LIMIT 1`,
        [user.id],
      );
      expect(event.details).toEqual({
        role: 'admission_officer',
        previousRole: 'house_coordinator',
        houseId: null,
        previousHouseId: house.id,
      });
    });

    it('disables a user: her tokens answer 401 at once, her sessions end, she cannot log in', async () => {
      const user = await createUser();
      const first = (await login(user.username, user.password).expect(200)).body;
      const second = (await login(user.username, user.password).expect(200)).body;
      const response = await patch(admin, user.id, { active: false }).expect(200);
      expect(response.body).toMatchObject({ id: user.id, active: false });

      await houses(first.accessToken).expect(401);
      await houses(second.accessToken).expect(401);
      await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: first.refreshToken })
        .expect(401);
      await login(user.username, user.password).expect(401);
      const sessions = await t.dataSource.query(
        'SELECT revoked_reason FROM staff_sessions WHERE user_id = $1',
        [user.id],
      );
      expect(sessions).toEqual([
        { revoked_reason: 'user_disabled' },
        { revoked_reason: 'user_disabled' },
      ]);
      const [event] = await t.dataSource.query(
        `SELECT actor_role, details FROM audit_events WHERE resource_id = $1 AND action = 'user.updated'`,
        [user.id],
      );
      expect(event).toEqual({ actor_role: 'admin', details: { active: false, sessionsEnded: 2 } });

      // Enabled again, she logs in anew; the sessions of before stay over.
      await patch(admin, user.id, { active: true }).expect(200);
      await houses(first.accessToken).expect(401);
      await houses(await tokenOf(user)).expect(200);
    });

    it('refuses with 409 to disable or demote the last active admin', async () => {
      const [{ id }] = await t.dataSource.query(
        `SELECT id FROM users WHERE lower(username) = lower($1)`,
        [ADMIN_USERNAME],
      );
      for (const body of [{ active: false }, { role: 'admission_officer' }]) {
        const response = await patch(admin, id, body).expect(409);
        expect(response.body).toEqual({
          statusCode: 409,
          code: 'CONFLICT',
          message: 'The last active admin cannot be disabled or given another role',
        });
      }
      // The body is still checked first.
      await patch(admin, id, { active: false, extra: 1 }).expect(400);
      await houses(admin).expect(200);
    });

    it('leaves one active admin when two admins disable each other at the same time', async () => {
      // Round after round, the survivor and a new admin try to disable each other in parallel.
      const [{ id: firstId }] = await t.dataSource.query(
        `SELECT id FROM users WHERE lower(username) = lower($1)`,
        [ADMIN_USERNAME],
      );
      let survivor = { id: firstId as string, token: admin };
      for (let round = 0; round < 6; round++) {
        const other = await createUser('admin');
        const otherToken = await tokenOf(other);
        const [a, b] = await Promise.all([
          patch(survivor.token, other.id, { active: false }),
          patch(otherToken, survivor.id, { active: false }),
        ]);
        const statuses = [a.status, b.status].sort();
        // The loser waited for the winner's lock and found its target the last admin (409),
        // or was already disabled when its request arrived (401).
        expect(statuses[0]).toBe(200);
        expect([401, 409]).toContain(statuses[1]);
        const active = await t.dataSource.query(
          `SELECT id FROM users WHERE role = 'admin' AND active`,
        );
        expect(active).toHaveLength(1);
        survivor = a.status === 200 ? survivor : { id: other.id, token: otherToken };
        expect(active[0].id).toBe(survivor.id);
        // Give the seeded admin back for the tests that use her.
        admin = survivor.token;
      }
    });
  });

  describe('password reset and change', () => {
    it('resets to a one-time password that must be changed before anything else', async () => {
      const user = await createUser();
      const before = (await login(user.username, user.password).expect(200)).body;
      const reset = await t
        .http()
        .post(`/api/v1/users/${user.id}/reset-password`)
        .set(auth(admin))
        .expect(200);
      expect(reset.body).toEqual({
        id: user.id,
        username: user.username,
        temporaryPassword: expect.stringMatching(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/),
      });
      const temporary: string = reset.body.temporaryPassword;
      // Her sessions ended and the old password is gone.
      await houses(before.accessToken).expect(401);
      await login(user.username, user.password).expect(401);

      const pending = (await login(user.username, temporary).expect(200)).body;
      expect(pending.passwordChangeRequired).toBe(true);
      const blocked = await houses(pending.accessToken).expect(403);
      expect(blocked.body).toEqual({
        statusCode: 403,
        code: 'PASSWORD_CHANGE_REQUIRED',
        message: 'Set a new password (POST /auth/password) before anything else',
      });
      // A refresh keeps her held to it.
      const refreshed = await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: pending.refreshToken })
        .expect(200);
      expect(refreshed.body.passwordChangeRequired).toBe(true);
      const token: string = refreshed.body.accessToken;
      await houses(token).expect(403);

      const change = (body: object) =>
        t.http().post('/api/v1/auth/password').set(auth(token)).send(body);
      const wrong = await change({
        currentPassword: 'not-the-password',
        newPassword: 'a-brand-new-password',
      }).expect(400);
      expect(wrong.body.errors).toEqual([
        { field: 'currentPassword', message: 'currentPassword is not the current password' },
      ]);
      const short = await change({ currentPassword: temporary, newPassword: 'short' }).expect(400);
      expect(short.body.errors).toEqual([expect.objectContaining({ field: 'newPassword' })]);
      const same = await change({ currentPassword: temporary, newPassword: temporary }).expect(400);
      expect(same.body.errors).toEqual([expect.objectContaining({ field: 'newPassword' })]);
      await change({
        currentPassword: temporary,
        newPassword: 'a-brand-new-password',
        extra: true,
      }).expect(400);
      await change({ currentPassword: temporary, newPassword: 'a-brand-new-password' }).expect(204);

      // The same session goes on, free; the one-time password is spent.
      await houses(token).expect(200);
      await login(user.username, temporary).expect(401);
      const after = (await login(user.username, 'a-brand-new-password').expect(200)).body;
      expect(after.passwordChangeRequired).toBe(false);

      const events = await t.dataSource.query(
        `SELECT action, details FROM audit_events
         WHERE resource_id = $1 AND action LIKE 'user.password%' ORDER BY id`,
        [user.id],
      );
      expect(events).toEqual([
        { action: 'user.password_reset', details: { sessionsEnded: 1 } },
        { action: 'user.password_changed', details: { sessionsEnded: 0 } },
      ]);
      const [stored] = await t.dataSource.query('SELECT password_hash FROM users WHERE id = $1', [
        user.id,
      ]);
      expect(stored.password_hash).toMatch(/^\$argon2id\$/);
      const audit = JSON.stringify(
        await t.dataSource.query('SELECT details FROM audit_events WHERE resource_id = $1', [
          user.id,
        ]),
      );
      expect(audit).not.toContain(temporary);
      expect(audit).not.toContain('a-brand-new-password');
    });

    it('lets a user held to a change log out', async () => {
      const user = await createUser();
      const reset = await t
        .http()
        .post(`/api/v1/users/${user.id}/reset-password`)
        .set(auth(admin))
        .expect(200);
      const token = (await login(user.username, reset.body.temporaryPassword).expect(200)).body
        .accessToken;
      await t.http().post('/api/v1/auth/logout').set(auth(token)).expect(204);
      await houses(token).expect(401);
    });

    it('answers 404 to a reset for nobody, 400 for a bad id, 403 to a non-admin', async () => {
      await t.http().post(`/api/v1/users/${NOBODY}/reset-password`).set(auth(admin)).expect(404);
      await t.http().post('/api/v1/users/nope/reset-password').set(auth(admin)).expect(400);
      const officer = await createUser();
      await t
        .http()
        .post(`/api/v1/users/${officer.id}/reset-password`)
        .set(auth(await tokenOf(officer)))
        .expect(403);
    });

    it('changes one’s own password, ending one’s other sessions but not this one', async () => {
      const user = await createUser();
      const here = await tokenOf(user);
      const elsewhere = await tokenOf(user);
      await t
        .http()
        .post('/api/v1/auth/password')
        .set(auth(here))
        .send({ currentPassword: user.password, newPassword: 'another-long-password' })
        .expect(204);
      await houses(here).expect(200);
      await houses(elsewhere).expect(401);
      await login(user.username, user.password).expect(401);
      await login(user.username, 'another-long-password').expect(200);
      await t
        .http()
        .post('/api/v1/auth/password')
        .send({ currentPassword: 'x', newPassword: 'another-long-password' })
        .expect(401);
    });

    it('limits wrong current passwords like failed logins', async () => {
      const user = await createUser();
      const token = await tokenOf(user);
      const attempt = () =>
        t
          .http()
          .post('/api/v1/auth/password')
          .set(auth(token))
          .send({ currentPassword: 'a-wrong-guess', newPassword: 'another-long-password' });
      for (let i = 0; i < 3; i++) {
        await attempt().expect(400);
      }
      const limited = await attempt().expect(429);
      expect(limited.body.code).toBe('RATE_LIMITED');
    });
  });

  it('documents each new operation with a summary and its error answers', async () => {
    const { body } = await t.http().get('/api/docs-json').expect(200);
    const expected: [string, string, string[]][] = [
      ['/api/v1/auth/login', 'post', ['400', '401', '429']],
      ['/api/v1/auth/refresh', 'post', ['400', '401', '429']],
      ['/api/v1/auth/logout', 'post', ['401']],
      ['/api/v1/auth/password', 'post', ['400', '401', '429']],
      ['/api/v1/users', 'get', ['401', '403']],
      ['/api/v1/users/{id}', 'patch', ['400', '401', '403', '404', '409']],
      ['/api/v1/users/{id}/reset-password', 'post', ['400', '401', '403', '404']],
    ];
    for (const [path, method, statuses] of expected) {
      const operation = body.paths[path][method];
      expect(operation.summary).toEqual(expect.any(String));
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(statuses));
      for (const status of statuses) {
        expect(operation.responses[status].content['application/json'].schema.$ref).toBe(
          '#/components/schemas/ErrorResponseDto',
        );
      }
    }
    expect(body.components.schemas.TokenResponseDto.required).toEqual(
      expect.arrayContaining(['refreshToken', 'sessionExpiresAt', 'passwordChangeRequired']),
    );
    expect(body.components.schemas.ErrorResponseDto.properties.code.enum).toContain(
      'PASSWORD_CHANGE_REQUIRED',
    );
  });
});
