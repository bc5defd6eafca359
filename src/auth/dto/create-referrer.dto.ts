import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { IsNotBlank } from '../../common/validation';
import { AuthorityType } from '../referrers.repository';

export const AUTHORITY_TYPES: readonly AuthorityType[] = [
  'comisaria_familia',
  'juez_control_garantias',
];

const CALLBACK_URL_DESCRIPTION =
  'Where the service POSTs status callbacks of this referrer’s referrals (https; plain http is ' +
  'accepted only outside production). No user or password in it, no fragment; redirects are ' +
  'not followed. Setting it answers a new `webhookSecret`, once.';

export class CreateReferrerDto {
  @ApiProperty({ example: 'Comisaría de Familia Kennedy 1' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @IsNotBlank()
  name: string;

  @ApiProperty({ enum: AUTHORITY_TYPES })
  @IsIn(AUTHORITY_TYPES)
  authorityType: AuthorityType;

  @ApiPropertyOptional({
    description: CALLBACK_URL_DESCRIPTION,
    example: 'https://sistema.comisaria-kennedy.gov.co/refugio/callbacks',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  callbackUrl?: string;
}

/** Fields absent stay as they are. */
export class UpdateReferrerDto {
  @ApiPropertyOptional({ example: 'Comisaría de Familia Kennedy 2' })
  @ValidateIf((o: UpdateReferrerDto) => o.name !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @IsNotBlank()
  name?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: `${CALLBACK_URL_DESCRIPTION} \`null\` removes the callback. Setting it again (even to the same URL) turns back on a callback that a 410 turned off, and replaces the secret.`,
    example: 'https://sistema.comisaria-kennedy.gov.co/refugio/callbacks',
  })
  @ValidateIf((o: UpdateReferrerDto) => o.callbackUrl !== undefined && o.callbackUrl !== null)
  @IsString()
  @MaxLength(2000)
  callbackUrl?: string | null;
}

export class ReferrerDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: AUTHORITY_TYPES })
  authorityType: AuthorityType;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt: Date | null;

  @ApiProperty({ type: String, nullable: true, description: 'Null when it has no callback' })
  callbackUrl: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When a 410 from the receiver turned the callback off; null while it is on',
  })
  callbackDisabledAt: Date | null;
}

export class UpdatedReferrerDto extends ReferrerDto {
  @ApiPropertyOptional({
    description:
      'Only in the answer that sets `callbackUrl`, once: the key of the HMAC in ' +
      '`X-Refugio-Signature`. Stored encrypted; never shown again.',
    example: 'whsec_3q2-7wABcDeFgHiJkLmNoPqRsTuVwXyZ0123456789ab',
  })
  webhookSecret?: string;
}

export class CreatedReferrerDto extends UpdatedReferrerDto {
  @ApiProperty({ description: 'Shown once; only its hash is stored' })
  apiKey: string;
}
