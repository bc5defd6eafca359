import { connect } from 'node:net';
import fc from 'fast-check';
import { Logger } from '@nestjs/common';
import { PiiCipher } from '../src/common/pii-cipher';
import {
  encryptPlainProtectionOrderNumbers,
  hashSetAsideIdempotencyKeys,
} from '../src/database/prepare-database';
import { referralBody } from './factories/referrals';
import { useTestApp } from './helpers/test-app';
import { randomSuffix } from './helpers/test-env';

/** Text of JSON nested `depth` levels deep around `inner`. */
function nested(depth: number, inner = '0'): string {
  return '['.repeat(depth) + inner + ']'.repeat(depth);
}

const contractError = (statusCode: number, code: string) => ({
  statusCode,
  code,
  message: expect.any(String),
});

const tooDeep = {
  ...contractError(400, 'VALIDATION_FAILED'),
  errors: [
    { field: 'body', message: 'body must not nest objects or arrays deeper than 32 levels' },
  ],
};

/** One raw HTTP/1.1 exchange over a socket, for what supertest and Node's client refuse to send. */
function rawExchange(
  baseUrl: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const { hostname, port } = new URL(baseUrl);
  const head = Object.entries({ Host: hostname, Connection: 'close', ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`GET ${path} HTTP/1.1\r\n${head}\r\n`, 'latin1');
    });
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [top, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...lines] = top.split('\r\n');
      const parsed: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        parsed[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      const body = rest.join('\r\n\r\n');
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers: parsed,
        // Chunked answers: the JSON is the one line that starts with a brace.
        body: body.split('\r\n').find((part) => part.startsWith('{')) ?? body,
      });
    });
  });
}

