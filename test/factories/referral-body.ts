import { randomBytes } from 'node:crypto';

/**
 * A valid `POST /referrals` body for a woman alone (one bed). Each call gets its own external
 * reference and document number: women sharing a document are the same woman, and admitting
 * her again would cancel the follow-ups of her earlier stay.
 */
export function soloReferralBody(): Record<string, unknown> {
  const unique = randomBytes(6).toString('hex');
  return {
    externalReference: `CF-SCALE-${unique}`,
    protectionOrder: {
      number: `11001-CF-2026-${unique}`,
      authorityType: 'comisaria_familia',
      authorityName: 'Comisaría de Familia Kennedy 1',
      issuedAt: '2026-01-20',
    },
    woman: {
      fullName: 'Persona de prueba',
      documentType: 'CC',
      documentNumber: String(parseInt(unique, 16)),
    },
    dependants: [],
    riskLevel: 'severe',
    needs: { wheelchairAccessible: false },
  };
}
