import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { StaffActor } from '../common/actor';
import { ApiErrors, STAFF_ERRORS } from '../common/api-errors';
import { AllowPendingPasswordChange, CurrentActor, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { ChangePasswordDto, LoginDto, RefreshDto, TokenResponseDto } from './dto/login.dto';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Log in: starts a session',
    description:
      'Answers an access token and a refresh token. The session ends SESSION_MAX_HOURS (12) ' +
      'after login at the latest. When `passwordChangeRequired` is true (after an admin reset ' +
      'the password), every other call answers 403 PASSWORD_CHANGE_REQUIRED until ' +
      'POST /auth/password sets a new one.',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiErrors({
    400: 'VALIDATION_FAILED: malformed body',
    401: 'UNAUTHENTICATED: wrong username or password, or a disabled account (alike)',
    429: 'RATE_LIMITED: too many failed logins for this username from this address, or from this address whatever the usernames (Retry-After says when to retry)',
  })
  login(@Body() body: LoginDto, @Ip() address: string): Promise<TokenResponseDto> {
    return this.auth.login(body.username, body.password, address);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Trade a refresh token for a new pair (rotation)',
    description:
      'No bearer token needed, so it works after the access token expired. Each refresh token ' +
      'works once. Presenting one that was already used, even by two requests at the same ' +
      'time, ends the whole session: a client must send one refresh at a time. The new pair ' +
      'carries the user’s current role and house.',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiErrors({
    400: 'VALIDATION_FAILED: malformed body',
    401: 'UNAUTHENTICATED: unknown or used token, or the session ended (logout, SESSION_MAX_HOURS, user disabled); log in again',
    429: 'RATE_LIMITED: too many failed refreshes from this address (Retry-After says when to retry)',
  })
  refresh(@Body() body: RefreshDto, @Ip() address: string): Promise<TokenResponseDto> {
    return this.sessions.refresh(body.refreshToken, address);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @AllowPendingPasswordChange()
  @ApiOperation({
    summary: 'Log out: ends the session of the bearer token',
    description: 'Its access and refresh tokens stop working at once, on every instance.',
  })
  @ApiNoContentResponse({ description: 'The session has ended' })
  @ApiErrors({ 401: STAFF_ERRORS[401] })
  async logout(@CurrentActor() actor: StaffActor): Promise<void> {
    await this.sessions.logout(actor);
  }

  @Post('password')
  @HttpCode(204)
  @ApiBearerAuth()
  @AllowPendingPasswordChange()
  @ApiOperation({
    summary: 'Change one’s own password',
    description:
      'Also the way out of `passwordChangeRequired`. The caller’s other sessions end; this ' +
      'one goes on. Wrong current passwords count like failed logins.',
  })
  @ApiNoContentResponse({ description: 'The new password is set' })
  @ApiErrors({
    400: 'VALIDATION_FAILED: malformed body, newPassword shorter than 12 characters or equal to the current one, or currentPassword wrong (field currentPassword)',
    401: STAFF_ERRORS[401],
    429: 'RATE_LIMITED: too many wrong current passwords (Retry-After says when to retry)',
  })
  async changePassword(
    @CurrentActor() actor: StaffActor,
    @Body() body: ChangePasswordDto,
  ): Promise<void> {
    await this.auth.changePassword(actor, body.currentPassword, body.newPassword);
  }
}
