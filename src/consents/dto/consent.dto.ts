import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { IsCalendarDate } from '../../common/validation';
import { CONSENT_PURPOSES, ConsentPurpose } from '../consents.types';

export class RecordConsentDto {
  @ApiProperty({
    enum: CONSENT_PURPOSES,
    example: 'follow_up_contact',
    description:
      'follow_up_contact: the team may contact her after egress (without it, egress schedules no follow-up); share_with_authority: her data may be shared with an authority',
  })
  @IsIn(CONSENT_PURPOSES, { message: `purpose must be one of ${CONSENT_PURPOSES.join(', ')}` })
  purpose: ConsentPurpose;

  @ApiProperty({
    example: true,
    description:
      'true grants, false withdraws. Withdrawing follow_up_contact cancels her pending follow-ups (cancelReason consent_withdrawn)',
  })
  @IsBoolean({ message: 'granted must be true or false' })
  granted: boolean;

  @ApiPropertyOptional({
    format: 'date',
    example: '2027-06-30',
    description:
      'Only with granted: true. The last day (in TZ_SERVICE, today or later) the grant holds; afterwards it counts as not granted. Follow-ups due after it are not scheduled, and pending ones are cancelled (consent_expired)',
  })
  @IsOptional()
  @IsCalendarDate()
  expiresOn?: string;
}

export class ConsentDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: CONSENT_PURPOSES, example: 'follow_up_contact' })
  purpose: ConsentPurpose;

  @ApiProperty({ example: true, description: 'As recorded: true granted, false withdrawn' })
  granted: boolean;

  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2027-06-30' })
  expiresOn: string | null;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-30T15:04:00.000Z' })
  recordedAt: Date;

  @ApiProperty({ format: 'uuid', description: 'The staff member who recorded it' })
  recordedBy: string;
}

export class ConsentStateDto {
  @ApiProperty({ enum: CONSENT_PURPOSES, example: 'follow_up_contact' })
  purpose: ConsentPurpose;

  @ApiProperty({
    example: true,
    description:
      'Whether it holds now: the latest record granted it and its expiresOn has not passed. Never recorded: false',
  })
  granted: boolean;

  @ApiProperty({ example: false, description: 'Granted, but its expiresOn has passed' })
  expired: boolean;

  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2027-06-30' })
  expiresOn: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the latest record was made; null: never recorded',
  })
  recordedAt: Date | null;
}

export class ConsentsDto {
  @ApiProperty({ format: 'uuid' })
  stayId: string;

  @ApiProperty({
    type: [ConsentStateDto],
    description: 'One per purpose, in the order follow_up_contact, share_with_authority',
  })
  current: ConsentStateDto[];

  @ApiProperty({ type: [ConsentDto], description: 'Every record, newest first; never rewritten' })
  history: ConsentDto[];
}

export class ConsentRecordedDto extends ConsentsDto {
  @ApiProperty({
    example: 0,
    description: 'Pending follow-ups of the stay this record cancelled (follow_up_contact only)',
  })
  followUpsCancelled: number;
}
