import { ATTENTION_KINDS, AttentionKind } from '../casework/casework.types';
import { Discipline, DISCIPLINES } from '../common/actor';
import { FOLLOW_UP_OUTCOMES } from '../follow-ups/dto/follow-up.dto';
import { EGRESS_REASONS, EgressReason } from '../stays/stays.types';
import { REJECTION_REASON_CODES, RejectionReasonCode } from '../referrals/referral.types';

export { ATTENTION_KINDS, DISCIPLINES, EGRESS_REASONS, FOLLOW_UP_OUTCOMES };

// The rejection codes are the referral's own (defined once, with the referral).
export { REJECTION_REASON_CODES };
export type { RejectionReasonCode };

export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number];

export const REPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_AUDIENCES = ['public'] as const;

/** A figure that suppression may withhold. */
export type Cell = number | null;

/** The indicators of one period, every figure defined once in reports.repository.ts. */
export interface Indicators {
  womenServed: Cell;
  dependantsServed: Cell;
  childrenServed: Cell;
  admissions: Cell;
  peopleAdmitted: Cell;
  exits: Record<EgressReason, Cell>;
  bedNights: Cell;
  occupancyRate: Cell;
  averageStayDays: Cell;
  medianStayDays: Cell;
  extensions: Cell;
  transfers: Cell;
  referrals: {
    received: Cell;
    admitted: Cell;
    withdrawn: Cell;
    rejected: Record<RejectionReasonCode, Cell>;
    refusedNoCapacity: Cell;
  };
  medianHoursReferralToAdmission: Cell;
  provisionalAdmissions: Cell;
  ordersOverdue: Cell;
  followUps: { due: Cell; completed: Cell; byOutcome: Record<FollowUpOutcome, Cell> };
  attentions: {
    total: Cell;
    peopleReached: Cell;
    byDiscipline: Record<Discipline, Cell>;
    byKind: Record<AttentionKind, Cell>;
  };
}

export interface IndicatorReport {
  from: string;
  to: string;
  houseId: string | null;
  /** Paths (`exits.voluntary`) of the figures withheld as small counts. */
  suppressed: string[];
  indicators: Indicators;
}
