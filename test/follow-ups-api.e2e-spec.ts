import { FollowUpsService } from '../src/follow-ups/follow-ups.service';
import { exitedWithFollowUps, whenFollowUpsDue } from './factories/follow-up-fixtures';
import { useTestApp } from './helpers/test-app';
import { ADMIN_PASSWORD, ADMIN_USERNAME } from './helpers/test-env';

describe('Follow-ups API and the queue board', () => {
  const t = useTestApp();
  let followUps: FollowUpsService;
  let houses: { id: string; code: string }[];
  let coordinator: string;
  let ids: string[];

  beforeAll(async () => {
    followUps = t.app.get(FollowUpsService);
    houses = await t.houses();
    coordinator = await t.tokenFor('house_coordinator', houses[0].id);
    ids = (await exitedWithFollowUps(t.dataSource, followUps, houses[0].id)).followUpIds;
  });

  const get = (path: string, token: string) => t.as(token).get(path);
  const complete = (id: string, token: string, body: object) =>
    t.as(token).post(`/api/v1/follow-ups/${id}/complete`).send(body);

  it('lists by house, stay and status; a coordinator sees only her house and 404 for another', async () => {
    const { stay: other, followUpIds: otherIds } = await exitedWithFollowUps(
      t.dataSource,
      followUps,
      houses[1].id,
      { exitedAt: new Date(), enqueue: false },
    );

    const mine = await get('/api/v1/follow-ups', coordinator).expect(200);
    expect(mine.body.every((f: { houseId: string }) => f.houseId === houses[0].id)).toBe(true);
    expect(mine.body.map((f: { id: string }) => f.id)).toEqual(expect.arrayContaining(ids));
    await get(`/api/v1/follow-ups?houseId=${houses[1].id}`, coordinator).expect(404);
    await get(`/api/v1/follow-ups/${ids[0]}`, coordinator).expect(200);
    await get(`/api/v1/follow-ups/${otherIds[0]}`, coordinator).expect(404);

    const byStay = await get(
      `/api/v1/follow-ups?stayId=${other.id}&status=scheduled`,
      t.officer,
    ).expect(200);
    expect(byStay.body.map((f: { id: string }) => f.id)).toEqual(otherIds);
    const byHouse = await get(`/api/v1/follow-ups?houseId=${houses[1].id}`, t.admin).expect(200);
    expect(byHouse.body.map((f: { id: string }) => f.id)).toEqual(expect.arrayContaining(otherIds));
    expect(byHouse.body.some((f: { id: string }) => ids.includes(f.id))).toBe(false);

    const bad = await get('/api/v1/follow-ups?status=late&houseId=x&color=red', t.admin).expect(
      400,
    );
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'color',
      'houseId',
      'status',
    ]);
    await get('/api/v1/follow-ups/not-a-uuid', t.admin).expect(400);
  });

  it('lists a follow-up that fell due with its one reminder and no outcome yet', async () => {
    const { stay: exited } = await exitedWithFollowUps(t.dataSource, followUps, houses[2].id, {
      exitedAt: new Date(Date.now() - 60_000),
    });
    const rows = await whenFollowUpsDue(t.dataSource, [exited.id]);
    const listed = await t.as(t.admin).get(`/api/v1/follow-ups?stayId=${exited.id}`).expect(200);
    expect(listed.body).toEqual(
      rows.map((row) =>
        expect.objectContaining({
          id: row.id,
          stayId: exited.id,
          houseId: exited.houseId,
          dueAt: row.dueAt.toISOString(),
          status: 'due',
          remindersSent: 1,
          outcome: null,
          completedAt: null,
        }),
      ),
    );
  });

  it('completes once with an outcome and encrypted notes; a second completion is 409', async () => {
    const notes = 'Habló con la señora Pérez; sigue el proceso en la comisaría';
    const done = await complete(ids[0], coordinator, { outcome: 'contacted', notes }).expect(200);
    expect(done.body).toMatchObject({
      id: ids[0],
      status: 'completed',
      outcome: 'contacted',
      completedAt: expect.any(String),
      notes,
    });
    const [stored] = await t.dataSource.query(`SELECT notes FROM follow_ups WHERE id = $1`, [
      ids[0],
    ]);
    expect(stored.notes).toMatch(/^v2\./);
    expect(stored.notes).not.toContain('Pérez');

    const again = await complete(ids[0], t.officer, { outcome: 'declined' }).expect(409);
    expect(again.body).toEqual({
      statusCode: 409,
      code: 'INVALID_STATE',
      message: expect.any(String),
    });
    // The body is validated before the state: malformed is 400 even on a completed follow-up.
    const malformed = await complete(ids[0], t.officer, { outcome: 'maybe', extra: 1 }).expect(400);
    expect(malformed.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'extra',
      'outcome',
    ]);

    const read = await get(`/api/v1/follow-ups/${ids[0]}`, t.admin).expect(200);
    expect(read.body.notes).toBe(notes);
    const audit = await t.dataSource.query(
      `SELECT action, details FROM audit_events WHERE resource_id = $1 ORDER BY id`,
      [ids[0]],
    );
    expect(audit.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['follow_up.completed', 'follow_up.notes_read']),
    );
    expect(JSON.stringify(audit)).not.toContain('Pérez');
  });

  it('lets exactly one of many parallel completions win', async () => {
    const answers = await Promise.all(
      ['contacted', 'not_reachable', 'declined', 'contacted'].map((outcome) =>
        complete(ids[1], t.officer, { outcome }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409]);
  });

  it("refuses a coordinator another house's follow-up, and callers without a token", async () => {
    const other = await exitedWithFollowUps(t.dataSource, followUps, houses[1].id, {
      exitedAt: new Date(),
      enqueue: false,
    });
    const [otherId] = other.followUpIds;
    await complete(otherId, coordinator, { outcome: 'contacted' }).expect(404);
    await t.http().get('/api/v1/follow-ups').expect(401);
  });

  describe('queue board at /admin/queues', () => {
    it('is refused without a token, to other roles, and to a board cookie used as a bearer', async () => {
      const none = await t.http().get('/admin/queues').expect(401);
      expect(none.body.code).toBe('UNAUTHENTICATED');
      await t.http().get('/admin/queues/api/queues').expect(401);
      const forbidden = await t.as(coordinator).get('/admin/queues').expect(403);
      expect(forbidden.body.code).toBe('FORBIDDEN');
      await t
        .http()
        .get('/admin/queues')
        .set('Cookie', 'refugio_queue_board=forged.token.here')
        .expect(401);
      await t.as(t.officer).post('/api/v1/admin/queues/session').expect(403);
    });

    it('opens for an admin bearer token, and for a browser through the session cookie', async () => {
      const page = await t.as(t.admin).get('/admin/queues').expect(200);
      expect(page.text).toContain('<base href="/admin/queues');

      const session = await t.as(t.admin).post('/api/v1/admin/queues/session').expect(204);
      const cookie = String(session.headers['set-cookie']);
      expect(cookie).toMatch(
        /^refugio_queue_board=[^;]+; Path=\/admin\/queues; Max-Age=900; HttpOnly; SameSite=Strict/,
      );
      const pair = cookie.split(';')[0];
      const api = await t.http().get('/admin/queues/api/queues').set('Cookie', pair).expect(200);
      expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual([
        'follow-ups',
        'follow-ups-relay',
      ]);
      // The board session is not an API token.
      await t
        .http()
        .get('/api/v1/follow-ups')
        .set('Authorization', `Bearer ${pair.split('=')[1]}`)
        .expect(401);
    });

    it('closes at once for an admin who logged out: her token and her board cookie', async () => {
      const login = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ username: ADMIN_USERNAME, password: ADMIN_PASSWORD })
        .expect(200);
      const token = (login.body as { accessToken: string }).accessToken;
      const session = await t.as(token).post('/api/v1/admin/queues/session').expect(204);
      const pair = String(session.headers['set-cookie']).split(';')[0];
      await t.http().get('/admin/queues/api/queues').set('Cookie', pair).expect(200);
      await t.as(token).post('/api/v1/auth/logout').expect(204);
      await t.as(token).get('/admin/queues').expect(401);
      const closed = await t.http().get('/admin/queues/api/queues').set('Cookie', pair).expect(401);
      expect(closed.body.code).toBe('UNAUTHENTICATED');
    });
  });
});
