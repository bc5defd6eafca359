import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { DUE_JOB_OPTIONS, FOLLOW_UPS_QUEUE, FollowUpJob } from '../src/follow-ups/follow-ups.queue';
import { createReferral, provisionalReferralBody, referralBody } from './factories/referrals';
import { waitFor } from './helpers/processes';
import { StayView, useTestApp } from './helpers/test-app';

const HOUR = 3600 * 1000;
const REASON = 'Riesgo inminente; la comisaría expide la medida el lunes';
const ORDER = {
  number: '11001-CF-2026-99881',
  authorityType: 'comisaria_familia',
  authorityName: 'Comisaría de Familia Suba 2',
  issuedAt: '2026-11-02',
};

/**
 * Provisional admission (Ley 2215 de 2022, art. 6 par. 1): staff admit before the protection
 * order, the stay says when the order is due and whether it is overdue, the order is attached
 * later, and an overdue order raises one alert.
 */
describe('Provisional admission', () => {
  const t = useTestApp();

  /** A provisional referral recorded by the officer, admitted (back-dated by `hoursAgo`). */
  async function provisionalStay(hoursAgo = 0, houseId?: string): Promise<StayView> {
    const referral = await t.referral(provisionalReferralBody({ reason: REASON }));
    return t.admit(referral.id, {
      houseId,
      ...(hoursAgo > 0 ? { admittedAt: new Date(Date.now() - hoursAgo * HOUR).toISOString() } : {}),
    });
  }

  it('records a staff referral with a reason instead of the order, encrypted, shown to staff only', async () => {
    const receipt = await t.referral(provisionalReferralBody({ reason: REASON }));
    const view = await t.as(t.officer).get(`/api/v1/referrals/${receipt.id}`).expect(200);
    expect(view.body).toMatchObject({
      status: 'received',
      protectionOrder: null,
      provisional: { reason: REASON, orderAttachedAt: null },
    });
    const [row] = await t.dataSource.query<{ provisional_reason: string }[]>(
      'SELECT provisional_reason FROM referrals WHERE id = $1',
      [receipt.id],
    );
    expect(row.provisional_reason).not.toContain('comisaría');
    expect(row.provisional_reason.length).toBeGreaterThan(REASON.length);
    // In the queue too, with the same staff view.
    const queue = await t.as(t.officer).get('/api/v1/referrals?status=received').expect(200);
    expect(queue.body.find((r: { id: string }) => r.id === receipt.id)).toMatchObject({
      provisional: { reason: REASON },
    });
  });

  it('refuses provisional from a referrer, both or neither of order and provisional, and a blank reason (400)', async () => {
    const referrer = await t.referrer();
    const fromReferrer = await t
      .as(referrer)
      .post('/api/v1/referrals')
      .send(provisionalReferralBody())
      .expect(400);
    expect(fromReferrer.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'provisional' }],
    });
    const { provisional, ...neither } = provisionalReferralBody();
    const cases = [
      { ...referralBody(), provisional },
      neither,
      provisionalReferralBody({ reason: '   ' }),
      { ...neither, provisional: null },
    ];
    for (const body of cases) {
      const response = await t.as(t.officer).post('/api/v1/referrals').send(body).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
    expect(
      await t.count(
        'SELECT count(*) FROM referrals WHERE provisional_reason IS NOT NULL AND referrer_id IS NOT NULL',
      ),
    ).toBe(0);
  });

  it('admits her with provisional: true and orderDueBy 72 hours after admission, in every stay read', async () => {
    const stay = await provisionalStay();
    expect(stay).toMatchObject({ provisional: true, orderOverdue: false });
    expect(Date.parse(stay.orderDueBy as string)).toBe(Date.parse(stay.admittedAt) + 72 * HOUR);
    const one = await t.as(t.officer).get(`/api/v1/stays/${stay.id}`).expect(200);
    expect(one.body).toMatchObject({
      provisional: true,
      orderDueBy: stay.orderDueBy,
      orderOverdue: false,
      protectionOrder: null,
    });
    const list = await t.as(t.officer).get(`/api/v1/stays?houseId=${stay.houseId}`).expect(200);
    expect(list.body.find((s: StayView) => s.id === stay.id)).toMatchObject({
      provisional: true,
      orderDueBy: stay.orderDueBy,
    });
    // An ordinary stay is not provisional.
    const ordinary = await t.admit({});
    expect(ordinary).toMatchObject({ provisional: false, orderDueBy: null, orderOverdue: false });
  });

  it('attaches the order (200, audited): the stay stops being provisional; again, or to an ordinary referral, 409', async () => {
    const stay = await provisionalStay();
    const attached = await t
      .as(t.officer)
      .post(`/api/v1/referrals/${stay.referralId}/protection-order`)
      .send(ORDER)
      .expect(200);
    expect(attached.body).toMatchObject({
      protectionOrder: ORDER,
      provisional: { reason: REASON, orderAttachedAt: expect.any(String) },
    });
    const after = await t.as(t.officer).get(`/api/v1/stays/${stay.id}`).expect(200);
    expect(after.body).toMatchObject({
      provisional: false,
      orderDueBy: stay.orderDueBy,
      orderOverdue: false,
      protectionOrder: ORDER,
    });
    // The attached number is stored encrypted, as an intake's: nowhere in the row in clear.
    expect(
      await t.count(
        `SELECT count(*) FROM referrals r WHERE r.id = $1 AND r.protection_order_number IS NULL
           AND r.protection_order_number_cipher IS NOT NULL AND strpos(r::text, $2) = 0`,
        [stay.referralId, ORDER.number],
      ),
    ).toBe(1);
    expect(
      await t.count(
        `SELECT count(*) FROM audit_events WHERE action = 'referral.order_attached' AND resource_id = $1`,
        [stay.referralId],
      ),
    ).toBe(1);
    expect(
      await t.count(
        `SELECT count(*) FROM order_alerts WHERE stay_id = $1 AND status = 'cancelled'`,
        [stay.id],
      ),
    ).toBe(1);

    const again = await t
      .as(t.officer)
      .post(`/api/v1/referrals/${stay.referralId}/protection-order`)
      .send(ORDER)
      .expect(409);
    expect(again.body.code).toBe('INVALID_STATE');
    const ordinary = await createReferral(t);
    const notProvisional = await t
      .as(t.officer)
      .post(`/api/v1/referrals/${ordinary.id}/protection-order`)
      .send(ORDER)
      .expect(409);
    expect(notProvisional.body.code).toBe('INVALID_STATE');
    // The body is checked before the state: a future order is 400 even where it would be 409.
    const future = await t
      .as(t.officer)
      .post(`/api/v1/referrals/${ordinary.id}/protection-order`)
      .send({ ...ORDER, issuedAt: '2999-01-01' })
      .expect(400);
    expect(future.body.errors).toEqual([
      { field: 'issuedAt', message: 'issuedAt must not be in the future' },
    ]);
    await t
      .as(t.officer)
      .post(`/api/v1/referrals/${ordinary.id}/protection-order`)
      .send({ ...ORDER, number: undefined, extra: 1 })
      .expect(400);
  });

  it('lets the coordinator of her house attach it, and answers 404 in another house (a referrer 403)', async () => {
    const houses = await t.houses();
    const stay = await provisionalStay(0, houses[1].id);
    const other = await t.tokenFor('house_coordinator', houses[2].id);
    await t
      .as(other)
      .post(`/api/v1/referrals/${stay.referralId}/protection-order`)
      .send(ORDER)
      .expect(404);
    const referrer = await t.referrer();
    await t
      .as(referrer)
      .post(`/api/v1/referrals/${stay.referralId}/protection-order`)
      .send(ORDER)
      .expect(403);
    const own = await t.tokenFor('house_coordinator', houses[1].id);
    await t
      .as(own)
      .post(`/api/v1/referrals/${stay.referralId}/protection-order`)
      .send(ORDER)
      .expect(200);
    await t
      .as(t.officer)
      .post('/api/v1/referrals/00000000-0000-4000-8000-000000000000/protection-order')
      .send(ORDER)
      .expect(404);
  });

  it('shows orderOverdue from the time alone and raises one order_overdue alert, even when the job runs again', async () => {
    const stay = await provisionalStay(80);
    // Right at once, whatever the worker has done.
    const view = await t.as(t.officer).get(`/api/v1/stays/${stay.id}`).expect(200);
    expect(view.body).toMatchObject({ provisional: true, orderOverdue: true });
    const [{ id: orderAlertId }] = await t.dataSource.query<{ id: string }[]>(
      'SELECT id FROM order_alerts WHERE stay_id = $1',
      [stay.id],
    );
    // Replays of the job (other ids, same payload) racing the relay's own delivery of it.
    const queue = t.app.get<Queue>(getQueueToken(FOLLOW_UPS_QUEUE));
    const replay = async (ids: string[]) => {
      await queue.addBulk(
        ids.map((jobId) => ({
          name: FollowUpJob.OrderAlertDue,
          data: { orderAlertId },
          opts: { ...DUE_JOB_OPTIONS, jobId },
        })),
      );
      await waitFor(
        async () => {
          const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
          return states.every((state) => state === 'unknown') || undefined;
        },
        { timeoutMs: 30000, what: 'the replayed jobs done' },
      );
    };
    await replay([1, 2, 3, 4, 5].map((n) => `replay-${orderAlertId}-${n}`));
    const alerts = await waitFor(
      async () => {
        const response = await t
          .as(t.officer)
          .get(`/api/v1/alerts?houseId=${stay.houseId}&kind=order_overdue`)
          .expect(200);
        const mine = (response.body as { stayId: string }[]).filter((a) => a.stayId === stay.id);
        return mine.length > 0 ? mine : undefined;
      },
      { timeoutMs: 30000, what: 'the order_overdue alert' },
    );
    expect(alerts).toEqual([
      expect.objectContaining({ kind: 'order_overdue', status: 'open', dueAt: stay.orderDueBy }),
    ]);
    await replay([`replay-${orderAlertId}-6`]);
    expect(
      await t.count(`SELECT count(*) FROM alerts WHERE stay_id = $1 AND kind = 'order_overdue'`, [
        stay.id,
      ]),
    ).toBe(1);
    // The database refuses a second alert for the same order alert.
    await expect(
      t.dataSource.query(
        `INSERT INTO alerts (house_id, kind, stay_id, order_alert_id, due_at)
         VALUES ($1, 'order_overdue', $2, $3, now())`,
        [stay.houseId, stay.id, orderAlertId],
      ),
    ).rejects.toMatchObject({ code: '23505' });
    // Nobody is exited for it.
    const still = await t.as(t.officer).get(`/api/v1/stays/${stay.id}`).expect(200);
    expect(still.body).toMatchObject({ status: 'active', orderOverdue: true });
  });

  it('raises no alert for an order attached in time', async () => {
    const stay = await provisionalStay(1);
    await t
      .as(t.officer)
      .post(`/api/v1/referrals/${stay.referralId}/protection-order`)
      .send(ORDER)
      .expect(200);
    expect(
      await t.count(
        `SELECT count(*) FROM order_alerts WHERE stay_id = $1 AND status = 'scheduled'`,
        [stay.id],
      ),
    ).toBe(0);
  });

  describe('the database', () => {
    const insertReferral = (columns: Record<string, unknown>) => {
      const values = {
        caller_key: 'staff',
        external_reference: `DB-${Math.random().toString(36).slice(2)}`,
        request_fingerprint: 'test',
        risk_level: 'severe',
        needs: '{}',
        family_size: 1,
        personal_data: 'x',
        ...columns,
      };
      const names = Object.keys(values);
      return t.dataSource.query<{ id: string }[]>(
        `INSERT INTO referrals (${names.join(', ')})
         VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
        Object.values(values),
      );
    };
    const insertStay = async (referralId: string, admittedAt: Date) => {
      const [house] = await t.houses();
      return t.dataSource.query<{ id: string; provisional: boolean; order_due_by: Date }[]>(
        `INSERT INTO stays (referral_id, house_id, admitted_at, term_ends_at, max_ends_at, last_moved_at)
         VALUES ($1, $2, $3, $3::timestamptz + interval '4 months', $3::timestamptz + interval '6 months', $3)
         RETURNING id, provisional, order_due_by`,
        [referralId, house.id, admittedAt],
      );
    };

    it('refuses a referral with no order unless staff recorded it provisionally, and half an order always', async () => {
      const referrer = await t.referrer();
      const refused = [
        {},
        { protection_order_number: 'X-1', provisional_reason: 'r', provisional_order_hours: 72 },
        {
          caller_key: `referrer:${referrer.id}`,
          referrer_id: referrer.id,
          provisional_reason: 'r',
          provisional_order_hours: 72,
        },
        { provisional_reason: 'r' },
      ];
      for (const columns of refused) {
        await expect(insertReferral(columns)).rejects.toMatchObject({ code: '23514' });
      }
      const [ok] = await insertReferral({ provisional_reason: 'r', provisional_order_hours: 72 });
      expect(ok.id).toEqual(expect.any(String));
    });

    it('accepts a stay for a received provisional referral, still refuses one that is withdrawn or before its order', async () => {
      const [provisional] = await insertReferral({
        provisional_reason: 'r',
        provisional_order_hours: 10,
      });
      const at = new Date(Date.now() - HOUR);
      const [stay] = await insertStay(provisional.id, at);
      expect(stay.provisional).toBe(true);
      expect(stay.order_due_by.getTime()).toBe(at.getTime() + 10 * HOUR);
      expect(await t.count('SELECT count(*) FROM order_alerts WHERE stay_id = $1', [stay.id])).toBe(
        1,
      );

      const [withdrawn] = await insertReferral({
        provisional_reason: 'r',
        provisional_order_hours: 72,
        status: 'withdrawn',
      });
      await expect(insertStay(withdrawn.id, at)).rejects.toMatchObject({
        code: '23514',
        constraint: 'stays_admissible_referral',
      });
      const ordinary = await createReferral(t, { issuedAt: '2026-11-01' });
      await expect(insertStay(ordinary.id, new Date('2026-10-20T12:00:00Z'))).rejects.toMatchObject(
        {
          code: '23514',
          constraint: 'stays_admissible_referral',
        },
      );
      const [normal] = await insertStay(ordinary.id, new Date('2026-11-02T12:00:00Z'));
      expect(normal).toMatchObject({ provisional: false, order_due_by: null });
    });
  });
});
