import { ApiProperty } from '@nestjs/swagger';
import { FOLLOW_UP_OUTCOMES } from '../../follow-ups/dto/follow-up.dto';
import { EGRESS_REASONS, EgressReason } from '../../stays/stays.types';

export class StaySettingsDto {
  @ApiProperty({ example: 4, description: 'STAY_TERM_MONTHS: calendar months of a first term' })
  termMonths: number;

  @ApiProperty({
    example: 2,
    description: 'STAY_MAX_EXTENSION_MONTHS: how far extensions may push the term',
  })
  maxExtensionMonths: number;

  @ApiProperty({ example: 6, description: 'termMonths + maxExtensionMonths' })
  maxMonths: number;

  @ApiProperty({
    example: 90,
    description: 'HOLD_MINUTES: how long a transport hold (POST /holds) keeps the beds by default',
  })
  holdMinutes: number;
}

export class SettingsDto {
  @ApiProperty({
    example: 'America/Bogota',
    description: 'TZ_SERVICE: the zone of calendar dates, months and history days',
  })
  timeZone: string;

  @ApiProperty({ type: StaySettingsDto })
  stay: StaySettingsDto;

  @ApiProperty({ enum: EGRESS_REASONS, isArray: true })
  egressReasons: EgressReason[];

  @ApiProperty({ enum: FOLLOW_UP_OUTCOMES, isArray: true })
  followUpOutcomes: (typeof FOLLOW_UP_OUTCOMES)[number][];

  @ApiProperty({
    type: [String],
    example: ['P15D', 'P1M', 'P3M', 'P6M'],
    description: 'FOLLOW_UP_SCHEDULE: ISO 8601 offsets after egress, one follow-up each',
  })
  followUpSchedule: string[];

  @ApiProperty({
    example: 14,
    description:
      'Days ahead in which a term counts as ending soon (occupancy termEndingWithin14Days, alerts)',
  })
  termEndingWindowDays: number;
}
