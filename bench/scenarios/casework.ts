import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { referralBody } from '../../test/factories/referrals';
import { BenchContext, postJson, ScenarioResult } from '../lib';

const ATTENTIONS = 200;
const NOTES = 50;
const LEGAL_PROCESSES = 3;
const GOALS = 8;
/** A busy house's alert history, a quarter of it still open. */
const ALERTS = 2000;

const KINDS = ['psychological_therapy', 'psychosocial_care', 'education', 'health_care'];
const AREAS = ['safety', 'legal', 'psychosocial', 'health', 'education', 'employment'];

/**
 * The team's two everyday reads. `GET /alerts` for one house (open ones, newest first) with
 * 2,000 alerts in it; and a family's page (expediente) with 200 attentions and 50 notes: plan,
 * attentions, notes (each read audited) and legal processes, the four requests a page makes,
 * read by a psychologist of the house. Everything is written through the API, except the
 * alerts: they are inserted as rows (kind order_overdue, which needs no source row), since
 * raising 2,000 through the queue would measure the queue, not the read.
 */
export async function run(ctx: BenchContext): Promise<ScenarioResult[]> {
  const admin = await ctx.token('admin');
  const auth = { authorization: `Bearer ${admin}` };
  const api = `${ctx.baseUrl}/api/v1`;
  const expect = async <T>(call: Promise<{ status: number; body: T }>, status: number) => {
    const response = await call;
    if (response.status !== status) {
      throw new Error(`casework bench: got ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return response.body;
  };

  const referral = await expect(
    postJson<{ id: string }>(`${api}/referrals`, referralBody({ dependants: 2 }), auth),
    201,
  );
  const stay = await expect(
    postJson<{ id: string; houseId: string; occupants: { personId: string }[] }>(
      `${api}/stays`,
      {
        referralId: referral.id,
        admittedAt: new Date(Date.now() - 60 * 24 * 3600 * 1000).toISOString(),
      },
      auth,
    ),
    201,
  );
  const houseId = stay.houseId;
  const psychologist = await ctx.token('team_member', houseId, 'psychology');
  const lawyer = await ctx.token('team_member', houseId, 'legal');
  const coordinator = await ctx.token('house_coordinator', houseId);
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const people = stay.occupants.map((o) => o.personId);

  for (let i = 0; i < GOALS; i++) {
    await expect(
      postJson(
        `${api}/stays/${stay.id}/plan/goals`,
        { area: AREAS[i % AREAS.length], description: `Meta de prueba ${i}` },
        as(coordinator),
      ),
      201,
    );
  }
  for (let i = 0; i < ATTENTIONS; i++) {
    await expect(
      postJson(
        `${api}/stays/${stay.id}/attentions`,
        {
          personId: people[i % people.length],
          kind: KINDS[i % KINDS.length],
          discipline: 'psychology',
          occurredAt: new Date(Date.now() - (ATTENTIONS - i) * 3600 * 1000).toISOString(),
          durationMinutes: 45,
          note: `Atención de prueba ${i}: ${randomBytes(48).toString('base64')}`,
        },
        as(coordinator),
      ),
      201,
    );
  }
  for (let i = 0; i < NOTES; i++) {
    await expect(
      postJson(
        `${api}/stays/${stay.id}/notes`,
        {
          body: `Nota de prueba ${i}: ${randomBytes(600).toString('base64')}`,
          visibility: i % 2 === 0 ? 'team' : 'discipline',
        },
        as(psychologist),
      ),
      201,
    );
  }
  for (let i = 0; i < LEGAL_PROCESSES; i++) {
    await expect(
      postJson(
        `${api}/stays/${stay.id}/legal-processes`,
        {
          kind: 'custody',
          authority: 'Juzgado de Familia de prueba',
          caseNumber: `BENCH-${i}`,
          status: 'open',
          nextHearingAt: new Date(Date.now() + (10 + i) * 24 * 3600 * 1000).toISOString(),
          note: 'Proceso de prueba',
        },
        as(lawyer),
      ),
      201,
    );
  }

  const db = new Client({ connectionString: ctx.databaseUrl });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO alerts (house_id, kind, stay_id, due_at, created_at, status, acknowledged_at, acknowledged_by)
       SELECT $1, 'order_overdue', $2, now() - g * interval '1 minute', now() - g * interval '1 minute',
              CASE WHEN g % 4 = 0 THEN 'open' ELSE 'acknowledged' END,
              CASE WHEN g % 4 = 0 THEN NULL ELSE now() END,
              CASE WHEN g % 4 = 0 THEN NULL ELSE (SELECT id FROM users WHERE role = 'admin' LIMIT 1) END
       FROM generate_series(1, $3) g`,
      [houseId, stay.id, ALERTS],
    );
    await db.query('ANALYZE alerts');
  } finally {
    await db.end();
  }

  const openAlerts = await ctx.load({
    path: `/api/v1/alerts?houseId=${houseId}&status=open`,
    headers: as(coordinator),
  });
  const page = ['plan', 'attentions', 'notes', 'legal-processes'].map((part) => ({
    method: 'GET',
    path: `/api/v1/stays/${stay.id}/${part}`,
  }));
  const familyPage = await ctx.load({
    path: page[0].path,
    headers: as(psychologist),
    requests: page,
  });
  return [
    {
      name: 'GET /alerts (a house, open, 2,000 in it)',
      ...openAlerts,
      errors: openAlerts.errors + openAlerts.non2xx,
      notes: { alerts: ALERTS, open: ALERTS / 4 },
    },
    {
      name: 'family page: plan + attentions + notes + legal processes',
      ...familyPage,
      errors: familyPage.errors + familyPage.non2xx,
      notes: {
        pagesPerSecond: Math.round(familyPage.requestsPerSecond / page.length),
        attentions: ATTENTIONS,
        notes: NOTES,
        goals: GOALS,
        legalProcesses: LEGAL_PROCESSES,
      },
    },
  ];
}
