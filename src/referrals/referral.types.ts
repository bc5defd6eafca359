import { AUTHORITY_TYPES as REFERRER_AUTHORITY_TYPES } from '../auth/dto/create-referrer.dto';
import type { AuthorityType } from '../auth/referrers.repository';

export type { AuthorityType };
export const AUTHORITY_TYPES = REFERRER_AUTHORITY_TYPES;

export const DOCUMENT_TYPES = ['CC', 'CE', 'TI', 'RC', 'PA', 'PEP', 'PPT', 'NONE'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const RELATIONSHIPS = ['child', 'other'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

/** In the order of the admission queue: the highest risk first. */
export const RISK_LEVELS = ['extreme', 'severe', 'moderate'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const REFERRAL_STATUSES = [
  'received',
  'admitted',
  'rejected',
  'withdrawn',
  'exited',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/**
 * Why a referral was rejected (API.md, "Coded decisions"): the decision's code, kept apart from
 * the free text so that it can be counted and told to the referrer without the staff's words.
 */
export const REJECTION_REASON_CODES = [
  'no_capacity',
  'not_eligible',
  'woman_declined',
  'unreachable',
  'needs_not_met',
  'referred_elsewhere',
  'duplicate',
  'other',
] as const;
export type RejectionReasonCode = (typeof REJECTION_REASON_CODES)[number];

/**
 * What a referrer reads as `statusReason` of a rejection: a standard text per code, since the
 * staff's free text can name a house.
 */
export const REJECTION_REASON_TEXTS: Readonly<Record<RejectionReasonCode, string>> = {
  no_capacity: 'No hay cupo disponible en este momento',
  not_eligible: 'No cumple los criterios de ingreso',
  woman_declined: 'La mujer decidió no ingresar',
  unreachable: 'No fue posible contactar a la mujer',
  needs_not_met: 'Sus necesidades no pueden atenderse en las casas disponibles',
  referred_elsewhere: 'Remitida a otra institución',
  duplicate: 'Remisión duplicada',
  other: 'No ingresó',
};

/**
 * The `statusReason` a referrer reads (its view, and its status callbacks). Free text staff
 * typed can name a house, so she reads it never: a rejection tells her the code's standard
 * text, and a withdrawal only the reason she gave herself.
 */
export function referrerStatusReason(
  r: {
    status: ReferralStatus;
    statusReason: string | null;
    statusReasonCode: RejectionReasonCode | null;
    statusReasonByReferrer: boolean;
  },
  /** Reads the stored reason (encrypted under the case's key); null once the case is erased. */
  readTyped: (stored: string) => string | null,
): string | null {
  if (r.status === 'rejected') {
    return REJECTION_REASON_TEXTS[r.statusReasonCode ?? 'other'];
  }
  return r.statusReasonByReferrer && r.statusReason !== null ? readTyped(r.statusReason) : null;
}

/** The contract's limit on one family: the woman and her dependants together. */
export const MAX_FAMILY_SIZE = 12;

/** What is encrypted into `personal_data`: everything that names or locates a person. */
export interface ReferralPersonalData {
  woman: {
    fullName: string;
    documentType: DocumentType;
    documentNumber: string | null;
    birthDate: string | null;
    phone: string | null;
  };
  dependants: { fullName: string; birthDate: string | null; relationship: Relationship }[];
  notes: string | null;
}
