import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from 'typescript';
import { ERROR_STATUS } from '../src/common/domain-error';
import {
  OpenApiDocument,
  Operation,
  operationsOf,
  refsIn,
  resolve,
  sampleOf,
  Schema,
  typeOf,
} from './helpers/openapi-document';
import { createTestApp, TestApp } from './helpers/test-app';

/** The example bodies a reader is shown for an operation: its named examples, or Swagger UI's. */
function documentedExamples(document: OpenApiDocument, operation: Operation): unknown[] {
  const json = operation.requestBody?.content['application/json'];
  if (!json) return [];
  if (json.examples) return Object.values(json.examples).map((example) => example.value);
  return [sampleOf(document, json.schema)];
}

function exampleOf(document: OpenApiDocument, method: string, path: string): unknown[] {
  const operation = document.paths[path]?.[method];
  if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
  const examples = documentedExamples(document, operation);
  expect(examples.length).toBeGreaterThan(0);
  return examples;
}

const CALENDAR_DATES = ['issuedAt', 'birthDate', 'targetDate', 'until'];

describe('The OpenAPI document a comisaría codes from', () => {
  let t: TestApp;
  let document: OpenApiDocument;

  beforeAll(async () => {
    t = await createTestApp();
    document = (await t.http().get('/api/docs-json').expect(200)).body as OpenApiDocument;
  });
  afterAll(() => t.close());

  it('is an OpenAPI 3.0 document whose every reference resolves and every operation is unique', () => {
    expect(document.openapi).toMatch(/^3\.0\.\d+$/);
    expect(document.info.title).toBeTruthy();
    expect(document.info.version).toBeTruthy();
    const dangling = refsIn(document).filter(({ ref }) => resolve(document, ref) === undefined);
    expect(dangling).toEqual([]);

    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(40);
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const schemes = Object.keys(document.components.securitySchemes);
    for (const { method, path, operation } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect([where, Object.keys(operation.responses).some((s) => /^2\d\d$/.test(s))]).toEqual([
        where,
        true,
      ]);
      for (const requirement of operation.security ?? []) {
        for (const scheme of Object.keys(requirement)) expect(schemes).toContain(scheme);
      }
      // Every {name} in the path is a required path parameter, and nothing else is.
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = (operation.parameters ?? [])
        .filter((p) => p.in === 'path')
        .map((p) => {
          expect([where, p.name, p.required]).toEqual([where, p.name, true]);
          return p.name;
        })
        .sort();
      expect([where, declared]).toEqual([where, inPath]);
    }
  });

  it('gives every operation a summary, and each documented error the contract’s error body', () => {
    const missing: string[] = [];
    const wrongBody: string[] = [];
    for (const { method, path, operation } of operationsOf(document)) {
      const where = `${method.toUpperCase()} ${path}`;
      if (!operation.summary?.trim()) missing.push(where);
      if (!path.startsWith('/api/v1/')) continue; // health answers in Terminus's own shape
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!/^[45]\d\d$/.test(status)) continue;
        const ref = response.content?.['application/json']?.schema.$ref;
        if (ref !== '#/components/schemas/ErrorResponseDto') wrongBody.push(`${where} ${status}`);
      }
    }
    expect(missing).toEqual([]);
    expect(wrongBody).toEqual([]);

    const error = document.components.schemas.ErrorResponseDto;
    expect(error.required).toEqual(expect.arrayContaining(['statusCode', 'code', 'message']));
    expect(error.properties?.code.enum).toEqual(Object.keys(ERROR_STATUS));
    const fieldError = resolve(document, error.properties?.errors.items?.$ref as string) as Schema;
    expect(Object.keys(fieldError.properties ?? {})).toEqual(['field', 'message']);
  });

  it('documents 401 where credentials are needed and 400 where a body, id or query is read', () => {
    const gaps: string[] = [];
    for (const { method, path, operation } of operationsOf(document)) {
      const where = `${method.toUpperCase()} ${path}`;
      const statuses = Object.keys(operation.responses);
      if ((operation.security ?? []).length > 0 && !statuses.includes('401')) {
        gaps.push(`${where} 401`);
      }
      const readsInput = operation.requestBody !== undefined || (operation.parameters ?? []).length;
      if (path.startsWith('/api/v1/') && readsInput && !statuses.includes('400')) {
        gaps.push(`${where} 400`);
      }
    }
    expect(gaps).toEqual([]);
    // The operations where the contract names a conflict say which.
    const conflicts = (method: string, path: string) =>
      JSON.stringify(document.paths[path][method].responses['409'] ?? {});
    expect(conflicts('post', '/api/v1/stays')).toMatch(
      /NO_CAPACITY.*BED_OCCUPIED.*ALREADY_ADMITTED/,
    );
    expect(conflicts('post', '/api/v1/referrals')).toMatch(/IDEMPOTENCY_MISMATCH/);
    expect(conflicts('post', '/api/v1/stays/{id}/extensions')).toMatch(/STAY_LIMIT_EXCEEDED/);
    expect(conflicts('patch', '/api/v1/beds/{id}')).toMatch(/BED_OCCUPIED/);
    expect(conflicts('post', '/api/v1/stays/{id}/egress')).toMatch(/INVALID_STATE/);
  });

  it('types every field: nothing left a plain object, instants and calendar dates as such', () => {
    const untyped: string[] = [];
    const wronglyTyped: string[] = [];
    for (const [name, schema] of Object.entries(document.components.schemas)) {
      typeOf(schema, name, untyped);
      for (const [field, property] of Object.entries(schema.properties ?? {})) {
        // The contract's calendar dates are YYYY-MM-DD; every other `…At` is an instant.
        const expected = CALENDAR_DATES.includes(field)
          ? 'date'
          : /At$/.test(field)
            ? 'date-time'
            : undefined;
        if (expected && !(property.type === 'string' && property.format === expected)) {
          wronglyTyped.push(`${name}.${field}`);
        }
      }
    }
    expect(untyped).toEqual([]);
    expect(wronglyTyped).toEqual([]);
    const referrer = document.components.schemas.ReferrerDto.properties ?? {};
    expect(referrer.revokedAt).toMatchObject({
      type: 'string',
      format: 'date-time',
      nullable: true,
    });
    const woman = document.components.schemas.WomanDto.properties ?? {};
    expect(woman.documentNumber).toMatchObject({ type: 'string', nullable: true });
  });

  it('states the contract’s conventions in its description, not a link to a missing file', () => {
    const description = document.info.description ?? '';
    for (const convention of [
      '/api/v1',
      'application/json',
      'TZ_SERVICE',
      'America/Bogota',
      'YYYY-MM-DD',
      'Authorization: Bearer',
      'X-Api-Key',
      '"statusCode"',
      'VALIDATION_FAILED',
      'IDEMPOTENCY_MISMATCH',
      '404',
      'Idempotency-Key',
    ]) {
      expect([convention, description.includes(convention)]).toEqual([convention, true]);
    }
    expect(description).not.toMatch(/API\.md|\.md\b/);
  });

  it('yields a typed client that compiles, the documented examples typed by it', () => {
    const untyped: string[] = [];
    const schemas = Object.entries(document.components.schemas).map(
      ([name, schema]) => `  ${JSON.stringify(name)}: ${typeOf(schema, name, untyped)};`,
    );
    const operations: string[] = [];
    const examples: string[] = [];
    for (const { method, path, operation } of operationsOf(document)) {
      const key = JSON.stringify(`${method.toUpperCase()} ${path}`);
      const body = operation.requestBody?.content['application/json']?.schema;
      const answers = Object.entries(operation.responses).map(([status, response]) => {
        const schema = response.content?.['application/json']?.schema;
        return `${status}: ${schema ? typeOf(schema, `${key} ${status}`, untyped) : 'void'};`;
      });
      operations.push(
        `  ${key}: { body: ${body ? typeOf(body, `${key} body`, untyped) : 'void'}; ` +
          `responses: { ${answers.join(' ')} } };`,
      );
      documentedExamples(document, operation).forEach((example, i) => {
        examples.push(
          `export const example${examples.length}_${i}: Operations[${key}]['body'] = ${JSON.stringify(example)};`,
        );
      });
    }
    expect(untyped).toEqual([]);
    expect(examples.length).toBeGreaterThan(15);

    const source = [
      `export interface Schemas {\n${schemas.join('\n')}\n}`,
      `export interface Operations {\n${operations.join('\n')}\n}`,
      ...examples,
    ].join('\n');
    const file = join(mkdtempSync(join(tmpdir(), 'refugio-client-')), 'client.ts');
    writeFileSync(file, source);
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
      target: ts.ScriptTarget.ES2022,
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });

  it('documents example bodies the service accepts: referrals, referrers, users and stays', async () => {
    const admin = await t.adminToken();
    const asAdmin = (method: 'post' | 'patch', path: string, body: unknown) =>
      t
        .http()
        [method](path)
        .set('Authorization', `Bearer ${admin}`)
        .send(body as object);
    const houses = await t.houses();
    const house = houses[0];

    const [referrerExample] = exampleOf(document, 'post', '/api/v1/referrers');
    const referrer = await asAdmin('post', '/api/v1/referrers', referrerExample);
    expect([referrer.status, referrer.body]).toEqual([201, expect.anything()]);

    for (const userExample of exampleOf(document, 'post', '/api/v1/users')) {
      const user = userExample as Record<string, unknown>;
      const body = {
        ...user,
        username: `${String(user.username)}.${referrer.body.id.slice(0, 8)}`,
        ...('houseId' in user ? { houseId: house.id } : {}),
      };
      const created = await asAdmin('post', '/api/v1/users', body);
      expect([created.status, created.body]).toEqual([201, expect.anything()]);
    }

    // The referral example, as a comisaría with its key and as staff recording a call.
    const [referralExample, provisionalExample] = exampleOf(document, 'post', '/api/v1/referrals');
    const byKey = await t
      .http()
      .post('/api/v1/referrals')
      .set('X-Api-Key', referrer.body.apiKey as string)
      .send(referralExample as object);
    expect([byKey.status, byKey.body]).toEqual([
      201,
      expect.objectContaining({ status: 'received' }),
    ]);
    const byStaff = await asAdmin('post', '/api/v1/referrals', referralExample);
    expect([byStaff.status, byStaff.body]).toEqual([201, expect.anything()]);
    // The provisional example is staff's alone, and its order example attaches an order to it.
    const provisional = await asAdmin('post', '/api/v1/referrals', provisionalExample);
    expect([provisional.status, provisional.body]).toEqual([201, expect.anything()]);
    const provisionalByKey = await t
      .http()
      .post('/api/v1/referrals')
      .set('X-Api-Key', referrer.body.apiKey as string)
      .send(provisionalExample as object);
    expect(provisionalByKey.status).toBe(400);
    const [orderExample] = exampleOf(document, 'post', '/api/v1/referrals/{id}/protection-order');
    const attached = await asAdmin(
      'post',
      `/api/v1/referrals/${provisional.body.id}/protection-order`,
      orderExample,
    );
    expect([attached.status, attached.body]).toEqual([
      200,
      expect.objectContaining({ protectionOrder: orderExample }),
    ]);

    // Each admission example, with a client's own referral and house in place of the ids.
    const referralIds = [byKey.body.id as string, byStaff.body.id as string];
    const stayExamples = exampleOf(document, 'post', '/api/v1/stays');
    expect(stayExamples.length).toBeLessThanOrEqual(referralIds.length);
    const stays: { id: string; houseId: string }[] = [];
    const houseOtherThan = (stay: { houseId: string }) =>
      houses.find((h) => h.id !== stay.houseId)?.id;
    for (const [i, stayExample] of stayExamples.entries()) {
      const example = stayExample as Record<string, unknown>;
      const body = {
        ...example,
        referralId: referralIds[i],
        ...('houseId' in example ? { houseId: house.id } : {}),
      };
      const admitted = await asAdmin('post', '/api/v1/stays', body);
      expect([admitted.status, admitted.body]).toEqual([201, expect.anything()]);
      stays.push(admitted.body as { id: string; houseId: string });
    }

    // What follows an admission, each as documented: the back-dated stay is extended and ends
    // (its example egress is a past instant after that admission), the other one moves house.
    const [backDated, admittedNow] = stays;
    const steps: [string, string, Record<string, unknown>][] = [
      [backDated.id, '/api/v1/stays/{id}/extensions', {}],
      [admittedNow.id, '/api/v1/stays/{id}/transfer', { toHouseId: houseOtherThan(admittedNow) }],
      [backDated.id, '/api/v1/stays/{id}/egress', {}],
    ];
    for (const [stayId, path, substitute] of steps) {
      for (const example of exampleOf(document, 'post', path)) {
        const answer = await asAdmin('post', path.replace('{id}', stayId), {
          ...(example as object),
          ...substitute,
        });
        expect([path, answer.status, answer.body]).toEqual([path, 200, expect.anything()]);
      }
    }
  });
});
