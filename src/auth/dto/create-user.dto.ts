import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import {
  Discipline,
  DISCIPLINES,
  HOUSE_BOUND_ROLES,
  STAFF_ROLES,
  StaffRole,
} from '../../common/actor';
import { USERNAME_PATTERN, usernameKey } from '../username';

export class CreateUserDto {
  @ApiProperty({
    example: 'coordinadora.cr1',
    pattern: '^[a-zA-Z0-9_.-]{3,64}$',
    description: 'Stored NFKC-normalised in lower case, the one spelling login compares',
  })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? usernameKey(value) : value,
  )
  @IsString()
  @Matches(USERNAME_PATTERN, {
    message: 'username must be 3-64 letters, digits or _ . -',
  })
  username: string;

  @ApiProperty({ example: 'cambie-esta-clave-2026', minLength: 12, maxLength: 256 })
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password: string;

  @ApiProperty({ enum: STAFF_ROLES, example: 'admission_officer' })
  @IsIn(STAFF_ROLES)
  role: StaffRole;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Required for house_coordinator and team_member, refused for other roles',
  })
  @ValidateIf((o: CreateUserDto) => HOUSE_BOUND_ROLES.includes(o.role) || o.houseId !== undefined)
  @IsUUID()
  houseId?: string;

  @ApiPropertyOptional({
    enum: DISCIPLINES,
    description: 'Required for team_member, refused for every other role',
  })
  @ValidateIf((o: CreateUserDto) => o.role === 'team_member' || o.discipline !== undefined)
  @IsIn(DISCIPLINES, { message: `discipline must be one of ${DISCIPLINES.join(', ')}` })
  discipline?: Discipline;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  username: string;

  @ApiProperty({ enum: STAFF_ROLES })
  role: StaffRole;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  houseId: string | null;

  @ApiProperty({ enum: DISCIPLINES, nullable: true })
  discipline: Discipline | null;
}
