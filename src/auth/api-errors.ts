import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode } from '../common/domain-error';

class FieldErrorDto {
  @ApiProperty({ example: 'newPassword' })
  field: string;

  @ApiProperty({ example: 'newPassword must be longer than or equal to 12 characters' })
  message: string;
}

/** The contract's error body, for the OpenAPI document. */
export class ErrorResponseDto {
  @ApiProperty({ example: 409 })
  statusCode: number;

  @ApiProperty({ enum: Object.keys(ERROR_STATUS) as ErrorCode[], example: 'CONFLICT' })
  code: ErrorCode;

  @ApiProperty({ example: 'The last active admin cannot be disabled or given another role' })
  message: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Only with VALIDATION_FAILED' })
  errors?: FieldErrorDto[];
}

/** The error answers of one operation, by status, each with the contract's error body. */
export function ApiErrors(descriptions: Record<number, string>): MethodDecorator {
  return applyDecorators(
    ...Object.entries(descriptions).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, type: ErrorResponseDto }),
    ),
  );
}

/** What every staff-only route may answer before it runs. */
export const STAFF_ERRORS = {
  401: 'UNAUTHENTICATED: no token, an expired one, or its session ended (logout, refresh token reused, SESSION_MAX_HOURS reached, user disabled or deleted)',
  403: 'FORBIDDEN for this role; PASSWORD_CHANGE_REQUIRED after a password reset, until POST /auth/password',
} as const;
