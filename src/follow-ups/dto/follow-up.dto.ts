import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
  IsObject,
} from 'class-validator';
import { FollowUpSituationDto, FollowUpSituationViewDto } from '../../casework/dto/situation.dto';

export const FOLLOW_UP_STATUSES = ['scheduled', 'due', 'completed', 'cancelled'] as const;
export const FOLLOW_UP_OUTCOMES = ['contacted', 'not_reachable', 'declined'] as const;
/** Why a follow-up was cancelled: she was admitted again, or her consent no longer covers it. */
export const FOLLOW_UP_CANCEL_REASONS = [
  'readmitted',
  'consent_withdrawn',
  'consent_expired',
] as const;

export class FollowUpQueryDto {
  @ApiPropertyOptional({ enum: FOLLOW_UP_STATUSES })
  @IsOptional()
  @IsIn(FOLLOW_UP_STATUSES, { message: `status must be one of ${FOLLOW_UP_STATUSES.join(', ')}` })
  status?: (typeof FOLLOW_UP_STATUSES)[number];

  @ApiPropertyOptional({ format: 'uuid', description: 'A coordinator may name only its own house' })
  @IsOptional()
  @IsUUID('all', { message: 'houseId must be a UUID' })
  houseId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'stayId must be a UUID' })
  stayId?: string;
}

export class CompleteFollowUpDto {
  @ApiProperty({ enum: FOLLOW_UP_OUTCOMES })
  @IsIn(FOLLOW_UP_OUTCOMES, { message: `outcome must be one of ${FOLLOW_UP_OUTCOMES.join(', ')}` })
  outcome: (typeof FOLLOW_UP_OUTCOMES)[number];

  @ApiPropertyOptional({ maxLength: 5000, description: 'Encrypted at rest; reads are audited' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string;

  @ApiPropertyOptional({
    type: FollowUpSituationDto,
    description: 'Her situation; safety at_risk raises an at_risk alert for the house at once',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => FollowUpSituationDto)
  situation?: FollowUpSituationDto;
}

export class FollowUpDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  stayId: string;

  @ApiProperty({ format: 'uuid', description: 'The house the family left' })
  houseId: string;

  @ApiProperty({ description: 'Position in FOLLOW_UP_SCHEDULE, from 1' })
  sequence: number;

  @ApiProperty({ type: String, format: 'date-time' })
  dueAt: Date;

  @ApiProperty({ enum: FOLLOW_UP_STATUSES })
  status: string;

  @ApiProperty({ description: 'Reminders recorded for the house team (at most one)' })
  remindersSent: number;

  @ApiProperty({ type: String, enum: FOLLOW_UP_OUTCOMES, nullable: true })
  outcome: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  becameDueAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  cancelledAt: Date | null;

  @ApiProperty({
    type: String,
    enum: FOLLOW_UP_CANCEL_REASONS,
    nullable: true,
    example: 'consent_withdrawn',
    description:
      'Set when cancelled: readmitted; consent_withdrawn (follow_up_contact withdrawn); consent_expired (due after the expiry of her follow_up_contact grant)',
  })
  cancelReason: string | null;
}

export class FollowUpDetailDto extends FollowUpDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Only in the single view; each read is audited',
  })
  notes: string | null;

  @ApiProperty({
    type: FollowUpSituationViewDto,
    nullable: true,
    description: 'Recorded at completion; shown to staff of the house',
  })
  situation: FollowUpSituationViewDto | null;
}
