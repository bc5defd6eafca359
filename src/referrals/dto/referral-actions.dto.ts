import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { IsNotBlank, QueryInt } from '../../common/validation';
import {
  REFERRAL_STATUSES,
  ReferralStatus,
  REJECTION_REASON_CODES,
  RejectionReasonCode,
} from '../referral.types';

export class RejectReferralDto {
  @ApiPropertyOptional({
    enum: REJECTION_REASON_CODES,
    default: 'other',
    description: "The decision's code; the referrer reads only its standard Spanish text",
  })
  // Absent means the default; an explicit null is no code of the list, so it is refused.
  @ValidateIf((o: RejectReferralDto) => o.reasonCode !== undefined)
  @IsIn(REJECTION_REASON_CODES)
  reasonCode?: RejectionReasonCode;

  @ApiProperty({ example: 'No cumple criterios de ingreso', maxLength: 1000 })
  @IsString()
  @MaxLength(1000)
  @IsNotBlank()
  reason: string;
}

export class WithdrawReferralDto {
  @ApiPropertyOptional({ example: 'La mujer encontró otra red de apoyo', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @IsNotBlank()
  reason?: string;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

export class ListReferralsQueryDto {
  @ApiPropertyOptional({
    enum: REFERRAL_STATUSES,
    description: 'Without it, every status',
  })
  @IsOptional()
  @IsIn(REFERRAL_STATUSES)
  status?: ReferralStatus;

  @ApiPropertyOptional({ default: DEFAULT_PAGE_SIZE, minimum: 1, maximum: MAX_PAGE_SIZE })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;

  @ApiPropertyOptional({
    minLength: 3,
    maxLength: 200,
    example: 'munoz',
    description:
      'Officers and admins only (a referrer gets 403). Finds referrals by the woman’s ' +
      'document number (exact), externalReference (exact), or words of a family member’s ' +
      'name (whole words, accents and case ignored; every word must be in one person’s ' +
      'name). Shorter than 3 characters: 400',
  })
  @IsOptional()
  @IsString()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @MinLength(3)
  @MaxLength(200)
  q?: string;
}

export class EraseReferralDto {
  @ApiProperty({
    example: 'Solicitud de supresión de la titular (Ley 1581 de 2012, art. 8)',
    maxLength: 1000,
    description:
      'Why the case is erased. Required, but not stored: it could name the person being erased ' +
      '(the audit event records only that an admin erased the case)',
  })
  @IsString()
  @MaxLength(1000)
  @IsNotBlank()
  reason: string;
}
