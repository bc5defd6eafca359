import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { REFERRAL_STATUSES, ReferralStatus } from '../../referrals/referral.types';
import { DELIVERY_OUTCOMES, DeliveryOutcome } from '../callbacks.repository';

export class DeliveriesQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

/** One attempt to post a status callback. */
export class DeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'The payload’s eventId and X-Refugio-Event-Id' })
  eventId: string;

  @ApiProperty({ format: 'uuid' })
  referralId: string;

  @ApiProperty({ enum: REFERRAL_STATUSES, description: 'The status the callback announced' })
  referralStatus: ReferralStatus;

  @ApiProperty({ description: '1 for the first attempt of this event', example: 1 })
  attempt: number;

  @ApiProperty({
    enum: DELIVERY_OUTCOMES,
    description:
      '`delivered`: a 2xx; `gone`: a 410, which turned the callback off; `failed`: anything ' +
      'else (retried while the backoff lasts)',
  })
  status: DeliveryOutcome;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'The receiver’s status code; null when it did not answer',
    example: 500,
  })
  httpStatus: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'no answer within 5000 ms',
    description: 'Why the attempt failed; null when delivered',
  })
  error: string | null;

  @ApiProperty({ example: 84 })
  durationMs: number;

  @ApiProperty({ type: String, format: 'date-time' })
  attemptedAt: Date;
}
