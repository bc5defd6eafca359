import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsNotBlank } from '../../common/validation';
import { REFERRAL_STATUSES, ReferralStatus } from '../referral.types';

export class RejectReferralDto {
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
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}
