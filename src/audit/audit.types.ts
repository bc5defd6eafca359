/**
 * Every action the audit log records, in one list: a new use case adds its action here, and
 * the type refuses a misspelt one.
 */
export const AUDIT_ACTIONS = [
  'user.created',
  'referrer.created',
  'referrer.revoked',
  'house.created',
  'room.created',
  'bed.taken_out_of_service',
  'bed.returned_to_service',
  'referral.created',
  'referral.read',
  'referral.rejected',
  'referral.withdrawn',
  'stay.admitted',
  'stay.extended',
  'stay.transferred',
  'stay.exited',
  'stay.personal_data_read',
  'follow_up.became_due',
  'follow_up.completed',
  'follow_up.notes_read',
  'term_alert.sent',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
