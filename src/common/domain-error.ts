/** Error codes of API.md, with the HTTP status each one maps to at the edge. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  /** A password an admin reset must be changed (POST /auth/password) before anything else. */
  PASSWORD_CHANGE_REQUIRED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  NO_CAPACITY: 409,
  ALREADY_ADMITTED: 409,
  INVALID_STATE: 409,
  STAY_LIMIT_EXCEEDED: 409,
  BED_OCCUPIED: 409,
  IDEMPOTENCY_MISMATCH: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldError {
  field: string;
  message: string;
}

/**
 * What services throw: a contract code and a human message. Only the exception filter knows
 * about HTTP. Messages are shown to callers, so they must never carry personal data.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
    /** Seconds, for RATE_LIMITED. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what = 'Resource'): DomainError {
    return new DomainError('NOT_FOUND', `${what} not found`);
  }

  static validation(field: string, message: string): DomainError {
    return new DomainError('VALIDATION_FAILED', 'Validation failed', [{ field, message }]);
  }
}
