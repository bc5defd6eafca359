import { StaffActor } from '../../src/common/actor';
import { DomainError } from '../../src/common/domain-error';
import { ConsentsService } from '../../src/consents/consents.service';
import { CreateReferralDto } from '../../src/referrals/dto/create-referral.dto';
import { ReferralsService } from '../../src/referrals/referrals.service';
import { AdmissionService } from '../../src/stays/admission.service';
import { CreateStayDto } from '../../src/stays/dto/stay.dto';
import { EgressService } from '../../src/stays/egress.service';
import { referralBody } from '../factories/referrals';
import { createServiceContext, ServiceContext } from '../helpers/service-context';

/**
 * The admission's and egress's rules where they live: in one database call each (stays_admit,
 * stays_egress), called through the services with real Postgres, no HTTP.
 */
describe('Admission and egress (service)', () => {
  let ctx: ServiceContext;
  let admission: AdmissionService;
  let egress: EgressService;
  let officer: StaffActor;
  let houses: { id: string; code: string }[];

  beforeAll(async () => {
    ctx = await createServiceContext({ env: { APP_ROLE: 'api' } });
    admission = ctx.get(AdmissionService);
    egress = ctx.get(EgressService);
    officer = await ctx.adminActor();
    houses = await ctx.dataSource.query('SELECT id, code FROM houses ORDER BY code');
  });
  afterAll(() => ctx.close());

  const referral = async (dependants = 0): Promise<string> =>
    (
      await ctx
        .get(ReferralsService)
        .create(officer, referralBody({ dependants }) as unknown as CreateReferralDto, undefined)
    ).receipt.id;
  const admit = (body: Partial<CreateStayDto> & { referralId: string }) =>
    admission.admit(officer, body);
  const codeOf = (result: PromiseSettledResult<unknown>) =>
    result.status === 'rejected' ? (result.reason as DomainError).code : 'ok';
  const count = async (sql: string, params: unknown[]) =>
    (await ctx.dataSource.query<{ n: number }[]>(sql, params))[0].n;
  /** What admission and egress write for a stay, counted, and where its referral stands. */
  const writesOf = async (stayId: string) =>
    (
      await ctx.dataSource.query<Record<string, unknown>[]>(
        `SELECT
           (SELECT count(*) FROM stay_occupants o WHERE o.stay_id = s.id)::int AS occupants,
           (SELECT count(*) FROM stay_occupants o
            WHERE o.stay_id = s.id AND upper_inf(o.during))::int AS "inBeds",
           (SELECT count(*) FROM term_alerts a
            WHERE a.stay_id = s.id AND a.status = 'scheduled')::int AS "scheduledTermAlerts",
           (SELECT count(*) FROM follow_ups f WHERE f.stay_id = s.id)::int AS "followUps",
           (SELECT count(*) FROM audit_events e
            WHERE e.resource_id = s.id AND e.action = 'stay.admitted')::int AS "admittedEvents",
           (SELECT count(*) FROM audit_events e
            WHERE e.resource_id = s.id AND e.action = 'stay.exited')::int AS "exitedEvents",
           r.status AS "referralStatus"
         FROM stays s JOIN referrals r ON r.id = s.referral_id WHERE s.id = $1`,
        [stayId],
      )
    )[0];

  it('gives each bed of a house once when more families race for it than it holds', async () => {
    const house = houses[4];
    const ids = await Promise.all(Array.from({ length: 20 }, () => referral(2)));
    const results = await Promise.allSettled(
      ids.map((id) => admit({ referralId: id, houseId: house.id })),
    );
    const admitted = results.filter((r) => r.status === 'fulfilled');
    // 42 beds, families of 3: 14 fit; the other 6 are refused whole, never split or doubled.
    expect(admitted).toHaveLength(14);
    expect(results.filter((r) => codeOf(r) === 'NO_CAPACITY')).toHaveLength(6);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM (
           SELECT bed_id FROM stay_occupants WHERE house_id = $1 AND upper_inf(during)
           GROUP BY bed_id HAVING count(*) > 1) twice`,
        [house.id],
      ),
    ).toBe(0);
  });

  it('leaves nothing behind when it refuses: the referral waits, no stay, alert or audit event', async () => {
    // The house the first test filled.
    const id = await referral();
    await expect(admit({ referralId: id, houseId: houses[4].id })).rejects.toMatchObject({
      code: 'NO_CAPACITY',
    });
    expect(await count(`SELECT count(*)::int AS n FROM stays WHERE referral_id = $1`, [id])).toBe(
      0,
    );
    expect(
      await count(`SELECT count(*)::int AS n FROM audit_events WHERE details->>'referralId' = $1`, [
        id,
      ]),
    ).toBe(0);
    const [{ status }] = await ctx.dataSource.query('SELECT status FROM referrals WHERE id = $1', [
      id,
    ]);
    expect(status).toBe('received');
  });

  it('admits one of two racing admissions of the same referral; the other is ALREADY_ADMITTED', async () => {
    const id = await referral(1);
    const results = await Promise.allSettled([
      admit({ referralId: id }),
      admit({ referralId: id }),
    ]);
    expect(results.map(codeOf).sort()).toEqual(['ALREADY_ADMITTED', 'ok']);
    const [stay] = await ctx.dataSource.query<{ id: string }[]>(
      'SELECT id FROM stays WHERE referral_id = $1',
      [id],
    );
    // The admission's writes, all from its one call: occupants, referral, term alerts, audit.
    expect(await writesOf(stay.id)).toEqual({
      occupants: 2,
      inBeds: 2,
      scheduledTermAlerts: 3,
      followUps: 0,
      admittedEvents: 1,
      exitedEvents: 0,
      referralStatus: 'admitted',
    });
  });

  it('exits a stay once under racing egresses, frees its beds at once and schedules its follow-ups', async () => {
    const stay = await admit({ referralId: await referral(2) });
    // Follow-ups are scheduled only with her consent to follow-up contact.
    await ctx
      .get(ConsentsService)
      .record(officer, stay.id, { purpose: 'follow_up_contact', granted: true });
    const results = await Promise.allSettled([
      egress.egress(officer, stay.id, { reason: 'voluntary' }),
      egress.egress(officer, stay.id, { reason: 'other' }),
    ]);
    expect(results.map(codeOf).sort()).toEqual(['INVALID_STATE', 'ok']);
    // The egress's writes: beds freed, follow-ups in, term alerts out, audit, referral.
    expect(await writesOf(stay.id)).toEqual({
      occupants: 3,
      inBeds: 0,
      scheduledTermAlerts: 0,
      followUps: ctx.config.followUps.schedule.length,
      admittedEvents: 1,
      exitedEvents: 1,
      referralStatus: 'exited',
    });
    // The freed beds are free at once: the next family can take exactly them.
    const next = await admit({
      referralId: await referral(2),
      houseId: stay.houseId,
      bedIds: stay.occupants.map((o) => o.bedId),
    });
    expect(next.occupants.map((o) => o.bedId)).toEqual(stay.occupants.map((o) => o.bedId));
  });

  it('answers another house’s coordinator as if the stay did not exist, and changes nothing', async () => {
    const stay = await admit({ referralId: await referral() });
    const other = houses.find((h) => h.id !== stay.houseId) as { id: string };
    const coordinator: StaffActor = { ...officer, role: 'house_coordinator', houseId: other.id };
    await expect(
      egress.egress(coordinator, stay.id, { reason: 'voluntary' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const [{ status }] = await ctx.dataSource.query('SELECT status FROM stays WHERE id = $1', [
      stay.id,
    ]);
    expect(status).toBe('active');
  });
});
