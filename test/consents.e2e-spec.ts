import { DateTime } from 'luxon';
import { ConsentsView, useTestApp } from './helpers/test-app';
import { waitFor } from './helpers/processes';

interface FollowUp {
  id: string;
  sequence: number;
  status: string;
  remindersSent: number;
  cancelReason: string | null;
}

/** Today in the service's zone, and a day some days from it (`YYYY-MM-DD`). */
const day = (plusDays = 0): string =>
  DateTime.now().setZone('America/Bogota').plus({ days: plusDays }).toISODate() as string;

/**
 * Autorización (API.md "Data protection", Consent): egress schedules follow-ups only while she
 * grants follow_up_contact, and withdrawing it cancels what is pending before any reminder.
 */
describe('Consent per purpose', () => {
  const t = useTestApp();

  const followUps = async (stayId: string): Promise<FollowUp[]> =>
    (await t.as(t.officer).get(`/api/v1/follow-ups?stayId=${stayId}`).expect(200)).body;
  const consents = async (stayId: string, caller = t.officer): Promise<ConsentsView> =>
    (await t.as(caller).get(`/api/v1/stays/${stayId}/consents`).expect(200)).body;
  const current = (view: ConsentsView, purpose = 'follow_up_contact') =>
    view.current.find((c) => c.purpose === purpose);
  const alertsOf = (stayId: string) =>
    t.count(`SELECT count(*) FROM alerts WHERE stay_id = $1 AND kind = 'follow_up_due'`, [stayId]);

  it('schedules follow-ups at egress only when she granted follow_up_contact', async () => {
    const never = await t.admit();
    await t.egress(never.id, undefined, { followUpContact: false });
    expect(await followUps(never.id)).toEqual([]);
    expect(current(await consents(never.id))).toMatchObject({ granted: false, recordedAt: null });

    const granted = await t.admit();
    await t.consent(granted.id, { purpose: 'follow_up_contact', granted: true });
    await t.egress(granted.id, undefined, { followUpContact: false });
    expect((await followUps(granted.id)).map((f) => f.status)).toEqual(['scheduled', 'scheduled']);

    const withdrawn = await t.admit();
    await t.consent(withdrawn.id, { purpose: 'follow_up_contact', granted: true });
    await t.consent(withdrawn.id, { purpose: 'follow_up_contact', granted: false });
    // Another purpose decides nothing about follow-ups.
    await t.consent(withdrawn.id, { purpose: 'share_with_authority', granted: true });
    await t.egress(withdrawn.id, undefined, { followUpContact: false });
    expect(await followUps(withdrawn.id)).toEqual([]);
    const view = await consents(withdrawn.id);
    expect(view.current).toEqual([
      expect.objectContaining({ purpose: 'follow_up_contact', granted: false, expired: false }),
      expect.objectContaining({ purpose: 'share_with_authority', granted: true }),
    ]);
    expect(view.history.map((h) => [h.purpose, h.granted])).toEqual([
      ['share_with_authority', true],
      ['follow_up_contact', false],
      ['follow_up_contact', true],
    ]);
  });

  it('treats an expired grant as not granted', async () => {
    const stay = await t.admit();
    // The API refuses a past expiresOn, so the lapse is written as time would leave it.
    await t.dataSource.query(
      `INSERT INTO consents (stay_id, purpose, version, granted, expires_on, expires_at,
                             recorded_at, recorded_by)
       SELECT $1, 'follow_up_contact', 1, true, $2, $3, now() - interval '30 days', id
       FROM users WHERE role = 'admin' LIMIT 1`,
      [stay.id, day(-2), DateTime.fromISO(day(-1), { zone: 'America/Bogota' }).toJSDate()],
    );
    expect(current(await consents(stay.id))).toMatchObject({
      granted: false,
      expired: true,
      expiresOn: day(-2),
    });
    await t.egress(stay.id, undefined, { followUpContact: false });
    expect(await followUps(stay.id)).toEqual([]);
  });

  it('cancels pending follow-ups when she withdraws after egress, and no reminder or alert fires', async () => {
    const withdrawing = await t.admit();
    const control = await t.admit();
    const exitedAt = new Date().toISOString();
    await t.egress(withdrawing.id, { reason: 'voluntary', exitedAt });
    await t.egress(control.id, { reason: 'voluntary', exitedAt });
    expect((await followUps(withdrawing.id)).map((f) => f.status)).toEqual([
      'scheduled',
      'scheduled',
    ]);

    const recorded = await t.consent(
      withdrawing.id,
      { purpose: 'follow_up_contact', granted: false },
      { as: t.officer },
    );
    expect(recorded.followUpsCancelled).toBe(2);
    const cancelled = await followUps(withdrawing.id);
    expect(cancelled.map((f) => [f.status, f.cancelReason])).toEqual([
      ['cancelled', 'consent_withdrawn'],
      ['cancelled', 'consent_withdrawn'],
    ]);

    // Their jobs were already in the queue, due at the same instants as the control's: once the
    // control's have fired, the withdrawn ones have had their turn.
    await waitFor(async () => (await followUps(control.id)).every((f) => f.status === 'due'), {
      timeoutMs: 60000,
      intervalMs: 250,
      what: "the control stay's follow-ups to fall due",
    });
    const after = await followUps(withdrawing.id);
    expect(after.map((f) => [f.status, f.remindersSent])).toEqual([
      ['cancelled', 0],
      ['cancelled', 0],
    ]);
    expect(await alertsOf(withdrawing.id)).toBe(0);
    expect(await alertsOf(control.id)).toBe(2);
  });

  it('audits each record with ids and codes only', async () => {
    const stay = await t.admit();
    await t.consent(stay.id, {
      purpose: 'share_with_authority',
      granted: true,
      expiresOn: day(30),
    });
    const [event] = await t.dataSource.query(
      `SELECT actor_role, details FROM audit_events
       WHERE action = 'consent.recorded' AND resource_id = $1`,
      [stay.id],
    );
    expect(event).toEqual({
      actor_role: 'admin',
      details: {
        houseId: stay.houseId,
        purpose: 'share_with_authority',
        granted: true,
        expiresOn: day(30),
        version: 1,
        followUpsCancelled: 0,
      },
    });
  });

  it('keeps one consistent state under parallel grants, withdrawals and egress', async () => {
    // Egress and withdrawal at once: whichever commits first, a withdrawn consent leaves
    // nothing pending (both lock the stay, so the later one sees the earlier one's rows).
    const stays = await Promise.all([1, 2, 3, 4].map(() => t.admit()));
    await Promise.all(
      stays.map((s) => t.consent(s.id, { purpose: 'follow_up_contact', granted: true })),
    );
    await Promise.all(
      stays.flatMap((s) => [
        t.as(t.officer).post(`/api/v1/stays/${s.id}/egress`).send({ reason: 'voluntary' }),
        t
          .as(t.officer)
          .post(`/api/v1/stays/${s.id}/consents`)
          .send({ purpose: 'follow_up_contact', granted: false }),
      ]),
    );
    for (const stay of stays) {
      expect(current(await consents(stay.id))?.granted).toBe(false);
      expect(
        (await followUps(stay.id)).filter((f) => ['scheduled', 'due'].includes(f.status)),
      ).toEqual([]);
    }

    // Twelve grants and withdrawals of one exited stay at once: every one is kept, numbered
    // without a gap, and whatever came last decides whether anything is pending.
    const stay = await t.admit();
    await t.egress(stay.id);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t
          .as(t.officer)
          .post(`/api/v1/stays/${stay.id}/consents`)
          .send({ purpose: 'follow_up_contact', granted: i % 2 === 0 }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(201));
    const versions = await t.dataSource.query<{ version: number; granted: boolean }[]>(
      `SELECT version, granted FROM consents WHERE stay_id = $1 ORDER BY version`,
      [stay.id],
    );
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    const latest = versions[versions.length - 1];
    expect(current(await consents(stay.id))?.granted).toBe(latest.granted);
    const pending = (await followUps(stay.id)).filter((f) => f.status === 'scheduled');
    // A grant after egress schedules nothing; the first withdrawal cancelled both.
    expect(pending).toEqual([]);
    expect((await followUps(stay.id)).map((f) => f.cancelReason)).toEqual([
      'consent_withdrawn',
      'consent_withdrawn',
    ]);
  });

  it('lets staff of the house, officers and admins in, and no one else', async () => {
    const stay = await t.admit();
    const houses = await t.houses();
    const other = houses.find((h) => h.id !== stay.houseId)!.id;
    const coordinator = await t.tokenFor('house_coordinator', stay.houseId);
    const teamMember = await t.tokenFor('team_member', stay.houseId, 'social_work');
    const otherCoordinator = await t.tokenFor('house_coordinator', other);
    const otherTeam = await t.tokenFor('team_member', other, 'psychology');
    const analyst = await t.tokenFor('analyst');
    const referrer = await t.referrer();
    const body = { purpose: 'follow_up_contact', granted: true };

    for (const caller of [coordinator, teamMember, t.officer, t.admin]) {
      await t.as(caller).post(`/api/v1/stays/${stay.id}/consents`).send(body).expect(201);
      await t.as(caller).get(`/api/v1/stays/${stay.id}/consents`).expect(200);
    }
    for (const caller of [otherCoordinator, otherTeam]) {
      await t.as(caller).post(`/api/v1/stays/${stay.id}/consents`).send(body).expect(404);
      await t.as(caller).get(`/api/v1/stays/${stay.id}/consents`).expect(404);
    }
    await t.as(analyst).get(`/api/v1/stays/${stay.id}/consents`).expect(403);
    await t.as(analyst).post(`/api/v1/stays/${stay.id}/consents`).send(body).expect(403);
    const byReferrer = await t.as(referrer).get(`/api/v1/stays/${stay.id}/consents`);
    expect([401, 403]).toContain(byReferrer.status);
    await t.http().get(`/api/v1/stays/${stay.id}/consents`).expect(401);
    expect((await consents(stay.id)).history).toHaveLength(4);
  });

  it('refuses malformed bodies with 400, before looking at the stay', async () => {
    const stay = await t.admit();
    const missing = '00000000-0000-4000-8000-000000000000';
    const cases: [Record<string, unknown>, string][] = [
      [{ purpose: 'marketing', granted: true }, 'purpose'],
      [{ granted: true }, 'purpose'],
      [{ purpose: 'follow_up_contact' }, 'granted'],
      [{ purpose: 'follow_up_contact', granted: 'yes' }, 'granted'],
      [{ purpose: 'follow_up_contact', granted: true, expiresOn: '2027-02-30' }, 'expiresOn'],
      [{ purpose: 'follow_up_contact', granted: true, expiresOn: day(-1) }, 'expiresOn'],
      [{ purpose: 'follow_up_contact', granted: false, expiresOn: day(5) }, 'expiresOn'],
      [{ purpose: 'follow_up_contact', granted: true, signedBy: 'ella' }, 'signedBy'],
    ];
    for (const [body, field] of cases) {
      for (const id of [stay.id, missing]) {
        const answer = await t
          .as(t.officer)
          .post(`/api/v1/stays/${id}/consents`)
          .send(body)
          .expect(400);
        expect(answer.body.code).toBe('VALIDATION_FAILED');
        expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
    }
    await t.as(t.officer).get('/api/v1/stays/not-a-uuid/consents').expect(400);
    await t
      .as(t.officer)
      .post(`/api/v1/stays/${missing}/consents`)
      .send({ purpose: 'follow_up_contact', granted: true })
      .expect(404);
    // A grant through today is still a grant today.
    const today = await t.consent(stay.id, {
      purpose: 'follow_up_contact',
      granted: true,
      expiresOn: day(0),
    });
    expect(current(today)).toMatchObject({ granted: true, expired: false, expiresOn: day(0) });
    expect(await t.count('SELECT count(*) FROM consents WHERE stay_id = $1', [stay.id])).toBe(1);
  });
});

describe('Consent that expires before a follow-up falls due', () => {
  const t = useTestApp({ env: { FOLLOW_UP_SCHEDULE: 'P1D,P30D' } });

  it('schedules only the follow-ups due before the grant lapses, and a shorter grant cancels the rest', async () => {
    const stay = await t.admit();
    await t.consent(stay.id, { purpose: 'follow_up_contact', granted: true, expiresOn: day(10) });
    await t.egress(stay.id, undefined, { followUpContact: false });
    const scheduled = (await t.as(t.officer).get(`/api/v1/follow-ups?stayId=${stay.id}`)).body;
    expect(scheduled.map((f: FollowUp) => [f.sequence, f.status])).toEqual([[1, 'scheduled']]);

    const shorter = await t.consent(stay.id, {
      purpose: 'follow_up_contact',
      granted: true,
      expiresOn: day(0),
    });
    expect(shorter.followUpsCancelled).toBe(1);
    const after = (await t.as(t.officer).get(`/api/v1/follow-ups?stayId=${stay.id}`)).body;
    expect(after.map((f: FollowUp) => [f.status, f.cancelReason])).toEqual([
      ['cancelled', 'consent_expired'],
    ]);
  });
});
