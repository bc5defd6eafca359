/** Areas of a family's care plan (plan de atención, proyecto de vida). */
export const GOAL_AREAS = [
  'safety',
  'legal',
  'psychosocial',
  'health',
  'education',
  'employment',
  'housing',
  'family',
] as const;
export type GoalArea = (typeof GOAL_AREAS)[number];

export const GOAL_STATUSES = ['open', 'achieved', 'dropped'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

/** Services the team gives one person (atenciones). */
export const ATTENTION_KINDS = [
  'psychosocial_care',
  'psychological_therapy',
  'legal_guidance',
  'legal_representation',
  'court_accompaniment',
  'social_work',
  'employment_support',
  'education',
  'sexual_reproductive_health',
  'health_care',
  'first_aid',
  'nutrition',
  'group_workshop',
] as const;
export type AttentionKind = (typeof ATTENTION_KINDS)[number];

/** `team`: everyone who works the house; `discipline`: the author's discipline only. */
export const NOTE_VISIBILITIES = ['team', 'discipline'] as const;
export type NoteVisibility = (typeof NOTE_VISIBILITIES)[number];
export const NOTE_MAX_LENGTH = 20_000;

export const LEGAL_PROCESS_KINDS = [
  'protection_order',
  'criminal_complaint',
  'custody',
  'child_support',
  'divorce',
  'other',
] as const;
export type LegalProcessKind = (typeof LEGAL_PROCESS_KINDS)[number];

export const LEGAL_PROCESS_STATUSES = [
  'open',
  'order_granted',
  'order_modified',
  'order_breached',
  'closed',
] as const;
export type LegalProcessStatus = (typeof LEGAL_PROCESS_STATUSES)[number];

/** Her situation as found at a follow-up after egress. */
export const SAFETY_SITUATIONS = ['safe', 'at_risk', 'unknown'] as const;
export type SafetySituation = (typeof SAFETY_SITUATIONS)[number];
export const HOUSING_SITUATIONS = ['stable', 'temporary', 'none', 'unknown'] as const;
export type HousingSituation = (typeof HOUSING_SITUATIONS)[number];

export interface FollowUpSituation {
  safety: SafetySituation;
  housing: HousingSituation;
  legalProgress: string | null;
  psychosocialProgress: string | null;
}

/** What every casework use case needs to know about the stay it works on. */
export interface CaseStay {
  id: string;
  houseId: string;
  referralId: string;
  status: 'active' | 'exited';
  admittedAt: Date;
  exitedAt: Date | null;
}
