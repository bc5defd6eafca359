import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Actor } from '../common/actor';
import { ParseUuidPipe } from '../common/parse-uuid.pipe';
import { ApiErrors, STAFF_ERRORS } from '../common/api-errors';
import { CurrentActor, Roles } from './auth.decorators';
import { CreateUserDto, UserDto } from './dto/create-user.dto';
import { TemporaryPasswordDto, UpdateUserDto, UserAccountDto } from './dto/update-user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiOperation({ summary: 'Create a staff account (admin)' })
  @ApiBody({
    type: CreateUserDto,
    examples: {
      'an admission officer': {
        value: {
          username: 'oficial.admisiones',
          password: 'cambie-esta-clave-2026',
          role: 'admission_officer',
        },
      },
      'a house coordinator': {
        value: {
          username: 'coordinadora.cr1',
          password: 'cambie-esta-clave-2026',
          role: 'house_coordinator',
          // A client puts one of its houses here.
          houseId: '0b9e8d7c-6f5a-4b3c-9d2e-1f0a9b8c7d6e',
        },
      },
    },
  })
  @ApiCreatedResponse({ type: UserDto })
  @ApiErrors({
    400: 'VALIDATION_FAILED: malformed body, password shorter than 12 characters, houseId missing for house_coordinator or given for another role, or not an existing house',
    ...STAFF_ERRORS,
    409: 'CONFLICT: the username is taken',
  })
  create(@CurrentActor() actor: Actor, @Body() body: CreateUserDto): Promise<UserDto> {
    return this.users.create(actor, body);
  }

  @Get()
  @ApiOperation({ summary: 'List staff accounts (admin), by username; never a password' })
  @ApiOkResponse({ type: [UserAccountDto] })
  @ApiErrors(STAFF_ERRORS)
  list(): Promise<UserAccountDto[]> {
    return this.users.list();
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a staff account’s role, house or active flag (admin)',
    description:
      'Fields left out stay as they are. `active: false` disables the account: her sessions ' +
      'end and her tokens answer 401 at once. The last active admin can be neither disabled ' +
      'nor given another role.',
  })
  @ApiOkResponse({ type: UserAccountDto })
  @ApiErrors({
    400: 'VALIDATION_FAILED: malformed body or id, no field given, houseId missing for house_coordinator or given for another role, or not an existing house',
    ...STAFF_ERRORS,
    404: 'NOT_FOUND: no such user',
    409: 'CONFLICT: it would leave no active admin',
  })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserAccountDto> {
    return this.users.update(actor, id, body);
  }

  @Post(':id/reset-password')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Reset a password to a one-time one (admin)',
    description:
      'Answers the one-time password once. Her sessions end; her next login answers ' +
      '`passwordChangeRequired: true`, and every call but POST /auth/password and ' +
      'POST /auth/logout answers 403 PASSWORD_CHANGE_REQUIRED until she sets her own.',
  })
  @ApiOkResponse({ type: TemporaryPasswordDto })
  @ApiErrors({
    400: 'VALIDATION_FAILED: the id is not a UUID',
    ...STAFF_ERRORS,
    404: 'NOT_FOUND: no such user',
  })
  resetPassword(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<TemporaryPasswordDto> {
    return this.users.resetPassword(actor, id);
  }
}
