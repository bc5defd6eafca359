import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RejectionReasonCode } from '../referrals/referral.types';

/** The period as instants: from the start of `from` to the end of `to` in TZ_SERVICE. */
const PERIOD = `period AS (
  SELECT ($1::date)::timestamp AT TIME ZONE $3 AS starts,
         ($2::date + 1)::timestamp AT TIME ZONE $3 AS ends
)`;

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

export interface StayFigures {
  admissions: number;
  peopleAdmitted: number;
  referralsAdmitted: number;
  medianHoursReferralToAdmission: number | null;
  exitsTermCompleted: number;
  exitsVoluntary: number;
  exitsTransferredOut: number;
  exitsRuleBreach: number;
  exitsOther: number;
  averageStayDays: number | null;
  medianStayDays: number | null;
  extensions: number;
  transfers: number;
}

export interface ReferralFigures {
  received: number;
  withdrawn: number;
  /** By reason code; a code no rejection carries is absent. */
  rejected: Partial<Record<RejectionReasonCode, number>>;
}

export interface AdmissionDemandFigures {
  provisionalAdmissions: number;
  ordersOverdue: number;
  refusedNoCapacity: number;
}

export interface FollowUpFigures {
  due: number;
  completed: number;
  contacted: number;
  notReachable: number;
  declined: number;
}

export interface AttentionFigures {
  total: number;
  peopleReached: number;
  byDiscipline: Record<string, number>;
  byKind: Record<string, number>;
}

