import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'coordinadora.cr1' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  username: string;

  @ApiProperty({ example: 'una-contraseña-larga' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;
}

export class RefreshDto {
  @ApiProperty({
    description: 'The refresh token of the last login or refresh; each one works once',
    example: 'rfr_3q2pZ6pVtq8b0yq1kJ6m9xY3cQ2tH8lW0aR5sN7dE4f',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  refreshToken: string;
}

export class TokenResponseDto {
  @ApiProperty({ description: 'Send as `Authorization: Bearer <accessToken>`' })
  accessToken: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType: 'Bearer';

  @ApiProperty({
    description:
      'Seconds until the access token expires (JWT_EXPIRES_IN_SECONDS, less when the session ends sooner)',
    example: 900,
  })
  expiresIn: number;

  @ApiProperty({
    description:
      'Opaque; trade it at POST /auth/refresh for a new pair before the access token expires. ' +
      'It works once: presenting a used one ends the whole session.',
  })
  refreshToken: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'When the session ends whatever is refreshed (SESSION_MAX_HOURS after login)',
  })
  sessionExpiresAt: Date;

  @ApiProperty({
    description:
      'True after an admin reset the password: every call but POST /auth/password and ' +
      'POST /auth/logout answers 403 PASSWORD_CHANGE_REQUIRED until a new one is set',
  })
  passwordChangeRequired: boolean;
}

export class ChangePasswordDto {
  @ApiProperty({ description: 'The password used to log in (the one-time one after a reset)' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  currentPassword: string;

  @ApiProperty({ minLength: 12, maxLength: 256, description: 'Different from the current one' })
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  newPassword: string;
}
