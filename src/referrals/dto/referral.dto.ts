import { ApiProperty } from '@nestjs/swagger';
import {
  AUTHORITY_TYPES,
  AuthorityType,
  DOCUMENT_TYPES,
  DocumentType,
  REFERRAL_STATUSES,
  ReferralStatus,
  REJECTION_REASON_CODES,
  RejectionReasonCode,
  RELATIONSHIPS,
  Relationship,
  RISK_LEVELS,
  RiskLevel,
} from '../referral.types';

/** The answer to an intake, and to every replay of it. */
export class ReferralReceiptDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  externalReference: string;

  @ApiProperty({ enum: ['received'] })
  status: 'received';

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;
}

/** What a referrer may know of its referral: its status, never a house or a person. */
export class ReferrerReferralDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  externalReference: string;

  @ApiProperty({ enum: REFERRAL_STATUSES })
  status: ReferralStatus;

  @ApiProperty({
    description:
      'True once the case was erased (POST /referrals/:id/erase, or the retention job): its ' +
      'personal fields then read as null, for good',
    example: false,
  })
  erased: boolean;

  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'To staff, the text typed with the decision; to a referrer, a rejection reads as the ' +
      "standard Spanish text of its reasonCode and a withdrawal only as the referrer's own reason",
  })
  statusReason: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  admittedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  exitedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: Date;
}

export class ProtectionOrderViewDto {
  @ApiProperty({ nullable: true, type: String, description: 'Null once the case was erased' })
  number: string | null;

  @ApiProperty({ enum: AUTHORITY_TYPES })
  authorityType: AuthorityType;

  @ApiProperty({ nullable: true, type: String, description: 'Null once the case was erased' })
  authorityName: string | null;

  @ApiProperty({ format: 'date', example: '2026-11-20' })
  issuedAt: string;
}

/** A referral staff recorded provisionally: why, and when its order came (if it has). */
export class ProvisionalViewDto {
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Riesgo inminente; la medida se expide el lunes',
    description: 'What staff typed; never shown to referrers; null once the case is erased',
  })
  reason: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the protection order was attached; null while it is still awaited',
  })
  orderAttachedAt: Date | null;
}

export class WomanViewDto {
  @ApiProperty({ format: 'uuid', description: 'Her id as an occupant of a stay' })
  personId: string;

  @ApiProperty({ nullable: true, type: String, description: 'Null once the case was erased' })
  fullName: string | null;

  @ApiProperty({ enum: DOCUMENT_TYPES, nullable: true })
  documentType: DocumentType | null;

  @ApiProperty({ nullable: true, type: String })
  documentNumber: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date' })
  birthDate: string | null;

  @ApiProperty({ nullable: true, type: String })
  phone: string | null;
}

export class DependantViewDto {
  @ApiProperty({ format: 'uuid', description: 'The id as an occupant of a stay' })
  personId: string;

  @ApiProperty({ nullable: true, type: String, description: 'Null once the case was erased' })
  fullName: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date' })
  birthDate: string | null;

  @ApiProperty({ enum: RELATIONSHIPS, nullable: true })
  relationship: Relationship | null;
}

export class NeedsViewDto {
  @ApiProperty()
  wheelchairAccessible: boolean;
}

export class PriorStayDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  houseId: string;

  @ApiProperty({ enum: ['active', 'exited'] })
  status: string;

  @ApiProperty({ type: String, format: 'date-time' })
  admittedAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  exitedAt: Date | null;
}

export class PriorReferralDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: REFERRAL_STATUSES })
  status: ReferralStatus;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  admittedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  exitedAt: Date | null;

  @ApiProperty({ type: [PriorStayDto] })
  stays: PriorStayDto[];
}

/** The staff view: the referral as submitted, its status, and the woman's earlier cases. */
export class ReferralDto extends ReferrerReferralDto {
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'Null when staff recorded it',
  })
  referrerId: string | null;

  @ApiProperty({
    enum: REJECTION_REASON_CODES,
    nullable: true,
    description: 'Why the referral was rejected; null unless it was',
  })
  statusReasonCode: RejectionReasonCode | null;

  @ApiProperty({
    type: ProtectionOrderViewDto,
    nullable: true,
    description: 'Null while a provisional referral awaits its order',
  })
  protectionOrder: ProtectionOrderViewDto | null;

  @ApiProperty({
    type: ProvisionalViewDto,
    nullable: true,
    description:
      'Set when staff recorded the referral without an order (provisional admission); it ' +
      'stays after the order is attached, with `orderAttachedAt`. Staff only.',
  })
  provisional: ProvisionalViewDto | null;

  @ApiProperty({ type: WomanViewDto })
  woman: WomanViewDto;

  @ApiProperty({ type: [DependantViewDto] })
  dependants: DependantViewDto[];

  @ApiProperty({ enum: RISK_LEVELS })
  riskLevel: RiskLevel;

  @ApiProperty({ type: NeedsViewDto })
  needs: NeedsViewDto;

  @ApiProperty({ nullable: true, type: String })
  notes: string | null;

  @ApiProperty({ description: 'The woman and her dependants' })
  familySize: number;

  @ApiProperty({
    type: [PriorReferralDto],
    description: 'Earlier referrals of the same woman (matched by her document), newest first',
  })
  priorReferrals: PriorReferralDto[];
}
