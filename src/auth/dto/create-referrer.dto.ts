import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { IsNotBlank } from '../../common/validation';
import { AuthorityType } from '../referrers.repository';

export const AUTHORITY_TYPES: readonly AuthorityType[] = [
  'comisaria_familia',
  'juez_control_garantias',
];

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
}

export class CreatedReferrerDto extends ReferrerDto {
  @ApiProperty({ description: 'Shown once; only its hash is stored' })
  apiKey: string;
}
