import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsCalendarDate, IsInstant, IsNotBlank } from '../../common/validation';
import { NeedsViewDto, ProtectionOrderViewDto } from '../../referrals/dto/referral.dto';
import { RISK_LEVELS, RiskLevel } from '../../referrals/referral.types';
import { FamilyMemberDto } from './stay-family.dto';
import {
  EGRESS_REASONS,
  EgressReason,
  PERSON_ROLES,
  PersonRole,
  STAY_STATUSES,
  StayStatus,
} from '../stays.types';

export class CreateStayDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  referralId: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Without it the service chooses' })
  @IsOptional()
  @IsUUID()
  houseId?: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    description: 'One bed per person, all in houseId, the woman’s first',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ArrayUnique({ message: 'bedIds must be distinct' })
  @IsUUID('all', { each: true })
  bedIds?: string[];

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    example: '2026-11-21T03:10:00-05:00',
    description: 'Defaults to now; never in the future nor before the order’s day',
  })
  @IsOptional()
  @IsInstant()
  admittedAt?: string;
}

export class ExtendStayDto {
  @ApiProperty({ format: 'date', example: '2027-04-15', description: 'A date in TZ_SERVICE' })
  @IsCalendarDate()
  until: string;

  @ApiProperty({ maxLength: 1000 })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  @IsNotBlank()
  reason: string;
}

export class TransferStayDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  toHouseId: string;

  @ApiProperty({ maxLength: 1000 })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  @IsNotBlank()
  reason: string;
}

export class EgressDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    example: '2026-11-28T10:00:00-05:00',
    description: 'Defaults to now; not in the future, not before the admission or last move',
  })
  @IsOptional()
  @IsInstant()
  exitedAt?: string;

  @ApiProperty({ enum: EGRESS_REASONS, example: 'voluntary' })
  @IsIn(EGRESS_REASONS)
  reason: EgressReason;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @IsNotBlank()
  destination?: string;

  @ApiPropertyOptional({ maxLength: 5000, description: 'Encrypted at rest' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string;
}

export class StaysQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  houseId?: string;

  @ApiPropertyOptional({ enum: STAY_STATUSES })
  @IsOptional()
  @IsIn(STAY_STATUSES)
  status?: StayStatus;

  @ApiPropertyOptional({
    minLength: 3,
    maxLength: 200,
    example: 'munoz',
    description:
      'Finds stays by the woman’s document number (exact), the referral’s externalReference ' +
      '(exact), or words of a family member’s name (whole words, accents and case ignored; ' +
      'every word must be in one person’s name). Shorter than 3 characters: 400',
  })
  @IsOptional()
  @IsString()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @MinLength(3)
  @MaxLength(200)
  q?: string;
}

export class OccupantDto {
  @ApiProperty({ format: 'uuid' })
  personId: string;

  @ApiProperty({ enum: PERSON_ROLES })
  role: PersonRole;

  @ApiProperty({ format: 'uuid', description: 'The bed held now, or last held' })
  bedId: string;
}

export class ExtensionDto {
  @ApiProperty({ type: String, format: 'date-time' })
  previousTermEndsAt: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  termEndsAt: Date;

  @ApiProperty({
    nullable: true,
    type: String,
    description: "Encrypted at rest under the case's key; null once the case was erased",
  })
  reason: string | null;

  @ApiProperty({ format: 'uuid' })
  extendedBy: string;

  @ApiProperty({ type: String, format: 'date-time' })
  extendedAt: Date;
}

export class TransferDto {
  @ApiProperty({ format: 'uuid' })
  fromHouseId: string;

  @ApiProperty({ format: 'uuid' })
  toHouseId: string;

  @ApiProperty({
    nullable: true,
    type: String,
    description: "Encrypted at rest under the case's key; null once the case was erased",
  })
  reason: string | null;

  @ApiProperty({ format: 'uuid' })
  transferredBy: string;

  @ApiProperty({ type: String, format: 'date-time' })
  transferredAt: Date;
}

