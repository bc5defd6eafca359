import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { STAFF_ROLES, StaffRole } from '../../common/actor';

export class CreateUserDto {
  @ApiProperty({ example: 'coordinadora.cr1', pattern: '^[a-zA-Z0-9_.-]{3,64}$' })
  @IsString()
  @Matches(/^[a-zA-Z0-9_.-]{3,64}$/, {
    message: 'username must be 3-64 letters, digits or _ . -',
  })
  username: string;

  @ApiProperty({ minLength: 12, maxLength: 256 })
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password: string;

  @ApiProperty({ enum: STAFF_ROLES })
  @IsIn(STAFF_ROLES)
  role: StaffRole;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for house_coordinator only' })
  @ValidateIf((o: CreateUserDto) => o.role === 'house_coordinator' || o.houseId !== undefined)
  @IsUUID()
  houseId?: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  username: string;

  @ApiProperty({ enum: STAFF_ROLES })
  role: StaffRole;

  @ApiProperty({ format: 'uuid', nullable: true })
  houseId: string | null;
}
