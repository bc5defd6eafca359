import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Clock } from '../src/common/clock';
import { PiiCipher } from '../src/common/pii-cipher';
import { REJECTION_REASON_CODES } from '../src/referrals/referral.types';
import { referralBody } from './factories/referrals';
import { Caller, Referrer, useTestApp } from './helpers/test-app';

const execFileAsync = promisify(execFile);

// Bodies are mutated freely to build bad inputs.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

let sequence = 0;
function uniqueReference(prefix = 'CF-KENNEDY-2026'): string {
  sequence += 1;
  return `${prefix}-${Date.now().toString(36)}-${sequence}`;
}

/** A complete referral, as a comisaría sends it: a woman, two children, contact and notes. */
function completeReferral(overrides: Body = {}): Body {
  return { ...referralBody({ dependants: 2, details: true }), ...overrides };
}

const REFERRER_VIEW_KEYS = [
  'admittedAt',
  'createdAt',
  'erased',
  'exitedAt',
  'externalReference',
  'id',
  'status',
  'statusReason',
  'updatedAt',
].sort();

describe('Referrals: intake, idempotency, views, lifecycle', () => {
  const t = useTestApp();
  let coordinator: string;
  let referrerA: Referrer;
  let referrerB: Referrer;

  /** `POST /referrals` as the caller (none: anonymous), under an Idempotency-Key if given. */
  function submit(caller: Caller | undefined, body: Body, idempotencyKey?: string) {
    const request = caller
      ? t.as(caller).post('/api/v1/referrals')
      : t.http().post('/api/v1/referrals');
    if (idempotencyKey !== undefined) {
      void request.set('Idempotency-Key', idempotencyKey);
    }
    return request.send(body);
  }

  const countReferrals = (externalReference: string): Promise<number> =>
    t.count('SELECT count(*) FROM referrals WHERE external_reference = $1', [externalReference]);

  beforeAll(async () => {
    const [house] = await t.houses();
    coordinator = await t.tokenFor('house_coordinator', house.id);
    referrerA = await t.referrer();
    referrerB = await t.referrer();
  });
  afterEach(() => jest.restoreAllMocks());

  describe('POST /referrals', () => {
    it('records a referral from a referrer key: 201 with the receipt, personal data encrypted', async () => {
      const body = completeReferral();
      const response = await submit(referrerA, body).expect(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        externalReference: body.externalReference,
        status: 'received',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
      const [row] = await t.dataSource.query(
        `SELECT referrer_id, caller_key, family_size, personal_data, document_index, request_fingerprint,
                risk_level, wheelchair_accessible, protection_order_issued_at
         FROM referrals WHERE id = $1`,
        [response.body.id],
      );
      expect(row).toMatchObject({
        referrer_id: referrerA.id,
        caller_key: `referrer:${referrerA.id}`,
        family_size: 3,
        risk_level: 'severe',
        wheelchair_accessible: false,
        protection_order_issued_at: body.protectionOrder.issuedAt,
      });
      // Under the case's own data key (v2), which names the case it belongs to.
      expect(row.personal_data).toMatch(new RegExp(`^v2\\.${response.body.id}\\.`));
      for (const secret of [
        'María',
        'Rodríguez',
        body.woman.documentNumber,
        '1990-04-02',
        '555',
        'comisaría a las',
      ]) {
        expect(row.personal_data).not.toContain(secret);
        expect(row.request_fingerprint).not.toContain(secret);
      }
      expect(row.document_index).toMatch(/^[0-9a-f]{64}$/);
      const people = await t.dataSource.query(
        'SELECT position, role, relationship FROM referral_people WHERE referral_id = $1 ORDER BY position',
        [response.body.id],
      );
      expect(people).toEqual([
        { position: 0, role: 'woman', relationship: null },
        { position: 1, role: 'dependant', relationship: 'child' },
        { position: 2, role: 'dependant', relationship: 'child' },
      ]);
      const audit = await t.dataSource.query(
        'SELECT action, actor_role, details FROM audit_events WHERE resource_id = $1',
        [response.body.id],
      );
      expect(audit).toEqual([
        {
          action: 'referral.created',
          actor_role: 'referrer',
          details: { riskLevel: 'severe', familySize: 3, idempotencyKey: false },
        },
      ]);
    });

    it('lets officers and admins record a phone referral, and refuses coordinators', async () => {
      await submit(t.officer, completeReferral()).expect(201);
      await submit(t.admin, completeReferral({ dependants: [] })).expect(201);
      const refused = await submit(coordinator, completeReferral()).expect(403);
      expect(refused.body.code).toBe('FORBIDDEN');
      await submit(undefined, completeReferral()).expect(401);
    });

    it('accepts a woman without a document (NONE, no index) and a body without optional parts', async () => {
      const body = completeReferral({
        woman: { fullName: 'Ana Sin Documento', documentType: 'NONE' },
      });
      delete body.dependants;
      delete body.needs;
      delete body.notes;
      const response = await submit(referrerA, body).expect(201);
      const [row] = await t.dataSource.query(
        'SELECT family_size, document_index FROM referrals WHERE id = $1',
        [response.body.id],
      );
      expect(row).toEqual({ family_size: 1, document_index: null });
    });

    const badInputs: [string, (body: Body) => void, string][] = [
      ['no externalReference', (b) => delete b.externalReference, 'externalReference'],
      ['a blank externalReference', (b) => (b.externalReference = '   '), 'externalReference'],
      [
        'an externalReference over 100',
        (b) => (b.externalReference = 'R'.repeat(101)),
        'externalReference',
      ],
      ['no protection order', (b) => delete b.protectionOrder, 'protectionOrder'],
      ['a protection order that is a string', (b) => (b.protectionOrder = 'x'), 'protectionOrder'],
      ['no order number', (b) => delete b.protectionOrder.number, 'protectionOrder.number'],
      ['a blank order number', (b) => (b.protectionOrder.number = ' '), 'protectionOrder.number'],
      [
        'an order number over 100',
        (b) => (b.protectionOrder.number = '1'.repeat(101)),
        'protectionOrder.number',
      ],
      [
        'an unknown authority',
        (b) => (b.protectionOrder.authorityType = 'policia'),
        'protectionOrder.authorityType',
      ],
      [
        'no authority name',
        (b) => delete b.protectionOrder.authorityName,
        'protectionOrder.authorityName',
      ],
      [
        'an authority name over 200',
        (b) => (b.protectionOrder.authorityName = 'a'.repeat(201)),
        'protectionOrder.authorityName',
      ],
      ['no issue date', (b) => delete b.protectionOrder.issuedAt, 'protectionOrder.issuedAt'],
      [
        'an impossible issue date',
        (b) => (b.protectionOrder.issuedAt = '2026-02-30'),
        'protectionOrder.issuedAt',
      ],
      [
        'an issue date as an instant',
        (b) => (b.protectionOrder.issuedAt = '2026-01-20T10:00:00Z'),
        'protectionOrder.issuedAt',
      ],
      [
        'an issue date in the future',
        (b) => (b.protectionOrder.issuedAt = '2999-01-01'),
        'protectionOrder.issuedAt',
      ],
      [
        'an issue date before 1900',
        (b) => (b.protectionOrder.issuedAt = '1850-01-01'),
        'protectionOrder.issuedAt',
      ],
      [
        'an unknown field in the order',
        (b) => (b.protectionOrder.court = 'x'),
        'protectionOrder.court',
      ],
      ['no woman', (b) => delete b.woman, 'woman'],
      ['no full name', (b) => delete b.woman.fullName, 'woman.fullName'],
      ['a blank full name', (b) => (b.woman.fullName = '\t '), 'woman.fullName'],
      ['a full name over 200', (b) => (b.woman.fullName = 'n'.repeat(201)), 'woman.fullName'],
      ['a name that is a number', (b) => (b.woman.fullName = 42), 'woman.fullName'],
      ['no document type', (b) => delete b.woman.documentType, 'woman.documentType'],
      ['an unknown document type', (b) => (b.woman.documentType = 'DNI'), 'woman.documentType'],
      ['no document number for CC', (b) => delete b.woman.documentNumber, 'woman.documentNumber'],
      ['a blank document number', (b) => (b.woman.documentNumber = '  '), 'woman.documentNumber'],
      [
        'a document number over 40',
        (b) => (b.woman.documentNumber = '9'.repeat(41)),
        'woman.documentNumber',
      ],
      [
        'a document number with NONE',
        (b) => (b.woman.documentType = 'NONE'),
        'woman.documentNumber',
      ],
      ['an impossible birth date', (b) => (b.woman.birthDate = '1990-13-01'), 'woman.birthDate'],
      ['a birth date in the future', (b) => (b.woman.birthDate = '2999-05-05'), 'woman.birthDate'],
      ['a phone over 40', (b) => (b.woman.phone = '3'.repeat(41)), 'woman.phone'],
      ['an unknown field in the woman', (b) => (b.woman.address = 'Calle 1'), 'woman.address'],
      ['dependants not an array', (b) => (b.dependants = { fullName: 'x' }), 'dependants'],
      [
        'a family of 13',
        (b) =>
          (b.dependants = Array.from({ length: 12 }, () => ({
            fullName: 'Niño',
            relationship: 'child',
          }))),
        'dependants',
      ],
      [
        'a dependant without a name',
        (b) => delete b.dependants[1].fullName,
        'dependants.1.fullName',
      ],
      [
        'a dependant with a blank name',
        (b) => (b.dependants[0].fullName = ''),
        'dependants.0.fullName',
      ],
      [
        'a dependant of unknown relationship',
        (b) => (b.dependants[1].relationship = 'cousin'),
        'dependants.1.relationship',
      ],
      [
        'a dependant without relationship',
        (b) => delete b.dependants[0].relationship,
        'dependants.0.relationship',
      ],
      [
        'a third dependant born on an impossible date',
        (b) =>
          b.dependants.push({
            fullName: 'Tercera',
            birthDate: '2020-02-30',
            relationship: 'child',
          }),
        'dependants.2.birthDate',
      ],
      [
        'a third dependant born in the future',
        (b) =>
          b.dependants.push({
            fullName: 'Tercera',
            birthDate: '2999-01-01',
            relationship: 'other',
          }),
        'dependants.2.birthDate',
      ],
      [
        'an unknown field in a dependant',
        (b) => (b.dependants[0].school = 'x'),
        'dependants.0.school',
      ],
      ['no risk level', (b) => delete b.riskLevel, 'riskLevel'],
      ['an unknown risk level', (b) => (b.riskLevel = 'high'), 'riskLevel'],
      [
        'wheelchair need as a string',
        (b) => (b.needs.wheelchairAccessible = 'yes'),
        'needs.wheelchairAccessible',
      ],
      ['an unknown need', (b) => (b.needs.pets = true), 'needs.pets'],
      ['notes over 4000', (b) => (b.notes = 'n'.repeat(4001)), 'notes'],
      ['notes as an object', (b) => (b.notes = { text: 'x' }), 'notes'],
      ['an unknown top-level field', (b) => (b.houseId = 'x'), 'houseId'],
    ];

    it.each(badInputs)('answers 400 naming the field for %s', async (_name, mutate, field) => {
      const body = completeReferral();
      mutate(body);
      const response = await submit(referrerA, body);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await countReferrals(body.externalReference)).toBe(0);
    });

    it('answers a malformed body with 400 even when its reference is already taken (validate before state)', async () => {
      const body = completeReferral();
      await submit(referrerA, body).expect(201);
      const response = await submit(referrerA, { ...body, riskLevel: 'unknown' }).expect(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'riskLevel' })]);
    });

    it('judges "not in the future" by the calendar of TZ_SERVICE, not of UTC', async () => {
      // 03:00 UTC on 10 March is still 22:00 on 9 March in Bogotá.
      jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(new Date('2026-03-10T03:00:00Z'));
      const tomorrowInBogota = completeReferral();
      tomorrowInBogota.protectionOrder.issuedAt = '2026-03-10';
      const refused = await submit(referrerA, tomorrowInBogota).expect(400);
      expect(refused.body.errors).toEqual([
        {
          field: 'protectionOrder.issuedAt',
          message: 'protectionOrder.issuedAt must not be in the future',
        },
      ]);
      const todayInBogota = completeReferral();
      todayInBogota.protectionOrder.issuedAt = '2026-03-09';
      todayInBogota.dependants[0].birthDate = '2026-03-09';
      await submit(referrerA, todayInBogota).expect(201);
    });

    it('answers a body over 1 MB with 413 PAYLOAD_TOO_LARGE', async () => {
      const response = await submit(
        referrerA,
        completeReferral({ notes: 'x'.repeat(1024 * 1024 + 1) }),
      );
      expect(response.status).toBe(413);
      expect(response.body).toEqual({
        statusCode: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: expect.any(String),
      });
    });

    it('stores and returns quotes, SQL and HTML literally', async () => {
      const hostile = `O'Brien "la Mona"; DROP TABLE referrals; -- <script>alert('x')</script> \\ $1 %s`;
      const body = completeReferral({
        externalReference: `REF-'";--<b>${sequence}`,
        notes: hostile,
      });
      body.woman.fullName = hostile;
      body.protectionOrder.authorityName = hostile;
      const created = await submit(referrerA, body).expect(201);
      expect(created.body.externalReference).toBe(body.externalReference);
      const read = await t.as(t.officer).get(`/api/v1/referrals/${created.body.id}`).expect(200);
      expect(read.headers['content-type']).toMatch(/^application\/json/);
      expect(read.body.woman.fullName).toBe(hostile);
      expect(read.body.notes).toBe(hostile);
      expect(read.body.protectionOrder.authorityName).toBe(hostile);
      expect(read.body.externalReference).toBe(body.externalReference);
      expect(await t.count('SELECT count(*)::int AS n FROM referrals')).toBeGreaterThan(0);
    });
  });

  describe('idempotency', () => {
    it('answers a replay (keys in another order) with 200 and the first answer, and a different body with 409', async () => {
      const body = completeReferral();
      const first = await submit(referrerA, body).expect(201);
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      reordered.woman = Object.fromEntries(Object.entries(body.woman).reverse());
      const replay = await submit(referrerA, reordered).expect(200);
      expect(replay.body).toEqual(first.body);

      const changed = await submit(referrerA, { ...body, riskLevel: 'extreme' }).expect(409);
      expect(changed.body).toEqual({
        statusCode: 409,
        code: 'IDEMPOTENCY_MISMATCH',
        message: expect.stringContaining('externalReference'),
      });
      expect(await countReferrals(body.externalReference)).toBe(1);
    });

    it('keeps external references apart per referrer, and shares them among all staff', async () => {
      const body = completeReferral();
      const a = await submit(referrerA, body).expect(201);
      const b = await submit(referrerB, body).expect(201);
      expect(b.body.id).not.toBe(a.body.id);
      const byOfficer = await submit(t.officer, body).expect(201);
      const byAdmin = await submit(t.admin, body).expect(200);
      expect(byAdmin.body).toEqual(byOfficer.body);
      expect(await countReferrals(body.externalReference)).toBe(3);
    });

    it('creates exactly one referral from 20 identical submissions in parallel', async () => {
      const body = completeReferral();
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => submit(referrerB, body)),
      );
      expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
      expect(responses.filter((r) => r.status === 200)).toHaveLength(19);
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      expect(await countReferrals(body.externalReference)).toBe(1);
    });

    it('creates exactly one referral from 20 parallel submissions with one Idempotency-Key', async () => {
      const body = completeReferral();
      const key = `key-${uniqueReference()}`;
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => submit(referrerB, body, key)),
      );
      expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
      expect(responses.filter((r) => r.status === 200)).toHaveLength(19);
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      expect(await countReferrals(body.externalReference)).toBe(1);
    });

    it('lets one Idempotency-Key win among 20 parallel different bodies: one 201, the rest 409, one referral', async () => {
      const key = `key-${uniqueReference()}`;
      const bodies = Array.from({ length: 20 }, () => completeReferral());
      const responses = await Promise.all(bodies.map((b) => submit(referrerA, b, key)));
      expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
      const refused = responses.filter((r) => r.status === 409);
      expect(refused).toHaveLength(19);
      expect(new Set(refused.map((r) => r.body.code))).toEqual(new Set(['IDEMPOTENCY_MISMATCH']));
      expect(
        await t.count(
          'SELECT count(*)::int AS n FROM referrals WHERE external_reference = ANY($1)',
          [bodies.map((b) => b.externalReference)],
        ),
      ).toBe(1);
      // The losers' referrals were written in the statement that failed on the key: none of
      // them, nor its audit event, is left behind.
      expect(
        await t.count(`SELECT count(*)::int AS orphans FROM audit_events a
         WHERE a.action = 'referral.created'
           AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.id = a.resource_id)`),
      ).toBe(0);
    });

    it('audits an intake under an Idempotency-Key once, and its replays not at all', async () => {
      const body = completeReferral({
        dependants: [
          { fullName: 'Sofía Rodríguez', birthDate: '2019-03-01', relationship: 'child' },
        ],
      });
      const key = `key-${uniqueReference()}`;
      const requestId = `intake-${uniqueReference('R')}`;
      const first = await submit(referrerA, body, key).set('X-Request-Id', requestId).expect(201);
      await submit(referrerA, body, key).expect(200);
      await submit(referrerA, body).expect(200);
      const audit = await t.dataSource.query(
        'SELECT action, actor_id, actor_role, resource_type, request_id, details FROM audit_events WHERE resource_id = $1',
        [first.body.id],
      );
      expect(audit).toEqual([
        {
          action: 'referral.created',
          actor_id: referrerA.id,
          actor_role: 'referrer',
          resource_type: 'referral',
          request_id: requestId,
          details: { riskLevel: 'severe', familySize: 2, idempotencyKey: true },
        },
      ]);
      const [stored] = await t.dataSource.query(
        'SELECT referral_id, response FROM idempotency_keys WHERE caller_key = $1 AND key = $2',
        [`referrer:${referrerA.id}`, t.app.get(PiiCipher).idempotencyKey(key)],
      );
      expect(stored).toEqual({ referral_id: first.body.id, response: first.body });
    });

    it('replays an Idempotency-Key per caller, and treats a key older than 24 hours as new', async () => {
      const key = `key-${uniqueReference()}`;
      const body = completeReferral();
      const first = await submit(referrerA, body, key).expect(201);
      const replay = await submit(referrerA, body, key).expect(200);
      expect(replay.body).toEqual(first.body);
      const other = completeReferral();
      const mismatch = await submit(referrerA, other, key).expect(409);
      expect(mismatch.body.code).toBe('IDEMPOTENCY_MISMATCH');
      expect(mismatch.body.message).toContain('Idempotency-Key');
      // Another caller's key space is its own.
      await submit(referrerB, other, key).expect(201);

      const clock = t.app.get(Clock);
      jest.spyOn(clock, 'now').mockReturnValue(new Date(Date.now() + 24 * 3600 * 1000 + 60_000));
      const fresh = await submit(referrerA, other, key).expect(201);
      const [row] = await t.dataSource.query(
        `SELECT referral_id FROM idempotency_keys WHERE caller_key = $1 AND key = $2`,
        [`referrer:${referrerA.id}`, t.app.get(PiiCipher).idempotencyKey(key)],
      );
      expect(row.referral_id).toBe(fresh.body.id);
    });

    it('binds an Idempotency-Key first seen on a replay to the referral it replays', async () => {
      const body = completeReferral();
      const first = await submit(referrerA, body).expect(201);
      const key = `key-${uniqueReference()}`;
      const replay = await submit(referrerA, body, key).expect(200);
      expect(replay.body).toEqual(first.body);
      const other = await submit(referrerA, completeReferral(), key).expect(409);
      expect(other.body.code).toBe('IDEMPOTENCY_MISMATCH');
    });

    it('answers a malformed Idempotency-Key with 400 naming the header', async () => {
      const response = await submit(referrerA, completeReferral(), 'k'.repeat(201)).expect(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    });
  });

  describe('reading', () => {
    it('shows a referrer exactly the reduced view of its own referral, and 404 for another one', async () => {
      const created = await submit(referrerA, completeReferral()).expect(201);
      const own = await t.as(referrerA).get(`/api/v1/referrals/${created.body.id}`).expect(200);
      expect(Object.keys(own.body).sort()).toEqual(REFERRER_VIEW_KEYS);
      expect(own.body).toMatchObject({
        id: created.body.id,
        status: 'received',
        statusReason: null,
        admittedAt: null,
        exitedAt: null,
      });
      const foreign = await t.as(referrerB).get(`/api/v1/referrals/${created.body.id}`).expect(404);
      const missing = await t
        .as(referrerB)
        .get('/api/v1/referrals/00000000-0000-4000-8000-000000000000')
        .expect(404);
      expect(foreign.body).toEqual(missing.body);
      expect(foreign.body.code).toBe('NOT_FOUND');
    });

    it('shows staff the referral as submitted with earlier referrals and stays of the same woman, and audits the read', async () => {
      const [house] = await t.houses();
      const documentNumber = `DOC${sequence}${Date.now()}`;
      const earlierBody = completeReferral();
      earlierBody.woman.documentNumber = documentNumber;
      const earlier = await submit(referrerA, earlierBody).expect(201);
      // Her earlier referral led to a stay that has ended.
      const admitted = await t.admit(earlier.body.id, { houseId: house.id });
      const stay = await t.egress(admitted.id);
      const laterBody = completeReferral({ riskLevel: 'extreme' });
      // The same document written differently still matches.
      laterBody.woman.documentNumber = documentNumber.replace(/^DOC/, 'doc');
      const later = await submit(t.officer, laterBody).expect(201);

      const response = await t.as(t.officer).get(`/api/v1/referrals/${later.body.id}`).expect(200);
      expect(response.body).toEqual({
        id: later.body.id,
        externalReference: laterBody.externalReference,
        status: 'received',
        erased: false,
        statusReason: null,
        statusReasonCode: null,
        admittedAt: null,
        exitedAt: null,
        createdAt: later.body.createdAt,
        updatedAt: later.body.createdAt,
        referrerId: null,
        protectionOrder: laterBody.protectionOrder,
        provisional: null,
        woman: { personId: expect.any(String), ...laterBody.woman },
        dependants: laterBody.dependants.map((d: Body) => ({ personId: expect.any(String), ...d })),
        riskLevel: 'extreme',
        needs: { wheelchairAccessible: false },
        notes: laterBody.notes,
        familySize: 3,
        priorReferrals: [
          {
            id: earlier.body.id,
            status: 'exited',
            createdAt: earlier.body.createdAt,
            admittedAt: stay.admittedAt,
            exitedAt: stay.exitedAt,
            stays: [
              {
                id: stay.id,
                houseId: house.id,
                status: 'exited',
                admittedAt: stay.admittedAt,
                exitedAt: stay.exitedAt,
              },
            ],
          },
        ],
      });
      // The earlier one has no earlier referral of its own.
      const first = await t.as(t.admin).get(`/api/v1/referrals/${earlier.body.id}`).expect(200);
      expect(first.body.priorReferrals).toEqual([]);
      expect(first.body.referrerId).toBe(referrerA.id);

      const reads = await t.dataSource.query(
        `SELECT actor_role, details FROM audit_events WHERE resource_id = $1 AND action = 'referral.read'`,
        [later.body.id],
      );
      expect(reads).toEqual([{ actor_role: 'admission_officer', details: {} }]);
      // The referrer's own read of its status is not a read of personal data.
      await t.as(referrerA).get(`/api/v1/referrals/${earlier.body.id}`).expect(200);
      expect(
        await t.count(
          `SELECT count(*)::int AS n FROM audit_events WHERE resource_id = $1 AND action = 'referral.read'`,
          [earlier.body.id],
        ),
      ).toBe(1);
    });

    it('keeps coordinators out of referrals, and referrer keys out of staff-only actions', async () => {
      const created = await submit(referrerA, completeReferral()).expect(201);
      await t.as(coordinator).get(`/api/v1/referrals/${created.body.id}`).expect(403);
      await t.as(coordinator).get('/api/v1/referrals').expect(403);
      const rejected = await t
        .as(referrerA)
        .post(`/api/v1/referrals/${created.body.id}/reject`)
        .send({ reason: 'no' })
        .expect(403);
      expect(rejected.body.code).toBe('FORBIDDEN');
      await t.as(referrerA).get('/api/v1/houses').expect(403);
      await t.as(referrerA).get('/api/v1/occupancy').expect(403);
    });

    it('refuses a revoked key with 401 everywhere', async () => {
      const referrer = await t.referrer();
      const created = await submit(referrer, completeReferral()).expect(201);
      await t.as(t.admin).post(`/api/v1/referrers/${referrer.id}/revoke`).expect(200);
      const refused = await submit(referrer, completeReferral()).expect(401);
      expect(refused.body.code).toBe('UNAUTHENTICATED');
      await t.as(referrer).get(`/api/v1/referrals/${created.body.id}`).expect(401);
    });
  });

  describe('GET /referrals', () => {
    it('lists the queue by risk (extreme, severe, moderate), then oldest, audited one event per referral', async () => {
      await t.dataSource.query(
        `UPDATE referrals SET status = 'rejected', status_reason = 'limpieza' WHERE status = 'received'`,
      );
      const clock = t.app.get(Clock);
      const now = jest.spyOn(clock, 'now');
      const plan: [string, string][] = [
        ['moderate', '2026-02-01T10:00:00Z'],
        ['extreme', '2026-02-01T11:00:00Z'],
        ['severe', '2026-02-01T09:00:00Z'],
        ['extreme', '2026-02-01T08:00:00Z'],
        ['moderate', '2026-02-01T07:00:00Z'],
      ];
      const ids: string[] = [];
      for (const [riskLevel, at] of plan) {
        now.mockReturnValue(new Date(at));
        ids.push((await submit(referrerA, completeReferral({ riskLevel })).expect(201)).body.id);
      }
      now.mockRestore();
      const response = await t.as(t.officer).get('/api/v1/referrals?status=received').expect(200);
      expect(response.body.map((r: Body) => r.id)).toEqual([
        ids[3],
        ids[1],
        ids[2],
        ids[4],
        ids[0],
      ]);
      expect(response.body[0].woman.fullName).toBe('María Fernanda Rodríguez Peña');
      expect(response.body[0]).toHaveProperty('priorReferrals');
      expect(
        await t.count(
          `SELECT count(*)::int AS n FROM audit_events WHERE action = 'referral.read' AND resource_id = ANY($1)`,
          [ids],
        ),
      ).toBe(5);

      const page = await t
        .as(t.admin)
        .get('/api/v1/referrals?status=received&limit=2&offset=1')
        .expect(200);
      expect(page.body.map((r: Body) => r.id)).toEqual([ids[1], ids[2]]);
      // More follow: the next page is named, never silently cut.
      expect(page.headers.link).toBe(
        '</api/v1/referrals?status=received&limit=2&offset=3>; rel="next"',
      );
      const last = await t
        .as(t.admin)
        .get('/api/v1/referrals?status=received&limit=2&offset=3')
        .expect(200);
      expect(last.body.map((r: Body) => r.id)).toEqual([ids[4], ids[0]]);
      expect(last.headers.link).toBeUndefined();

      const rejected = await t.as(t.admin).get('/api/v1/referrals?status=rejected').expect(200);
      expect(rejected.body.length).toBeGreaterThan(0);
      expect(rejected.body.every((r: Body) => r.status === 'rejected')).toBe(true);
    });

    it('gives a referrer only its own referrals, in its view', async () => {
      const mine = await submit(referrerB, completeReferral()).expect(201);
      const response = await t.as(referrerB).get('/api/v1/referrals?limit=500').expect(200);
      expect(response.body.map((r: Body) => r.id)).toContain(mine.body.id);
      const [{ n }] = await t.dataSource.query(
        'SELECT count(*)::int AS n FROM referrals WHERE referrer_id = $1',
        [referrerB.id],
      );
      expect(response.body).toHaveLength(n);
      for (const view of response.body) {
        expect(Object.keys(view).sort()).toEqual(REFERRER_VIEW_KEYS);
      }
    });

    it.each([
      ['status=unknown', 'status'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=abc', 'limit'],
      ['offset=-1', 'offset'],
      ['offset=1.5', 'offset'],
      ['house=1', 'house'],
    ])('answers ?%s with 400 naming %s', async (query, field) => {
      const response = await t.as(t.officer).get(`/api/v1/referrals?${query}`).expect(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('lifecycle', () => {
    it('lets its referrer withdraw a received referral with a reason, once', async () => {
      const created = await submit(referrerA, completeReferral()).expect(201);
      await t
        .as(referrerB)
        .post(`/api/v1/referrals/${created.body.id}/withdraw`)
        .send({})
        .expect(404);
      const withdrawn = await t
        .as(referrerA)
        .post(`/api/v1/referrals/${created.body.id}/withdraw`)
        .send({ reason: 'Ya está con su familia en Tunja' })
        .expect(200);
      expect(Object.keys(withdrawn.body).sort()).toEqual(REFERRER_VIEW_KEYS);
      expect(withdrawn.body).toMatchObject({
        status: 'withdrawn',
        statusReason: 'Ya está con su familia en Tunja',
      });
      const again = await t
        .as(referrerA)
        .post(`/api/v1/referrals/${created.body.id}/withdraw`)
        .expect(409);
      expect(again.body.code).toBe('INVALID_STATE');
      const reject = await t
        .as(t.officer)
        .post(`/api/v1/referrals/${created.body.id}/reject`)
        .send({ reason: 'Duplicada' })
        .expect(409);
      expect(reject.body.code).toBe('INVALID_STATE');
      const audit = await t.dataSource.query(
        `SELECT action, details FROM audit_events WHERE resource_id = $1 ORDER BY id`,
        [created.body.id],
      );
      expect(audit.map((a: Body) => a.action)).toEqual(['referral.created', 'referral.withdrawn']);
      expect(JSON.stringify(audit)).not.toContain('Tunja');
    });

    it('lets staff withdraw without a body and answers with the full view', async () => {
      const created = await submit(referrerA, completeReferral()).expect(201);
      const response = await t
        .as(t.officer)
        .post(`/api/v1/referrals/${created.body.id}/withdraw`)
        .expect(200);
      expect(response.body).toMatchObject({ status: 'withdrawn', statusReason: null });
      expect(response.body.woman.fullName).toBe('María Fernanda Rodríguez Peña');
    });

    it('stores the coded reason of a rejection, shows staff the code and the typed text, and tells the referrer only the standard text', async () => {
      const created = await submit(referrerA, completeReferral()).expect(201);
      const typed = 'Cupo lleno, ya está en CR-2 según la coordinadora';
      for (const reasonCode of ['full', 'NO_CAPACITY', '', null, 3]) {
        const refused = await t
          .as(t.officer)
          .post(`/api/v1/referrals/${created.body.id}/reject`)
          .send({ reason: typed, reasonCode })
          .expect(400);
        expect(refused.body.code).toBe('VALIDATION_FAILED');
      }
      const rejected = await t
        .as(t.officer)
        .post(`/api/v1/referrals/${created.body.id}/reject`)
        .send({ reason: typed, reasonCode: 'no_capacity' })
        .expect(200);
      expect(rejected.body).toMatchObject({
        status: 'rejected',
        statusReasonCode: 'no_capacity',
        statusReason: typed,
      });
      const stored = await t.dataSource.query(
        `SELECT status_reason_code FROM referrals WHERE id = $1`,
        [created.body.id],
      );
      expect(stored).toEqual([{ status_reason_code: 'no_capacity' }]);

      const staffOne = await t
        .as(t.officer)
        .get(`/api/v1/referrals/${created.body.id}`)
        .expect(200);
      expect(staffOne.body).toMatchObject({ statusReasonCode: 'no_capacity', statusReason: typed });
      const staffList = await t
        .as(t.admin)
        .get('/api/v1/referrals')
        .query({ status: 'rejected', q: created.body.externalReference })
        .expect(200);
      expect(staffList.body.find((r: Body) => r.id === created.body.id)).toMatchObject({
        statusReasonCode: 'no_capacity',
        statusReason: typed,
      });

      const own = await t.as(referrerA).get(`/api/v1/referrals/${created.body.id}`).expect(200);
      expect(Object.keys(own.body).sort()).toEqual(REFERRER_VIEW_KEYS);
      expect(own.body.statusReason).toBe('No hay cupo disponible en este momento');
      const ownList = await t.as(referrerA).get('/api/v1/referrals?limit=500').expect(200);
      expect(JSON.stringify(own.body) + JSON.stringify(ownList.body)).not.toContain('CR-2');
      expect(ownList.body.find((r: Body) => r.id === created.body.id).statusReason).toBe(
        'No hay cupo disponible en este momento',
      );
    });

    it('codes a rejection sent without a code as other, and a withdrawal not at all', async () => {
      const created = await submit(referrerA, completeReferral()).expect(201);
      const rejected = await t
        .as(t.officer)
        .post(`/api/v1/referrals/${created.body.id}/reject`)
        .send({ reason: 'Sin más datos' })
        .expect(200);
      expect(rejected.body).toMatchObject({
        statusReasonCode: 'other',
        statusReason: 'Sin más datos',
      });
      const withdrawn = await submit(referrerA, completeReferral()).expect(201);
      const view = await t
        .as(t.officer)
        .post(`/api/v1/referrals/${withdrawn.body.id}/withdraw`)
        .send({ reason: 'La llevamos a CR-2' })
        .expect(200);
      expect(view.body).toMatchObject({
        statusReasonCode: null,
        statusReason: 'La llevamos a CR-2',
      });
    });

    it('never shows a referrer the text staff typed when they withdrew her referral', async () => {
      const created = await submit(referrerA, completeReferral()).expect(201);
      await t
        .as(t.officer)
        .post(`/api/v1/referrals/${created.body.id}/withdraw`)
        .send({ reason: 'Ya está en CR-2' })
        .expect(200);
      const own = await t.as(referrerA).get(`/api/v1/referrals/${created.body.id}`).expect(200);
      expect(own.body).toMatchObject({ status: 'withdrawn', statusReason: null });
    });

    it('rejects with a required reason, validating the body before the state', async () => {
      const created = await submit(referrerA, completeReferral()).expect(201);
      for (const body of [
        {},
        { reason: '   ' },
        { reason: 'r'.repeat(1001) },
        { reason: 'ok', extra: 1 },
      ]) {
        const response = await t
          .as(t.officer)
          .post(`/api/v1/referrals/${created.body.id}/reject`)
          .send(body)
          .expect(400);
        expect(response.body.code).toBe('VALIDATION_FAILED');
      }
      const rejected = await t
        .as(t.admin)
        .post(`/api/v1/referrals/${created.body.id}/reject`)
        .send({ reason: 'Fuera de la jurisdicción' })
        .expect(200);
      expect(rejected.body).toMatchObject({
        status: 'rejected',
        statusReason: 'Fuera de la jurisdicción',
      });
      // Already rejected: a blank reason is still 400, not 409.
      await t
        .as(t.admin)
        .post(`/api/v1/referrals/${created.body.id}/reject`)
        .send({ reason: '' })
        .expect(400);
      const seen = await t.as(referrerA).get(`/api/v1/referrals/${created.body.id}`).expect(200);
      // No code given: the default, whose standard text is all the referrer reads.
      expect(seen.body).toMatchObject({ status: 'rejected', statusReason: 'No ingresó' });
      await t
        .as(t.admin)
        .post('/api/v1/referrals/00000000-0000-4000-8000-000000000000/reject')
        .send({ reason: 'x' })
        .expect(404);
      await t
        .as(t.admin)
        .post('/api/v1/referrals/not-a-uuid/reject')
        .send({ reason: 'x' })
        .expect(400);
    });

    it('refuses to withdraw an admitted or exited referral with 409 INVALID_STATE', async () => {
      for (const status of ['admitted', 'exited']) {
        const created = await submit(referrerA, completeReferral()).expect(201);
        await t.dataSource.query(
          `UPDATE referrals SET status = $2, admitted_at = now(), exited_at = CASE WHEN $2 = 'exited' THEN now() END
           WHERE id = $1`,
          [created.body.id, status],
        );
        const response = await t
          .as(referrerA)
          .post(`/api/v1/referrals/${created.body.id}/withdraw`)
          .send({})
          .expect(409);
        expect(response.body.code).toBe('INVALID_STATE');
        await t
          .as(t.officer)
          .post(`/api/v1/referrals/${created.body.id}/reject`)
          .send({ reason: 'tarde' })
          .expect(409);
      }
    });

    it('applies exactly one of a withdrawal and a rejection sent at the same time', async () => {
      const created = await submit(referrerA, completeReferral()).expect(201);
      const attempts = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          i % 2 === 0
            ? t.as(referrerA).post(`/api/v1/referrals/${created.body.id}/withdraw`).send({})
            : t
                .as(t.officer)
                .post(`/api/v1/referrals/${created.body.id}/reject`)
                .send({ reason: 'concurrente' }),
        ),
      );
      expect(attempts.filter((r) => r.status === 200)).toHaveLength(1);
      expect(attempts.filter((r) => r.status === 409)).toHaveLength(9);
      expect(
        await t.count(
          `SELECT count(*)::int AS n FROM audit_events WHERE resource_id = $1 AND action IN ('referral.withdrawn', 'referral.rejected')`,
          [created.body.id],
        ),
      ).toBe(1);
    });
  });

  it('documents the referral endpoints in the OpenAPI document', async () => {
    const response = await t.http().get('/api/docs-json').expect(200);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/referrals',
        '/api/v1/referrals/{id}',
        '/api/v1/referrals/{id}/withdraw',
        '/api/v1/referrals/{id}/reject',
      ]),
    );
    const schemas = response.body.components.schemas;
    expect(schemas.CreateReferralDto.properties.riskLevel.enum).toEqual([
      'extreme',
      'severe',
      'moderate',
    ]);
    expect(schemas.WomanDto.properties.documentType.enum).toContain('NONE');
    expect(Object.keys(schemas.ReferrerReferralDto.properties).sort()).toEqual(REFERRER_VIEW_KEYS);
    expect(schemas.RejectReferralDto.properties.reasonCode).toMatchObject({
      enum: [...REJECTION_REASON_CODES],
      default: 'other',
    });
    expect(schemas.RejectReferralDto.required).toEqual(['reason']);
    expect(schemas.ReferralDto.properties.statusReasonCode).toMatchObject({
      enum: [...REJECTION_REASON_CODES],
      nullable: true,
    });
  });

  it('leaves neither the woman’s name nor her document number in a pg_dump of the database', async () => {
    const body = completeReferral({ externalReference: `DUMP-PROOF-${Date.now()}` });
    body.woman.fullName = 'Yolanda Quintero Zambrano';
    body.woman.documentNumber = '1098765432';
    body.dependants[0].fullName = 'Valentina Quintero';
    await submit(referrerA, body).expect(201);
    await submit(referrerA, body, 'dump-key-1').expect(200);
    await submit(t.officer, body, 'dump-key-2').expect(201);
    const { stdout } = await execFileAsync('/usr/bin/pg_dump', [t.config.database.url], {
      maxBuffer: 256 * 1024 * 1024,
    });
    expect(stdout).toContain(body.externalReference);
    expect(stdout).not.toContain('Yolanda');
    expect(stdout).not.toContain('Quintero');
    expect(stdout).not.toContain('1098765432');
    expect(stdout).not.toContain('Valentina');
  });
});

describe('Referrals: the per-referrer rate limit', () => {
  const t = useTestApp({ env: { REFERRER_RATE_LIMIT_PER_MINUTE: '3' } });

  it('answers 429 RATE_LIMITED with Retry-After once a referrer exceeds its limit, without touching another', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 2; i++) {
      const created = await t
        .as(t.admin)
        .post('/api/v1/referrers')
        .send({ name: `Juzgado ${i}`, authorityType: 'juez_control_garantias' })
        .expect(201);
      keys.push(created.body.apiKey);
    }
    for (let i = 0; i < 3; i++) {
      await t.http().get('/api/v1/referrals').set('X-Api-Key', keys[0]).expect(200);
    }
    const limited = await t
      .http()
      .post('/api/v1/referrals')
      .set('X-Api-Key', keys[0])
      .send(completeReferral())
      .expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await t.http().get('/api/v1/referrals').set('X-Api-Key', keys[1]).expect(200);
  });
});
