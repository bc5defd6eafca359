import { PiiCipher } from '../common/pii-cipher';
import { ReferralPersonalData } from './referral.types';

/**
 * The words of a name as search compares them: accents, tildes and case folded (María → maria,
 * MUÑOZ → munoz), split at anything that is neither a letter nor a digit, each word once.
 */
export function nameWords(name: string): string[] {
  const folded = name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return [...new Set(folded.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0))];
}

/** The search tokens of a family's names, by position (the woman 0, then her dependants). */
export function nameTokensOf(
  cipher: PiiCipher,
  data: Pick<ReferralPersonalData, 'woman' | 'dependants'>,
): { position: number; token: Buffer }[] {
  return [data.woman.fullName, ...data.dependants.map((d) => d.fullName)].flatMap(
    (fullName, position) =>
      nameWords(fullName).map((word) => ({ position, token: cipher.nameToken(word) })),
  );
}
