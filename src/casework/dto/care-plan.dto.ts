import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsCalendarDate, IsNotBlank } from '../../common/validation';
import { GOAL_AREAS, GOAL_STATUSES, GoalArea, GoalStatus } from '../casework.types';

export const GOAL_DESCRIPTION_MAX_LENGTH = 2000;

export class CreateGoalDto {
  @ApiProperty({ enum: GOAL_AREAS })
  @IsIn(GOAL_AREAS, { message: `area must be one of ${GOAL_AREAS.join(', ')}` })
  area: GoalArea;

  @ApiProperty({ maxLength: GOAL_DESCRIPTION_MAX_LENGTH, description: 'Encrypted at rest' })
  @IsString()
  @IsNotBlank()
  @MaxLength(GOAL_DESCRIPTION_MAX_LENGTH)
  description: string;

  @ApiPropertyOptional({ format: 'date', example: '2027-01-15' })
  @IsOptional()
  @IsCalendarDate()
  targetDate?: string;
}

export class UpdateGoalDto {
  @ApiPropertyOptional({ enum: GOAL_STATUSES })
  @IsOptional()
  @IsIn(GOAL_STATUSES, { message: `status must be one of ${GOAL_STATUSES.join(', ')}` })
  status?: GoalStatus;

  @ApiPropertyOptional({ maxLength: GOAL_DESCRIPTION_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(GOAL_DESCRIPTION_MAX_LENGTH)
  description?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    nullable: true,
    description: 'null clears it',
  })
  @ValidateIf((o: UpdateGoalDto) => o.targetDate !== undefined && o.targetDate !== null)
  @IsCalendarDate()
  targetDate?: string | null;
}

export class GoalDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: GOAL_AREAS })
  area: GoalArea;

  @ApiProperty({ nullable: true, type: String, description: 'Null once the case was erased' })
  description: string | null;

  @ApiProperty({ enum: GOAL_STATUSES })
  status: GoalStatus;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  targetDate: string | null;

  @ApiProperty({ format: 'uuid' })
  createdBy: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: Date;
}

export class CarePlanDto {
  @ApiProperty({ format: 'uuid' })
  stayId: string;

  @ApiProperty({ type: [GoalDto] })
  goals: GoalDto[];
}
