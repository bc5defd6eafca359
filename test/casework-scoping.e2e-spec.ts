import { FollowUpsService } from '../src/follow-ups/follow-ups.service';
import { admitFamily, AdmittedFamily } from './factories/casework';
import { createReferral } from './factories/referrals';
import { exitedWithFollowUps } from './factories/follow-up-fixtures';
import { waitFor } from './helpers/processes';
import { createTestApp, TestApp } from './helpers/test-app';

type Who =
  | 'admin'
  | 'officer'
  | 'coordinator1'
  | 'coordinator2'
  | 'psychologist1'
  | 'lawyer1'
  | 'psychologist2'
  | 'lawyer2';
/**
 * ok: through the access check. Every body is valid for its DTO, so what comes back is the use
 * case's answer: 2xx, 409 when an earlier caller already did it (a follow-up completed once, a
 * family already exited), or 400 from a rule checked after access (a transfer to its own house).
 */
type Expect = 'ok' | 403 | 404;

interface Ids {
  house1: string;
  stay: string;
  person: string;
  goal: string;
  legalProcess: string;
  followUp: string;
  alert: string;
  referral: string;
}

interface Case {
  name: string;
  method: 'get' | 'post' | 'patch';
  path: (ids: Ids) => string;
  body?: (ids: Ids, who: Who) => object;
  expect: Record<Who, Expect>;
}

const ALL_OK: Record<Who, Expect> = {
  admin: 'ok',
  officer: 'ok',
  coordinator1: 'ok',
  coordinator2: 404,
  psychologist1: 'ok',
  lawyer1: 'ok',
  psychologist2: 404,
  lawyer2: 404,
};
const CASEWORK_WRITE: Record<Who, Expect> = { ...ALL_OK, officer: 403 };
const LEGAL_WRITE: Record<Who, Expect> = {
  ...CASEWORK_WRITE,
  psychologist1: 403,
  // Refused for her discipline before the house is looked up: nothing learnt either way.
  psychologist2: 403,
};
const NEVER_TEAM: Record<Who, Expect> = {
  admin: 'ok',
  officer: 'ok',
  coordinator1: 403,
  coordinator2: 403,
  psychologist1: 403,
  lawyer1: 403,
  psychologist2: 403,
  lawyer2: 403,
};

/** Every resource of a stay of house 1, by role and house: the contract's scoping, as a table. */
const CASES: Case[] = [
  { name: 'GET /stays/:id', method: 'get', path: (i) => `/stays/${i.stay}`, expect: ALL_OK },
  {
    name: 'GET /stays?houseId=1',
    method: 'get',
    path: (i) => `/stays?houseId=${i.house1}`,
    expect: ALL_OK,
  },
  { name: 'GET plan', method: 'get', path: (i) => `/stays/${i.stay}/plan`, expect: ALL_OK },
  {
    name: 'POST goal',
    method: 'post',
    path: (i) => `/stays/${i.stay}/plan/goals`,
    body: () => ({ area: 'health', description: 'Control médico' }),
    expect: CASEWORK_WRITE,
  },
  {
    name: 'PATCH goal',
    method: 'patch',
    path: (i) => `/goals/${i.goal}`,
    body: () => ({ status: 'open' }),
    expect: CASEWORK_WRITE,
  },
  {
    name: 'GET attentions',
    method: 'get',
    path: (i) => `/stays/${i.stay}/attentions`,
    expect: ALL_OK,
  },
  {
    name: 'POST attention',
    method: 'post',
    path: (i) => `/stays/${i.stay}/attentions`,
    // Team members record in their own discipline; the others name one.
    body: (i, who) => ({
      personId: i.person,
      kind: 'group_workshop',
      ...(/psychologist|lawyer/.test(who) ? {} : { discipline: 'pedagogy' }),
    }),
    expect: CASEWORK_WRITE,
  },
  { name: 'GET notes', method: 'get', path: (i) => `/stays/${i.stay}/notes`, expect: ALL_OK },
  {
    name: 'POST note',
    method: 'post',
    path: (i) => `/stays/${i.stay}/notes`,
    body: () => ({ body: 'Nota de equipo', visibility: 'team' }),
    expect: CASEWORK_WRITE,
  },
  {
    name: 'GET legal processes',
    method: 'get',
    path: (i) => `/stays/${i.stay}/legal-processes`,
    expect: ALL_OK,
  },
  {
    name: 'POST legal process',
    method: 'post',
    path: (i) => `/stays/${i.stay}/legal-processes`,
    body: () => ({ kind: 'other', authority: 'Juzgado', caseNumber: 'X-1', status: 'open' }),
    expect: LEGAL_WRITE,
  },
  {
    name: 'PATCH legal process',
    method: 'patch',
    path: (i) => `/legal-processes/${i.legalProcess}`,
    body: () => ({ status: 'open' }),
    expect: LEGAL_WRITE,
  },
  {
    name: 'GET /alerts?houseId=1',
    method: 'get',
    path: (i) => `/alerts?houseId=${i.house1}`,
    expect: ALL_OK,
  },
  {
    name: 'POST acknowledge',
    method: 'post',
    path: (i) => `/alerts/${i.alert}/acknowledge`,
    expect: ALL_OK,
  },
  {
    name: 'GET follow-up',
    method: 'get',
    path: (i) => `/follow-ups/${i.followUp}`,
    expect: ALL_OK,
  },
  {
    name: 'POST follow-up complete',
    method: 'post',
    path: (i) => `/follow-ups/${i.followUp}/complete`,
    body: () => ({ outcome: 'contacted' }),
    expect: ALL_OK,
  },
  {
    name: 'GET /occupancy?houseId=1',
    method: 'get',
    path: (i) => `/occupancy?houseId=${i.house1}`,
    expect: ALL_OK,
  },
  {
    name: 'GET rooms of house 1',
    method: 'get',
    path: (i) => `/houses/${i.house1}/rooms`,
    expect: ALL_OK,
  },
  {
    name: 'GET /referrals (queue)',
    method: 'get',
    path: () => `/referrals?status=received`,
    expect: NEVER_TEAM,
  },
  {
    name: 'GET /referrals/:id',
    method: 'get',
    path: (i) => `/referrals/${i.referral}`,
    expect: NEVER_TEAM,
  },
  {
    name: 'GET /audit',
    method: 'get',
    path: (i) => `/audit?resourceId=${i.stay}`,
    expect: { ...NEVER_TEAM, officer: 403 },
  },
  {
    name: 'POST /stays (admit)',
    method: 'post',
    path: () => `/stays`,
    body: (i) => ({ referralId: i.referral }),
    expect: { ...NEVER_TEAM, admin: 'ok', officer: 'ok' },
  },
  {
    name: 'POST transfer',
    method: 'post',
    path: (i) => `/stays/${i.stay}/transfer`,
    body: (i) => ({ toHouseId: i.house1, reason: 'x' }),
    expect: NEVER_TEAM,
  },
  {
    name: 'POST egress',
    method: 'post',
    path: (i) => `/stays/${i.stay}/egress`,
    body: () => ({ reason: 'voluntary' }),
    expect: { ...NEVER_TEAM, coordinator1: 'ok', coordinator2: 404 },
  },
];

