import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsUUID,
  Max,
  Min,
} from 'class-validator';
import { HOLD_MINUTES_MAX, HOLD_MINUTES_MIN } from '../../config/environment';
import { HOLD_STATUSES, HoldStatus } from '../stays.types';

export class CreateHoldDto {
  @ApiProperty({ format: 'uuid', example: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b' })
  @IsUUID()
  referralId: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Without it the service chooses' })
  @IsOptional()
  @IsUUID()
  houseId?: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    description: 'One bed per person, all in houseId, the woman’s first',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ArrayUnique({ message: 'bedIds must be distinct' })
  @IsUUID('all', { each: true })
  bedIds?: string[];

  @ApiPropertyOptional({
    minimum: HOLD_MINUTES_MIN,
    maximum: HOLD_MINUTES_MAX,
    example: 120,
    description: 'How long the beds are kept; defaults to HOLD_MINUTES (90)',
  })
  @IsOptional()
  @IsInt()
  @Min(HOLD_MINUTES_MIN)
  @Max(HOLD_MINUTES_MAX)
  minutes?: number;
}

export class HoldsQueryDto {
  @ApiPropertyOptional({ enum: HOLD_STATUSES, example: 'held' })
  @IsOptional()
  @IsIn(HOLD_STATUSES)
  status?: HoldStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'Coordinators: their own house only' })
  @IsOptional()
  @IsUUID()
  houseId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class HoldDto {
  @ApiProperty({ format: 'uuid', example: '3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99' })
  id: string;

  @ApiProperty({ format: 'uuid', example: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b' })
  referralId: string;

  @ApiProperty({ format: 'uuid', example: '0b9e8d7c-6f5a-4b3c-9d2e-1f0a9b8c7d6e' })
  houseId: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    example: ['9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e'],
    description: 'The held beds, one per person, the woman’s first',
  })
  beds: string[];

  @ApiProperty({
    enum: HOLD_STATUSES,
    example: 'held',
    description: '`expired` as soon as expiresAt has passed, even before the sweep records it',
  })
  status: HoldStatus;

  @ApiProperty({ format: 'date-time', example: '2026-11-21T03:10:00.000Z' })
  heldAt: Date;

  @ApiProperty({
    format: 'date-time',
    example: '2026-11-21T04:40:00.000Z',
    description: 'The beds are free again at this instant, whether or not anyone confirms',
  })
  expiresAt: Date;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    example: null,
    description: 'The stay that confirmed the hold (status confirmed)',
  })
  stayId: string | null;
}
