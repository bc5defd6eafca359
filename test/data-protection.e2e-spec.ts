import { execFileSync } from 'node:child_process';
import { unlinkSync } from 'node:fs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CaseCipher } from '../src/common/case-cipher';
import { PiiCipher } from '../src/common/pii-cipher';
import { CaseKeyMigration } from '../src/data-protection/case-key-migration';
import { KeyRotation } from '../src/data-protection/key-rotation';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { Retention, RETENTION_JOB, RETENTION_QUEUE } from '../src/data-protection/retention';
import { createReferral, referralBody } from './factories/referrals';
import { createTestApp, useTestApp } from './helpers/test-app';
import { createDatabase, databaseUrl, randomSuffix } from './helpers/test-env';

const NAME = 'Zuleidy Marcela Quintero';
const SECRETS = [NAME, 'Quintero', 'agresor la ubicó', 'Radicado-7731', 'Ruta de atención'];

describe('Data protection: a key per case, erasure, retention (Ley 1581 de 2012)', () => {
  const t = useTestApp();
  const api = (token: string) => t.as(token);

  /** A case with something of every kind written about her, through the API. */
  async function caseWithEverything(): Promise<{ referralId: string; stayId: string }> {
    const body = referralBody({ dependants: 1, details: true });
    body.woman.fullName = NAME;
    body.notes = 'El agresor la ubicó en el barrio';
    const { id: referralId } = await t.referral(body);
    const houseId = (await t.houses())[0].id;
    const stay = await t.admit(referralId, {
      houseId,
      admittedAt: new Date(Date.now() - 20 * 86_400_000).toISOString(),
    });
    const coordinator = await t.tokenFor('house_coordinator', houseId);
    await api(coordinator)
      .post(`/api/v1/stays/${stay.id}/notes`)
      .send({ body: 'El agresor la ubicó ayer', visibility: 'team' })
      .expect(201);
    await api(coordinator)
      .post(`/api/v1/stays/${stay.id}/plan/goals`)
      .send({ area: 'psychosocial', description: 'Ruta de atención con Quintero' })
      .expect(201);
    await api(coordinator)
      .post(`/api/v1/stays/${stay.id}/legal-processes`)
      .send({
        kind: 'protection_order',
        authority: 'Comisaría Kennedy',
        caseNumber: 'Radicado-7731',
        status: 'open',
      })
      .expect(201);
    await t.egress(stay.id, { reason: 'voluntary', notes: 'Se fue con su hermana Quintero' });
    return { referralId, stayId: stay.id };
  }

  const indicators = async () => {
    const today = new Date().toISOString().slice(0, 10);
    const response = await api(t.admin)
      .get(`/api/v1/reports/indicators?from=2020-01-01&to=${today}`)
      .expect(200);
    return response.body as unknown;
  };

  it('erases a case: reads show erased and nulls everywhere, reports and the ledger stay, and no backup can read it', async () => {
    const { referralId, stayId } = await caseWithEverything();
    const before = await indicators();
    const ledgerBefore = await t.count('SELECT count(*) FROM stay_occupants');
    // A backup taken before the erasure: it holds the case's ciphertexts, never its key.
    const dumpFile = `/tmp/refugio-erasure-${randomSuffix()}.dump`;
    execFileSync('pg_dump', ['-Fc', '-f', dumpFile, t.config.database.url]);

    // Only an admin erases, with a reason; an unknown case is 404.
    await api(t.officer)
      .post(`/api/v1/referrals/${referralId}/erase`)
      .send({ reason: 'x' })
      .expect(403);
    await api(t.admin).post(`/api/v1/referrals/${referralId}/erase`).send({}).expect(400);
    await api(t.admin)
      .post('/api/v1/referrals/00000000-0000-4000-8000-000000000000/erase')
      .send({ reason: 'Solicitud de la titular' })
      .expect(404);
    const erased = await api(t.admin)
      .post(`/api/v1/referrals/${referralId}/erase`)
      .send({ reason: 'Solicitud de la titular' })
      .expect(200);
    expect(erased.body).toMatchObject({
      id: referralId,
      erased: true,
      status: 'exited',
      notes: null,
      woman: { fullName: null, documentNumber: null, phone: null, birthDate: null },
    });
    expect(erased.body.dependants).toEqual([
      expect.objectContaining({ fullName: null, birthDate: null }),
    ]);
    // Idempotent.
    await api(t.admin)
      .post(`/api/v1/referrals/${referralId}/erase`)
      .send({ reason: 'Otra vez' })
      .expect(200);

    // Every read of the case: 200, nothing personal.
    const reads = [
      `/api/v1/referrals/${referralId}`,
      `/api/v1/referrals?limit=500`,
      `/api/v1/stays/${stayId}`,
      `/api/v1/stays?status=exited`,
      `/api/v1/stays/${stayId}/notes`,
      `/api/v1/stays/${stayId}/plan`,
      `/api/v1/stays/${stayId}/legal-processes`,
      `/api/v1/stays/${stayId}/attentions`,
    ];
    for (const path of reads) {
      const response = await api(t.admin).get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      for (const secret of SECRETS) {
        expect(JSON.stringify(response.body)).not.toContain(secret);
      }
    }
    const stay = await api(t.admin).get(`/api/v1/stays/${stayId}`).expect(200);
    expect(stay.body).toMatchObject({ erased: true, egressNotes: null });
    expect(stay.body.family.map((p: { fullName: unknown }) => p.fullName)).toEqual([null, null]);
    // Nothing new can be written about her.
    await api(t.admin)
      .post(`/api/v1/stays/${stayId}/notes`)
      .send({ body: 'Otra nota', visibility: 'team' })
      .expect(409);
    // Search by her name or document finds nothing any more.
    const found = await api(t.admin).get('/api/v1/referrals?q=Zuleidy').expect(200);
    expect(found.body.map((r: { id: string }) => r.id)).not.toContain(referralId);
    expect(
      await t.count('SELECT count(*) FROM referral_name_tokens WHERE referral_id = $1', [
        referralId,
      ]),
    ).toBe(0);

    // Reports and the bed ledger are as before.
    expect(await indicators()).toEqual(before);
    expect(await t.count('SELECT count(*) FROM stay_occupants')).toBe(ledgerBefore);

    // Audited once, naming no person.
    const audit = await t.dataSource.query<{ actor_role: string; details: object }[]>(
      `SELECT actor_role, details FROM audit_events WHERE action = 'referral.erased' AND resource_id = $1`,
      [referralId],
    );
    expect(audit).toEqual([{ actor_role: 'admin', details: { trigger: 'admin' } }]);

    // The backup, restored beside the live key store, cannot read her with the service's keys.
    const restoredName = `refugio_test_${process.env.REFUGIO_TEST_RUN_ID}_restored_${randomSuffix()}`;
    const restored = await createDatabase(restoredName);
    execFileSync('pg_restore', ['--no-owner', '-d', restored, dumpFile]);
    unlinkSync(dumpFile);
    const backup = new DataSource({ type: 'postgres', url: databaseUrl(restoredName) });
    await backup.initialize();
    try {
      const [row] = await backup.query<{ personal_data: string; erased_at: Date | null }[]>(
        'SELECT personal_data, erased_at FROM referrals WHERE id = $1',
        [referralId],
      );
      expect(row.erased_at).toBeNull(); // the backup does not know she was erased
      const cases = t.app.get(CaseCipher);
      expect((await cases.reader([referralId])).decryptJson(row.personal_data)).toBeNull();
      // Nor with the global key alone.
      expect(() => new PiiCipher(t.config).decrypt(row.personal_data)).toThrow();
      const texts = await backup.query<{ body: string }[]>(
        `SELECT n.body FROM case_notes n WHERE n.stay_id = $1
         UNION ALL SELECT egress_notes FROM stays WHERE id = $1`,
        [stayId],
      );
      const reader = await cases.reader([referralId]);
      expect(texts.map((r) => reader.decrypt(r.body))).toEqual([null, null]);
    } finally {
      await backup.destroy();
    }
  });

  it('erases a referral never admitted: nobody can admit it, and its order number is under the destroyed key', async () => {
    const { id: referralId } = await t.referral(referralBody());
    await api(t.admin)
      .post(`/api/v1/referrals/${referralId}/erase`)
      .send({ reason: 'Solicitud de supresión' })
      .expect(200);
    const refused = await api(t.officer).post('/api/v1/stays').send({ referralId }).expect(409);
    expect(refused.body.code).toBe('INVALID_STATE');
    const read = await api(t.admin).get(`/api/v1/referrals/${referralId}`).expect(200);
    expect(read.body).toMatchObject({
      erased: true,
      protectionOrder: { number: null, authorityName: null },
    });
    const [row] = await t.dataSource.query<{ number: string }[]>(
      'SELECT protection_order_number_cipher AS number FROM referrals WHERE id = $1',
      [referralId],
    );
    expect(row.number.startsWith(`v2.${referralId}.`)).toBe(true);
    expect((await t.app.get(CaseCipher).reader([referralId])).text(row.number)).toBeNull();
  });

  it('takes data written under the global key over to per-case keys, once, and earlier referrals still match by document', async () => {
    const old = await createReferral(t, { documentNumber: '52111222' });
    await t.dataSource.query(
      `UPDATE referrals SET case_keyed = false, status = 'rejected', status_reason = 'agresor la ubicó',
         status_reason_code = 'other', document_index = $2 WHERE id = $1`,
      [old.id, new PiiCipher(t.config).blindIndex('CC:52111222')],
    );
    const [{ personal_data: legacy }] = await t.dataSource.query(
      'SELECT personal_data FROM referrals WHERE id = $1',
      [old.id],
    );
    expect(legacy).toMatch(/^v1\./);
    const before = (await api(t.admin).get(`/api/v1/referrals/${old.id}`).expect(200)).body;
    expect(before.statusReason).toBe('agresor la ubicó');

    const migration = t.app.get(CaseKeyMigration);
    const lines: string[] = [];
    const first = await migration.run((line) => lines.push(line));
    expect(first.referrals).toBeGreaterThanOrEqual(1);
    expect(lines.at(-1)).toMatch(/referrals\/s/);
    const [row] = await t.dataSource.query(
      'SELECT personal_data, status_reason, case_keyed FROM referrals WHERE id = $1',
      [old.id],
    );
    expect(row.personal_data).toMatch(new RegExp(`^v2\\.${old.id}\\.`));
    expect(row.status_reason).toMatch(new RegExp(`^v2\\.${old.id}\\.`));
    expect(row.case_keyed).toBe(true);
    expect((await api(t.admin).get(`/api/v1/referrals/${old.id}`).expect(200)).body).toEqual(
      before,
    );
    // Idempotent: nothing left.
    expect((await migration.run()).referrals).toBe(0);

    // A later referral of the same woman still finds this one (blind index under the global key).
    const body = referralBody();
    body.woman.documentType = 'CC';
    body.woman.documentNumber = '52111222';
    const later = await t.referral(body);
    const view = await api(t.admin).get(`/api/v1/referrals/${later.id}`).expect(200);
    expect(view.body.priorReferrals.map((p: { id: string }) => p.id)).toContain(old.id);
  });

  it('erases by retention, daily through BullMQ, the cases whose last exit is older than RETENTION_YEARS, once', async () => {
    const expired = await caseWithEverything();
    const recent = await caseWithEverything();
    // Back-dated: her exit six years ago (RETENTION_YEARS defaults to 5).
    await t.dataSource.query(
      `UPDATE referrals SET exited_at = now() - interval '6 years' WHERE id = $1`,
      [expired.referralId],
    );
    const queue = t.app.get<Queue>(getQueueToken(RETENTION_QUEUE));
    expect(await queue.getJobScheduler('retention-daily')).toMatchObject({
      pattern: '30 3 * * *',
      tz: 'America/Bogota',
    });
    // The daily job's work, run by the worker and by hand at once: erased once.
    const retention = t.app.get(Retention);
    await Promise.all([queue.add(RETENTION_JOB, {}), retention.run()]);
    const state = async (id: string) =>
      (await api(t.admin).get(`/api/v1/referrals/${id}`).expect(200)).body.erased as boolean;
    for (
      let i = 0;
      i < 120 && (await queue.getActiveCount()) + (await queue.getWaitingCount()) > 0;
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(await state(expired.referralId)).toBe(true);
    expect(await state(recent.referralId)).toBe(false);
    expect((await retention.run()).erased).toBe(0);
    const audit = await t.dataSource.query<
      { actor_role: string; actor_id: null; details: object }[]
    >(
      `SELECT actor_role, actor_id, details FROM audit_events
       WHERE action = 'referral.erased' AND resource_id = $1`,
      [expired.referralId],
    );
    expect(audit).toEqual([
      { actor_role: 'system', actor_id: null, details: { trigger: 'retention' } },
    ]);
    const keys = new Client({ connectionString: t.config.keyStore.url });
    await keys.connect();
    try {
      const { rows } = await keys.query(
        'SELECT owner_id, wrapped FROM data_keys WHERE owner_id = ANY($1::uuid[]) ORDER BY wrapped NULLS FIRST',
        [[expired.referralId, recent.referralId]],
      );
      expect(rows).toEqual([
        { owner_id: expired.referralId, wrapped: null },
        { owner_id: recent.referralId, wrapped: expect.stringMatching(/^v1\./) },
      ]);
    } finally {
      await keys.end();
    }
  });

  // Last: the app of this file keeps only the old key and can no longer unwrap afterwards.
  it('rotates PII_ENCRYPTION_KEY by wrapping every data key again, leaving the case data as it was', async () => {
    const { id } = await t.referral(referralBody());
    const personalData = async () =>
      (await t.dataSource.query('SELECT personal_data FROM referrals WHERE id = $1', [id]))[0]
        .personal_data as string;
    const before = await personalData();
    const rotated = await createTestApp({
      databaseUrl: t.config.database.url,
      env: {
        PII_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
        PII_ENCRYPTION_OLD_KEYS: t.config.pii.encryptionKey,
        PII_INDEX_KEY: t.config.pii.encryptionKey,
      },
    });
    try {
      expect(await rotated.app.get(KeyRotation).run()).toBeGreaterThanOrEqual(1);
      expect(await rotated.app.get(KeyRotation).run()).toBe(0);
      const keys = new Client({ connectionString: t.config.keyStore.url });
      await keys.connect();
      try {
        const { rows } = await keys.query<{ key_id: string }>(
          `SELECT DISTINCT split_part(wrapped, '.', 2) AS key_id FROM data_keys WHERE wrapped IS NOT NULL`,
        );
        expect(rows).toEqual([{ key_id: rotated.app.get(PiiCipher).currentKeyId }]);
      } finally {
        await keys.end();
      }
      expect(await personalData()).toBe(before);
      const view = await rotated.as(rotated.admin).get(`/api/v1/referrals/${id}`).expect(200);
      expect(view.body.woman.fullName).toEqual(expect.any(String));
      expect(view.body.erased).toBe(false);
    } finally {
      await rotated.close();
    }
  });
});
