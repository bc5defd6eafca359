import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsInt,
  IsOptional,
  IsUUID,
  Max,
  Min,
  registerDecorator,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';
import { DateTime } from 'luxon';
import { IsCalendarDate, QueryInt } from '../../common/validation';

/** About ten years: enough for any report, small enough to stay one quick query. */
export const MAX_HISTORY_DAYS = 3660;

/** `to` is on or after `from` and at most MAX_HISTORY_DAYS days later. */
export function IsRangeEndAfter(
  fromProperty: string,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isRangeEndAfter',
      target: target.constructor,
      propertyName: propertyKey as string,
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const from = (args.object as Record<string, unknown>)[fromProperty];
          if (typeof value !== 'string' || typeof from !== 'string') {
            return true;
          }
          const days = DateTime.fromISO(value, { zone: 'UTC' })
            .diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days')
            .as('days');
          return !Number.isNaN(days) && days >= 0 && days < MAX_HISTORY_DAYS;
        },
        defaultMessage: () =>
          `${String(propertyKey)} must be on or after ${fromProperty}, at most ${MAX_HISTORY_DAYS} days in all`,
      },
    });
}

export class OccupancyQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Narrow to one house' })
  @IsOptional()
  @IsUUID()
  houseId?: string;
}

export class OccupancyTotalsDto {
  @ApiProperty({ example: 40, description: 'Beds in service; always occupied + held + free' })
  capacity: number;

  @ApiProperty({ example: 31, description: 'People in a bed now' })
  occupied: number;

  @ApiProperty({
    example: 3,
    description: 'Beds kept by a live transport hold (POST /holds): neither occupied nor free',
  })
  held: number;

  @ApiProperty({ example: 6, description: 'Beds nobody occupies or holds' })
  free: number;

  @ApiProperty({ description: 'Beds out of service, not counted in capacity' })
  outOfService: number;
}

export class HouseOccupancyDto extends OccupancyTotalsDto {
  @ApiProperty({ format: 'uuid' })
  houseId: string;

  @ApiProperty()
  code: string;

  @ApiProperty({ description: 'occupied / capacity, 0 when the house has no bed in service' })
  occupancyRate: number;

  @ApiProperty({ description: 'Active stays whose term ends in the next 14 days' })
  termEndingWithin14Days: number;

  @ApiProperty({ description: 'Active stays already past their term' })
  overdueStays: number;
}

export class OccupancyDto {
  @ApiProperty({ type: String, format: 'date-time' })
  asOf: Date;

  @ApiProperty({ type: OccupancyTotalsDto })
  totals: OccupancyTotalsDto;

  @ApiProperty({ type: [HouseOccupancyDto] })
  houses: HouseOccupancyDto[];
}

export class OccupancyHistoryQueryDto {
  @ApiProperty({ example: '2026-11-01', description: 'First day, YYYY-MM-DD in TZ_SERVICE' })
  @IsCalendarDate()
  from: string;

  @ApiProperty({ example: '2026-11-30', description: 'Last day, included' })
  @IsCalendarDate()
  @IsRangeEndAfter('from')
  to: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Narrow to one house' })
  @IsOptional()
  @IsUUID()
  houseId?: string;
}

export class OccupancyDayDto {
  @ApiProperty({ example: '2026-11-21' })
  date: string;

  @ApiProperty({ description: 'People housed at the last instant of the day' })
  occupied: number;

  @ApiProperty({ description: 'Beds in service at that instant' })
  capacity: number;
}

export class OccupancyHistoryDto {
  @ApiProperty({ type: [OccupancyDayDto] })
  days: OccupancyDayDto[];
}

export const FORECAST_MAX_DAYS = 180;

export class OccupancyForecastQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: FORECAST_MAX_DAYS, default: 60 })
  @IsOptional()
  @QueryInt()
  @IsInt({ message: 'days must be a whole number' })
  @Min(1)
  @Max(FORECAST_MAX_DAYS)
  days?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'Narrow to one house' })
  @IsOptional()
  @IsUUID()
  houseId?: string;
}

export class ForecastDayDto {
  @ApiProperty({ example: '2026-12-01', description: 'A date of TZ_SERVICE, from today' })
  date: string;

  @ApiProperty({
    description: 'Places expected taken at the end of the day if every stay ends at its term',
  })
  occupied: number;

  @ApiProperty({ description: 'Beds in service now minus occupied' })
  free: number;

  @ApiProperty({ description: 'Places whose stay reaches its term that day' })
  termEnding: number;

  @ApiProperty({
    description:
      'Places whose stay must have ended by the end of that day at the latest (maxEndsAt): free even if every stay is extended to the limit',
  })
  maxEnding: number;
}

export class OccupancyForecastDto {
  @ApiProperty({ type: [ForecastDayDto] })
  days: ForecastDayDto[];
}
