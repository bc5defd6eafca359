import { DateTime } from 'luxon';
import { REJECTION_REASON_CODES, RejectionReasonCode } from '../src/referrals/referral.types';
import { createReferral, provisionalReferralBody } from './factories/referrals';
import { createTestApp, TestApp } from './helpers/test-app';

/**
 * The independent check of the accountability report: a generated year of events is sent
 * through the API (back-dated admissions and egresses, provisional admissions and their orders,
 * extensions, transfers, rejections, withdrawals, refusals for lack of room, attentions,
 * completed follow-ups), and every indicator the service computes in
 * SQL is compared with a count made here, in plain TypeScript, from the events sent.
 */

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const TZ = 'America/Bogota';
const REASONS = ['term_completed', 'voluntary', 'transferred_out', 'rule_breach', 'other'] as const;
const KINDS = ['psychosocial_care', 'legal_guidance', 'education', 'health_care', 'nutrition'];
const DISCIPLINES = ['psychology', 'legal', 'pedagogy', 'health', 'nutrition'];
const OUTCOMES = ['contacted', 'not_reachable', 'declined'] as const;

/** A small seeded generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Interval {
  personId: string;
  role: 'woman' | 'dependant';
  houseId: string;
  start: number;
  end: number | null;
}

interface Family {
  stayId: string;
  referralCreatedAt: number;
  people: string[];
  originHouse: string;
  admittedAt: number;
  exitedAt: number | null;
  exitHouse: string | null;
  reason: (typeof REASONS)[number] | null;
  /** Admitted provisionally: when its order was due, and when it was attached (if it was). */
  orderDueBy: number | null;
  orderAttachedAt: number | null;
}

