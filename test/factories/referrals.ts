import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PiiCipher } from '../../src/common/pii-cipher';
import { Config } from '../../src/config/config';

export interface ReferralOptions {
  /** Children besides the woman (family size = dependants + 1). */
  dependants?: number;
  wheelchairAccessible?: boolean;
  /** The protection order's date, YYYY-MM-DD; defaults to 2020-01-01 so back-dating is free. */
  issuedAt?: string;
  status?: 'received' | 'rejected' | 'withdrawn';
}

export interface ReferralFixture {
  id: string;
  /** Person ids, the woman's first. */
  people: string[];
}

/**
 * A referral straight into the database, as the intake API (another issue) would leave it:
 * personal data encrypted, one referral_people row per person, status 'received'.
 */
export async function createReferral(
  t: { dataSource: DataSource; config: Config },
  options: ReferralOptions = {},
): Promise<ReferralFixture> {
  const dependants = options.dependants ?? 0;
  const cipher = new PiiCipher(t.config);
  const personalData = cipher.encryptJson({
    woman: { fullName: 'Persona de prueba', documentType: 'CC', documentNumber: '1000000' },
    dependants: Array.from({ length: dependants }, (_, i) => ({
      fullName: `Hijo ${i + 1}`,
      birthDate: '2018-01-01',
      relationship: 'child',
    })),
  });
  const [{ referral_id: id }] = await t.dataSource.query<{ referral_id: string }[]>(
    `WITH r AS (
       INSERT INTO referrals (caller_key, external_reference, request_fingerprint,
         protection_order_number, protection_order_authority_type, protection_order_authority_name,
         protection_order_issued_at, risk_level, needs, wheelchair_accessible, family_size,
         personal_data, status)
       VALUES ('staff', $1, 'factory', $2, 'comisaria_familia', 'Comisaría de Familia Kennedy 1',
               $3, 'severe', $4, $5, $6, $7, $8)
       RETURNING id
     )
     INSERT INTO referral_people (referral_id, position, role, relationship)
     SELECT r.id, n, CASE WHEN n = 0 THEN 'woman' ELSE 'dependant' END,
            CASE WHEN n = 0 THEN NULL ELSE 'child' END
     FROM r, generate_series(0, $6::int - 1) AS n
     RETURNING referral_id`,
    [
      `TEST-${randomBytes(6).toString('hex')}`,
      `11001-CF-${randomBytes(3).toString('hex')}`,
      options.issuedAt ?? '2020-01-01',
      JSON.stringify({ wheelchairAccessible: options.wheelchairAccessible ?? false }),
      options.wheelchairAccessible ?? false,
      dependants + 1,
      personalData,
      options.status ?? 'received',
    ],
  );
  const people = await t.dataSource.query<{ id: string }[]>(
    'SELECT id FROM referral_people WHERE referral_id = $1 ORDER BY position',
    [id],
  );
  return { id, people: people.map((p) => p.id) };
}
