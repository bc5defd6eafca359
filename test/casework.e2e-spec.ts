import { admitFamily, AdmittedFamily, exitFamily } from './factories/casework';
import { exitedWithFollowUps } from './factories/follow-up-fixtures';
import { createTestApp, TestApp } from './helpers/test-app';
import { FollowUpsService } from '../src/follow-ups/follow-ups.service';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
/** A valid legal process with nothing but what is required. */
const CUSTODY = { kind: 'custody', authority: 'Juzgado', caseNumber: '1', status: 'open' };

describe('Casework during the stay: plan, attentions, legal processes, follow-up content', () => {
  let t: TestApp;
  let houseId: string;
  let admin: string;
  let coordinator: string;
  let psychologist: string;
  let lawyer: string;
  let family: AdmittedFamily;

  beforeAll(async () => {
    t = await createTestApp();
    houseId = (await t.houses())[0].id;
    admin = await t.adminToken();
    coordinator = await t.tokenFor('house_coordinator', houseId);
    psychologist = await t.tokenFor('team_member', houseId, 'psychology');
    lawyer = await t.tokenFor('team_member', houseId, 'legal');
    family = await admitFamily(t, houseId, { dependants: 2 });
  });
  afterAll(() => t.close());

  const send = (method: 'post' | 'patch', path: string, token: string, body: object) =>
    t.http()[method](`/api/v1${path}`).set('Authorization', `Bearer ${token}`).send(body);
  const get = (path: string, token: string) => t.as(token).get(`/api/v1${path}`);
  const fields = (body: { errors?: { field: string }[] }) =>
    (body.errors ?? []).map((e) => e.field).sort();

  describe('care plan', () => {
    it('adds goals per area as open, updates them, and lists them in the plan', async () => {
      const body = {
        area: 'psychosocial',
        description: 'Fortalecer redes de apoyo',
        targetDate: '2027-02-01',
      };
      const goal = await send(
        'post',
        `/stays/${family.stayId}/plan/goals`,
        psychologist,
        body,
      ).expect(201);
      expect(goal.body).toMatchObject({ ...body, status: 'open' });
      const patched = await send('patch', `/goals/${goal.body.id}`, coordinator, {
        status: 'achieved',
        targetDate: null,
      }).expect(200);
      expect(patched.body).toMatchObject({ status: 'achieved', targetDate: null });
      const plan = await get(`/stays/${family.stayId}/plan`, psychologist).expect(200);
      expect(plan.body.stayId).toBe(family.stayId);
      expect(plan.body.goals).toEqual([
        expect.objectContaining({ id: goal.body.id, status: 'achieved' }),
      ]);
    });

    it('refuses an unknown area or status with 400 and a goal on an exited stay with 409', async () => {
      const bad = await send('post', `/stays/${family.stayId}/plan/goals`, psychologist, {
        area: 'leisure',
        description: 'x',
        extra: 1,
      }).expect(400);
      expect(fields(bad.body)).toEqual(['area', 'extra']);
      const exited = await admitFamily(t, houseId, { dependants: 0 });
      const goal = await send('post', `/stays/${exited.stayId}/plan/goals`, coordinator, {
        area: 'housing',
        description: 'Buscar arriendo',
      }).expect(201);
      await exitFamily(t, exited.stayId);
      const refused = await send('post', `/stays/${exited.stayId}/plan/goals`, coordinator, {
        area: 'housing',
        description: 'Otra meta',
      }).expect(409);
      expect(refused.body.code).toBe('INVALID_STATE');
      await send('patch', `/goals/${goal.body.id}`, coordinator, { status: 'done' }).expect(400);
      const patch = await send('patch', `/goals/${goal.body.id}`, coordinator, {
        status: 'dropped',
      }).expect(409);
      expect(patch.body.code).toBe('INVALID_STATE');
    });
  });

  describe('attentions', () => {
    it('records an attention with the author discipline and lists newest first, by person and discipline', async () => {
      const [woman, child] = family.people;
      const first = await send('post', `/stays/${family.stayId}/attentions`, psychologist, {
        personId: woman,
        kind: 'psychological_therapy',
        occurredAt: new Date(Date.now() - 2 * DAY).toISOString(),
        durationMinutes: 50,
        note: 'Sesión inicial',
      }).expect(201);
      expect(first.body).toMatchObject({
        stayId: family.stayId,
        personId: woman,
        discipline: 'psychology',
        kind: 'psychological_therapy',
        durationMinutes: 50,
      });
      expect(first.body.authorId).toEqual(expect.any(String));
      const second = await send('post', `/stays/${family.stayId}/attentions`, coordinator, {
        personId: child,
        kind: 'education',
        discipline: 'pedagogy',
      }).expect(201);
      expect(second.body.discipline).toBe('pedagogy');

      const all = await get(`/stays/${family.stayId}/attentions`, coordinator).expect(200);
      expect(all.body.map((a: { id: string }) => a.id)).toEqual([second.body.id, first.body.id]);
      const ofChild = await get(
        `/stays/${family.stayId}/attentions?personId=${child}`,
        psychologist,
      ).expect(200);
      expect(ofChild.body.map((a: { id: string }) => a.id)).toEqual([second.body.id]);
      const psychology = await get(
        `/stays/${family.stayId}/attentions?discipline=psychology`,
        psychologist,
      ).expect(200);
      expect(psychology.body.map((a: { id: string }) => a.id)).toEqual([first.body.id]);
    });

    it('answers 400 for a person not in the stay, a date in the future, before admission or after egress, and unknown enums', async () => {
      const other = await admitFamily(t, houseId, { dependants: 0 });
      const post = (body: object, token = psychologist, stayId = family.stayId) =>
        send('post', `/stays/${stayId}/attentions`, token, body);
      const person = family.people[0];
      expect(
        fields((await post({ personId: other.people[0], kind: 'nutrition' }).expect(400)).body),
      ).toEqual(['personId']);
      const future = new Date(Date.now() + HOUR).toISOString();
      expect(
        fields((await post({ personId: person, kind: 'nutrition', occurredAt: future })).body),
      ).toEqual(['occurredAt']);
      const beforeAdmission = new Date(Date.parse(family.admittedAt) - HOUR).toISOString();
      expect(
        fields(
          (await post({ personId: person, kind: 'nutrition', occurredAt: beforeAdmission })).body,
        ),
      ).toEqual(['occurredAt']);
      const unknown = await post({ personId: person, kind: 'yoga', discipline: 'astrology' });
      expect(unknown.status).toBe(400);
      expect(fields(unknown.body)).toEqual(['discipline', 'kind']);
      // A coordinator names the discipline; a team member may not claim another.
      expect(
        fields((await post({ personId: person, kind: 'nutrition' }, coordinator)).body),
      ).toEqual(['discipline']);
      expect(
        fields(
          (await post({ personId: person, kind: 'nutrition', discipline: 'legal' }, psychologist))
            .body,
        ),
      ).toEqual(['discipline']);

      const exitedAt = new Date(Date.now() - HOUR).toISOString();
      await exitFamily(t, other.stayId, exitedAt);
      const after = await post(
        { personId: other.people[0], kind: 'nutrition', occurredAt: new Date().toISOString() },
        psychologist,
        other.stayId,
      ).expect(400);
      expect(fields(after.body)).toEqual(['occurredAt']);
      await post(
        {
          personId: other.people[0],
          kind: 'nutrition',
          occurredAt: new Date(Date.now() - 2 * HOUR).toISOString(),
        },
        psychologist,
        other.stayId,
      ).expect(201);
    });
  });

  describe('legal processes', () => {
    it('records a process with its history, and a lawyer changes it; other disciplines may only read', async () => {
      const hearing = new Date(Date.now() + 10 * DAY).toISOString();
      const process = {
        kind: 'protection_order',
        authority: 'Comisaría de Familia Kennedy 1',
        caseNumber: '11001-CF-2026-00999',
        status: 'open',
        note: 'Primera audiencia',
      };
      const created = await send('post', `/stays/${family.stayId}/legal-processes`, lawyer, {
        ...process,
        nextHearingAt: hearing,
      }).expect(201);
      expect(created.body).toMatchObject(process);
      expect(Date.parse(created.body.nextHearingAt)).toBe(Date.parse(hearing));
      expect(created.body.history).toHaveLength(1);

      await send('post', `/stays/${family.stayId}/legal-processes`, psychologist, CUSTODY).expect(
        403,
      );

      const updated = await send('patch', `/legal-processes/${created.body.id}`, lawyer, {
        status: 'order_granted',
        note: 'Medida concedida',
      }).expect(200);
      expect(updated.body.status).toBe('order_granted');
      expect(updated.body.history).toEqual([
        expect.objectContaining({ action: 'created' }),
        expect.objectContaining({
          action: 'updated',
          changed: ['status', 'note'],
          status: 'order_granted',
          note: 'Medida concedida',
          changedBy: expect.any(String),
          changedAt: expect.any(String),
        }),
      ]);
      const list = await get(`/stays/${family.stayId}/legal-processes`, psychologist).expect(200);
      expect(list.body.map((p: { id: string }) => p.id)).toEqual([created.body.id]);
    });

    it('refuses a hearing in the past and unknown kinds or statuses with 400', async () => {
      const bad = await send('post', `/stays/${family.stayId}/legal-processes`, lawyer, {
        ...CUSTODY,
        kind: 'feud',
        status: 'pending',
      }).expect(400);
      expect(fields(bad.body)).toEqual(['kind', 'status']);
      const past = await send('post', `/stays/${family.stayId}/legal-processes`, lawyer, {
        ...CUSTODY,
        nextHearingAt: new Date(Date.now() - HOUR).toISOString(),
      }).expect(400);
      expect(fields(past.body)).toEqual(['nextHearingAt']);
    });

    it('raises one hearing_soon alert 24 hours before the hearing; a changed date reschedules it', async () => {
      const created = await send('post', `/stays/${family.stayId}/legal-processes`, lawyer, {
        kind: 'criminal_complaint',
        authority: 'Fiscalía',
        caseNumber: 'F-1',
        status: 'open',
        nextHearingAt: new Date(Date.now() + 30 * DAY).toISOString(),
      }).expect(201);
      const pending = () =>
        t.dataSource.query<{ status: string; hearing_at: Date }[]>(
          `SELECT status, hearing_at FROM hearing_alerts WHERE legal_process_id = $1 ORDER BY created_at`,
          [created.body.id],
        );
      expect((await pending()).map((h) => h.status)).toEqual(['scheduled']);
      // Moved to tomorrow, in less than 24 hours: the alert is due at once.
      const soon = new Date(Date.now() + 20 * HOUR).toISOString();
      await send('patch', `/legal-processes/${created.body.id}`, lawyer, {
        nextHearingAt: soon,
      }).expect(200);
      const alert = await waitForAlert(created.body.id);
      expect(alert).toMatchObject({ kind: 'hearing_soon', houseId, stayId: family.stayId });
      expect(Date.parse(alert.dueAt)).toBe(Date.parse(soon));
      const rows = await pending();
      expect(rows.map((h) => h.status)).toEqual(['cancelled', 'sent']);
      const [{ count }] = await t.dataSource.query<{ count: number }[]>(
        `SELECT count(*)::int AS count FROM alerts WHERE legal_process_id = $1`,
        [created.body.id],
      );
      expect(count).toBe(1);
    });
  });

  describe('follow-up content', () => {
    it('records the situation encrypted, shows it to the house, and raises an at_risk alert at once', async () => {
      const exited = await exitedWithFollowUps(t.dataSource, t.app.get(FollowUpsService), houseId, {
        enqueue: false,
      });
      const [followUpId] = exited.followUpIds;
      const bad = await send('post', `/follow-ups/${followUpId}/complete`, psychologist, {
        outcome: 'contacted',
        situation: { safety: 'scared', housing: 'tent' },
      }).expect(400);
      expect(fields(bad.body)).toEqual(['situation.housing', 'situation.safety']);
      const situation = {
        safety: 'at_risk',
        housing: 'temporary',
        legalProgress: 'Audiencia aplazada',
        psychosocialProgress: 'Asiste a terapia',
      };
      const done = await send('post', `/follow-ups/${followUpId}/complete`, psychologist, {
        outcome: 'contacted',
        situation,
      }).expect(200);
      expect(done.body.situation).toEqual(situation);
      const alerts = await get(`/alerts?kind=at_risk&houseId=${houseId}`, coordinator).expect(200);
      expect(alerts.body).toEqual([
        expect.objectContaining({ kind: 'at_risk', followUpId, status: 'open' }),
      ]);
      const shown = await get(`/follow-ups/${followUpId}`, coordinator).expect(200);
      expect(shown.body.situation.legalProgress).toBe('Audiencia aplazada');
      const [row] = await t.dataSource.query<{ legal_progress: string }[]>(
        `SELECT legal_progress FROM follow_up_situations WHERE follow_up_id = $1`,
        [followUpId],
      );
      expect(row.legal_progress).not.toContain('Audiencia');
    });
  });

  async function waitForAlert(legalProcessId: string) {
    const deadline = Date.now() + 15000;
    for (;;) {
      const response = await get(`/alerts?kind=hearing_soon`, admin).expect(200);
      const found = (response.body as { legalProcessId: string; dueAt: string }[]).find(
        (a) => a.legalProcessId === legalProcessId,
      );
      if (found) {
        return found;
      }
      if (Date.now() > deadline) {
        throw new Error('no hearing_soon alert within 15 s');
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
});
