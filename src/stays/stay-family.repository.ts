import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  matchingReferralIds,
  ReferralSearch,
  referralSearchValues,
} from '../referrals/referral-search';
import { StoredProtectionOrder } from '../referrals/protection-order';
import { Relationship, RiskLevel } from '../referrals/referral.types';

export interface StayFamilyRecord {
  stayId: string;
  referralId: string;
  /** A bigint, as text: `familyLabel` turns it into the label. */
  familyNumber: string;
  /** Still encrypted: the service decrypts. */
  personalData: string;
  /** The case was erased: its personal data is unreadable for good. */
  erased: boolean;
  riskLevel: RiskLevel;
  wheelchairAccessible: boolean;
  /** Null while a provisional referral awaits its order. */
  protectionOrder: StoredProtectionOrder | null;
  people: { personId: string; role: 'woman' | 'dependant'; relationship: Relationship | null }[];
}

/** Reads of the family behind each stay, for the people who house her, and search of stays. */
@Injectable()
export class StayFamilyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The family and referral of each stay, in one round trip. */
  async findFamilies(stayIds: string[]): Promise<StayFamilyRecord[]> {
    if (stayIds.length === 0) {
      return [];
    }
    return this.dataSource.query<StayFamilyRecord[]>(
      `SELECT s.id AS "stayId", s.referral_id AS "referralId", s.family_number::text AS "familyNumber",
              r.personal_data AS "personalData", r.erased_at IS NOT NULL AS erased,
              r.risk_level AS "riskLevel",
              r.wheelchair_accessible AS "wheelchairAccessible",
              CASE WHEN r.protection_order_number IS NOT NULL
                     OR r.protection_order_number_cipher IS NOT NULL
                   THEN json_build_object('number', r.protection_order_number,
                                          'numberCipher', r.protection_order_number_cipher,
                                          'authorityType', r.protection_order_authority_type,
                                          'authorityName', r.protection_order_authority_name,
                                          'issuedAt', r.protection_order_issued_at)
              END AS "protectionOrder",
              (SELECT json_agg(json_build_object('personId', p.id, 'role', p.role,
                                                 'relationship', p.relationship)
                               ORDER BY p.position)
               FROM referral_people p WHERE p.referral_id = r.id) AS people
       FROM stays s JOIN referrals r ON r.id = s.referral_id
       WHERE s.id = ANY($1::uuid[])`,
      [stayIds],
    );
  }

  /** The stays of the referrals a search finds, any house, any status (the caller narrows). */
  async findStayIdsMatching(search: ReferralSearch): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT s.id FROM stays s WHERE s.referral_id IN (${matchingReferralIds(1)})`,
      referralSearchValues(search),
    );
    return rows.map((r) => r.id);
  }
}
