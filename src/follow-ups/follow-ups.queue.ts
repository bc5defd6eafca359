import type { JobsOptions } from 'bullmq';

/** Follow-ups and term alerts falling due: delayed jobs, one per row, ids only. */
export const FOLLOW_UPS_QUEUE = 'follow-ups';
/** The outbox relay, run by a BullMQ job scheduler; a queue of its own so a backlog of due
 * jobs never delays the relay that refills Redis. */
export const FOLLOW_UPS_RELAY_QUEUE = 'follow-ups-relay';

export const FollowUpJob = {
  FollowUpDue: 'follow-up-due',
  TermAlertDue: 'term-alert-due',
  HearingAlertDue: 'hearing-alert-due',
  OrderAlertDue: 'order-alert-due',
} as const;
export type FollowUpJobName = (typeof FollowUpJob)[keyof typeof FollowUpJob];

export const RelayJob = {
  Relay: 'relay',
} as const;
export type RelayJobName = (typeof RelayJob)[keyof typeof RelayJob];

export interface FollowUpDuePayload {
  followUpId: string;
}

export interface TermAlertDuePayload {
  termAlertId: string;
}

export interface HearingAlertDuePayload {
  hearingAlertId: string;
}

export interface OrderAlertDuePayload {
  orderAlertId: string;
}

export type RelayPayload = Record<string, never>;

export interface FollowUpJobPayloads {
  [FollowUpJob.FollowUpDue]: FollowUpDuePayload;
  [FollowUpJob.TermAlertDue]: TermAlertDuePayload;
  [FollowUpJob.HearingAlertDue]: HearingAlertDuePayload;
  [FollowUpJob.OrderAlertDue]: OrderAlertDuePayload;
}

export const RELAY_SCHEDULER_ID = 'follow-ups-relay';

/**
 * Deterministic ids: BullMQ ignores an add whose job id exists, so re-adding is harmless.
 * A dash, not STYLE's `follow-up:<id>`: BullMQ 5 refuses custom ids with a colon (its key
 * separator).
 */
export function followUpJobId(followUpId: string): string {
  return `follow-up-${followUpId}`;
}

export function termAlertJobId(termAlertId: string): string {
  return `term-alert-${termAlertId}`;
}

export function hearingAlertJobId(hearingAlertId: string): string {
  return `hearing-alert-${hearingAlertId}`;
}

export function orderAlertJobId(orderAlertId: string): string {
  return `order-alert-${orderAlertId}`;
}

/**
 * Retries with exponential backoff (1 s, 2 s, 4 s … about 4 minutes in all) cover a database
 * restart; after that the stale sweep of the relay retries the failed job. Completed jobs are
 * removed, so that a row still pending can always be enqueued again under its id; failed jobs
 * stay, visible on the board.
 */
export const DUE_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: false,
};
