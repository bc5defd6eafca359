import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsUUID, ValidateIf } from 'class-validator';
import { Discipline, DISCIPLINES, STAFF_ROLES, StaffRole } from '../../common/actor';
import { UserDto } from './create-user.dto';

/** Fields absent stay as they are; `null` is refused except to take a house away. */
export class UpdateUserDto {
  @ApiPropertyOptional({
    enum: STAFF_ROLES,
    description:
      'Leaving a house-bound role (house_coordinator, team_member) also takes the house away',
  })
  @ValidateIf((o: UpdateUserDto) => o.role !== undefined)
  @IsIn(STAFF_ROLES)
  role?: StaffRole;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Required for house_coordinator (unless she keeps hers), refused for other roles',
  })
  @ValidateIf((o: UpdateUserDto) => o.houseId !== undefined && o.houseId !== null)
  @IsUUID()
  houseId?: string | null;

  @ApiPropertyOptional({
    enum: DISCIPLINES,
    nullable: true,
    description: 'Required for team_member (unless she keeps hers), refused for other roles',
  })
  @ValidateIf((o: UpdateUserDto) => o.discipline !== undefined && o.discipline !== null)
  @IsIn(DISCIPLINES)
  discipline?: Discipline | null;

  @ApiPropertyOptional({
    description: 'false disables the account: her sessions end at once and she cannot log in',
  })
  @ValidateIf((o: UpdateUserDto) => o.active !== undefined)
  @IsBoolean()
  active?: boolean;
}

export class UserAccountDto extends UserDto {
  @ApiProperty()
  active: boolean;

  @ApiProperty({ description: 'True from a password reset until she sets her own' })
  passwordChangeRequired: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

export class TemporaryPasswordDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  username: string;

  @ApiProperty({
    description:
      'Shown once, never stored in clear: hand it to her; her next login must set a new one',
    example: 'k7pm-x2qa-9dtf-wh4c',
  })
  temporaryPassword: string;
}
