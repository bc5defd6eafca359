import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  HOUSING_SITUATIONS,
  HousingSituation,
  NOTE_MAX_LENGTH,
  SAFETY_SITUATIONS,
  SafetySituation,
} from '../casework.types';

/** Her situation found at a follow-up; `safety: at_risk` raises an alert for the house. */
export class FollowUpSituationDto {
  @ApiProperty({ enum: SAFETY_SITUATIONS })
  @IsIn(SAFETY_SITUATIONS, { message: `safety must be one of ${SAFETY_SITUATIONS.join(', ')}` })
  safety: SafetySituation;

  @ApiProperty({ enum: HOUSING_SITUATIONS })
  @IsIn(HOUSING_SITUATIONS, { message: `housing must be one of ${HOUSING_SITUATIONS.join(', ')}` })
  housing: HousingSituation;

  @ApiPropertyOptional({ maxLength: NOTE_MAX_LENGTH, description: 'Encrypted at rest' })
  @IsOptional()
  @IsString()
  @MaxLength(NOTE_MAX_LENGTH)
  legalProgress?: string;

  @ApiPropertyOptional({ maxLength: NOTE_MAX_LENGTH, description: 'Encrypted at rest' })
  @IsOptional()
  @IsString()
  @MaxLength(NOTE_MAX_LENGTH)
  psychosocialProgress?: string;
}

export class FollowUpSituationViewDto {
  @ApiProperty({ enum: SAFETY_SITUATIONS })
  safety: SafetySituation;

  @ApiProperty({ enum: HOUSING_SITUATIONS })
  housing: HousingSituation;

  @ApiProperty({ type: String, nullable: true })
  legalProgress: string | null;

  @ApiProperty({ type: String, nullable: true })
  psychosocialProgress: string | null;
}
