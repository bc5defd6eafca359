import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { NameTokenBackfill } from '../src/referrals/name-token-backfill';
import { referralBody } from './factories/referrals';
import { createTestApp, TestApp } from './helpers/test-app';

const run = promisify(execFile);

interface FamilyMember {
  personId: string;
  role: string;
  fullName: string;
  birthDate: string | null;
  relationship: string | null;
  bedId: string | null;
}

describe('The family on stays, for those who house her, and search', () => {
  let t: TestApp;
  let admin: string;
  let officer: string;
  let coordinatorA: string;
  let coordinatorB: string;
  let referrer: string;
  let houses: { id: string; code: string }[];
  /** María's family, admitted to house A. */
  let maria: { referralId: string; stayId: string; externalReference: string };
  /** Ana's family, admitted to house B. */
  let ana: { referralId: string; stayId: string };

  const get = (path: string, token: string, requestId?: string) => {
    const request = t.http().get(`/api/v1${path}`).set('Authorization', `Bearer ${token}`);
    return requestId ? request.set('X-Request-Id', requestId) : request;
  };

  async function submit(body: object, apiKey = referrer): Promise<string> {
    const response = await t
      .http()
      .post('/api/v1/referrals')
      .set('X-Api-Key', apiKey)
      .send(body)
      .expect(201);
    return response.body.id as string;
  }

  async function admit(referralId: string, houseId: string): Promise<string> {
    const response = await t
      .http()
      .post('/api/v1/stays')
      .set('Authorization', `Bearer ${officer}`)
      .send({ referralId, houseId })
      .expect(201);
    return response.body.id as string;
  }

  const ids = (body: { id: string }[]) => body.map((item) => item.id).sort();

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.adminToken();
    officer = await t.tokenFor('admission_officer');
    houses = await t.houses();
    coordinatorA = await t.tokenFor('house_coordinator', houses[0].id);
    coordinatorB = await t.tokenFor('house_coordinator', houses[1].id);
    referrer = (await t.referrer('Comisaría de Familia Kennedy 1')).apiKey;

    const mariaBody: Record<string, unknown> = {
      ...referralBody(),
      woman: {
        fullName: 'María José Muñoz Pérez',
        documentType: 'CC',
        documentNumber: '1.023.456.789',
        birthDate: '1990-04-02',
      },
      dependants: [
        { fullName: 'Santiago Muñoz', birthDate: '2019-03-01', relationship: 'child' },
        { fullName: 'Lucía Ramírez', birthDate: '2008-07-15', relationship: 'other' },
      ],
      riskLevel: 'extreme',
      needs: { wheelchairAccessible: false },
    };
    const mariaReferral = await submit(mariaBody);
    maria = {
      referralId: mariaReferral,
      stayId: await admit(mariaReferral, houses[0].id),
      externalReference: mariaBody.externalReference as string,
    };
    const anaReferral = await submit({
      ...referralBody(),
      woman: { fullName: 'Ana Gómez', documentType: 'CE', documentNumber: '987654' },
    });
    ana = { referralId: anaReferral, stayId: await admit(anaReferral, houses[1].id) };
  });
  afterAll(() => t.close());

  describe('family on stays', () => {
    it('shows officers, admins and the coordinator of the house the family, needs, risk and order', async () => {
      for (const token of [officer, admin, coordinatorA]) {
        const { body } = await get(`/stays/${maria.stayId}`, token).expect(200);
        expect(body.familyLabel).toMatch(/^F-[0-9A-HJKMNP-TV-Z]{4}$/);
        const beds = new Map(
          (body.occupants as { personId: string; bedId: string }[]).map((o) => [
            o.personId,
            o.bedId,
          ]),
        );
        expect(body.family).toEqual([
          {
            personId: expect.any(String),
            role: 'woman',
            fullName: 'María José Muñoz Pérez',
            birthDate: '1990-04-02',
            relationship: null,
            bedId: expect.any(String),
          },
          {
            personId: expect.any(String),
            role: 'dependant',
            fullName: 'Santiago Muñoz',
            birthDate: '2019-03-01',
            relationship: 'child',
            bedId: expect.any(String),
          },
          {
            personId: expect.any(String),
            role: 'dependant',
            fullName: 'Lucía Ramírez',
            birthDate: '2008-07-15',
            relationship: 'other',
            bedId: expect.any(String),
          },
        ]);
        for (const member of body.family as FamilyMember[]) {
          expect(member.bedId).toBe(beds.get(member.personId));
        }
        expect(body.needs).toEqual({ wheelchairAccessible: false });
        expect(body.riskLevel).toBe('extreme');
        expect(body.protectionOrder).toEqual({
          number: expect.stringMatching(/^11001-CF-2026-/),
          authorityType: 'comisaria_familia',
          authorityName: 'Comisaría de Familia Kennedy 1',
          issuedAt: '2020-01-01',
        });
      }
    });

    it('gives every stay of a list its family, with the label of GET /stays/:id', async () => {
      const one = await get(`/stays/${maria.stayId}`, officer).expect(200);
      const list = await get(`/stays?houseId=${houses[0].id}`, coordinatorA).expect(200);
      const item = list.body.find((s: { id: string }) => s.id === maria.stayId);
      expect(item.familyLabel).toBe(one.body.familyLabel);
      expect(item.family.map((m: FamilyMember) => m.fullName)).toEqual([
        'María José Muñoz Pérez',
        'Santiago Muñoz',
        'Lucía Ramírez',
      ]);
      expect(item.riskLevel).toBe('extreme');
      // A coordinator's list holds only her house.
      expect(list.body.every((s: { houseId: string }) => s.houseId === houses[0].id)).toBe(true);
    });

    it('answers 404 to the coordinator of another house, as for a stay that does not exist', async () => {
      const response = await get(`/stays/${maria.stayId}`, coordinatorB).expect(404);
      expect(response.body.code).toBe('NOT_FOUND');
      expect(JSON.stringify(response.body)).not.toContain('Muñoz');
    });

    it('never shows a referrer the family: no stays, and only the status of its referral', async () => {
      await t.http().get(`/api/v1/stays/${maria.stayId}`).set('X-Api-Key', referrer).expect(403);
      await t.http().get('/api/v1/stays').set('X-Api-Key', referrer).expect(403);
      const own = await t
        .http()
        .get(`/api/v1/referrals/${maria.referralId}`)
        .set('X-Api-Key', referrer)
        .expect(200);
      expect(Object.keys(own.body).sort()).toEqual(
        [
          'id',
          'externalReference',
          'status',
          'erased',
          'statusReason',
          'admittedAt',
          'exitedAt',
          'createdAt',
          'updatedAt',
        ].sort(),
      );
      // And coordinators still get no referral: the family comes through the stay.
      await get(`/referrals/${maria.referralId}`, coordinatorA).expect(403);
    });

    it('audits every read of a family as a read of the referral, a list in one event per stay', async () => {
      const single = `family-one-${randomBytes(4).toString('hex')}`;
      await get(`/stays/${maria.stayId}`, coordinatorA, single).expect(200);
      const list = `family-list-${randomBytes(4).toString('hex')}`;
      const listed = await get('/stays?status=active', officer, list).expect(200);
      expect(listed.body.length).toBeGreaterThanOrEqual(2);

      const audit = await get(`/audit?resourceId=${maria.referralId}`, admin).expect(200);
      expect(audit.body).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            actorRole: 'house_coordinator',
            action: 'referral.read',
            resourceType: 'referral',
            resourceId: maria.referralId,
            requestId: single,
            details: { via: 'stay', stayId: maria.stayId, houseId: houses[0].id },
          }),
          expect.objectContaining({
            actorRole: 'admission_officer',
            action: 'referral.read',
            requestId: list,
            details: { via: 'stay', stayId: maria.stayId, houseId: houses[0].id },
          }),
        ]),
      );
      const perStay = await t.dataSource.query<{ resource_id: string }[]>(
        `SELECT resource_id FROM audit_events WHERE request_id = $1 AND action = 'referral.read'`,
        [list],
      );
      expect(perStay.map((e) => e.resource_id).sort()).toEqual(
        (listed.body as { referralId: string }[]).map((s) => s.referralId).sort(),
      );
      // Nothing personal in the audit trail.
      const [{ details }] = await t.dataSource.query<{ details: string }[]>(
        `SELECT string_agg(details::text, ' ') AS details FROM audit_events WHERE resource_id = $1`,
        [maria.referralId],
      );
      expect(details).not.toMatch(/Mu[ñn]oz|1023456789/i);
    });

    it('keeps the label through a transfer, and gives parallel admissions different labels', async () => {
      const referrals = await Promise.all(Array.from({ length: 4 }, () => submit(referralBody())));
      const stays = await Promise.all(referrals.map((id) => admit(id, houses[2].id)));
      const labels = await Promise.all(
        stays.map(async (id) => (await get(`/stays/${id}`, officer).expect(200)).body.familyLabel),
      );
      expect(new Set(labels).size).toBe(4);

      await t
        .http()
        .post(`/api/v1/stays/${stays[0]}/transfer`)
        .set('Authorization', `Bearer ${officer}`)
        .send({ toHouseId: houses[3].id, reason: 'Riesgo en la zona' })
        .expect(200);
      const moved = await get(`/stays/${stays[0]}`, officer).expect(200);
      expect(moved.body.houseId).toBe(houses[3].id);
      expect(moved.body.familyLabel).toBe(labels[0]);
    });
  });

  it('documents the family fields and q in the OpenAPI document', async () => {
    const { body } = await t.http().get('/api/docs-json').expect(200);
    const stay = body.components.schemas.StayDto.properties;
    expect(stay.familyLabel.type).toBe('string');
    expect(stay.family.items.$ref).toBe('#/components/schemas/FamilyMemberDto');
    expect(stay.riskLevel.enum).toEqual(['extreme', 'severe', 'moderate']);
    expect(Object.keys(body.components.schemas.FamilyMemberDto.properties).sort()).toEqual(
      ['personId', 'role', 'fullName', 'birthDate', 'relationship', 'bedId'].sort(),
    );
    for (const path of ['/api/v1/stays', '/api/v1/referrals']) {
      const q = (body.paths[path].get.parameters as { name: string; schema: unknown }[]).find(
        (p) => p.name === 'q',
      );
      expect(q?.schema).toEqual(expect.objectContaining({ minLength: 3, type: 'string' }));
    }
  });

  describe('search', () => {
    const searchReferrals = (q: string, token = officer) =>
      get(`/referrals?q=${encodeURIComponent(q)}`, token);
    const searchStays = (q: string, token = officer) =>
      get(`/stays?q=${encodeURIComponent(q)}`, token);

    it('finds a referral by document number, written with or without separators', async () => {
      for (const q of ['1023456789', '1.023.456.789', '1023-456-789']) {
        const { body } = await searchReferrals(q).expect(200);
        expect(ids(body)).toEqual([maria.referralId]);
      }
      const other = await searchReferrals('987654', admin).expect(200);
      expect(ids(other.body)).toEqual([ana.referralId]);
    });

    it('finds a referral by its external reference', async () => {
      const { body } = await searchReferrals(maria.externalReference).expect(200);
      expect(ids(body)).toEqual([maria.referralId]);
      expect(body[0].woman.fullName).toBe('María José Muñoz Pérez');
    });

    it('finds by a name word whatever its accents and case, and needs every word in one person', async () => {
      for (const q of ['munoz', 'MUÑOZ', 'Muñoz', 'maría josé', 'PEREZ maria', 'mUnOz']) {
        const { body } = await searchReferrals(q).expect(200);
        expect(ids(body)).toEqual([maria.referralId]);
      }
      // A word is whole: a prefix finds nothing.
      expect((await searchReferrals('muño').expect(200)).body).toEqual([]);
      // Two words of two different people of the family are not one person.
      expect((await searchReferrals('santiago perez').expect(200)).body).toEqual([]);
      expect(ids((await searchReferrals('gomez').expect(200)).body)).toEqual([ana.referralId]);
    });

    it("finds a family by a child's name", async () => {
      for (const q of ['santiago', 'Santiago Muñoz', 'lucia ramirez']) {
        const referrals = await searchReferrals(q).expect(200);
        expect(ids(referrals.body)).toEqual([maria.referralId]);
        const stays = await searchStays(q).expect(200);
        expect(ids(stays.body)).toEqual([maria.stayId]);
      }
    });

    it('answers a q shorter than 3 characters with 400 VALIDATION_FAILED', async () => {
      for (const request of [
        searchReferrals('ab'),
        searchStays('ab'),
        searchStays('  a  '),
        searchReferrals(''),
      ]) {
        const response = await request.expect(400);
        expect(response.body.code).toBe('VALIDATION_FAILED');
        expect(response.body.errors[0].field).toBe('q');
      }
    });

    it('limits a coordinator’s search to her house, and keeps search from referrers', async () => {
      expect(ids((await searchStays('munoz', coordinatorA).expect(200)).body)).toEqual([
        maria.stayId,
      ]);
      expect((await searchStays('munoz', coordinatorB).expect(200)).body).toEqual([]);
      expect((await searchStays('1023456789', coordinatorB).expect(200)).body).toEqual([]);
      expect(ids((await searchStays('gomez', coordinatorB).expect(200)).body)).toEqual([
        ana.stayId,
      ]);
      const found = await searchStays('munoz', coordinatorA).expect(200);
      expect(found.body[0].family[0].fullName).toBe('María José Muñoz Pérez');
      // Search narrows the other filters, never widens them.
      expect((await get('/stays?q=munoz&status=exited', officer).expect(200)).body).toEqual([]);

      await searchReferrals('munoz', coordinatorA).expect(403);
      const byReferrer = await t
        .http()
        .get('/api/v1/referrals?q=munoz')
        .set('X-Api-Key', referrer)
        .expect(403);
      expect(byReferrer.body.code).toBe('FORBIDDEN');
    });

    it('indexes referrals stored before search at start-up, once, even with two instances at it', async () => {
      const early = await submit({
        ...referralBody(),
        woman: { fullName: 'Yolanda Bermúdez', documentType: 'NONE' },
      });
      // As if stored before the tokens existed.
      await t.dataSource.query('DELETE FROM referral_name_tokens WHERE referral_id = $1', [early]);
      await t.dataSource.query('UPDATE referrals SET name_tokens_pending = true WHERE id = $1', [
        early,
      ]);
      expect((await searchReferrals('bermudez').expect(200)).body).toEqual([]);

      const backfill = t.app.get(NameTokenBackfill);
      const [first, second] = await Promise.all([backfill.run(), backfill.run()]);
      expect(first + second).toBe(1);
      expect(ids((await searchReferrals('Bermúdez').expect(200)).body)).toEqual([early]);
      const [{ tokens }] = await t.dataSource.query<{ tokens: number }[]>(
        'SELECT count(*)::int AS tokens FROM referral_name_tokens WHERE referral_id = $1',
        [early],
      );
      expect(tokens).toBe(2);
      expect(await backfill.run()).toBe(0);
    });

    it('keeps no name in clear anywhere in the database, tokens included', async () => {
      const marker = `Xq${randomBytes(5).toString('hex').replace(/\d/g, 'k')}zeta`;
      const referral = await submit({
        ...referralBody(),
        woman: { fullName: `Rosa ${marker}`, documentType: 'CC', documentNumber: '55443322' },
      });
      expect(ids((await searchReferrals(marker.toLowerCase()).expect(200)).body)).toEqual([
        referral,
      ]);
      const [{ tokens }] = await t.dataSource.query<{ tokens: number }[]>(
        'SELECT count(*)::int AS tokens FROM referral_name_tokens WHERE referral_id = $1',
        [referral],
      );
      expect(tokens).toBe(2);

      const { stdout } = await run('pg_dump', ['--no-owner', t.config.database.url], {
        maxBuffer: 256 * 1024 * 1024,
      });
      expect(stdout).toContain('COPY public.referral_name_tokens');
      expect(stdout.toLowerCase()).not.toContain(marker.toLowerCase());
      expect(stdout).not.toContain('55443322');
      expect(stdout).not.toMatch(/Mu[ñn]oz/i);
    });
  });
});
