import type { JobsOptions } from 'bullmq';

/** Status callbacks to referrers: one job per event, ids only. */
export const CALLBACKS_QUEUE = 'referrer-callbacks';

export const CallbackJob = {
  Deliver: 'deliver-callback',
} as const;
export type CallbackJobName = (typeof CallbackJob)[keyof typeof CallbackJob];

export interface DeliverCallbackPayload {
  eventId: string;
}

/** Deterministic: a relay that runs twice, or on two processes, adds the event once. */
export function callbackJobId(eventId: string): string {
  return `callback-${eventId}`;
}

/** The name BullMQ passes to the worker's backoff strategy (see callbackRetryDelayMs). */
export const CALLBACK_BACKOFF = 'callback';

/** The first retry waits this long, each next one twice as long, up to RETRY_CAP_MS. */
export const RETRY_BASE_MS = 10_000;
export const RETRY_CAP_MS = 60 * 60_000;
/** Retries go on at least this long after the first attempt (API.md: at least 24 h). */
export const RETRY_WINDOW_MS = 26 * 60 * 60_000;

/** The wait before retry number `attemptsMade` (1 after the first failure). */
export function callbackRetryDelayMs(attemptsMade: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attemptsMade - 1), RETRY_CAP_MS);
}

/** Attempts in all, so that the waits between them add up to RETRY_WINDOW_MS or more. */
export function callbackAttempts(): number {
  let attempts = 1;
  let waited = 0;
  while (waited < RETRY_WINDOW_MS) {
    waited += callbackRetryDelayMs(attempts);
    attempts++;
  }
  return attempts;
}

/**
 * Completed jobs are removed (the event's row says it was delivered, and the processor reads it
 * first); failed ones stay, visible on the board, until the relay's stale sweep retries them.
 */
export const CALLBACK_JOB_OPTIONS: JobsOptions = {
  attempts: callbackAttempts(),
  backoff: { type: CALLBACK_BACKOFF },
  removeOnComplete: true,
  removeOnFail: false,
};
