import type { TermAlertKind } from '../follow-ups/follow-up-schedule';

/**
 * What an alert is about. `order_overdue` and `hold_expiring` are raised by the admission
 * features (provisional orders, transport holds); the union is here so that the table, the
 * DTOs and the filters already know them.
 */
export const ALERT_KINDS = [
  'follow_up_due',
  'term_ending',
  'term_ended',
  'order_overdue',
  'hearing_soon',
  'hold_expiring',
  'at_risk',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_STATUSES = ['open', 'acknowledged'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/**
 * The reminder kinds the follow-ups queue records, as the team reads them. A stay still active
 * a day after its term is the same news as the term ending that day: `term_ended` both times.
 */
export const REMINDER_ALERT_KIND: Record<'follow_up_due' | TermAlertKind, AlertKind> = {
  follow_up_due: 'follow_up_due',
  term_ending_soon: 'term_ending',
  term_ends: 'term_ended',
  term_overdue: 'term_ended',
};

export interface AlertView {
  id: string;
  houseId: string;
  kind: AlertKind;
  stayId: string | null;
  followUpId: string | null;
  legalProcessId: string | null;
  dueAt: Date;
  createdAt: Date;
  status: AlertStatus;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
}

export interface AlertFilter {
  houseId: string | null;
  status: AlertStatus | null;
  kind: AlertKind | null;
  limit: number;
}
