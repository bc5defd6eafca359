import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { localDate } from '../common/local-day';
import { addDays, missingSpan } from '../occupancy/occupancy.repository';

/** The period as instants: from the start of `from` to the end of `to` in TZ_SERVICE. */
const PERIOD = `period AS (
  SELECT ($1::date)::timestamp AT TIME ZONE $3 AS starts,
         ($2::date + 1)::timestamp AT TIME ZONE $3 AS ends
)`;

/** The house a person was in when attention `a` was given: her latest interval started by then. */
const ATTENTION_HOUSE = `(SELECT o.house_id FROM stay_occupants o
                          WHERE o.stay_id = a.stay_id AND o.person_id = a.person_id
                            AND lower(o.during) <= a.occurred_at
                          ORDER BY lower(o.during) DESC LIMIT 1)`;

/**
 * The house a stay was admitted to: the house its first transfer left, or, never moved, the one
 * it is in. Stays keep only their current house.
 */
const ADMISSION_HOUSE = `coalesce((SELECT t.from_house_id FROM stay_transfers t
                                   WHERE t.stay_id = s.id
                                   ORDER BY t.transferred_at LIMIT 1), s.house_id)`;

export interface PeopleFigures {
  womenServed: number;
  dependantsServed: number;
  childrenServed: number;
}

/** What the report adds up over days, and the figures made from every value of them. */
export interface DayTotals {
  /** By indicator path (`admissions`, `exits.voluntary`, `referrals.rejected.duplicate`…);
   * `admitted.woman`, `admitted.dependant`, `admitted.child` are the people admitted by role.
   * A count no day had is absent. */
  counts: Record<string, number>;
  averageStayDays: number | null;
  medianStayDays: number | null;
  medianHoursReferralToAdmission: number | null;
}

export interface AdmissionDemandFigures {
  provisionalAdmissions: number;
  ordersOverdue: number;
  refusedNoCapacity: number;
}

/**
 * The lock between fills of `report_days` (exclusive) and corrections (shared, taken by the
 * report-days migration's triggers, which hold the same number).
 */
export const REPORT_DAYS_LOCK = 7_263_002;

/** Days from `from` to `to`, both included. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / (24 * HOUR_MS)) + 1;
}

/** The scope of `report_days` rows that count the whole network. */
const NETWORK_SCOPE = '00000000-0000-0000-0000-000000000000';

/**
 * Counts are stored up to this long before the present, at a whole hour; what came after is
 * counted live. A write reaching back more than an hour before its transaction started forgets
 * what is stored from there (migration 1764508000000): the hour in between keeps a write that
 * forgot nothing out of every fill that counts its instant.
 */
const STORE_AFTER_MS = 2 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

/**
 * What may be stored at `now`: every day up to `lastFullDay`, and `partialDay` (the day after)
 * counted up to `cut`, an instant within it.
 */
export function storableSpan(now: Date, timeZone: string) {
  const cut = new Date(Math.floor((now.getTime() - STORE_AFTER_MS) / HOUR_MS) * HOUR_MS);
  const partialDay = localDate(cut, timeZone);
  return { cut, partialDay, lastFullDay: addDays(partialDay, -1) };
}

/**
 * Every count the report adds up over days, per calendar day of TZ_SERVICE from $1 to $2 (both
 * included), for house $4 or the network (null): one row per day, with its counts as jsonb by
 * indicator path, the lengths in days of the stays that ended on it and the hours from referral
 * to admission of the stays admitted on it (each array sorted, for MEDIAN), counting only from instant `countedFrom` and before
 * `countedTo` (SQL expressions; null: the whole days), so that a day stored up to an instant has
 * the rest of it counted live. The one
 * definition of those indicators: stored days and live days are both counted here.
 *
 * Admissions count in the house admitted to, on the day of admission; exits (by egress reason,
 * with the stay's length) in the house left, on the day of exit; extensions in the house the
 * woman was in when granted; transfers into or out of the house. Referrals received (the
 * network's; a house's are `houseReferralsReceived`), withdrawn and rejected count only for the
 * network: a referral belongs to no house until admitted. A withdrawal or rejection counts at
 * the referral's last change, as both are final, a rejection by its code (one without a code,
 * set by hand before codes existed, under the default `other`).
 * Follow-ups count as due when they fell due (unless cancelled before they did) and as completed
 * (by outcome) when completed, for the house the family left. Attentions count where the person
 * was when it was given (her latest interval of that stay started by then), by the author's
 * discipline and by kind.
 */
