/** The stays' domain words, once: DTO enums, row types and the SQL checks share them. */

export const STAY_STATUSES = ['active', 'exited'] as const;
export type StayStatus = (typeof STAY_STATUSES)[number];

/** Who holds a bed: the woman of the referral, or one of her dependants. */
export const PERSON_ROLES = ['woman', 'dependant'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

export const EGRESS_REASONS = [
  'term_completed',
  'voluntary',
  'transferred_out',
  'rule_breach',
  'other',
] as const;
export type EgressReason = (typeof EGRESS_REASONS)[number];

/**
 * A transport hold's states. `held` is stored until the sweep writes `expired`, but reads show
 * `expired` as soon as `expiresAt` has passed: the ledger freed the beds at that instant.
 */
export const HOLD_STATUSES = ['held', 'confirmed', 'cancelled', 'expired'] as const;
export type HoldStatus = (typeof HOLD_STATUSES)[number];

/** A hold_expiring alert is raised this long before the hold's expiresAt. */
export const HOLD_ALERT_MINUTES_BEFORE = 15;
