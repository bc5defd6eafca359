import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode } from './domain-error';

class FieldErrorDto {
  @ApiProperty({ example: 'protectionOrder.number' })
  field: string;

  @ApiProperty({ example: 'protectionOrder.number should not be empty' })
  message: string;
}

/** The contract's error body, the one shape of every error answer in the OpenAPI document. */
export class ErrorResponseDto {
  @ApiProperty({ example: 409 })
  statusCode: number;

  @ApiProperty({ enum: Object.keys(ERROR_STATUS) as ErrorCode[], example: 'NO_CAPACITY' })
  code: ErrorCode;

  @ApiProperty({ example: 'No house can take the whole family' })
  message: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Only with VALIDATION_FAILED' })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({ description: 'Only with INTERNAL: quote it to support' })
  requestId?: string;
}

export type DocumentedErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503;

/**
 * What each status means when an operation says nothing more specific. Operations name their
 * own 409 codes, since which of the contract's conflicts can happen depends on the operation.
 */
const GENERIC: Record<DocumentedErrorStatus, string> = {
  400: 'VALIDATION_FAILED: a malformed body, id or query, or an unknown field; `errors` names each field',
  401: 'UNAUTHENTICATED: no credentials, or an expired, revoked or ended token or API key',
  403: 'FORBIDDEN: this role may not do this (PASSWORD_CHANGE_REQUIRED after a password reset)',
  404: 'NOT_FOUND: it does not exist, or the caller may not see it (the same answer)',
  409: 'CONFLICT: the current state refuses it',
  413: 'PAYLOAD_TOO_LARGE: a body over 1 MB',
  429: 'RATE_LIMITED: too many requests; see Retry-After',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * The error answers of one operation, each with the contract's error body. A status alone gets
 * the generic description; an object gives an operation's own (`{ 409: 'NO_CAPACITY: …' }`).
 * Later arguments win, so `ApiErrors(400, 401, { 409: '…' })` reads in status order.
 */
export function ApiErrors(
  ...errors: Array<DocumentedErrorStatus | Partial<Record<DocumentedErrorStatus, string>>>
): MethodDecorator & ClassDecorator {
  const descriptions = new Map<number, string>();
  for (const error of errors) {
    if (typeof error === 'number') descriptions.set(error, GENERIC[error]);
    else for (const [status, text] of Object.entries(error)) descriptions.set(Number(status), text);
  }
  return applyDecorators(
    ...[...descriptions.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, description]) => ApiResponse({ status, description, type: ErrorResponseDto })),
  );
}

/** What every staff-only route may answer before it runs. */
export const STAFF_ERRORS = {
  401: 'UNAUTHENTICATED: no token, an expired one, or its session ended (logout, refresh token reused, SESSION_MAX_HOURS reached, user disabled or deleted)',
  403: 'FORBIDDEN for this role; PASSWORD_CHANGE_REQUIRED after a password reset, until POST /auth/password',
} as const;

/** What a route open to referrers (X-Api-Key) and staff may answer before it runs. */
export const REFERRER_OR_STAFF_ERRORS = {
  401: 'UNAUTHENTICATED: neither a valid Bearer token nor a live X-Api-Key (a revoked key answers 401)',
  403: STAFF_ERRORS[403],
} as const;