const dayCounts = (countedFrom: string, countedTo: string) => `WITH period AS (
     SELECT greatest(($1::date)::timestamp AT TIME ZONE $3, ${countedFrom}) AS starts,
            least(($2::date + 1)::timestamp AT TIME ZONE $3, ${countedTo}) AS ends
   ), admitted AS (
     SELECT (s.admitted_at AT TIME ZONE $3)::date AS day, s.id, s.referral_id,
            -- A record loaded after the fact can be back-dated before its referral arrived.
            greatest(extract(epoch FROM s.admitted_at - r.created_at), 0) / 3600 AS hours
     FROM stays s JOIN referrals r ON r.id = s.referral_id, period
     WHERE s.admitted_at >= period.starts AND s.admitted_at < period.ends
       AND ($4::uuid IS NULL OR ${ADMISSION_HOUSE} = $4)
   ), admitted_people AS (
     -- Through each stay's own rows (OFFSET 0 keeps it a nested loop): the period's bounds are
     -- not constants to the planner, which took a day's admissions for a third of all stays
     -- and hashed the whole ledger and every person (6 s at national scale for 4,800 stays).
     SELECT DISTINCT a.day, o.person_id, o.role, o.relationship
     FROM admitted a
     CROSS JOIN LATERAL (
       SELECT o.person_id, o.role,
              (SELECT p.relationship FROM referral_people p WHERE p.id = o.person_id) AS relationship
       FROM stay_occupants o WHERE o.stay_id = a.id OFFSET 0) o
   ), exited AS (
     SELECT (s.exited_at AT TIME ZONE $3)::date AS day, s.egress_reason,
            extract(epoch FROM s.exited_at - s.admitted_at) / 86400 AS days
     FROM stays s, period
     WHERE s.exited_at >= period.starts AND s.exited_at < period.ends
       AND ($4::uuid IS NULL OR s.house_id = $4)
   ), given AS (
     SELECT (a.occurred_at AT TIME ZONE $3)::date AS day, a.discipline, a.kind
     FROM attentions a, period
     WHERE a.occurred_at >= period.starts AND a.occurred_at < period.ends
       AND ($4::uuid IS NULL OR ${ATTENTION_HOUSE} = $4)
   ), completed AS (
     SELECT (f.completed_at AT TIME ZONE $3)::date AS day, f.outcome
     FROM follow_ups f, period
     WHERE f.completed_at >= period.starts AND f.completed_at < period.ends
       AND ($4::uuid IS NULL OR f.house_id = $4)
   ), counts AS (
     SELECT day, 'admissions' AS key, count(*) AS n FROM admitted GROUP BY 1
     UNION ALL
     SELECT day, 'referrals.admitted', count(DISTINCT referral_id) FROM admitted GROUP BY 1
     UNION ALL
     SELECT day, 'admitted.' || role, count(*) FROM admitted_people GROUP BY 1, 2
     UNION ALL
     SELECT day, 'admitted.child', count(*) FROM admitted_people
     WHERE role = 'dependant' AND relationship = 'child' GROUP BY 1
     UNION ALL
     SELECT day, 'exits.' || egress_reason, count(*) FROM exited GROUP BY 1, 2
     UNION ALL
     SELECT (e.extended_at AT TIME ZONE $3)::date, 'extensions', count(*)
     FROM stay_extensions e, period
     WHERE e.extended_at >= period.starts AND e.extended_at < period.ends
       AND ($4::uuid IS NULL OR (
         SELECT o.house_id FROM stay_occupants o
         WHERE o.stay_id = e.stay_id AND o.role = 'woman' AND lower(o.during) <= e.extended_at
         ORDER BY lower(o.during) DESC LIMIT 1) = $4)
     GROUP BY 1
     UNION ALL
     SELECT (t.transferred_at AT TIME ZONE $3)::date, 'transfers', count(*)
     FROM stay_transfers t, period
     WHERE t.transferred_at >= period.starts AND t.transferred_at < period.ends
       AND ($4::uuid IS NULL OR $4 IN (t.from_house_id, t.to_house_id))
     GROUP BY 1
     UNION ALL
     SELECT (r.created_at AT TIME ZONE $3)::date, 'referrals.received', count(*)
     FROM referrals r, period
     WHERE $4::uuid IS NULL AND r.created_at >= period.starts AND r.created_at < period.ends
     GROUP BY 1
     UNION ALL
     SELECT (r.updated_at AT TIME ZONE $3)::date,
            CASE WHEN r.status = 'withdrawn' THEN 'referrals.withdrawn'
                 ELSE 'referrals.rejected.' || coalesce(r.status_reason_code, 'other') END,
            count(*)
     FROM referrals r, period
     WHERE $4::uuid IS NULL AND r.status IN ('withdrawn', 'rejected')
       AND r.updated_at >= period.starts AND r.updated_at < period.ends
     GROUP BY 1, 2
     UNION ALL
     SELECT (f.due_at AT TIME ZONE $3)::date, 'followUps.due', count(*)
     FROM follow_ups f, period
     WHERE f.due_at >= period.starts AND f.due_at < period.ends
       AND (f.cancelled_at IS NULL OR f.cancelled_at >= f.due_at)
       AND ($4::uuid IS NULL OR f.house_id = $4)
     GROUP BY 1
     UNION ALL
     SELECT day, 'followUps.completed', count(*) FROM completed GROUP BY 1
     UNION ALL
     SELECT day, 'followUps.byOutcome.' || outcome, count(*) FROM completed GROUP BY 1, 2
     UNION ALL
     SELECT day, 'attentions.total', count(*) FROM given GROUP BY 1
     UNION ALL
     SELECT day, 'attentions.byDiscipline.' || discipline, count(*) FROM given GROUP BY 1, 2
     UNION ALL
     SELECT day, 'attentions.byKind.' || kind, count(*) FROM given GROUP BY 1, 2
   ), per_day AS (
     SELECT day, jsonb_object_agg(key, n) AS counts FROM counts GROUP BY day
   ), stay_days AS (
     SELECT day, array_agg(days::float8 ORDER BY days::float8) AS values,
            sum(days::float8) AS total
     FROM exited GROUP BY day
   ), admission_hours AS (
     SELECT day, array_agg(hours::float8 ORDER BY hours::float8) AS values
     FROM admitted GROUP BY day
   )
   SELECT d.day, coalesce(c.counts, '{}') AS counts,
          coalesce(s.values, '{}') AS stay_days, coalesce(s.total, 0) AS stay_days_sum,
          coalesce(h.values, '{}') AS admission_hours
   FROM (SELECT $1::date + n AS day FROM generate_series(0, $2::date - $1::date) AS n) d
   LEFT JOIN per_day c ON c.day = d.day
   LEFT JOIN stay_days s ON s.day = d.day
   LEFT JOIN admission_hours h ON h.day = d.day`;