describe('Fixes of the security review (issue 16, item 5)', () => {
  const t = useTestApp();
  let errorLog: jest.SpyInstance;

  beforeEach(() => {
    errorLog = jest.spyOn(Logger.prototype, 'error');
  });
  afterEach(() => {
    errorLog.mockRestore();
  });

  describe('deeply nested JSON', () => {
    it('refuses 50,000 levels on POST /auth/login, without a token, with 400 and no error logged', async () => {
      const response = await t
        .http()
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send(`{"username":"admin","password":${nested(50_000)}}`)
        .expect(400);
      expect(response.body).toEqual(tooDeep);
      expect(errorLog).not.toHaveBeenCalled();
    });

    it('refuses 3,000 levels under needs with 400 and no error logged', async () => {
      const body = JSON.stringify({ ...referralBody(), needs: '__NEEDS__' }).replace(
        '"__NEEDS__"',
        '{"a":'.repeat(3000) + '0' + '}'.repeat(3000),
      );
      const response = await t
        .as(t.officer)
        .post('/api/v1/referrals')
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(400);
      expect(response.body).toEqual(tooDeep);
      expect(errorLog).not.toHaveBeenCalled();
    });

    it('still takes bodies nested as deep as the contract needs', async () => {
      await t.referral({ dependants: 2 });
    });
  });

  describe('content types', () => {
    it.each([
      ['application/x-www-form-urlencoded', `username=${'admin'}&password=whatever-password`],
      ['text/plain', '{"username":"admin","password":"whatever-password"}'],
    ])('answers a %s login with 415 in the contract shape', async (type, body) => {
      const response = await t
        .http()
        .post('/api/v1/auth/login')
        .set('Content-Type', type)
        .send(body)
        .expect(415);
      expect(response.body).toEqual({
        statusCode: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'Send the body as application/json',
      });
    });

    it('takes JSON with a charset', async () => {
      await t
        .http()
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json; charset=utf-8')
        .send(JSON.stringify({ username: 'admin', password: 'wrong-password-1234' }))
        .expect(401);
    });
  });

  describe('integers and references', () => {
    it.each(['0x10', '1e1', '+5', ' 7', '16.0'])(
      'refuses limit=%s instead of reading a number into it',
      async (limit) => {
        const response = await t
          .as(t.officer)
          .get(`/api/v1/referrals?limit=${encodeURIComponent(limit)}`)
          .expect(400);
        expect(response.body.errors).toContainEqual({
          field: 'limit',
          message: 'limit must be an integer number',
        });
      },
    );

    it('still reads limit=16', async () => {
      await t.as(t.officer).get('/api/v1/referrals?limit=16').expect(200);
    });

    it('treats a reference with invisible characters as the same reference', async () => {
      const body = referralBody();
      const first = await t.referral(body);
      const again = await t
        .as(t.officer)
        .post('/api/v1/referrals')
        .send({ ...body, externalReference: `\u200b ${body.externalReference}\u00ad\ufeff ` })
        .expect(200);
      expect(again.body).toEqual(first);
      const wide = await t
        .as(t.officer)
        .post('/api/v1/referrals')
        .send({ ...body, externalReference: body.externalReference.replace('CF', '\uff23\uff26') })
        .expect(200);
      expect(wide.body.id).toBe(first.id);
      expect(
        await t.count('SELECT count(*) FROM referrals WHERE external_reference = $1', [
          body.externalReference,
        ]),
      ).toBe(1);
    });

    it('refuses a reference made only of invisible characters', async () => {
      const response = await t
        .as(t.officer)
        .post('/api/v1/referrals')
        .send({ ...referralBody(), externalReference: '\u200b\u200c\u2060' })
        .expect(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual([
        'externalReference',
      ]);
    });
  });

  describe('nested shapes', () => {
    it.each([
      ['dependants', [[{ fullName: 'Sofía', relationship: 'child' }]]],
      ['dependants', ['Sofía']],
      ['woman', [{ fullName: 'Ana', documentType: 'NONE' }]],
      ['needs', [true]],
    ])('refuses %s shaped %j with 400 naming it', async (field, value) => {
      const response = await t
        .as(t.officer)
        .post('/api/v1/referrals')
        .send({ ...referralBody(), [field]: value })
        .expect(400);
      const fields = response.body.errors.map((e: { field: string }) => e.field.split('.')[0]);
      expect(fields).toContain(field);
    });

    it('never answers 500 to a referral of any shape (fuzzed)', async () => {
      const paths = [
        [],
        ['externalReference'],
        ['protectionOrder'],
        ['protectionOrder', 'number'],
        ['protectionOrder', 'issuedAt'],
        ['woman'],
        ['woman', 'fullName'],
        ['woman', 'documentNumber'],
        ['woman', 'birthDate'],
        ['dependants'],
        ['dependants', '0'],
        ['dependants', '0', 'relationship'],
        ['riskLevel'],
        ['needs'],
        ['needs', 'wheelchairAccessible'],
        ['notes'],
      ];
      const value = fc.jsonValue({ maxDepth: 4 });
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.constantFrom(...paths), value), { minLength: 1, maxLength: 3 }),
          async (changes) => {
            let body: unknown = JSON.parse(JSON.stringify(referralBody({ dependants: 1 })));
            for (const [path, replacement] of changes) {
              if (path.length === 0) {
                body = replacement;
                continue;
              }
              let parent = body as Record<string, unknown> | null;
              for (const key of path.slice(0, -1)) {
                const next = parent?.[key];
                parent = typeof next === 'object' ? (next as Record<string, unknown> | null) : null;
              }
              if (parent !== null && typeof parent === 'object') {
                parent[path[path.length - 1]] = replacement;
              }
            }
            const response = await t
              .as(t.officer)
              .post('/api/v1/referrals')
              .set('Content-Type', 'application/json')
              .send(JSON.stringify(body));
            expect(response.status).toBeLessThan(500);
          },
        ),
        { numRuns: 300 },
      );
    }, 120_000);
  });

  describe('usernames and login limits', () => {
    const password = 'a-password-long-enough-1';
    const login = (username: string, secret = password) =>
      t.http().post('/api/v1/auth/login').send({ username, password: secret });

    it('gives no token to a look-alike username, and counts NFKC spellings as one', async () => {
      const suffix = randomSuffix();
      const username = `officer${suffix}`;
      await t
        .as(t.admin)
        .post('/api/v1/users')
        .send({ username, password, role: 'admission_officer' })
        .expect(201);
      // Postgres's lower() folds U+0130 to i; JavaScript's gives i plus a combining dot.
      await login(`off\u0130cer${suffix}`).expect(401);
      // Full-width letters are the same username once NFKC-normalised.
      await login(`\uff4f\uff46\uff46icer${suffix}`).expect(200);
      for (let i = 0; i < t.config.limits.loginFailuresPerMinute; i += 1) {
        await login(username.toUpperCase(), 'a-wrong-password-000').expect(401);
      }
      const limited = await login(`\uff4fFFICER${suffix}`).expect(429);
      expect(limited.body).toEqual(contractError(429, 'RATE_LIMITED'));
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    });
  });

  describe('failed logins from one address', () => {
    // An app of its own: once its address is limited, nobody logs in from it for a minute.
    const own = useTestApp();

    it('are limited across usernames', async () => {
      const login = (username: string) =>
        own.http().post('/api/v1/auth/login').send({ username, password: 'a-wrong-password-1' });
      const limit = own.config.limits.loginFailuresPerAddressPerMinute;
      const statuses: number[] = [];
      for (let batch = 0; batch < 160; batch += 20) {
        const answers = await Promise.all(
          Array.from({ length: 20 }, (_, i) => login(`guess.${batch + i}.${randomSuffix()}`)),
        );
        statuses.push(...answers.map((a) => a.status));
      }
      expect(statuses.filter((s) => s === 401)).toHaveLength(limit);
      expect(statuses.filter((s) => s === 429)).toHaveLength(160 - limit);
      const limited = await login('someone.else').expect(429);
      expect(limited.body).toEqual(contractError(429, 'RATE_LIMITED'));
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    }, 120_000);
  });

  describe('Idempotency-Key values at rest', () => {
    /** An officer's `POST /referrals` under the key, answered with `status`. */
    const referWithKey = (key: string, body: object, status: number) =>
      t
        .as(t.officer)
        .post('/api/v1/referrals')
        .set('Idempotency-Key', key)
        .send(body)
        .expect(status);

    it('are stored as keyed HMACs, and still replay', async () => {
      const key = `key-${randomSuffix()}-plain`;
      const body = referralBody();
      const first = await referWithKey(key, body, 201);
      expect(await t.count('SELECT count(*) FROM idempotency_keys WHERE key = $1', [key])).toBe(0);
      expect(
        await t.count('SELECT count(*) FROM idempotency_keys WHERE referral_id = $1', [
          first.body.id,
        ]),
      ).toBe(1);
      const again = await referWithKey(key, body, 200);
      expect(again.body).toEqual(first.body);
    });

    it('written in clear before the change are hashed at start-up and still answer', async () => {
      const key = `key-${randomSuffix()}-older`;
      const body = referralBody();
      const first = await referWithKey(key, body, 201);
      // As the migration leaves a key written in clear: set aside, out of the table.
      await t.dataSource.query(
        `WITH moved AS (DELETE FROM idempotency_keys WHERE referral_id = $1 RETURNING *)
         INSERT INTO idempotency_keys_plain
         SELECT caller_key, $2, request_fingerprint, referral_id, response, created_at FROM moved`,
        [first.body.id, key],
      );
      await t.dataSource.transaction((manager) =>
        hashSetAsideIdempotencyKeys(manager, t.app.get(PiiCipher)),
      );
      expect(await t.count('SELECT count(*) FROM idempotency_keys_plain')).toBe(0);
      expect(await t.count('SELECT count(*) FROM idempotency_keys WHERE key = $1', [key])).toBe(0);
      const other = await referWithKey(key, referralBody(), 409);
      expect(other.body.code).toBe('IDEMPOTENCY_MISMATCH');
    });
  });

  describe('errors Fastify raises before Nest', () => {
    const expectContract = (
      answer: { headers: Record<string, unknown>; body: string },
      statusCode: number,
    ) => {
      const body = JSON.parse(answer.body) as { code: string };
      expect(body).toEqual(contractError(statusCode, body.code));
      expect(answer.body).not.toContain('referrals/');
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['content-security-policy']).toContain("default-src 'self'");
      expect(answer.headers['x-request-id']).toMatch(/^[\w.:-]{8,64}$/);
    };

    it('answers an id over 100 characters with 414 in the contract shape', async () => {
      const answer = await rawExchange(t.baseUrl, `/api/v1/referrals/${'a'.repeat(101)}`, {
        Authorization: `Bearer ${t.officer}`,
      });
      expect(answer.status).toBe(414);
      expectContract(answer, 414);
    });

    it('answers a very long URL in the contract shape', async () => {
      const answer = await rawExchange(t.baseUrl, `/api/v1/referrals/${'a'.repeat(20_000)}`);
      expect([414, 431]).toContain(answer.status);
      expectContract(answer, answer.status);
    });

    it('answers a malformed percent-encoding with 400 in the contract shape', async () => {
      const answer = await rawExchange(t.baseUrl, '/api/v1/referrals/%');
      expect(answer.status).toBe(400);
      expectContract(answer, 400);
    });

    it('answers a DEL byte in a header with 400 in the contract shape', async () => {
      const answer = await rawExchange(t.baseUrl, '/api/v1/houses', { 'X-Note': 'a\x7fb' });
      expect(answer.status).toBe(400);
      expectContract(answer, 400);
    });
  });

  describe("the protection order's number at rest", () => {
    const plainAnywhere = (number: string) =>
      t.count(`SELECT count(*) FROM referrals r WHERE strpos(row_to_json(r)::text, $1) > 0`, [
        number,
      ]);

    it('is stored encrypted and read back in clear by staff', async () => {
      const body = referralBody();
      const stay = await t.admit();
      const { id } = await t.referral(body);
      expect(await plainAnywhere(body.protectionOrder.number)).toBe(0);
      const read = await t.as(t.officer).get(`/api/v1/referrals/${id}`).expect(200);
      expect(read.body.protectionOrder.number).toBe(body.protectionOrder.number);
      const family = await t.as(t.officer).get(`/api/v1/stays/${stay.id}`).expect(200);
      expect(family.body.protectionOrder.number).toMatch(/^11001-CF-2026-/);
    });

    it('written in clear before the change is encrypted at start-up', async () => {
      const body = referralBody();
      const { id } = await t.referral(body);
      await t.dataSource.query(
        `UPDATE referrals SET protection_order_number = $2, protection_order_number_cipher = NULL
         WHERE id = $1`,
        [id, body.protectionOrder.number],
      );
      expect(await plainAnywhere(body.protectionOrder.number)).toBe(1);
      // Batches of one: each committed on its own, and the loop ends when none is left (rows
      // the referral factory writes with SQL are in clear too).
      const plain = await t.count(
        'SELECT count(*) FROM referrals WHERE protection_order_number IS NOT NULL',
      );
      const done: number[] = [];
      expect(
        await encryptPlainProtectionOrderNumbers(
          t.dataSource,
          t.app.get(PiiCipher),
          (n) => done.push(n),
          1,
        ),
      ).toBe(plain);
      expect(done).toEqual(Array.from({ length: plain }, (_, k) => k + 1));
      expect(await plainAnywhere(body.protectionOrder.number)).toBe(0);
      const read = await t.as(t.officer).get(`/api/v1/referrals/${id}`).expect(200);
      expect(read.body.protectionOrder.number).toBe(body.protectionOrder.number);
    });
  });
});
