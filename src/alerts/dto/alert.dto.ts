import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { QueryInt } from '../../common/validation';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { ALERT_KINDS, ALERT_STATUSES, AlertKind, AlertStatus } from '../alerts.types';

export class AlertsQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Coordinators and team members may name only their own house',
  })
  @IsOptional()
  @IsUUID('all', { message: 'houseId must be a UUID' })
  houseId?: string;

  @ApiPropertyOptional({ enum: ALERT_STATUSES })
  @IsOptional()
  @IsIn(ALERT_STATUSES, { message: `status must be one of ${ALERT_STATUSES.join(', ')}` })
  status?: AlertStatus;

  @ApiPropertyOptional({ enum: ALERT_KINDS })
  @IsOptional()
  @IsIn(ALERT_KINDS, { message: `kind must be one of ${ALERT_KINDS.join(', ')}` })
  kind?: AlertKind;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 1000,
    default: 200,
    description: 'The newest this many; ask with status=open for what still needs someone',
  })
  @IsOptional()
  @QueryInt()
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class AlertDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  houseId: string;

  @ApiProperty({ enum: ALERT_KINDS })
  kind: AlertKind;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  stayId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  followUpId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'For hearing_soon' })
  legalProcessId: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'When its subject falls due: the follow-up, the term, the hearing',
  })
  dueAt: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ enum: ALERT_STATUSES })
  status: AlertStatus;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  acknowledgedAt: Date | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The user who acknowledged it',
  })
  acknowledgedBy: string | null;
}