/**
 * The median (as percentile_cont(0.5)) of the values of the sorted arrays `column` of the rows
 * of `days`, without sorting them all: a year of the network holds 200,000 stay lengths, and
 * unnesting and sorting them took most of the report's time. Bisects between the smallest and
 * the largest value, counting the values up to a bound in each array by binary search
 * (width_bucket over a sorted array answers how many elements are at most its operand), until
 * the values between the bounds that hold the middle ranks are ten thousand or fewer (or the
 * bounds cannot be split further); then sorts only those.
 */
export const median = (column: string) => `(
  WITH RECURSIVE vals AS MATERIALIZED (
    SELECT ${column} AS a FROM days WHERE cardinality(${column}) > 0
  ), total AS (
    SELECT sum(cardinality(a))::int AS n, min(a[1]) AS lo, max(a[cardinality(a)]) AS hi FROM vals
  ), ranks AS (
    SELECT (n - 1) / 2 + 1 AS k1, n / 2 + 1 AS k2 FROM total WHERE n > 0
  ), search AS (
    SELECT t.lo - 1 AS lo, t.hi, 0 AS clo, t.n AS chi, 0 AS i, false AS split
    FROM total t WHERE t.n > 0
    UNION ALL
    SELECT CASE WHEN c.n < r.k1 THEN m.mid ELSE s.lo END,
           CASE WHEN c.n >= r.k2 THEN m.mid ELSE s.hi END,
           CASE WHEN c.n < r.k1 THEN c.n ELSE s.clo END,
           CASE WHEN c.n >= r.k2 THEN c.n ELSE s.chi END,
           s.i + 1, c.n >= r.k1 AND c.n < r.k2
    FROM search s, ranks r,
         LATERAL (SELECT s.lo + (s.hi - s.lo) / 2 AS mid) m,
         LATERAL (SELECT sum(width_bucket(m.mid, vals.a))::int AS n FROM vals) c
    WHERE NOT s.split AND s.chi - s.clo > 10000 AND s.i < 100
      AND m.mid > s.lo AND m.mid < s.hi
  ), bounds AS (
    SELECT lo, hi, clo FROM search ORDER BY i DESC LIMIT 1
  ), middle AS (
    SELECT v, b.clo + row_number() OVER (ORDER BY v) AS rank
    FROM bounds b, vals, unnest(a[width_bucket(b.lo, a) + 1 : width_bucket(b.hi, a)]) v
  )
  SELECT first.v + (second.v - first.v) * 0.5
  FROM ranks r JOIN middle first ON first.rank = r.k1 JOIN middle second ON second.rank = r.k2
)`;