describe('Accountability indicators against a replayed year counted independently', () => {
  let t: TestApp;
  let admin: string;
  let houses: string[];
  const rand = random(Number(process.env.REPORT_REPLAY_SEED ?? 20261130));
  const pick = <T>(values: readonly T[]): T => values[Math.floor(rand() * values.length)];

  const families: Family[] = [];
  const intervals: Interval[] = [];
  const extensions: { at: number; houseId: string }[] = [];
  const transfers: { at: number; from: string; to: string }[] = [];
  const referrals: { createdAt: number; admittedTo: string | null }[] = [];
  /** Days (YYYY-MM-DD in TZ) of unmet demand, one per referral and day refused. */
  const unmetDays: string[] = [];
  const closed: {
    status: 'rejected' | 'withdrawn';
    at: number;
    /** A rejection's code (as sent, or the default `other` when none was). */
    code?: RejectionReasonCode;
  }[] = [];
  const attentions: {
    at: number;
    personId: string;
    houseId: string;
    kind: string;
    discipline: string;
  }[] = [];
  const followUps: {
    id: string;
    houseId: string;
    dueAt: number;
    completedAt: number | null;
    outcome: string | null;
  }[] = [];

  const post = (path: string, body: object) =>
    t.http().post(`/api/v1${path}`).set('Authorization', `Bearer ${admin}`).send(body);

  /** The house a person was in at an instant: her latest interval started by then. */
  const houseAt = (personId: string, at: number): string =>
    intervals
      .filter((i) => i.personId === personId && i.start <= at)
      .sort((a, b) => b.start - a.start)[0].houseId;

  /** Admits (back-dated) a family of a new referral that arrived `waitedHours` before. */
  async function admitFamily(
    admittedAt: number,
    houseId: string,
    waitedHours: number,
    provisional = false,
  ) {
    const dependants = Math.floor(rand() * 4);
    const referral = provisional
      ? await provisionalReferral(dependants)
      : await createReferral(t, { dependants });
    const referralCreatedAt = admittedAt - waitedHours * HOUR;
    await t.dataSource.query('UPDATE referrals SET created_at = $2 WHERE id = $1', [
      referral.id,
      new Date(referralCreatedAt),
    ]);
    const stay = await post('/stays', {
      referralId: referral.id,
      houseId,
      admittedAt: new Date(admittedAt).toISOString(),
    }).expect(201);
    const family: Family = {
      stayId: stay.body.id,
      referralCreatedAt,
      people: referral.people,
      originHouse: houseId,
      admittedAt,
      exitedAt: null,
      exitHouse: null,
      reason: null,
      orderDueBy: provisional ? admittedAt + 72 * HOUR : null,
      orderAttachedAt: null,
    };
    families.push(family);
    referral.people.forEach((personId, i) =>
      intervals.push({
        personId,
        role: i === 0 ? 'woman' : 'dependant',
        houseId,
        start: admittedAt,
        end: null,
      }),
    );
    referrals.push({ createdAt: referralCreatedAt, admittedTo: houseId });
    return family;
  }

  const stayFor = (f: Family) => intervals.filter((i) => f.people.includes(i.personId));

  /** Ends a family's stay (back-dated) in the house it is in. */
  async function exitFamily(f: Family, exitedAt: number) {
    const reason = pick(REASONS);
    // The follow-ups counted below exist only where she consented to follow-up contact.
    await post(`/stays/${f.stayId}/consents`, {
      purpose: 'follow_up_contact',
      granted: true,
    }).expect(201);
    await post(`/stays/${f.stayId}/egress`, {
      reason,
      exitedAt: new Date(exitedAt).toISOString(),
    }).expect(200);
    f.exitedAt = exitedAt;
    f.exitHouse = houseAt(f.people[0], exitedAt);
    f.reason = reason;
    stayFor(f).forEach((i) => (i.end ??= exitedAt));
  }

  /** Moves a family now to another house. */
  async function transferFamily(f: Family) {
    const from = houseAt(f.people[0], Date.now());
    const to = houses.find((h) => h !== from) as string;
    const before = Date.now();
    await post(`/stays/${f.stayId}/transfer`, { toHouseId: to, reason: 'Seguridad' }).expect(200);
    const [{ at }] = await t.dataSource.query<{ at: Date }[]>(
      'SELECT transferred_at AS at FROM stay_transfers WHERE stay_id = $1 ORDER BY transferred_at DESC LIMIT 1',
      [f.stayId],
    );
    expect(at.getTime()).toBeGreaterThanOrEqual(before - 1000);
    transfers.push({ at: at.getTime(), from, to });
    for (const i of stayFor(f).filter((x) => x.end === null)) {
      i.end = at.getTime();
      intervals.push({ ...i, houseId: to, start: at.getTime(), end: null });
    }
  }

  /** An attention to someone of the family at an instant of the stay (written now). */
  async function giveAttention(f: Family, at: number) {
    const personId = pick(f.people);
    const kind = pick(KINDS);
    const discipline = pick(DISCIPLINES);
    await post(`/stays/${f.stayId}/attentions`, {
      personId,
      kind,
      discipline,
      occurredAt: new Date(at).toISOString(),
    }).expect(201);
    attentions.push({ at, personId, houseId: houseAt(personId, at), kind, discipline });
  }

  /**
   * Records the follow-ups a family's egress scheduled (once), and completes now, with an
   * outcome, those already due: half of them at random (`some`), all (`due`) or none.
   */
  async function recordFollowUps(f: Family, complete: 'some' | 'due' | 'none') {
    const now = Date.now();
    const list = await t
      .http()
      .get(`/api/v1/follow-ups?stayId=${f.stayId}`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    for (const fu of list.body as { id: string; dueAt: string; houseId: string }[]) {
      expect(fu.houseId).toBe(f.exitHouse);
      let recorded = followUps.find((x) => x.id === fu.id);
      if (!recorded) {
        const dueAt = Date.parse(fu.dueAt);
        recorded = { id: fu.id, houseId: fu.houseId, dueAt, completedAt: null, outcome: null };
        followUps.push(recorded);
      }
      const completing = complete === 'due' || (complete === 'some' && rand() < 0.5);
      if (completing && recorded.dueAt < now && recorded.completedAt === null) {
        const outcome = pick(OUTCOMES);
        await post(`/follow-ups/${fu.id}/complete`, { outcome }).expect(200);
        recorded.completedAt = Date.now();
        recorded.outcome = outcome;
      }
    }
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.adminToken();
    houses = (await t.houses()).map((h) => h.id);
    // The seeded beds were there for the whole year replayed.
    await t.dataSource.query(`UPDATE beds SET available_from = now() - interval '800 days'`);
    const now = Date.now();

    // Admissions, all before any egress so that every bed taken is free for good; some before
    // the year, so that they are served in it without being admitted in it.
    for (let n = 0; n < 36; n++) {
      const admittedAt = Math.floor((now - (3 + rand() * 420) * DAY) / 1000) * 1000;
      // One in four admitted provisionally, before the protection order (recorded by staff).
      await admitFamily(admittedAt, pick(houses), Math.floor(rand() * 96), n % 4 === 1);
    }

    // Egress (back-dated) for most families admitted more than a week ago.
    for (const f of families) {
      if (f.admittedAt > now - 7 * DAY || rand() < 0.25) {
        continue;
      }
      const latest = Math.min(now - HOUR, f.admittedAt + 185 * DAY);
      await exitFamily(
        f,
        Math.floor((f.admittedAt + DAY + rand() * (latest - f.admittedAt - DAY)) / 1000) * 1000,
      );
    }

    // Orders of provisional stays: some attached in time, some late, some never (the time of
    // attaching is set afterwards, as the admissions' were).
    for (const [k, f] of families.filter((x) => x.orderDueBy !== null).entries()) {
      if (k % 3 === 2) {
        continue;
      }
      const referralId = await referralOf(f.stayId);
      await post(`/referrals/${referralId}/protection-order`, {
        number: `11001-CF-2026-R${k}`,
        authorityType: 'comisaria_familia',
        authorityName: 'Comisaría de Familia Bosa',
        issuedAt: '2020-01-01',
      }).expect(200);
      const at = Math.min(now - HOUR, f.admittedAt + (k % 3 === 0 ? 24 : 100) * HOUR);
      await t.dataSource.query('UPDATE referrals SET order_attached_at = $2 WHERE id = $1', [
        referralId,
        new Date(at),
      ]);
      f.orderAttachedAt = at;
    }

    const active = families.filter((f) => f.exitedAt === null);
    // Extensions (now) of active stays whose limit is still ahead, then transfers (now).
    for (const f of active.slice(0, 6)) {
      const stay = await t
        .http()
        .get(`/api/v1/stays/${f.stayId}`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(200);
      const max = DateTime.fromISO(stay.body.maxEndsAt as string).setZone(TZ);
      if (max.toMillis() < Date.now() + DAY) {
        continue;
      }
      await post(`/stays/${f.stayId}/extensions`, {
        until: max.toISODate(),
        reason: 'Proceso jurídico en curso',
      }).expect(200);
      extensions.push({ at: Date.now(), houseId: f.originHouse });
    }
    for (const f of active.slice(-4)) {
      await transferFamily(f);
    }

    // Referrals that never became a stay.
    for (let n = 0; n < 9; n++) {
      const referral = await createReferral(t, { dependants: 1 });
      const [{ createdAt }] = await t.dataSource.query<{ createdAt: Date }[]>(
        'SELECT created_at AS "createdAt" FROM referrals WHERE id = $1',
        [referral.id],
      );
      referrals.push({ createdAt: createdAt.getTime(), admittedTo: null });
      if (n < 6) {
        // Some codes twice, one default: the report counts by code, not all under `other`.
        const sent = (
          [undefined, 'no_capacity', 'no_capacity', 'not_eligible', 'duplicate', 'other'] as const
        )[n];
        await post(`/referrals/${referral.id}/reject`, {
          reason: 'No cumple criterios',
          ...(sent === undefined ? {} : { reasonCode: sent }),
        }).expect(200);
        closed.push({ status: 'rejected', at: Date.now(), code: sent ?? 'other' });
      } else if (n < 8) {
        await post(`/referrals/${referral.id}/withdraw`, {}).expect(200);
        closed.push({ status: 'withdrawn', at: Date.now() });
      }
    }

    // Refusals for lack of room (a wheelchair user's family of 8 fits no house): on record once
    // per referral and day, moved to days of the year as the admissions were back-dated.
    for (let n = 0; n < 5; n++) {
      const referral = await createReferral(t, { dependants: 7, wheelchairAccessible: true });
      const [{ createdAt }] = await t.dataSource.query<{ createdAt: Date }[]>(
        'SELECT created_at AS "createdAt" FROM referrals WHERE id = $1',
        [referral.id],
      );
      referrals.push({ createdAt: createdAt.getTime(), admittedTo: null });
      for (let day = 0; day < 1 + (n % 2); day++) {
        // Twice on the same day: one day on record.
        for (let again = 0; again < 2; again++) {
          await post('/stays', { referralId: referral.id }).expect(409);
        }
        const moved = DateTime.fromMillis(now - (1 + rand() * 400) * DAY, { zone: TZ });
        await t.dataSource.query(
          `UPDATE unmet_demand SET local_day = $2, recorded_at = $3
           WHERE referral_id = $1 AND local_day = $4`,
          [referral.id, moved.toISODate(), moved.toJSDate(), today().toISODate()],
        );
        unmetDays.push(moved.toISODate()!);
      }
    }

    // Attentions, at instants inside each stay (and in the house she was in then).
    for (const f of families) {
      const until = f.exitedAt ?? now;
      for (let k = 0; k < 2; k++) {
        await giveAttention(
          f,
          Math.floor((f.admittedAt + rand() * (until - f.admittedAt - HOUR)) / 1000) * 1000,
        );
      }
    }

    // Follow-ups the egresses scheduled: some completed now, with an outcome.
    for (const f of families.filter((x) => x.exitedAt !== null)) {
      await recordFollowUps(f, 'some');
    }
  }, 120_000);
  afterAll(() => t.close());

  /** A referral recorded provisionally by staff through the API, with its people's ids. */
  async function provisionalReferral(dependants: number) {
    const receipt = await post('/referrals', provisionalReferralBody({ dependants })).expect(201);
    const people = await t.dataSource.query<{ id: string }[]>(
      'SELECT id FROM referral_people WHERE referral_id = $1 ORDER BY position',
      [receipt.body.id],
    );
    return { id: receipt.body.id as string, people: people.map((p) => p.id) };
  }

  async function referralOf(stayId: string): Promise<string> {
    const [{ referralId }] = await t.dataSource.query<{ referralId: string }[]>(
      'SELECT referral_id AS "referralId" FROM stays WHERE id = $1',
      [stayId],
    );
    return referralId;
  }

  /** Every indicator, counted from the events above. */
  function expected(from: string, to: string, houseId: string | null) {
    const starts = DateTime.fromISO(from, { zone: TZ }).toMillis();
    const ends = DateTime.fromISO(to, { zone: TZ }).plus({ days: 1 }).toMillis();
    const inPeriod = (at: number | null) => at !== null && at >= starts && at < ends;
    const inHouse = (h: string | null) => houseId === null || h === houseId;
    const count = <T>(xs: T[], f: (x: T) => boolean) => xs.filter(f).length;
    const median = (xs: number[]) => {
      if (xs.length === 0) {
        return null;
      }
      const s = [...xs].sort((a, b) => a - b);
      const m = Math.floor(s.length / 2);
      return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
    };
    const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

    const overlapping = intervals.filter(
      (i) => inHouse(i.houseId) && i.start < ends && (i.end === null || i.end > starts),
    );
    const served = (role: 'woman' | 'dependant') =>
      new Set(overlapping.filter((i) => i.role === role).map((i) => i.personId)).size;
    const admitted = families.filter((f) => inPeriod(f.admittedAt) && inHouse(f.originHouse));
    const exited = families.filter((f) => inPeriod(f.exitedAt) && inHouse(f.exitHouse));
    const lengths = exited.map((f) => ((f.exitedAt as number) - f.admittedAt) / DAY);

    let bedNights = 0;
    let capacity = 0;
    for (
      let d = DateTime.fromISO(from, { zone: TZ });
      d.toISODate()! <= to;
      d = d.plus({ days: 1 })
    ) {
      const last = d.plus({ days: 1 }).toMillis() - 1;
      bedNights += count(
        intervals,
        (i) => inHouse(i.houseId) && i.start <= last && (i.end === null || i.end > last),
      );
      capacity += houseId === null ? 42 * houses.length : 42;
    }
    const given = attentions.filter((a) => inPeriod(a.at) && inHouse(a.houseId));
    const completed = followUps.filter((f) => inPeriod(f.completedAt) && inHouse(f.houseId));
    const tally = (values: string[], keys: readonly string[]) =>
      Object.fromEntries(keys.map((k) => [k, count(values, (v) => v === k)]));

    return {
      womenServed: served('woman'),
      dependantsServed: served('dependant'),
      childrenServed: served('dependant'),
      admissions: admitted.length,
      peopleAdmitted: admitted.reduce((n, f) => n + f.people.length, 0),
      exits: tally(
        exited.map((f) => f.reason as string),
        REASONS,
      ),
      bedNights,
      occupancyRate: Math.round((bedNights / capacity) * 10000) / 10000,
      averageStayDays: round1(
        lengths.length ? lengths.reduce((a, b) => a + b, 0) / lengths.length : null,
      ),
      medianStayDays: round1(median(lengths)),
      extensions: count(extensions, (e) => inPeriod(e.at) && inHouse(e.houseId)),
      transfers: count(
        transfers,
        (x) => inPeriod(x.at) && (houseId === null || houseId === x.from || houseId === x.to),
      ),
      referrals: {
        received: count(
          referrals,
          (r) => inPeriod(r.createdAt) && (houseId === null || r.admittedTo === houseId),
        ),
        admitted: admitted.length,
        withdrawn:
          houseId === null ? count(closed, (c) => c.status === 'withdrawn' && inPeriod(c.at)) : 0,
        rejected: Object.fromEntries(
          REJECTION_REASON_CODES.map((code) => [
            code,
            houseId === null
              ? count(closed, (c) => c.status === 'rejected' && c.code === code && inPeriod(c.at))
              : 0,
          ]),
        ),
        refusedNoCapacity:
          houseId === null ? count(unmetDays, (day) => day >= from && day <= to) : 0,
      },
      medianHoursReferralToAdmission: round1(
        median(admitted.map((f) => Math.max(0, f.admittedAt - f.referralCreatedAt) / HOUR)),
      ),
      provisionalAdmissions: count(admitted, (f) => f.orderDueBy !== null),
      ordersOverdue: count(families, (f) => {
        const due = f.orderDueBy;
        return (
          due !== null &&
          inPeriod(due) &&
          due <= Date.now() &&
          (f.orderAttachedAt === null || f.orderAttachedAt > due) &&
          (f.exitedAt === null || f.exitedAt > due) &&
          inHouse(houseAt(f.people[0], due))
        );
      }),
      followUps: {
        due: count(followUps, (f) => inPeriod(f.dueAt) && inHouse(f.houseId)),
        completed: completed.length,
        byOutcome: tally(
          completed.map((f) => f.outcome as string),
          OUTCOMES,
        ),
      },
      attentions: {
        total: given.length,
        peopleReached: new Set(given.map((a) => a.personId)).size,
        byDiscipline: {
          ...tally([], ['psychology', 'social_work', 'legal', 'nutrition', 'pedagogy', 'health']),
          ...tally(
            given.map((a) => a.discipline),
            DISCIPLINES,
          ),
        },
        byKind: {
          ...tally(
            [],
            [
              'psychosocial_care',
              'psychological_therapy',
              'legal_guidance',
              'legal_representation',
              'court_accompaniment',
              'social_work',
              'employment_support',
              'education',
              'sexual_reproductive_health',
              'health_care',
              'first_aid',
              'nutrition',
              'group_workshop',
            ],
          ),
          ...tally(
            given.map((a) => a.kind),
            KINDS,
          ),
        },
      },
    };
  }

  /** Averages and medians may differ in the last rounded digit (binary against decimal). */
  function compare(actual: Record<string, unknown>, wanted: Record<string, unknown>): void {
    const loose = ['averageStayDays', 'medianStayDays', 'medianHoursReferralToAdmission'];
    for (const key of loose) {
      if (wanted[key] === null) {
        expect(actual[key]).toBeNull();
      } else {
        expect(Math.abs((actual[key] as number) - (wanted[key] as number))).toBeLessThanOrEqual(
          0.1 + 1e-9,
        );
      }
    }
    const strip = (o: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(o).filter(([k]) => !loose.includes(k)));
    expect(strip(actual)).toEqual(strip(wanted));
  }

  const today = () => DateTime.now().setZone(TZ);
  const periods = () => [
    { from: today().minus({ days: 364 }).toISODate()!, to: today().toISODate()! },
    {
      from: today().minus({ days: 200 }).toISODate()!,
      to: today().minus({ days: 110 }).toISODate()!,
    },
  ];

  /** The report of `houseId` (null: the network) for a period equals the independent count. */
  async function expectEqual(from: string, to: string, houseId: string | null) {
    const report = await t
      .http()
      .get(
        `/api/v1/reports/indicators?from=${from}&to=${to}${houseId ? `&houseId=${houseId}` : ''}`,
      )
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(report.body).toMatchObject({ from, to, houseId, suppressed: [] });
    compare(report.body.indicators, expected(from, to, houseId));
  }

  /** Every period for the network, the year for each house. */
  async function expectAllEqual() {
    for (const { from, to } of periods()) {
      await expectEqual(from, to, null);
    }
    for (const houseId of houses) {
      await expectEqual(periods()[0].from, periods()[0].to, houseId);
    }
  }

  it('equals the independent count for the network over the last year and a past quarter', async () => {
    for (const { from, to } of periods()) {
      await expectEqual(from, to, null);
    }
    // The replay is not trivial: the year holds every kind of event.
    const year = expected(periods()[0].from, periods()[0].to, null);
    expect(year.admissions).toBeGreaterThan(20);
    expect(Object.values(year.exits).reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
    expect(year.transfers).toBeGreaterThan(0);
    expect(year.extensions).toBeGreaterThan(0);
    expect(year.followUps.completed).toBeGreaterThan(0);
    expect(year.provisionalAdmissions).toBeGreaterThan(3);
    expect(year.ordersOverdue).toBeGreaterThan(0);
    expect(year.ordersOverdue).toBeLessThan(year.provisionalAdmissions);
    expect(year.referrals.refusedNoCapacity).toBeGreaterThan(3);
  });

  it('equals the independent count for each house', async () => {
    for (const houseId of houses) {
      await expectEqual(periods()[0].from, periods()[0].to, houseId);
    }
  });

  it('stays equal after corrections in the past, which forget the stored days they reach', async () => {
    await expectAllEqual();
    const stored = (since: number) =>
      t.count(
        `SELECT (SELECT count(*) FROM report_days WHERE day_ends_at >= $1)
              + (SELECT count(*) FROM report_census WHERE day_ends_at >= $1)`,
        [new Date(since)],
      );
    const now = Date.now();
    const all = await stored(0);
    expect(all).toBeGreaterThan(300);

    // A family admitted 50 days ago, recorded today, whose referral arrived 30 hours before.
    const late = await admitFamily(Math.floor((now - 50 * DAY) / 1000) * 1000, houses[0], 30);
    expect(await stored(late.referralCreatedAt)).toBe(0);
    expect(await stored(0)).toBeGreaterThan(0);
    await expectAllEqual();

    // An attention given her 45 days ago and written today; her egress 20 days ago, recorded
    // today, which scheduled follow-ups already due.
    await giveAttention(late, now - 45 * DAY);
    expect(await stored(now - 45 * DAY)).toBe(0);
    await expectAllEqual();
    await exitFamily(late, Math.floor((now - 20 * DAY) / 1000) * 1000);
    await recordFollowUps(late, 'none');
    expect(followUps.some((f) => f.houseId === houses[0] && f.dueAt < now)).toBe(true);
    await expectAllEqual();

    // At the present, a transfer and follow-ups completed forget nothing.
    const before = await stored(0);
    await transferFamily(families.find((f) => f.exitedAt === null) as Family);
    await recordFollowUps(late, 'due');
    expect(followUps.some((f) => f.completedAt !== null && f.completedAt > now)).toBe(true);
    expect(await stored(0)).toBe(before);
    await expectAllEqual();

    // Today is stored up to two hours ago at most, three hours ago at least: an attention given
    // three hours ago, written now, forgets that part of today, and the report counts it again.
    const present = families.find((f) => f.exitedAt === null && f.admittedAt < now - DAY);
    expect(await stored(now - 3 * HOUR)).toBeGreaterThan(0);
    await giveAttention(present as Family, now - 3 * HOUR);
    expect(await stored(now - 3 * HOUR)).toBe(0);
    await expectAllEqual();
  });
});
