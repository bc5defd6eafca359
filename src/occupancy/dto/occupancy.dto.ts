import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

export class OccupancyQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Narrow to one house' })
  @IsOptional()
  @IsUUID()
  houseId?: string;
}

export class OccupancyTotalsDto {
  @ApiProperty({ description: 'Beds in service; always occupied + free' })
  capacity: number;

  @ApiProperty({ description: 'People in a bed now' })
  occupied: number;

  @ApiProperty()
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
  @ApiProperty()
  asOf: Date;

  @ApiProperty({ type: OccupancyTotalsDto })
  totals: OccupancyTotalsDto;

  @ApiProperty({ type: [HouseOccupancyDto] })
  houses: HouseOccupancyDto[];
}
