import { AuditService } from '../src/audit/audit.service';
import { ReferrersRepository } from '../src/auth/referrers.repository';
import { ReferrersService } from '../src/auth/referrers.service';
import { verifyCallbackSignature } from '../src/callbacks/callback-signature';
import { PiiCipher } from '../src/common/pii-cipher';
import { parseConfig } from '../src/config/config';
import { REJECTION_REASON_TEXTS } from '../src/referrals/referral.types';
import {
  CallbackReceiver,
  CallbackReferrer,
  ReceivedCallback,
  registerCallbackReferrer,
} from './helpers/callback-receiver';
import { waitFor } from './helpers/processes';
import { useTestApp } from './helpers/test-app';
import { baseTestEnvironment } from './helpers/test-env';

describe('Status callbacks to referrers', () => {
  const t = useTestApp({
    env: { CALLBACK_TEST_RETRY_DELAY_MS: '200', FOLLOW_UP_RELAY_EVERY_MS: '500' },
  });
  let receiver: CallbackReceiver;
  let paths = 0;

  beforeAll(async () => {
    receiver = await CallbackReceiver.start();
  });
  afterAll(async () => {
    await receiver.close();
  });

  function callbackReferrer(): Promise<CallbackReferrer> {
    return registerCallbackReferrer(t, receiver, `/hooks/${++paths}`);
  }

  async function referralOf(referrer: CallbackReferrer): Promise<string> {
    return (await t.referral({}, { as: { apiKey: referrer.apiKey } })).id;
  }

  async function reject(referralId: string, reason = 'ya está en CR-2, cama 3'): Promise<void> {
    await t
      .as(t.officer)
      .post(`/api/v1/referrals/${referralId}/reject`)
      .send({ reason, reasonCode: 'no_capacity' })
      .expect(200);
  }

  function arrived(path: string, count: number): Promise<ReceivedCallback[]> {
    return waitFor(
      () => {
        const at = receiver.at(path);
        return Promise.resolve(at.length >= count ? at : undefined);
      },
      { timeoutMs: 30000, what: `${count} callback(s) at ${path}` },
    );
  }

  async function deliveries(referrerId: string): Promise<Record<string, unknown>[]> {
    const response = await t
      .as(t.admin)
      .get(`/api/v1/referrers/${referrerId}/deliveries`)
      .expect(200);
    return response.body as Record<string, unknown>[];
  }

  it('posts every status change, signed, with the referrer’s view and never a house or bed', async () => {
    const referrer = await callbackReferrer();
    expect(referrer.webhookSecret).toMatch(/^whsec_/);
    const [stored] = await t.dataSource.query<{ callback_secret: string }[]>(
      'SELECT callback_secret FROM referrers WHERE id = $1',
      [referrer.id],
    );
    expect(stored.callback_secret).not.toContain(referrer.webhookSecret);
    const listed = await t.as(t.admin).get('/api/v1/referrers').expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(referrer.webhookSecret);

    const admitted = await referralOf(referrer);
    const stay = await t.admit(admitted);
    await t.egress(stay.id);
    const rejected = await referralOf(referrer);
    await reject(rejected);
    const withdrawn = await referralOf(referrer);
    await t
      .as({ apiKey: referrer.apiKey })
      .post(`/api/v1/referrals/${withdrawn}/withdraw`)
      .send({ reason: 'Se fue con su hermana' })
      .expect(200);
    // A referral staff recorded has no referrer to call back.
    await reject((await t.referral()).id);

    const received = await arrived(referrer.path, 4);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.at(referrer.path)).toHaveLength(4);
    expect(receiver.allSigned(referrer.path, referrer.webhookSecret)).toBe(true);
    const byStatus = Object.fromEntries(received.map((r) => [r.body.status, r]));
    expect(Object.keys(byStatus).sort()).toEqual(['admitted', 'exited', 'rejected', 'withdrawn']);
    for (const r of received) {
      expect(r.contentType).toMatch(/^application\/json/);
      expect(r.eventId).toBe(r.body.eventId);
      expect(Object.keys(r.body).sort()).toEqual(
        [
          'event',
          'eventId',
          'externalReference',
          'occurredAt',
          'referralId',
          'status',
          'statusReason',
        ].sort(),
      );
      expect(r.body.event).toBe('referral.status_changed');
    }
    expect(byStatus.admitted.body).toMatchObject({ referralId: admitted, statusReason: null });
    expect(byStatus.exited.body.referralId).toBe(admitted);
    expect(byStatus.rejected.body.statusReason).toBe(REJECTION_REASON_TEXTS.no_capacity);
    expect(byStatus.withdrawn.body.statusReason).toBe('Se fue con su hermana');

    const house = (await t.houses()).find((h) => h.id === stay.houseId);
    const secrets = [house!.id, house!.code, 'CR-2', ...stay.occupants.map((o) => o.bedId)];
    const [names] = await t.dataSource.query<{ name: string }[]>(
      'SELECT name FROM houses WHERE id = $1',
      [stay.houseId],
    );
    for (const r of received) {
      for (const secret of [...secrets, names.name]) {
        expect(r.rawBody).not.toContain(secret);
      }
    }
    const log = await deliveries(referrer.id);
    expect(log).toHaveLength(4);
    expect(
      log.every((d) => d.status === 'delivered' && d.httpStatus === 200 && d.attempt === 1),
    ).toBe(true);
  });

  it('retries a receiver that answers 500, with the same event id, until it answers 200', async () => {
    const referrer = await callbackReferrer();
    receiver.script(referrer.path, [500, 503]);
    await reject(await referralOf(referrer));
    const received = await arrived(referrer.path, 3);
    expect(new Set(received.map((r) => r.eventId)).size).toBe(1);
    expect(receiver.allSigned(referrer.path, referrer.webhookSecret)).toBe(true);
    await waitFor(async () => (await deliveries(referrer.id)).length === 3, {
      what: 'three attempts',
    });
    const log = (await deliveries(referrer.id)).reverse();
    expect(log.map((d) => [d.attempt, d.status, d.httpStatus])).toEqual([
      [1, 'failed', 500],
      [2, 'failed', 503],
      [3, 'delivered', 200],
    ]);
    expect(log[0].error).toBe('answered HTTP 500');
  });

  it('gives up on a receiver that does not answer within 5 s, and tries again', async () => {
    const referrer = await callbackReferrer();
    receiver.script(referrer.path, ['hang']);
    await reject(await referralOf(referrer));
    await arrived(referrer.path, 1);
    // While the first attempt hangs, the event waits, and the metrics say so.
    const metrics = await t.as(t.admin).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^refugio_callbacks_pending_events [1-9]/m);
    expect(metrics.text).toMatch(/^refugio_callbacks_lag_seconds \d/m);
    const received = await arrived(referrer.path, 2);
    expect(received[1].eventId).toBe(received[0].eventId);
    await waitFor(async () => (await deliveries(referrer.id)).length === 2, {
      what: 'two attempts',
    });
    const [second, first] = await deliveries(referrer.id);
    expect(first).toMatchObject({
      status: 'failed',
      httpStatus: null,
      error: 'no answer within 5000 ms',
    });
    expect(second).toMatchObject({ status: 'delivered', attempt: 2 });
  });

  it('does not follow a redirect: it counts as a failure and is retried at the same URL', async () => {
    const referrer = await callbackReferrer();
    const elsewhere = `${referrer.path}-elsewhere`;
    receiver.script(referrer.path, [{ redirect: receiver.url(elsewhere) }]);
    await reject(await referralOf(referrer));
    await arrived(referrer.path, 2);
    expect(receiver.at(elsewhere)).toHaveLength(0);
    await waitFor(async () => (await deliveries(referrer.id)).length === 2, {
      what: 'two attempts',
    });
    const [, first] = await deliveries(referrer.id);
    expect(first).toMatchObject({
      status: 'failed',
      httpStatus: 302,
      error: 'redirect 302 not followed',
    });
  });

  it('turns the callback off on a 410, stops retrying, and turns it on when the URL is set again', async () => {
    const referrer = await callbackReferrer();
    receiver.script(referrer.path, [410]);
    await reject(await referralOf(referrer));
    await arrived(referrer.path, 1);
    const off = await waitFor(
      async () => {
        const listed = await t.as(t.admin).get('/api/v1/referrers').expect(200);
        const me = (listed.body as { id: string; callbackDisabledAt: string | null }[]).find(
          (r) => r.id === referrer.id,
        );
        return me?.callbackDisabledAt ? me : undefined;
      },
      { what: 'the callback turned off' },
    );
    expect(off).toMatchObject({ callbackUrl: receiver.url(referrer.path) });
    expect(await deliveries(referrer.id)).toMatchObject([{ status: 'gone', httpStatus: 410 }]);

    await reject(await referralOf(referrer));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(receiver.at(referrer.path)).toHaveLength(1);
    expect(
      await t.count('SELECT count(*) FROM callback_events WHERE referrer_id = $1', [referrer.id]),
    ).toBe(1);

    const again = await t
      .as(t.admin)
      .patch(`/api/v1/referrers/${referrer.id}`)
      .send({ callbackUrl: receiver.url(referrer.path) })
      .expect(200);
    expect(again.body.callbackDisabledAt).toBeNull();
    expect(again.body.webhookSecret).not.toBe(referrer.webhookSecret);
    await reject(await referralOf(referrer));
    const latest = (await arrived(referrer.path, 2))[1];
    const now = Math.floor(Date.now() / 1000);
    const secret = again.body.webhookSecret as string;
    expect(verifyCallbackSignature(secret, latest.rawBody, latest.signature, now)).toBe(true);
    expect(
      verifyCallbackSignature(referrer.webhookSecret, latest.rawBody, latest.signature, now),
    ).toBe(false);
  });

  it('validates the callback URL, and refuses plain http in production', async () => {
    const bad = [
      'ftp://example.org/x',
      'https://user:pw@example.org/x',
      'no es una URL',
      'https://example.org/x#y',
    ];
    for (const callbackUrl of bad) {
      const response = await t
        .as(t.admin)
        .post('/api/v1/referrers')
        .send({ name: 'Comisaría', authorityType: 'comisaria_familia', callbackUrl })
        .expect(400);
      expect(response.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ field: 'callbackUrl' }],
      });
    }
    const referrer = await t.referrer();
    await t
      .as(t.admin)
      .patch(`/api/v1/referrers/${referrer.id}`)
      .send({ callbackUrl: 42 })
      .expect(400);
    await t
      .as(t.admin)
      .patch('/api/v1/referrers/00000000-0000-4000-8000-000000000000')
      .send({ callbackUrl: 'https://example.org/x' })
      .expect(404);
    await t.as(t.officer).get(`/api/v1/referrers/${referrer.id}/deliveries`).expect(403);
    await t
      .as(t.admin)
      .get('/api/v1/referrers/00000000-0000-4000-8000-000000000000/deliveries')
      .expect(404);
    const removed = await t
      .as(t.admin)
      .patch(`/api/v1/referrers/${referrer.id}`)
      .send({ callbackUrl: null })
      .expect(200);
    expect(removed.body).toMatchObject({ callbackUrl: null });
    expect(removed.body.webhookSecret).toBeUndefined();

    const production = new ReferrersService(
      t.app.get(ReferrersRepository),
      t.app.get(AuditService),
      t.app.get(PiiCipher),
      parseConfig({ ...baseTestEnvironment(), NODE_ENV: 'production' }),
    );
    const admin = { kind: 'staff', id: referrer.id, role: 'admin' } as never;
    await expect(
      production.update(admin, referrer.id, { callbackUrl: 'http://comisaria.example/hook' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'callbackUrl', message: 'callbackUrl must use https' }],
    });
  });
});