export class StayDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  referralId: string;

  @ApiProperty({ format: 'uuid' })
  houseId: string;

  @ApiProperty({ enum: STAY_STATUSES })
  status: StayStatus;

  @ApiProperty({ type: String, format: 'date-time' })
  admittedAt: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  termEndsAt: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  maxEndsAt: Date;

  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'Admission, or the last transfer',
  })
  lastMovedAt: Date;

  @ApiProperty({
    example: false,
    description:
      'Admitted before its protection order (Ley 2215 de 2022, art. 6 par. 1) and still ' +
      'waiting for it; false once the order is attached (POST /referrals/:id/protection-order)',
  })
  provisional: boolean;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-11-24T03:10:00.000Z',
    description:
      'For a stay admitted provisionally: admittedAt + PROVISIONAL_ORDER_HOURS (72 by default), ' +
      'when the order should be there; kept after it is attached. Null for any other stay',
  })
  orderDueBy: Date | null;

  @ApiProperty({
    example: false,
    description:
      'Still provisional after orderDueBy (and not exited before it): computed from the time, ' +
      'so right even before the order_overdue alert is raised. Nobody is exited for it',
  })
  orderOverdue: boolean;

  @ApiProperty({ type: [OccupantDto] })
  occupants: OccupantDto[];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  exitedAt: Date | null;

  @ApiProperty({ type: String, nullable: true, enum: EGRESS_REASONS })
  egressReason: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description:
      'Only on one stay (GET /stays/:id, egress); encrypted at rest; its read is audited',
  })
  egressDestination?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description:
      'Only on one stay (GET /stays/:id, egress); encrypted at rest; its read is audited',
  })
  egressNotes?: string | null;

  @ApiProperty({ type: [ExtensionDto] })
  extensions: ExtensionDto[];

  @ApiProperty({ type: [TransferDto] })
  transfers: TransferDto[];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: Date;

  @ApiPropertyOptional({
    example: 'F-3K7Q',
    description:
      'On GET /stays and GET /stays/:id: a short code staff can say aloud, the same for the ' +
      'whole stay (transfers included) and never shared by two stays',
  })
  familyLabel?: string;

  @ApiPropertyOptional({
    description:
      'With `familyLabel`: true once the case was erased; names, notes and reasons then read as null',
    example: false,
  })
  erased?: boolean;

  @ApiPropertyOptional({
    type: [FamilyMemberDto],
    description:
      'On GET /stays and GET /stays/:id, for officers, admins and the coordinator of the ' +
      'stay’s house: the woman first, then her dependants. Each read is audited ' +
      '(`referral.read` of the stay’s referral)',
  })
  family?: FamilyMemberDto[];

  @ApiPropertyOptional({ type: NeedsViewDto, description: 'With `family`: the referral’s needs' })
  needs?: NeedsViewDto;

  @ApiPropertyOptional({ enum: RISK_LEVELS, description: 'With `family`: the referral’s risk' })
  riskLevel?: RiskLevel;

  @ApiPropertyOptional({
    type: ProtectionOrderViewDto,
    nullable: true,
    description: 'With `family`: the referral’s protection order; null while it is awaited',
  })
  protectionOrder?: ProtectionOrderViewDto | null;
}

export class PlacementBedDto {
  @ApiProperty({ format: 'uuid' })
  bedId: string;

  @ApiProperty({ example: '5A' })
  label: string;
}

export class PlacementRoomDto {
  @ApiProperty({ format: 'uuid' })
  roomId: string;

  @ApiProperty({ example: 'Habitación 5' })
  name: string;

  @ApiProperty()
  wheelchairAccessible: boolean;

  @ApiProperty({ type: [PlacementBedDto], description: 'The beds it would use, family order' })
  beds: PlacementBedDto[];
}

export class PlacementOptionDto {
  @ApiProperty({ format: 'uuid' })
  houseId: string;

  @ApiProperty({ example: 'CR-1' })
  houseCode: string;

  @ApiProperty({ description: 'Free beds of the house now' })
  freePlaces: number;

  @ApiProperty({ type: [String], description: 'The beds the service would give, woman first' })
  beds: string[];

  @ApiProperty({
    type: [PlacementRoomDto],
    description:
      'The rooms and bed labels it would use; accessible rooms only when the family needs one or no other room holds it whole',
  })
  rooms: PlacementRoomDto[];
}
