import { FollowUpsService } from '../src/follow-ups/follow-ups.service';
import { ExitedStay, exitedWithFollowUps } from './factories/follow-up-fixtures';
import { waitFor } from './helpers/processes';
import { createTestApp, TestApp } from './helpers/test-app';

interface Alert {
  id: string;
  houseId: string;
  kind: string;
  stayId: string | null;
  followUpId: string | null;
  status: string;
  acknowledgedBy: string | null;
}

describe('Alerts: reminders reach the house team', () => {
  let t: TestApp;
  let houses: { id: string; code: string }[];
  let admin: string;
  let coordinator: string;
  let otherCoordinator: string;
  let psychologist: string;
  let exited: ExitedStay;

  beforeAll(async () => {
    t = await createTestApp();
    houses = await t.houses();
    admin = await t.adminToken();
    coordinator = await t.tokenFor('house_coordinator', houses[0].id);
    otherCoordinator = await t.tokenFor('house_coordinator', houses[1].id);
    psychologist = await t.tokenFor('team_member', houses[0].id, 'psychology');
    // Exited a day ago: both follow-ups are due at once.
    exited = await exitedWithFollowUps(t.dataSource, t.app.get(FollowUpsService), houses[0].id);
  });
  afterAll(() => t.close());

  const get = (path: string, token: string) => t.as(token).get(path);
  const acknowledge = (id: string, token: string) =>
    t.http().post(`/api/v1/alerts/${id}/acknowledge`).set('Authorization', `Bearer ${token}`);

  async function alertsOfStay(stayId: string, count: number): Promise<Alert[]> {
    return waitFor(
      async () => {
        const response = await get(`/api/v1/alerts?houseId=${houses[0].id}`, admin);
        const mine = (response.body as Alert[]).filter((a) => a.stayId === stayId);
        return mine.length >= count ? mine : undefined;
      },
      { timeoutMs: 15000, what: `${count} alert(s) of the stay` },
    );
  }

  it('turns each follow-up falling due into one open follow_up_due alert of its house', async () => {
    const alerts = await alertsOfStay(exited.stay.id, 2);
    expect(alerts.map((a) => a.followUpId).sort()).toEqual([...exited.followUpIds].sort());
    for (const alert of alerts) {
      expect(alert).toMatchObject({ houseId: houses[0].id, kind: 'follow_up_due', status: 'open' });
    }
    const [{ count }] = await t.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM alerts a JOIN reminders r ON r.id = a.reminder_id
       WHERE r.stay_id = $1`,
      [exited.stay.id],
    );
    expect(count).toBe(2);
  });

  it('refuses, in the database, a second alert for the same reminder', async () => {
    const [alert] = await alertsOfStay(exited.stay.id, 2);
    await expect(
      t.dataSource.query(
        `INSERT INTO alerts (house_id, kind, stay_id, follow_up_id, reminder_id, due_at)
         SELECT house_id, kind, stay_id, follow_up_id, reminder_id, due_at FROM alerts WHERE id = $1`,
        [alert.id],
      ),
    ).rejects.toThrow(/alerts_reminder_id_key/);
  });

  it('shows a house-bound user her house only and answers 404 for another house', async () => {
    await alertsOfStay(exited.stay.id, 2);
    const mine = await get('/api/v1/alerts?status=open&kind=follow_up_due', psychologist).expect(
      200,
    );
    expect(mine.body.length).toBeGreaterThanOrEqual(2);
    expect(mine.body.every((a: Alert) => a.houseId === houses[0].id)).toBe(true);
    const theirs = await get('/api/v1/alerts', otherCoordinator).expect(200);
    expect(theirs.body.some((a: Alert) => a.stayId === exited.stay.id)).toBe(false);
    await get(`/api/v1/alerts?houseId=${houses[0].id}`, otherCoordinator).expect(404);
    const bad = await get('/api/v1/alerts?kind=fire&status=closed&limit=0', admin).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'kind',
      'limit',
      'status',
    ]);
  });

  it('acknowledges once (a second time is 409 INVALID_STATE); another house gets 404', async () => {
    const [alert] = await alertsOfStay(exited.stay.id, 2);
    await acknowledge(alert.id, otherCoordinator).expect(404);
    const done = await acknowledge(alert.id, coordinator).expect(200);
    expect(done.body).toMatchObject({ id: alert.id, status: 'acknowledged' });
    expect(done.body.acknowledgedAt).toEqual(expect.any(String));
    expect(done.body.acknowledgedBy).toEqual(expect.any(String));
    const again = await acknowledge(alert.id, psychologist).expect(409);
    expect(again.body.code).toBe('INVALID_STATE');
    const open = await get('/api/v1/alerts?status=open', coordinator).expect(200);
    expect(open.body.some((a: Alert) => a.id === alert.id)).toBe(false);
    await acknowledge('00000000-0000-4000-8000-000000000000', admin).expect(404);
  });

  it('raises two acknowledgements at once into one 200 and one 409', async () => {
    const alerts = await alertsOfStay(exited.stay.id, 2);
    const open = alerts.find((a) => a.status === 'open') as Alert;
    const answers = await Promise.all([
      acknowledge(open.id, coordinator),
      acknowledge(open.id, psychologist),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
  });
});
