import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { Discipline, StaffRole } from '../../src/common/actor';
import { Config, parseConfig } from '../../src/config/config';
import { prepareDatabase } from '../../src/database/prepare-database';
import {
  createReferral,
  ProvisionalReferralBody,
  ReferralBody,
  referralBody,
  ReferralOptions,
} from '../factories/referrals';
import {
  ADMIN_PASSWORD,
  ADMIN_USERNAME,
  baseTestEnvironment,
  createDatabase,
  randomSuffix,
} from './test-env';
import { perDescribe } from './per-describe';

/** Who calls: a staff member's bearer token, or a referrer by its API key. */
export type Caller = string | { apiKey: string };

/** Requests made as one caller: `t.as(officer).post('/api/v1/stays').send(…)`. */
export interface CallerAgent {
  get(path: string): request.Test;
  post(path: string): request.Test;
  patch(path: string): request.Test;
  put(path: string): request.Test;
  delete(path: string): request.Test;
}

export interface Referrer {
  id: string;
  apiKey: string;
}

/** `POST /referrals`'s answer. */
export interface ReferralReceipt {
  id: string;
  externalReference: string;
  status: string;
  createdAt: string;
}

/** A stay as the API answers it (API.md, "Placement and stays"). */
export interface StayView {
  id: string;
  referralId: string;
  houseId: string;
  status: 'active' | 'exited';
  admittedAt: string;
  termEndsAt: string;
  maxEndsAt: string;
  lastMovedAt: string;
  provisional: boolean;
  orderDueBy: string | null;
  orderOverdue: boolean;
  occupants: { personId: string; role: 'woman' | 'dependant'; bedId: string }[];
  exitedAt: string | null;
  egressReason: string | null;
  egressDestination?: string | null;
  egressNotes?: string | null;
  extensions: Record<string, unknown>[];
  transfers: Record<string, unknown>[];
  createdAt: string;
  updatedAt: string;
}

/** `GET /stays/:id/consents`'s answer (`POST` adds `followUpsCancelled`). */
export interface ConsentsView {
  stayId: string;
  current: {
    purpose: string;
    granted: boolean;
    expired: boolean;
    expiresOn: string | null;
    recordedAt: string | null;
  }[];
  history: { id: string; purpose: string; granted: boolean; expiresOn: string | null }[];
  followUpsCancelled?: number;
}

/**
 * Her grant of `follow_up_contact`, which egress needs to schedule follow-ups: for tests that
 * egress through their own requests (other processes, parallel calls) rather than `t.egress`.
 */
export async function grantFollowUpContact(
  baseUrl: string,
  caller: Caller,
  stayId: string,
): Promise<void> {
  await callerAgent(baseUrl, caller)
    .post(`/api/v1/stays/${stayId}/consents`)
    .send({ purpose: 'follow_up_contact', granted: true })
    .expect(201);
}

export interface Room {
  id: string;
  name: string;
  wheelchairAccessible: boolean;
  beds: { id: string; label: string; inService: boolean; occupantId: string | null }[];
}

export interface AdmitOptions {
  houseId?: string;
  admittedAt?: string;
  bedIds?: string[];
  /** Who admits; an admission officer of the app's own by default. */
  as?: Caller;
}