/**
 * Every indicator of the accountability report, each defined here once, in SQL, over a period
 * of calendar days of TZ_SERVICE (both ends included) and one house or the network ($4 null).
 * One query per group of indicators; bed-nights and capacity come from the occupancy history
 * (OccupancyRepository), the same figures `/occupancy/history` shows.
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
   * Distinct people with an interval of the bed ledger (in the house, when one is given)
   * overlapping the period: a family transferred counts in both houses, once in the network.
   */
  async people(from: string, to: string, timeZone: string, houseId: string | null) {
    const [row] = await this.dataSource.query<PeopleFigures[]>(
      `WITH ${PERIOD}, served AS (
         SELECT DISTINCT o.person_id, o.role, p.relationship
         FROM stay_occupants o JOIN referral_people p ON p.id = o.person_id, period
         WHERE o.during && tstzrange(period.starts, period.ends)
           AND ($4::uuid IS NULL OR o.house_id = $4)
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
   * Admissions (stays admitted in the period, in the house they were admitted to), the people
   * they brought and the hours from referral to admission; exits by egress reason and stay
   * lengths (stays exited in the period, in the house they left from); extensions (in the house
   * the woman was in when it was granted); transfers into or out of the house.
   */
  async stays(from: string, to: string, timeZone: string, houseId: string | null) {
    const [row] = await this.dataSource.query<StayFigures[]>(
      `WITH ${PERIOD}, admitted AS (
         SELECT s.id, s.referral_id,
                -- A record loaded after the fact can be back-dated before its referral arrived.
                greatest(extract(epoch FROM s.admitted_at - r.created_at), 0) / 3600 AS hours
         FROM stays s JOIN referrals r ON r.id = s.referral_id, period
         WHERE s.admitted_at >= period.starts AND s.admitted_at < period.ends
           AND ($4::uuid IS NULL OR ${ADMISSION_HOUSE} = $4)
       ), exited AS (
         SELECT s.egress_reason, extract(epoch FROM s.exited_at - s.admitted_at) / 86400 AS days
         FROM stays s, period
         WHERE s.exited_at >= period.starts AND s.exited_at < period.ends
           AND ($4::uuid IS NULL OR s.house_id = $4)
       ), extended AS (
         SELECT e.id
         FROM stay_extensions e, period
         WHERE e.extended_at >= period.starts AND e.extended_at < period.ends
           AND ($4::uuid IS NULL OR (
             SELECT o.house_id FROM stay_occupants o
             WHERE o.stay_id = e.stay_id AND o.role = 'woman' AND lower(o.during) <= e.extended_at
             ORDER BY lower(o.during) DESC LIMIT 1) = $4)
       )
       SELECT (SELECT count(*) FROM admitted)::int AS admissions,
              (SELECT count(DISTINCT o.person_id) FROM stay_occupants o
               WHERE o.stay_id IN (SELECT id FROM admitted))::int AS "peopleAdmitted",
              (SELECT count(DISTINCT referral_id) FROM admitted)::int AS "referralsAdmitted",
              (SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY hours)::numeric, 1)
               FROM admitted)::float8 AS "medianHoursReferralToAdmission",
              (SELECT count(*) FROM exited WHERE egress_reason = 'term_completed')::int
                AS "exitsTermCompleted",
              (SELECT count(*) FROM exited WHERE egress_reason = 'voluntary')::int AS "exitsVoluntary",
              (SELECT count(*) FROM exited WHERE egress_reason = 'transferred_out')::int
                AS "exitsTransferredOut",
              (SELECT count(*) FROM exited WHERE egress_reason = 'rule_breach')::int AS "exitsRuleBreach",
              (SELECT count(*) FROM exited WHERE egress_reason = 'other')::int AS "exitsOther",
              (SELECT round(avg(days), 1) FROM exited)::float8 AS "averageStayDays",
              (SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY days)::numeric, 1)
               FROM exited)::float8 AS "medianStayDays",
              (SELECT count(*) FROM extended)::int AS extensions,
              (SELECT count(*) FROM stay_transfers t, period
               WHERE t.transferred_at >= period.starts AND t.transferred_at < period.ends
                 AND ($4::uuid IS NULL OR $4 IN (t.from_house_id, t.to_house_id)))::int AS transfers`,
      [from, to, timeZone, houseId],
    );
    return row;
  }

  /**
   * Referrals received, withdrawn and rejected in the period. A referral belongs to no house
   * until admitted: for one house, `received` counts those admitted to it, and withdrawals and
   * rejections (which never reached a house) are 0. The moment of a withdrawal or rejection is
   * the referral's last change, as both are final. Rejections count by their code, one without
   * a code (set by hand before codes existed) under the default `other`.
   */
  async referrals(
    from: string,
    to: string,
    timeZone: string,
    houseId: string | null,
  ): Promise<ReferralFigures> {
    const [row] = await this.dataSource.query<Omit<ReferralFigures, 'rejected'>[]>(
      `WITH ${PERIOD}
       SELECT count(*) FILTER (WHERE r.created_at >= period.starts AND r.created_at < period.ends
                                 AND ($4::uuid IS NULL OR EXISTS (
                                   SELECT 1 FROM stays s
                                   WHERE s.referral_id = r.id AND ${ADMISSION_HOUSE} = $4)))::int
                AS received,
              count(*) FILTER (WHERE $4::uuid IS NULL AND r.status = 'withdrawn'
                                 AND r.updated_at >= period.starts AND r.updated_at < period.ends)::int
                AS withdrawn
       FROM referrals r, period
       WHERE (r.created_at >= period.starts AND r.created_at < period.ends)
          OR (r.status IN ('withdrawn', 'rejected') AND r.updated_at >= period.starts
              AND r.updated_at < period.ends)`,
      [from, to, timeZone, houseId],
    );
    const byCode = await this.dataSource.query<{ code: RejectionReasonCode; n: number }[]>(
      `WITH ${PERIOD}
       SELECT coalesce(r.status_reason_code, 'other') AS code, count(*)::int AS n
       FROM referrals r, period
       WHERE $4::uuid IS NULL AND r.status = 'rejected'
         AND r.updated_at >= period.starts AND r.updated_at < period.ends
       GROUP BY 1`,
      [from, to, timeZone, houseId],
    );
    return { ...row, rejected: Object.fromEntries(byCode.map((c) => [c.code, c.n])) };
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

  /**
   * Follow-ups that fell due in the period (unless cancelled before they did) and those
   * completed in it, by outcome, for the house the family left.
   */
  async followUps(from: string, to: string, timeZone: string, houseId: string | null) {
    const [row] = await this.dataSource.query<FollowUpFigures[]>(
      `WITH ${PERIOD}
       SELECT count(*) FILTER (WHERE f.due_at >= period.starts AND f.due_at < period.ends
                                 AND (f.cancelled_at IS NULL OR f.cancelled_at >= f.due_at))::int AS due,
              count(*) FILTER (WHERE f.completed_at >= period.starts AND f.completed_at < period.ends)::int
                AS completed,
              count(*) FILTER (WHERE f.completed_at >= period.starts AND f.completed_at < period.ends
                                 AND f.outcome = 'contacted')::int AS contacted,
              count(*) FILTER (WHERE f.completed_at >= period.starts AND f.completed_at < period.ends
                                 AND f.outcome = 'not_reachable')::int AS "notReachable",
              count(*) FILTER (WHERE f.completed_at >= period.starts AND f.completed_at < period.ends
                                 AND f.outcome = 'declined')::int AS declined
       FROM follow_ups f, period
       WHERE ($4::uuid IS NULL OR f.house_id = $4)
         AND ((f.due_at >= period.starts AND f.due_at < period.ends)
              OR (f.completed_at >= period.starts AND f.completed_at < period.ends))`,
      [from, to, timeZone, houseId],
    );
    return row;
  }

  /**
   * Attentions given in the period, in the house where the person was when it was given (her
   * latest interval of that stay started by then), by the author's discipline and by kind.
   */
  async attentions(from: string, to: string, timeZone: string, houseId: string | null) {
    const [row] = await this.dataSource.query<AttentionFigures[]>(
      `WITH ${PERIOD}, given AS (
         SELECT a.person_id, a.discipline, a.kind
         FROM attentions a, period
         WHERE a.occurred_at >= period.starts AND a.occurred_at < period.ends
           AND ($4::uuid IS NULL OR (
             SELECT o.house_id FROM stay_occupants o
             WHERE o.stay_id = a.stay_id AND o.person_id = a.person_id
               AND lower(o.during) <= a.occurred_at
             ORDER BY lower(o.during) DESC LIMIT 1) = $4)
       )
       SELECT (SELECT count(*) FROM given)::int AS total,
              (SELECT count(DISTINCT person_id) FROM given)::int AS "peopleReached",
              coalesce((SELECT jsonb_object_agg(discipline, n)
                        FROM (SELECT discipline, count(*)::int AS n FROM given GROUP BY 1) d), '{}')
                AS "byDiscipline",
              coalesce((SELECT jsonb_object_agg(kind, n)
                        FROM (SELECT kind, count(*)::int AS n FROM given GROUP BY 1) k), '{}')
                AS "byKind"`,
      [from, to, timeZone, houseId],
    );
    return row;
  }
}
