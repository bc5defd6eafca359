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
