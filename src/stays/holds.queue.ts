/**
 * The holds sweep: one BullMQ job scheduler, every HOLDS_SWEEP_EVERY_MS, on a queue of its own.
 * A repeatable sweep rather than a delayed job per hold: the beds are freed by the ledger's
 * time, not by the job, so all the job does is write down what happened (expired, audited) and
 * warn the house 15 minutes ahead, and a run that repeats another (two workers, a replay after
 * a restart) changes nothing.
 */
export const HOLDS_QUEUE = 'holds';
export const HOLDS_SWEEP_SCHEDULER_ID = 'holds-sweep';
export const HOLDS_SWEEP_EVERY_MS = 10_000;

export const HoldsJob = {
  Sweep: 'holds-sweep',
} as const;
export type HoldsJobName = (typeof HoldsJob)[keyof typeof HoldsJob];
