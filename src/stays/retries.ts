import { DomainError } from '../common/domain-error';
import {
  isPgError,
  PG_DEADLOCK_DETECTED,
  PG_EXCLUSION_VIOLATION,
  PG_SERIALIZATION_FAILURE,
  PG_UNIQUE_VIOLATION,
} from '../common/pg-errors';

/** Attempts of one use case when a concurrent change got in the way (lock wait, exclusion). */
const MAX_ATTEMPTS = 5;

/** Thrown inside a transaction to start it again from a fresh read. */
export class BedsChanged extends Error {}

function isRetryable(error: unknown): boolean {
  return (
    error instanceof BedsChanged ||
    isPgError(error, PG_EXCLUSION_VIOLATION) ||
    isPgError(error, PG_SERIALIZATION_FAILURE) ||
    isPgError(error, PG_DEADLOCK_DETECTED)
  );
}

/**
 * Runs a use case's transaction again when a concurrent one took a bed it chose (the ledger's
 * exclusion constraints said no) or the two deadlocked; after a few attempts, `exhausted`.
 */
export async function withRetries<T>(
  work: () => Promise<T>,
  exhausted: () => DomainError,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (isPgError(error, PG_UNIQUE_VIOLATION, 'stays_one_active_per_referral')) {
        throw new DomainError('ALREADY_ADMITTED', 'The referral has already been admitted');
      }
      if (!isRetryable(error)) {
        throw error;
      }
      if (attempt >= MAX_ATTEMPTS) {
        throw exhausted();
      }
    }
  }
}