describe('Scoping of team members and coordinators: role × house × resource', () => {
  let t: TestApp;
  let ids: Ids;
  const tokens = {} as Record<Who, string>;

  beforeAll(async () => {
    t = await createTestApp();
    const [house1, house2] = await t.houses();
    tokens.admin = await t.adminToken();
    tokens.officer = await t.tokenFor('admission_officer');
    tokens.coordinator1 = await t.tokenFor('house_coordinator', house1.id);
    tokens.coordinator2 = await t.tokenFor('house_coordinator', house2.id);
    tokens.psychologist1 = await t.tokenFor('team_member', house1.id, 'psychology');
    tokens.lawyer1 = await t.tokenFor('team_member', house1.id, 'legal');
    tokens.psychologist2 = await t.tokenFor('team_member', house2.id, 'psychology');
    tokens.lawyer2 = await t.tokenFor('team_member', house2.id, 'legal');

    const family: AdmittedFamily = await admitFamily(t, house1.id);
    const send = (path: string, body: object) =>
      t
        .http()
        .post(`/api/v1${path}`)
        .set('Authorization', `Bearer ${tokens.admin}`)
        .send(body)
        .expect(201);
    const goal = await send(`/stays/${family.stayId}/plan/goals`, {
      area: 'safety',
      description: 'Plan de seguridad',
    });
    const legal = await send(`/stays/${family.stayId}/legal-processes`, {
      kind: 'custody',
      authority: 'Juzgado',
      caseNumber: 'C-1',
      status: 'open',
    });
    const exited = await exitedWithFollowUps(t.dataSource, t.app.get(FollowUpsService), house1.id);
    const [followUpId] = exited.followUpIds;
    const [alert] = await waitFor(
      async () => {
        const found = await t.dataSource.query<{ id: string }[]>(
          `SELECT id FROM alerts WHERE follow_up_id = $1`,
          [followUpId],
        );
        return found.length > 0 ? found : undefined;
      },
      { what: 'the follow-up alert' },
    );
    ids = {
      house1: house1.id,
      stay: family.stayId,
      person: family.people[0],
      goal: goal.body.id,
      legalProcess: legal.body.id,
      followUp: followUpId,
      alert: alert.id,
      referral: (await createReferral(t)).id,
    };
  });
  afterAll(() => t.close());

  const rows = CASES.flatMap((c) =>
    (Object.keys(c.expect) as Who[]).map((who) => [c.name, who, c.expect[who], c] as const),
  );

  it.each(rows)('%s as %s answers %s', async (_name, who, expected, c) => {
    const request = t
      .http()
      [c.method](`/api/v1${c.path(ids)}`)
      .set('Authorization', `Bearer ${tokens[who]}`);
    const response = await (c.body ? request.send(c.body(ids, who)) : request);
    if (expected === 'ok') {
      expect([200, 201, 400, 409]).toContain(response.status);
    } else {
      expect(response.status).toBe(expected);
      expect(response.body.code).toBe(expected === 404 ? 'NOT_FOUND' : 'FORBIDDEN');
    }
  });
});
