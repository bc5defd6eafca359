import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Discipline, DISCIPLINES } from '../../common/actor';
import { IsInstant, QueryInt } from '../../common/validation';
import { ATTENTION_KINDS, AttentionKind, NOTE_MAX_LENGTH } from '../casework.types';

export class CreateAttentionDto {
  @ApiProperty({ format: 'uuid', description: 'The woman or one of her dependants in this stay' })
  @IsUUID('all', { message: 'personId must be a UUID' })
  personId: string;

  @ApiProperty({ enum: ATTENTION_KINDS })
  @IsIn(ATTENTION_KINDS, { message: `kind must be one of ${ATTENTION_KINDS.join(', ')}` })
  kind: AttentionKind;

  @ApiPropertyOptional({
    enum: DISCIPLINES,
    description:
      "A team member's own discipline (may be left out); required from coordinators and admins",
  })
  @IsOptional()
  @IsIn(DISCIPLINES, { message: `discipline must be one of ${DISCIPLINES.join(', ')}` })
  discipline?: Discipline;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Defaults to now; not in the future, not before admission nor after egress',
  })
  @IsOptional()
  @IsInstant()
  occurredAt?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1440 })
  @IsOptional()
  @IsInt({ message: 'durationMinutes must be an integer' })
  @Min(1)
  @Max(1440)
  durationMinutes?: number;

  @ApiPropertyOptional({ maxLength: NOTE_MAX_LENGTH, description: 'Encrypted at rest' })
  @IsOptional()
  @IsString()
  @MaxLength(NOTE_MAX_LENGTH)
  note?: string;
}

export class AttentionsQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'personId must be a UUID' })
  personId?: string;

  @ApiPropertyOptional({ enum: DISCIPLINES })
  @IsOptional()
  @IsIn(DISCIPLINES, { message: `discipline must be one of ${DISCIPLINES.join(', ')}` })
  discipline?: Discipline;

  @ApiPropertyOptional({ minimum: 1, maximum: 2000, default: 500, description: 'Newest first' })
  @IsOptional()
  @QueryInt()
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(2000)
  limit?: number;
}

export class AttentionDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  stayId: string;

  @ApiProperty({ format: 'uuid' })
  personId: string;

  @ApiProperty({ enum: DISCIPLINES })
  discipline: Discipline;

  @ApiProperty({ enum: ATTENTION_KINDS })
  kind: AttentionKind;

  @ApiProperty({ type: String, format: 'date-time' })
  occurredAt: Date;

  @ApiProperty({ type: Number, nullable: true })
  durationMinutes: number | null;

  @ApiProperty({ format: 'uuid' })
  authorId: string;

  @ApiProperty({ type: String, nullable: true, description: 'Decrypted for staff of the house' })
  note: string | null;
}
