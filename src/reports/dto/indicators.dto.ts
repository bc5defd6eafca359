import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { IsCalendarDate } from '../../common/validation';
import { IsRangeEndAfter } from '../../occupancy/dto/occupancy.dto';
import { REPORT_AUDIENCES, REPORT_FORMATS, ReportFormat } from '../reports.types';

export class IndicatorsQueryDto {
  @ApiProperty({ example: '2026-01-01', description: 'First day, YYYY-MM-DD in TZ_SERVICE' })
  @IsCalendarDate()
  from: string;

  @ApiProperty({ example: '2026-12-31', description: 'Last day, included' })
  @IsCalendarDate()
  @IsRangeEndAfter('from')
  to: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'One house; without it the whole network (coordinators: their house)',
  })
  @IsOptional()
  @IsUUID()
  houseId?: string;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;

  @ApiPropertyOptional({
    enum: REPORT_AUDIENCES,
    description: 'public: small counts suppressed, as analysts always get them',
  })
  @IsOptional()
  @IsIn(REPORT_AUDIENCES)
  audience?: 'public';
}

const cell = (description: string) =>
  ApiProperty({
    type: Number,
    nullable: true,
    description: `${description}; null when suppressed`,
  });

export class ExitsDto {
  @cell('Egress reason term_completed') term_completed: number | null;
  @cell('voluntary') voluntary: number | null;
  @cell('transferred_out') transferred_out: number | null;
  @cell('rule_breach') rule_breach: number | null;
  @cell('other') other: number | null;
}

export class RejectedDto {
  @cell('no_capacity') no_capacity: number | null;
  @cell('not_eligible') not_eligible: number | null;
  @cell('woman_declined') woman_declined: number | null;
  @cell('unreachable') unreachable: number | null;
  @cell('needs_not_met') needs_not_met: number | null;
  @cell('referred_elsewhere') referred_elsewhere: number | null;
  @cell('duplicate') duplicate: number | null;
  @cell('other (every rejection until reason codes exist)') other: number | null;
}

export class ReferralIndicatorsDto {
  @cell('Referrals received in the period (for one house: those admitted to it)')
  received: number | null;
  @cell('Referrals admitted in the period') admitted: number | null;
  @cell('Referrals withdrawn in the period (network only)') withdrawn: number | null;
  @ApiProperty({ type: RejectedDto, description: 'Rejections by reason code (network only)' })
  rejected: RejectedDto;
  @cell('409 NO_CAPACITY answers recorded (0 until unmet demand is recorded)')
  refusedNoCapacity: number | null;
}

export class FollowUpIndicatorsDto {
  @cell('Follow-ups that fell due in the period') due: number | null;
  @cell('Follow-ups completed in the period') completed: number | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number', nullable: true },
    example: { contacted: 12, not_reachable: null, declined: null },
  })
  byOutcome: Record<string, number | null>;
}

export class AttentionIndicatorsDto {
  @cell('Attentions given in the period') total: number | null;
  @cell('Distinct people who received one') peopleReached: number | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number', nullable: true } })
  byDiscipline: Record<string, number | null>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number', nullable: true } })
  byKind: Record<string, number | null>;
}

export class IndicatorsDto {
  @cell('Distinct women with a stay overlapping the period') womenServed: number | null;
  @cell('Distinct dependants with a stay overlapping the period') dependantsServed: number | null;
  @cell('Of them, children') childrenServed: number | null;
  @cell('Stays admitted in the period (in the house they were admitted to)')
  admissions: number | null;
  @cell('Distinct people of those stays') peopleAdmitted: number | null;
  @ApiProperty({ type: ExitsDto, description: 'Stays exited in the period, by egress reason' })
  exits: ExitsDto;
  @cell('Sum over the days of /occupancy/history occupied') bedNights: number | null;
  @cell('bedNights ÷ beds in service summed over the days') occupancyRate: number | null;
  @cell('Mean length in days of the stays exited in the period') averageStayDays: number | null;
  @cell('Median length in days of the stays exited in the period') medianStayDays: number | null;
  @cell('Extensions granted in the period') extensions: number | null;
  @cell('Transfers in the period (for one house: into or out of it)') transfers: number | null;
  @ApiProperty({ type: ReferralIndicatorsDto }) referrals: ReferralIndicatorsDto;
  @cell('Median hours from the referral to the admission, stays admitted in the period')
  medianHoursReferralToAdmission: number | null;
  @cell('Provisional admissions (0 until provisional stays exist)')
  provisionalAdmissions: number | null;
  @cell('Provisional orders overdue (0 until provisional stays exist)')
  ordersOverdue: number | null;
  @ApiProperty({ type: FollowUpIndicatorsDto }) followUps: FollowUpIndicatorsDto;
  @ApiProperty({ type: AttentionIndicatorsDto }) attentions: AttentionIndicatorsDto;
}

export class IndicatorReportDto {
  @ApiProperty({ example: '2026-01-01' }) from: string;
  @ApiProperty({ example: '2026-12-31' }) to: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) houseId: string | null;
  @ApiProperty({
    type: [String],
    example: ['exits.voluntary', 'exits.rule_breach'],
    description: 'Paths of the figures withheld as small counts (analysts, audience=public)',
  })
  suppressed: string[];
  @ApiProperty({ type: IndicatorsDto }) indicators: IndicatorsDto;
}
