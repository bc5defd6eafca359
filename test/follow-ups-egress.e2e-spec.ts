import { HousesRepository } from '../src/houses/houses.repository';
import { StayRepository } from '../src/stays/stay.repository';
import { useTestApp } from './helpers/test-app';
import { waitFor } from './helpers/processes';

/**
 * The whole path through HTTP, as staff use it: admission writes term alerts, an extension
 * moves them, egress writes the follow-ups and the queue makes them due; a new admission of the
 * same woman cancels what was still pending.
 */
describe('Follow-ups wired into admission, extension and egress', () => {
  const t = useTestApp();

  /** Admits a woman (and a child) referred through intake; her document says who she is. */
  const admitWoman = async (documentNumber: string) =>
    t.admit((await t.referral({ dependants: 1, documentNumber })).id);

  const termAlerts = (stayId: string) =>
    t.dataSource.query<{ kind: string; status: string; term_ends_at: Date }[]>(
      `SELECT kind, status, term_ends_at FROM term_alerts WHERE stay_id = $1 ORDER BY created_at, kind`,
      [stayId],
    );

  it('schedules term alerts at admission and moves them with an extension', async () => {
    const stay = await admitWoman('71000001');
    const first = await termAlerts(stay.id);
    expect(
      first
        .filter((a) => a.status === 'scheduled')
        .map((a) => a.kind)
        .sort(),
    ).toEqual(['term_ending_soon', 'term_ends', 'term_overdue']);
    expect(first.every((a) => new Date(a.term_ends_at).toISOString() === stay.termEndsAt)).toBe(
      true,
    );

    const until = new Date(new Date(stay.termEndsAt).getTime() + 30 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const extended = (
      await t
        .as(t.admin)
        .post(`/api/v1/stays/${stay.id}/extensions`)
        .send({ until, reason: 'Proceso judicial en curso' })
        .expect(200)
    ).body;
    const moved = (await termAlerts(stay.id)).filter((a) => a.status === 'scheduled');
    expect(moved).toHaveLength(3);
    expect(moved.every((a) => new Date(a.term_ends_at).toISOString() === extended.termEndsAt)).toBe(
      true,
    );
  });

  it("never makes a worker's reminder wait for a stay or house locked by a use case", async () => {
    // An extension holds the stay's row while it rewrites the term alerts; a worker recording a
    // reminder meanwhile checks the stay and house foreign keys. With FOR UPDATE that check
    // waited on the extension while the extension waited on the worker's alert row: a deadlock,
    // seen as an occasional 500 on extensions under load. FOR NO KEY UPDATE leaves keys free.
    const stay = await admitWoman('71000003');
    const stays = t.app.get(StayRepository);
    const houses = t.app.get(HousesRepository);
    await t.dataSource.transaction(async (useCase) => {
      await stays.lockStay(useCase, stay.id);
      await houses.lockBed(useCase, stay.occupants[0].bedId);
      await useCase.query('SELECT id FROM houses WHERE id = $1 FOR NO KEY UPDATE', [stay.houseId]);
      await t.dataSource.transaction(async (worker) => {
        await worker.query(`SET LOCAL lock_timeout = '2s'`);
        await worker.query(
          `INSERT INTO reminders (kind, house_id, stay_id, term_alert_id)
           SELECT 'term_ends', $1, $2, id FROM term_alerts WHERE stay_id = $2 AND kind = 'term_ends' LIMIT 1`,
          [stay.houseId, stay.id],
        );
      });
    });
  });

  it('turns egress into follow-ups that fall due once, and cancels pending ones when she is admitted again', async () => {
    const stay = await admitWoman('71000002');
    const exited = await t.egress(stay.id, {
      reason: 'voluntary',
      destination: 'Red de apoyo familiar',
    });
    expect((await termAlerts(stay.id)).every((a) => a.status === 'cancelled')).toBe(true);

    // Where she went is personal data: encrypted at rest, absent from lists, audited when read.
    expect(exited.egressDestination).toBe('Red de apoyo familiar');
    const [stored] = await t.dataSource.query(
      'SELECT egress_destination FROM stays WHERE id = $1',
      [stay.id],
    );
    expect(stored.egress_destination).toMatch(/^v2\./);
    const listed = await t.as(t.officer).get('/api/v1/stays?status=exited').expect(200);
    const inList = listed.body.find((s: { id: string }) => s.id === stay.id);
    expect(inList).toBeDefined();
    expect(inList).not.toHaveProperty('egressDestination');
    expect(inList).not.toHaveProperty('egressNotes');
    const one = await t.as(t.officer).get(`/api/v1/stays/${stay.id}`).expect(200);
    expect(one.body.egressDestination).toBe('Red de apoyo familiar');
    const audit = await t.as(t.admin).get(`/api/v1/audit?resourceId=${stay.id}`).expect(200);
    expect(audit.body.map((e: { action: string }) => e.action)).toContain(
      'stay.personal_data_read',
    );

    const list = async () =>
      (await t.as(t.officer).get(`/api/v1/follow-ups?stayId=${stay.id}`).expect(200)).body as {
        id: string;
        dueAt: string;
        status: string;
        remindersSent: number;
      }[];
    const scheduled = await list();
    // FOLLOW_UP_SCHEDULE is PT4S,PT9S in the tests.
    expect(
      scheduled.map(
        (f) => new Date(f.dueAt).getTime() - new Date(String(exited.exitedAt)).getTime(),
      ),
    ).toEqual([4000, 9000]);
    expect(scheduled.map((f) => f.status)).toEqual(['scheduled', 'scheduled']);

    const [firstDue] = await waitFor(
      async () => {
        const now = await list();
        return now[0].status === 'due' ? now : undefined;
      },
      { timeoutMs: 15000, what: 'the first follow-up to fall due' },
    );
    expect(firstDue.remindersSent).toBe(1);

    await t
      .as(t.officer)
      .post(`/api/v1/follow-ups/${firstDue.id}/complete`)
      .send({ outcome: 'contacted', notes: 'Está con su hermana en Soacha' })
      .expect(200);

    // Admitted again before the second one falls due: what is pending is cancelled, what the
    // team did stays done.
    await admitWoman('71000002');
    const after = await list();
    expect(after.map((f) => f.status)).toEqual(['completed', 'cancelled']);
  });
});
