import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsNotBlank } from '../../common/validation';

export class HouseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'CR-1' })
  code: string;

  @ApiProperty({ example: 'Casa Refugio 1' })
  name: string;

  @ApiProperty({ description: 'Beds in service' })
  capacity: number;

  @ApiProperty()
  active: boolean;
}

export class CreateHouseDto {
  @ApiProperty({ example: 'CR-6', pattern: '^[A-Z0-9][A-Z0-9-]{0,19}$' })
  @IsString()
  @Matches(/^[A-Z0-9][A-Z0-9-]{0,19}$/, {
    message: 'code must be 1-20 capital letters, digits or dashes, such as CR-6',
  })
  code: string;

  @ApiProperty({ example: 'Casa Refugio 6' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @IsNotBlank()
  name: string;
}

export class CreateRoomDto {
  @ApiProperty({ example: 'Habitación 13' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @IsNotBlank()
  name: string;

  @ApiProperty({ minimum: 1, maximum: 20, description: 'How many beds the room has' })
  @IsInt()
  @Min(1)
  @Max(20)
  beds: number;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  wheelchairAccessible?: boolean;
}

export class BedDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: '3B' })
  label: string;

  @ApiProperty()
  inService: boolean;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The person holding the bed now',
  })
  occupantId: string | null;
}

export class RoomDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  wheelchairAccessible: boolean;

  @ApiProperty({ type: [BedDto] })
  beds: BedDto[];
}

export class UpdateBedDto {
  @ApiProperty()
  @IsBoolean()
  inService: boolean;

  @ApiProperty({ example: 'Colchón dañado', maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @IsNotBlank()
  reason: string;
}

export class BedServicePeriodDto {
  @ApiProperty({ type: String, format: 'date-time' })
  from: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  to: Date | null;

  @ApiProperty()
  reasonOut: string;

  @ApiProperty({ type: String, nullable: true })
  reasonBack: string | null;
}

export class BedStatusDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  houseId: string;

  @ApiProperty()
  inService: boolean;

  @ApiProperty({ type: [BedServicePeriodDto], description: 'Every period out of service' })
  serviceHistory: BedServicePeriodDto[];
}