export interface TestApp {
  app: NestFastifyApplication;
  config: Config;
  dataSource: DataSource;
  /** Base URL of the listening app, for real concurrent HTTP requests. */
  baseUrl: string;
  /** Requests without credentials. */
  http: () => TestAgent;
  /** Requests with the caller's credentials. */
  as(caller: Caller): CallerAgent;
  /** The seeded admin's bearer token. */
  admin: string;
  /** The bearer token of an admission officer made with the app. */
  officer: string;
  /** A bearer token for a fresh user of the role (coordinators and team members need a house,
   * team members a discipline). */
  tokenFor(role: StaffRole, houseId?: string, discipline?: Discipline): Promise<string>;
  adminToken(): Promise<string>;
  officerToken(): Promise<string>;
  houses(): Promise<{ id: string; code: string }[]>;
  rooms(houseId: string, caller?: Caller): Promise<Room[]>;
  /** Takes a bed out of service through `PATCH /beds/:id` (200), by an admin unless `as`. */
  takeOutOfService(bedId: string, reason?: string, options?: { as?: Caller }): Promise<unknown>;
  /** A new referrer (comisaría) and its API key. */
  referrer(name?: string): Promise<Referrer>;
  /** Records a referral through `POST /referrals` (201), by staff unless `as` says who. */
  referral(
    body?: ReferralBody | ProvisionalReferralBody | ReferralOptions,
    options?: { as?: Caller },
  ): Promise<ReferralReceipt>;
  /**
   * Admits a referral through `POST /stays` (201): an existing one by id, or a new one made by
   * the referral factory (`{ dependants: 2, houseId }` mixes the referral's and the stay's).
   */
  admit(
    referral?: string | (ReferralOptions & AdmitOptions),
    options?: AdmitOptions,
  ): Promise<StayView>;
  /**
   * Ends a stay through `POST /stays/:id/egress` (200); a voluntary exit now by default. Before
   * it, an admin records her `follow_up_contact` grant (without one, egress schedules no
   * follow-up: API.md, "Consent"), unless `followUpContact: false` leaves her consent as it is.
   */
  egress(
    stayId: string,
    body?: Record<string, unknown>,
    options?: { as?: Caller; followUpContact?: boolean },
  ): Promise<StayView>;
  /** Records a consent through `POST /stays/:id/consents` (201), by an admin unless `as`. */
  consent(
    stayId: string,
    body: { purpose: string; granted: boolean; expiresOn?: string },
    options?: { as?: Caller },
  ): Promise<ConsentsView>;
  /** The number a one-column, one-row query answers, such as a `count(*)`. */
  count(sql: string, parameters?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Extra or overridden settings, such as a Redis of the test's own. */
  env?: Record<string, string>;
  /** An existing database URL instead of a fresh clone of the seeded template. */
  databaseUrl?: string;
}

/** A fresh database cloned from the run's seeded template, and a queue prefix of its own. */
export async function freshDatabaseUrl(): Promise<string> {
  const runId = process.env.REFUGIO_TEST_RUN_ID as string;
  return createDatabase(
    `refugio_test_${runId}_${randomSuffix()}`,
    process.env.REFUGIO_TEST_TEMPLATE,
  );
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return parseConfig({
    ...baseTestEnvironment(),
    QUEUE_PREFIX: `refugio-test-${process.env.REFUGIO_TEST_RUN_ID}-${randomSuffix()}`,
    ...overrides,
  });
}

/** Requests to `baseUrl` carrying the caller's credentials. */
export function callerAgent(baseUrl: string, caller: Caller): CallerAgent {
  const agent = request(baseUrl);
  const signed = (test: request.Test): request.Test =>
    typeof caller === 'string'
      ? test.set('Authorization', `Bearer ${caller}`)
      : test.set('X-Api-Key', caller.apiKey);
  return {
    get: (path) => signed(agent.get(path)),
    post: (path) => signed(agent.post(path)),
    patch: (path) => signed(agent.patch(path)),
    put: (path) => signed(agent.put(path)),
    delete: (path) => signed(agent.delete(path)),
  };
}

function isBody(
  value: ReferralBody | ProvisionalReferralBody | ReferralOptions,
): value is ReferralBody | ProvisionalReferralBody {
  return 'externalReference' in value;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await freshDatabaseUrl());
  const config = testConfig({ DATABASE_URL: databaseUrl, ...options.env });
  const app = await createApp(config);
  const dataSource = app.get(DataSource);
  try {
    await prepareDatabase(dataSource, config, { log: () => undefined, warn: () => undefined });
  } catch (error) {
    await app.close();
    throw error;
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const http = () => request(baseUrl);
  const as = (caller: Caller) => callerAgent(baseUrl, caller);

  const login = async (username: string, password: string): Promise<string> => {
    const response = await http()
      .post('/api/v1/auth/login')
      .send({ username, password })
      .expect(200);
    return (response.body as { accessToken: string }).accessToken;
  };
  const testApp: TestApp = {
    app,
    config,
    dataSource,
    baseUrl,
    http,
    as,
    admin: '',
    officer: '',
    adminToken: () => Promise.resolve(testApp.admin),
    officerToken: () => Promise.resolve(testApp.officer),
    async tokenFor(role, houseId, discipline) {
      const username = `${role.replace(/_/g, '.')}.${randomSuffix()}`;
      const password = `password-${randomSuffix()}-long`;
      await as(testApp.admin)
        .post('/api/v1/users')
        .send({
          username,
          password,
          role,
          ...(houseId ? { houseId } : {}),
          ...(discipline ? { discipline } : {}),
        })
        .expect(201);
      return login(username, password);
    },
    async houses() {
      return dataSource.query<{ id: string; code: string }[]>(
        'SELECT id, code FROM houses ORDER BY code',
      );
    },
    async rooms(houseId, caller) {
      const response = await as(caller ?? testApp.admin)
        .get(`/api/v1/houses/${houseId}/rooms`)
        .expect(200);
      return response.body as Room[];
    },
    async takeOutOfService(bedId, reason = 'Humedad en la pared', { as: caller } = {}) {
      const response = await as(caller ?? testApp.admin)
        .patch(`/api/v1/beds/${bedId}`)
        .send({ inService: false, reason })
        .expect(200);
      return response.body as unknown;
    },
    async referrer(name = `Comisaría de Familia ${randomSuffix()}`) {
      const response = await as(testApp.admin)
        .post('/api/v1/referrers')
        .send({ name, authorityType: 'comisaria_familia' })
        .expect(201);
      return { id: response.body.id as string, apiKey: response.body.apiKey as string };
    },
    async referral(body = {}, { as: caller } = {}) {
      const response = await as(caller ?? testApp.officer)
        .post('/api/v1/referrals')
        .send(isBody(body) ? body : referralBody(body))
        .expect(201);
      return response.body as ReferralReceipt;
    },
    async admit(referral = {}, options = {}) {
      let referralId: string;
      let stay: AdmitOptions;
      if (typeof referral === 'string') {
        referralId = referral;
        stay = options;
      } else {
        const { houseId, admittedAt, bedIds, as: caller, ...made } = referral;
        referralId = (await createReferral(testApp, made)).id;
        stay = { houseId, admittedAt, bedIds, as: caller, ...options };
      }
      const { as: caller, ...body } = stay;
      const response = await as(caller ?? testApp.officer)
        .post('/api/v1/stays')
        .send({ referralId, ...body })
        .expect(201);
      return response.body as StayView;
    },
    async egress(
      stayId,
      body = { reason: 'voluntary' },
      { as: caller, followUpContact = true } = {},
    ) {
      if (followUpContact) {
        await grantFollowUpContact(baseUrl, testApp.admin, stayId);
      }
      const response = await as(caller ?? testApp.officer)
        .post(`/api/v1/stays/${stayId}/egress`)
        .send(body)
        .expect(200);
      return response.body as StayView;
    },
    async consent(stayId, body, { as: caller } = {}) {
      const response = await as(caller ?? testApp.admin)
        .post(`/api/v1/stays/${stayId}/consents`)
        .send(body)
        .expect(201);
      return response.body as ConsentsView;
    },
    async count(sql, parameters = []) {
      const [row] = await dataSource.query<Record<string, unknown>[]>(sql, parameters);
      return Number(Object.values(row)[0]);
    },
    async close() {
      await app.close();
    },
  };
  try {
    testApp.admin = await login(ADMIN_USERNAME, ADMIN_PASSWORD);
    testApp.officer = await testApp.tokenFor('admission_officer');
  } catch (error) {
    await app.close();
    throw error;
  }
  return testApp;
}

/** The test app of a `describe` block, made before its tests and closed after them. */
export function useTestApp(options: TestAppOptions = {}): TestApp {
  return perDescribe(() => createTestApp(options));
}
