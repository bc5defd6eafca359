/** Postgres SQLSTATE codes the repositories translate into domain errors. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_CHECK_VIOLATION = '23514';
export const PG_EXCLUSION_VIOLATION = '23P01';
export const PG_SERIALIZATION_FAILURE = '40001';
export const PG_DEADLOCK_DETECTED = '40P01';

interface DriverError {
  code?: string;
  constraint?: string;
}

function driverError(error: unknown): DriverError | undefined {
  if (typeof error !== 'object' || error === null) {
    return undefined;
  }
  const wrapped = error as DriverError & { driverError?: DriverError };
  const candidate = wrapped.driverError ?? wrapped;
  return typeof candidate.code === 'string' ? candidate : undefined;
}

export function pgErrorCode(error: unknown): string | undefined {
  return driverError(error)?.code;
}

export function pgConstraint(error: unknown): string | undefined {
  return driverError(error)?.constraint;
}

export function isPgError(error: unknown, code: string, constraint?: string): boolean {
  const e = driverError(error);
  return e?.code === code && (constraint === undefined || e.constraint === constraint);
}