/**
 * Accountability indicators, each defined here once, in SQL, over a period of calendar days of
 * TZ_SERVICE (both ends included) and one house or the network ($4 null). The counts that add
 * up over days come from dayCounts, stored per closed day in `report_days` (see its
 * migration); distinct people are counted over the whole period. Bed-nights and capacity come
 * from the occupancy history (OccupancyRepository), the same figures `/occupancy/history` shows.
 */
@Injectable()
export class ReportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A house's code for an export's header (never its name or address). */
  async houseCode(houseId: string): Promise<string | null> {
    const rows = await this.dataSource.query<{ code: string }[]>(
      'SELECT code FROM houses WHERE id = $1',
      [houseId],
    );
    return rows[0]?.code ?? null;
  }

  /**
   * The counts of dayCounts summed over the period, with the average and median stay length
   * (stays exited in it) and the median hours from referral to admission (stays admitted in
   * it). Days up to two hours ago come from `report_days`, counted and stored once when
   * missing: whole days, and the day of that instant up to it, at a whole hour (stored again
   * each hour, as its row is kept only while it is the latest cut); what came after is counted
   * live.
   */
  async dayTotals(
    from: string,
    to: string,
    timeZone: string,
    houseId: string | null,
    now: Date,
    attempt = 1,
  ): Promise<DayTotals> {
    const scope = houseId ?? NETWORK_SCOPE;
    const { cut, partialDay, lastFullDay } = storableSpan(now, timeZone);
    const storedTo = to < lastFullDay ? to : lastFullDay;
    if (from <= storedTo) {
      // Only whole days: the row of a day stored up to a cut is stored again whole.
      const stored = await this.dataSource.query<{ date: string }[]>(
        `SELECT day AS date FROM report_days
         WHERE scope = $1 AND time_zone = $2 AND day BETWEEN $3 AND $4
           AND day_ends_at = (day + 1)::timestamp AT TIME ZONE $2
         ORDER BY day`,
        [scope, timeZone, from, storedTo],
      );
      const missing = missingSpan(stored, from, storedTo);
      if (missing) {
        await this.storeDays(missing, timeZone, houseId, scope, null);
      }
    }
    // partialDay up to `cut` (or a later cut another request stored), the rest of it live.
    const partial = from <= partialDay && partialDay <= to ? partialDay : null;
    if (partial !== null) {
      const [row] = await this.dataSource.query<unknown[]>(
        `SELECT 1 FROM report_days
         WHERE scope = $1 AND time_zone = $2 AND day = $3 AND day_ends_at >= $4`,
        [scope, timeZone, partial, cut],
      );
      if (!row) {
        await this.storeDays({ from: partial, to: partial }, timeZone, houseId, scope, cut);
      }
    }
    // Read in one statement with the stored row of partialDay, the instant its live part starts
    // at; a day forgotten since it was stored is stored again.
    const [row] = await this.dataSource.query<(DayTotals & { wholeDays: number })[]>(
      `WITH live AS (${dayCounts(
        `(SELECT day_ends_at FROM report_days WHERE scope = $5 AND time_zone = $3 AND day = $8)`,
        'NULL::timestamptz',
      )}), days AS (
         SELECT counts, stay_days, stay_days_sum, admission_hours FROM live
         UNION ALL
         SELECT counts, stay_days, stay_days_sum, admission_hours FROM report_days
         WHERE scope = $5 AND time_zone = $3 AND day BETWEEN $6 AND $7
       )
       SELECT (SELECT coalesce(jsonb_object_agg(key, n), '{}')
               FROM (SELECT key, sum(value::bigint)::int AS n
                     FROM days, jsonb_each_text(days.counts) GROUP BY key) k) AS counts,
              (SELECT round((sum(stay_days_sum) / nullif(sum(cardinality(stay_days)), 0))::numeric,
                            1)::float8 FROM days) AS "averageStayDays",
              round(${median('stay_days')}::numeric, 1)::float8 AS "medianStayDays",
              round(${median('admission_hours')}::numeric, 1)::float8
                AS "medianHoursReferralToAdmission",
              (SELECT count(*) FROM report_days
               WHERE scope = $5 AND time_zone = $3 AND day BETWEEN $6 AND $7
                 AND ($8::date IS NULL OR day <> $8))::int AS "wholeDays"`,
      [
        partial ?? (from > lastFullDay ? from : addDays(lastFullDay, 1)),
        to,
        timeZone,
        houseId,
        scope,
        from,
        partial ?? storedTo,
        partial,
      ],
    );
    const { wholeDays, ...totals } = row;
    if (from <= storedTo && wholeDays < daysBetween(from, storedTo) && attempt < 5) {
      return this.dayTotals(from, to, timeZone, houseId, now, attempt + 1);
    }
    return totals;
  }

  /**
   * Counts days and stores them, under the fill side of the lock: whole days, or (`until`) one
   * day up to that instant.
   */
  private async storeDays(
    { from, to }: { from: string; to: string },
    timeZone: string,
    houseId: string | null,
    scope: string,
    until: Date | null,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [REPORT_DAYS_LOCK]);
      await manager.query(
        `INSERT INTO report_days (scope, time_zone, day, day_ends_at, counts, stay_days,
                                  stay_days_sum, admission_hours)
         SELECT $6, $3, d.day, coalesce($5, (d.day + 1)::timestamp AT TIME ZONE $3), d.counts,
                d.stay_days, d.stay_days_sum, d.admission_hours
         FROM (${dayCounts('NULL::timestamptz', '$5::timestamptz')}) d
         ON CONFLICT (scope, time_zone, day)
         DO UPDATE SET day_ends_at = EXCLUDED.day_ends_at, counts = EXCLUDED.counts,
                       stay_days = EXCLUDED.stay_days, stay_days_sum = EXCLUDED.stay_days_sum,
                       admission_hours = EXCLUDED.admission_hours
         -- A later cut stored meanwhile stays.
         WHERE report_days.day_ends_at < EXCLUDED.day_ends_at`,
        [from, to, timeZone, houseId, until, scope],
      );
    });
  }

  /**
   * Distinct people of one house with an interval of the bed ledger in it overlapping the
   * period: a family transferred counts in both houses.
   */
  async housePeople(from: string, to: string, timeZone: string, houseId: string) {
    const [row] = await this.dataSource.query<PeopleFigures[]>(
      `WITH ${PERIOD}, served AS (
         SELECT DISTINCT o.person_id, o.role, p.relationship
         FROM stay_occupants o JOIN referral_people p ON p.id = o.person_id, period
         WHERE o.during && tstzrange(period.starts, period.ends) AND o.house_id = $4
           AND o.stay_id IS NOT NULL
       )
       SELECT count(*) FILTER (WHERE role = 'woman')::int AS "womenServed",
              count(*) FILTER (WHERE role = 'dependant')::int AS "dependantsServed",
              count(*) FILTER (WHERE role = 'dependant' AND relationship = 'child')::int
                AS "childrenServed"
       FROM served`,
      [from, to, timeZone, houseId],
    );
    return row;
  }

  /**
   * The network's people with a stay overlapping the period: a person belongs to one stay, and
   * the ledger holds her without a gap from its admission to its exit, moves and transfers
   * included. So she was served in the period when her stay was admitted in it (the people
   * admitted by role, `admitted.*` of `dayTotals`), or when it was admitted before and her
   * ledger holds her at the period's first instant: that census, by role, is what this answers.
   * A closed day's census is stored once counted, in `report_census`, forgotten with the days.
   */
  async networkPeopleAtStart(from: string, timeZone: string, now: Date): Promise<PeopleFigures> {
    if (from > storableSpan(now, timeZone).lastFullDay) {
      return this.census(this.dataSource.manager, from, timeZone);
    }
    const [stored] = await this.dataSource.query<PeopleFigures[]>(
      `SELECT women AS "womenServed", dependants AS "dependantsServed", children AS "childrenServed"
       FROM report_census WHERE time_zone = $1 AND day = $2`,
      [timeZone, from],
    );
    if (stored) {
      return stored;
    }
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [REPORT_DAYS_LOCK]);
      const counted = await this.census(manager, from, timeZone);
      await manager.query(
        `INSERT INTO report_census (time_zone, day, day_ends_at, women, dependants, children)
         VALUES ($1, $2, ($2::date + 1)::timestamp AT TIME ZONE $1, $3, $4, $5)
         ON CONFLICT (time_zone, day) DO UPDATE
         SET day_ends_at = EXCLUDED.day_ends_at, women = EXCLUDED.women,
             dependants = EXCLUDED.dependants, children = EXCLUDED.children`,
        [timeZone, from, counted.womenServed, counted.dependantsServed, counted.childrenServed],
      );
      return counted;
    });
  }

  /**
   * The people the ledger holds at the first instant of `day`, by role, whose stay was admitted
   * before it (a person has one interval at an instant: the ledger's exclusion constraint).
   */
  private async census(manager: EntityManager, day: string, timeZone: string) {
    const [row] = await manager.query<PeopleFigures[]>(
      `WITH period AS (SELECT ($1::date)::timestamp AT TIME ZONE $2 AS starts)
       SELECT count(*) FILTER (WHERE o.role = 'woman')::int AS "womenServed",
              count(*) FILTER (WHERE o.role = 'dependant')::int AS "dependantsServed",
              count(*) FILTER (WHERE o.role = 'dependant' AND (
                SELECT p.relationship FROM referral_people p WHERE p.id = o.person_id) = 'child')::int
                AS "childrenServed"
       FROM stay_occupants o, period
       WHERE o.during @> period.starts AND o.stay_id IS NOT NULL
         AND (lower(o.during) < period.starts
              OR (SELECT s.admitted_at FROM stays s WHERE s.id = o.stay_id) < period.starts)`,
      [day, timeZone],
    );
    return row;
  }

  /**
   * A house's referrals received in the period: a referral belongs to no house until admitted,
   * so those admitted to it, counted on the day they arrived. Counted live, not stored: an
   * admission today would otherwise reach back to the day its referral arrived.
   */
  async houseReferralsReceived(
    from: string,
    to: string,
    timeZone: string,
    houseId: string,
  ): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `WITH ${PERIOD}
       SELECT count(DISTINCT r.id)::int AS n
       FROM stays s JOIN referrals r ON r.id = s.referral_id, period
       WHERE s.id IN (SELECT id FROM stays WHERE house_id = $4
                      UNION SELECT stay_id FROM stay_transfers WHERE from_house_id = $4)
         AND ${ADMISSION_HOUSE} = $4
         AND r.created_at >= period.starts AND r.created_at < period.ends`,
      [from, to, timeZone, houseId],
    );
    return row.n;
  }

  /** Distinct people given an attention in the period, in the house, as dayCounts counts them. */
  async peopleReached(
    from: string,
    to: string,
    timeZone: string,
    houseId: string | null,
  ): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `WITH ${PERIOD}
       SELECT count(DISTINCT a.person_id)::int AS n
       FROM attentions a, period
       WHERE a.occurred_at >= period.starts AND a.occurred_at < period.ends
         AND ($4::uuid IS NULL OR ${ATTENTION_HOUSE} = $4)`,
      [from, to, timeZone, houseId],
    );
    return row.n;
  }

  /**
   * Issue 14's figures. `provisionalAdmissions`: stays admitted in the period (in the house they
   * were admitted to) without their protection order (Ley 2215 de 2022, art. 6 par. 1).
   * `ordersOverdue`: provisional stays whose `order_due_by` fell in the period, by `now`, with
   * the order not attached by then and the woman not gone before it: the stays `orderOverdue`
   * showed true at that instant, counted in the house she was in then. `refusedNoCapacity`:
   * days of unmet demand in the period (one per referral and TZ_SERVICE day on which the service
   * answered 409 NO_CAPACITY); like withdrawals, a refusal belongs to no house, so 0 for one.
   */
  async admissionDemand(
    from: string,
    to: string,
    timeZone: string,
    houseId: string | null,
    now: Date,
  ): Promise<AdmissionDemandFigures> {
    const [row] = await this.dataSource.query<AdmissionDemandFigures[]>(
      `WITH ${PERIOD}
       SELECT (SELECT count(*) FROM stays s, period
               WHERE s.order_due_by IS NOT NULL
                 AND s.admitted_at >= period.starts AND s.admitted_at < period.ends
                 AND ($4::uuid IS NULL OR ${ADMISSION_HOUSE} = $4))::int AS "provisionalAdmissions",
              (SELECT count(*) FROM stays s JOIN referrals r ON r.id = s.referral_id, period
               WHERE s.order_due_by >= period.starts AND s.order_due_by < period.ends
                 AND s.order_due_by <= $5
                 AND (r.order_attached_at IS NULL OR r.order_attached_at > s.order_due_by)
                 AND (s.exited_at IS NULL OR s.exited_at > s.order_due_by)
                 AND ($4::uuid IS NULL OR (
                   SELECT o.house_id FROM stay_occupants o
                   WHERE o.stay_id = s.id AND o.role = 'woman' AND lower(o.during) <= s.order_due_by
                   ORDER BY lower(o.during) DESC LIMIT 1) = $4))::int AS "ordersOverdue",
              (SELECT count(*) FROM unmet_demand u
               WHERE $4::uuid IS NULL AND u.local_day BETWEEN $1::date AND $2::date)::int
                AS "refusedNoCapacity"`,
      [from, to, timeZone, houseId, now],
    );
    return row;
  }
}
