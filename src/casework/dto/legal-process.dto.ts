import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsInstant, IsNotBlank } from '../../common/validation';
import {
  LEGAL_PROCESS_KINDS,
  LEGAL_PROCESS_STATUSES,
  LegalProcessKind,
  LegalProcessStatus,
  NOTE_MAX_LENGTH,
} from '../casework.types';

export class CreateLegalProcessDto {
  @ApiProperty({ enum: LEGAL_PROCESS_KINDS })
  @IsIn(LEGAL_PROCESS_KINDS, { message: `kind must be one of ${LEGAL_PROCESS_KINDS.join(', ')}` })
  kind: LegalProcessKind;

  @ApiProperty({ maxLength: 200, example: 'Juzgado 3 de Familia', description: 'Encrypted' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  authority: string;

  @ApiProperty({ maxLength: 100, description: 'Radicado; encrypted at rest' })
  @IsString()
  @IsNotBlank()
  @MaxLength(100)
  caseNumber: string;

  @ApiProperty({ enum: LEGAL_PROCESS_STATUSES })
  @IsIn(LEGAL_PROCESS_STATUSES, {
    message: `status must be one of ${LEGAL_PROCESS_STATUSES.join(', ')}`,
  })
  status: LegalProcessStatus;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'In the future; a hearing_soon alert is raised 24 hours before',
  })
  @IsOptional()
  @IsInstant()
  nextHearingAt?: string;

  @ApiPropertyOptional({ maxLength: NOTE_MAX_LENGTH, description: 'Encrypted at rest' })
  @IsOptional()
  @IsString()
  @MaxLength(NOTE_MAX_LENGTH)
  note?: string;
}

export class UpdateLegalProcessDto {
  @ApiPropertyOptional({ enum: LEGAL_PROCESS_STATUSES })
  @IsOptional()
  @IsIn(LEGAL_PROCESS_STATUSES, {
    message: `status must be one of ${LEGAL_PROCESS_STATUSES.join(', ')}`,
  })
  status?: LegalProcessStatus;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'In the future; null clears it. A new date reschedules the hearing alert',
  })
  @ValidateIf(
    (o: UpdateLegalProcessDto) => o.nextHearingAt !== undefined && o.nextHearingAt !== null,
  )
  @IsInstant()
  nextHearingAt?: string | null;

  @ApiPropertyOptional({ maxLength: NOTE_MAX_LENGTH, description: 'Encrypted at rest' })
  @IsOptional()
  @IsString()
  @MaxLength(NOTE_MAX_LENGTH)
  note?: string;
}

export class LegalProcessChangeDto {
  @ApiProperty({ enum: ['created', 'updated'] })
  action: 'created' | 'updated';

  @ApiProperty({ type: [String], description: 'The fields this change set' })
  changed: string[];

  @ApiProperty({ enum: LEGAL_PROCESS_STATUSES, nullable: true })
  status: LegalProcessStatus | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  nextHearingAt: Date | null;

  @ApiProperty({ type: String, nullable: true })
  note: string | null;

  @ApiProperty({ format: 'uuid' })
  changedBy: string;

  @ApiProperty({ type: String, format: 'date-time' })
  changedAt: Date;
}

export class LegalProcessDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  stayId: string;

  @ApiProperty({ enum: LEGAL_PROCESS_KINDS })
  kind: LegalProcessKind;

  @ApiProperty({ nullable: true, type: String, description: 'Null once the case was erased' })
  authority: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'Null once the case was erased' })
  caseNumber: string | null;

  @ApiProperty({ enum: LEGAL_PROCESS_STATUSES })
  status: LegalProcessStatus;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  nextHearingAt: Date | null;

  @ApiProperty({ type: String, nullable: true })
  note: string | null;

  @ApiProperty({ format: 'uuid' })
  createdBy: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: Date;

  @ApiProperty({ type: [LegalProcessChangeDto], description: 'Every change: who, when, what' })
  history: LegalProcessChangeDto[];
}
