/** What a woman may authorise, one decision each (Ley 1581 de 2012: data used only as authorised). */
export const CONSENT_PURPOSES = ['follow_up_contact', 'share_with_authority'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** Who records and reads consents: the people who work the case, never analysts or referrers. */
export const CONSENT_ROLES = [
  'admin',
  'admission_officer',
  'house_coordinator',
  'team_member',
] as const;

/** One row of a stay's consent history, as written. */
export interface ConsentRecord {
  id: string;
  purpose: ConsentPurpose;
  /** 1, 2, … per purpose: the highest is the current state. */
  version: number;
  granted: boolean;
  /** The last day (`YYYY-MM-DD` in TZ_SERVICE) a grant holds; null: until withdrawn. */
  expiresOn: string | null;
  /** The first instant after `expiresOn` in TZ_SERVICE. */
  expiresAt: Date | null;
  recordedAt: Date;
  recordedBy: string;
}

export interface ConsentStay {
  id: string;
  houseId: string;
}
