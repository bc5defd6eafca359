import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PiiCipher } from '../../src/common/pii-cipher';
import { Config } from '../../src/config/config';

/** What a referral may vary by in the tests; everything else is a valid, ordinary referral. */
export interface ReferralOptions {
  /** Children besides the woman (family size = dependants + 1). */
  dependants?: number;
  /**
   * Her document number; unique by default. Women sharing a document are the same woman, and
   * admitting her again would cancel the follow-ups of her earlier stay.
   */
  documentNumber?: string;
  wheelchairAccessible?: boolean;
  /** The protection order's date, YYYY-MM-DD; 2020-01-01 by default so back-dating is free. */
  issuedAt?: string;
  riskLevel?: 'extreme' | 'severe' | 'moderate';
  /** Birth dates, a phone and notes too, as a complete intake carries them. */
  details?: boolean;
}

export interface ReferralBody {
  externalReference: string;
  protectionOrder: {
    number: string;
    authorityType: string;
    authorityName: string;
    issuedAt: string;
  };
  woman: {
    fullName: string;
    documentType: string;
    documentNumber?: string;
    birthDate?: string;
    phone?: string;
  };
  dependants: { fullName: string; birthDate: string; relationship: string }[];
  riskLevel: string;
  needs: { wheelchairAccessible: boolean };
  notes?: string;
}

const CHILDREN = [
  { fullName: 'Sofía Rodríguez', birthDate: '2019-03-01' },
  { fullName: 'Juan Rodríguez', birthDate: '2021-07-15' },
];

/** A valid `POST /referrals` body: a woman and `dependants` children, a bed each. */
export function referralBody(options: ReferralOptions = {}): ReferralBody {
  const unique = randomBytes(6).toString('hex');
  const details = options.details ?? false;
  return {
    externalReference: `CF-TEST-${unique}`,
    protectionOrder: {
      number: `11001-CF-2026-${unique}`,
      authorityType: 'comisaria_familia',
      authorityName: 'Comisaría de Familia Kennedy 1',
      issuedAt: options.issuedAt ?? '2020-01-01',
    },
    woman: {
      fullName: details ? 'María Fernanda Rodríguez Peña' : 'Persona de prueba',
      documentType: 'CC',
      documentNumber: options.documentNumber ?? String(parseInt(unique, 16)),
      ...(details ? { birthDate: '1990-04-02', phone: '+57 300 555 0101' } : {}),
    },
    dependants: Array.from({ length: options.dependants ?? 0 }, (_, i) => ({
      fullName: CHILDREN[i]?.fullName ?? `Hijo de prueba ${i + 1}`,
      birthDate: CHILDREN[i]?.birthDate ?? '2018-03-01',
      relationship: 'child',
    })),
    riskLevel: options.riskLevel ?? 'severe',
    needs: { wheelchairAccessible: options.wheelchairAccessible ?? false },
    ...(details ? { notes: 'Llamó desde la comisaría a las 3 a. m.' } : {}),
  };
}

/**
 * A valid staff `POST /referrals` body for a provisional admission (Ley 2215 de 2022, art. 6
 * par. 1): `provisional: { reason }` in place of the protection order.
 */
export type ProvisionalReferralBody = Omit<ReferralBody, 'protectionOrder'> & {
  provisional: { reason: string };
};

export function provisionalReferralBody(
  options: Omit<ReferralOptions, 'issuedAt'> & { reason?: string } = {},
): ProvisionalReferralBody {
  const { protectionOrder: _order, ...body } = referralBody(options);
  return {
    ...body,
    provisional: { reason: options.reason ?? 'Riesgo inminente; la medida se expide el lunes' },
  };
}

export interface ReferralFixture {
  id: string;
  /** Person ids, the woman's first. */
  people: string[];
}

/**
 * The same referral written straight into the database, as intake leaves it (personal data
 * encrypted, one referral_people row per person), for tests that need many, or one in a
 * status of their choosing, without going through intake.
 */
export async function createReferral(
  t: { dataSource: DataSource; config: Config },
  options: ReferralOptions & { status?: 'received' | 'rejected' | 'withdrawn' } = {},
): Promise<ReferralFixture> {
  const body = referralBody(options);
  const familySize = body.dependants.length + 1;
  const personalData = new PiiCipher(t.config).encryptJson({
    woman: body.woman,
    dependants: body.dependants,
    notes: body.notes ?? null,
  });
  const [{ referral_id: id }] = await t.dataSource.query<{ referral_id: string }[]>(
    `WITH r AS (
       INSERT INTO referrals (caller_key, external_reference, request_fingerprint,
         protection_order_number, protection_order_authority_type, protection_order_authority_name,
         protection_order_issued_at, risk_level, needs, wheelchair_accessible, family_size,
         personal_data, status)
       VALUES ('staff', $1, 'factory', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       RETURNING id
     )
     INSERT INTO referral_people (referral_id, position, role, relationship)
     SELECT r.id, n, CASE WHEN n = 0 THEN 'woman' ELSE 'dependant' END,
            CASE WHEN n = 0 THEN NULL ELSE 'child' END
     FROM r, generate_series(0, $9::int - 1) AS n
     RETURNING referral_id`,
    [
      body.externalReference,
      body.protectionOrder.number,
      body.protectionOrder.authorityType,
      body.protectionOrder.authorityName,
      body.protectionOrder.issuedAt,
      body.riskLevel,
      JSON.stringify(body.needs),
      body.needs.wheelchairAccessible,
      familySize,
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
