import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateIf,
  ValidateNested,
  registerDecorator,
  ValidationArguments,
} from 'class-validator';
import { IsCalendarDate, IsNotBlank, NormalisedIdentifier } from '../../common/validation';
import {
  AUTHORITY_TYPES,
  AuthorityType,
  DOCUMENT_TYPES,
  DocumentType,
  MAX_FAMILY_SIZE,
  RELATIONSHIPS,
  Relationship,
  RISK_LEVELS,
  RiskLevel,
} from '../referral.types';

function IsAbsentWhenNoDocument(): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isAbsentWhenNoDocument',
      target: target.constructor,
      propertyName: propertyKey as string,
      options: { message: 'documentNumber must be absent when documentType is NONE' },
      validator: {
        validate: (_value: unknown, args: ValidationArguments) =>
          (args.object as { documentType?: unknown }).documentType !== 'NONE',
      },
    });
}

/** The property must be absent when `other` is present: the body carries one or the other. */
function IsAbsentWith(other: string): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isAbsentWith',
      target: target.constructor,
      propertyName: propertyKey as string,
      options: { message: `${String(propertyKey)} must be absent when ${other} is given` },
      validator: {
        validate: (_value: unknown, args: ValidationArguments) =>
          (args.object as Record<string, unknown>)[other] === undefined,
      },
    });
}

export class ProtectionOrderDto {
  @ApiProperty({ example: '11001-CF-2026-00123', maxLength: 100 })
  @IsString()
  @MaxLength(100)
  @IsNotBlank()
  number: string;

  @ApiProperty({ enum: AUTHORITY_TYPES })
  @IsIn(AUTHORITY_TYPES)
  authorityType: AuthorityType;

  @ApiProperty({ example: 'Comisaría de Familia Kennedy 1', maxLength: 200 })
  @IsString()
  @MaxLength(200)
  @IsNotBlank()
  authorityName: string;

  @ApiProperty({
    format: 'date',
    example: '2026-11-20',
    description: 'YYYY-MM-DD in TZ_SERVICE, not in the future',
  })
  @IsCalendarDate()
  issuedAt: string;
}

/** Ley 2215 de 2022, art. 6 par. 1: admitted before the order, for a reason staff give. */
export class ProvisionalDto {
  @ApiProperty({
    example: 'Riesgo inminente de feminicidio; la comisaría expide la medida el lunes',
    maxLength: 1000,
    description:
      'Why she is admitted before the protection order: encrypted at rest, shown to staff only',
  })
  @IsString()
  @MaxLength(1000)
  @IsNotBlank()
  reason: string;
}

export class WomanDto {
  @ApiProperty({ example: 'Ana María Rojas Pérez', maxLength: 200 })
  @IsString()
  @MaxLength(200)
  @IsNotBlank()
  fullName: string;

  @ApiProperty({ enum: DOCUMENT_TYPES })
  @IsIn(DOCUMENT_TYPES)
  documentType: DocumentType;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 40,
    example: '52123456',
    description: 'Required unless documentType is NONE; must be absent (or null) for NONE',
  })
  // Checked whenever the type needs a number, and also when a number came with NONE, so that
  // a contradictory pair is refused instead of silently dropped.
  @ValidateIf(
    (woman: WomanDto) =>
      woman.documentType !== 'NONE' ||
      (woman.documentNumber !== undefined &&
        woman.documentNumber !== null &&
        woman.documentNumber !== ''),
  )
  @IsString()
  @MaxLength(40)
  @IsNotBlank()
  @IsAbsentWhenNoDocument()
  documentNumber?: string | null;

  @ApiPropertyOptional({
    format: 'date',
    example: '1990-04-02',
    description: 'YYYY-MM-DD, not in the future',
  })
  @IsOptional()
  @IsCalendarDate()
  birthDate?: string;

  @ApiPropertyOptional({ example: '+57 300 123 4567', maxLength: 40 })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsNotBlank()
  phone?: string;
}

export class DependantDto {
  @ApiProperty({ example: 'Sofía Rojas', maxLength: 200 })
  @IsString()
  @MaxLength(200)
  @IsNotBlank()
  fullName: string;

  @ApiPropertyOptional({
    format: 'date',
    example: '2019-03-01',
    description: 'YYYY-MM-DD, not in the future',
  })
  @IsOptional()
  @IsCalendarDate()
  birthDate?: string;

  @ApiProperty({ enum: RELATIONSHIPS })
  @IsIn(RELATIONSHIPS)
  relationship: Relationship;
}

export class NeedsDto {
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  wheelchairAccessible?: boolean;
}

export class CreateReferralDto {
  @ApiProperty({
    example: 'CF-KENNEDY-2026-00123',
    maxLength: 100,
    description:
      'Unique per caller: a replay with the same body answers 200 with the first answer. ' +
      'Compared and stored in one spelling: NFKC, invisible characters (zero-width spaces, soft ' +
      'hyphens) removed, trimmed.',
  })
  @NormalisedIdentifier()
  @IsString()
  @MaxLength(100)
  @IsNotBlank()
  externalReference: string;

  @ApiPropertyOptional({
    type: ProtectionOrderDto,
    description: 'Required, unless staff send `provisional` instead',
  })
  // Required unless `provisional` came alone; both at once are refused on `provisional`.
  @ValidateIf(
    (body: CreateReferralDto) =>
      body.provisional === undefined ||
      body.provisional === null ||
      body.protectionOrder !== undefined,
  )
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ProtectionOrderDto)
  protectionOrder?: ProtectionOrderDto;

  @ApiPropertyOptional({
    type: ProvisionalDto,
    description:
      'Staff only (a referrer sending it gets 400): a provisional admission without the ' +
      'protection order yet (Ley 2215 de 2022, art. 6 par. 1). Its stay carries `orderDueBy` ' +
      '(admission + PROVISIONAL_ORDER_HOURS, 72 by default); the order is attached later with ' +
      '`POST /referrals/:id/protection-order`.',
    example: { reason: 'Riesgo inminente; la medida se expide el lunes' },
  })
  @IsOptional()
  @IsAbsentWith('protectionOrder')
  @IsObject()
  @ValidateNested()
  @Type(() => ProvisionalDto)
  provisional?: ProvisionalDto;

  @ApiProperty({ type: WomanDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => WomanDto)
  woman: WomanDto;

  @ApiPropertyOptional({
    type: [DependantDto],
    maxItems: MAX_FAMILY_SIZE - 1,
    description: 'May be empty; a family (the woman and her dependants) is at most 12 people',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_FAMILY_SIZE - 1, {
    message: `dependants must hold at most ${MAX_FAMILY_SIZE - 1}: a family is at most ${MAX_FAMILY_SIZE} people`,
  })
  // Each item an object: ValidateNested alone lets `[[{…}]]` through to the database's CHECK.
  @IsObject({ each: true, message: 'each item of dependants must be an object' })
  @ValidateNested({ each: true })
  @Type(() => DependantDto)
  dependants?: DependantDto[];

  @ApiProperty({ enum: RISK_LEVELS, example: 'severe' })
  @IsIn(RISK_LEVELS)
  riskLevel: RiskLevel;

  @ApiPropertyOptional({ type: NeedsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => NeedsDto)
  needs?: NeedsDto;

  @ApiPropertyOptional({ example: 'El niño menor tiene asma', maxLength: 4000 })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  notes?: string;
}
