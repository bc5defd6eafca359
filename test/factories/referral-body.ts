import { randomBytes } from 'node:crypto';

/**
 * A valid `POST /referrals` body: a woman and `dependants` children, a bed each. Each call gets
 * its own external reference and, unless one is given, its own document number: women sharing
 * a document are the same woman, and admitting her again would cancel the follow-ups of her
 * earlier stay.
 */
export function referralBody(
  options: { dependants?: number; documentNumber?: string } = {},
): Record<string, unknown> {
  const unique = randomBytes(6).toString('hex');
  return {
    externalReference: `CF-TEST-${unique}`,
    protectionOrder: {
      number: `11001-CF-2026-${unique}`,
      authorityType: 'comisaria_familia',
      authorityName: 'Comisaría de Familia Kennedy 1',
      issuedAt: '2026-01-20',
    },
    woman: {
      fullName: 'Persona de prueba',
      documentType: 'CC',
      documentNumber: options.documentNumber ?? String(parseInt(unique, 16)),
    },
    dependants: Array.from({ length: options.dependants ?? 0 }, (_, i) => ({
      fullName: `Hijo de prueba ${i + 1}`,
      birthDate: '2018-03-01',
      relationship: 'child',
    })),
    riskLevel: 'severe',
    needs: { wheelchairAccessible: false },
  };
}

/** A woman alone (one bed). */
export const soloReferralBody = (): Record<string, unknown> => referralBody();
