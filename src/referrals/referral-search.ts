import { PiiCipher } from '../common/pii-cipher';
import { nameWords } from './name-words';
import { DOCUMENT_TYPES } from './referral.types';

/** What `q` is compared with: nothing in it reaches the database in clear but the reference. */
export interface ReferralSearch {
  /** The blind index of `q` read as a document number of each type. */
  documentIndexes: string[];
  externalReference: string;
  /** The tokens of the words of `q`: a person matches when her name has every one. */
  nameTokens: Buffer[];
}

export function referralSearch(cipher: PiiCipher, q: string): ReferralSearch {
  const text = q.trim();
  return {
    documentIndexes: DOCUMENT_TYPES.filter((type) => type !== 'NONE').map((type) =>
      cipher.blindIndex(`${type}:${text}`),
    ),
    externalReference: text,
    nameTokens: nameWords(text).map((word) => cipher.nameToken(word)),
  };
}

/** The values of `matchingReferralIds`, in the order of its parameters. */
export function referralSearchValues(search: ReferralSearch): unknown[] {
  return [search.documentIndexes, search.externalReference, search.nameTokens];
}

/**
 * A query for the ids of the referrals `q` finds: by document (the blind index the intake
 * writes), by external reference (exact), or by a person whose name holds every word of `q`.
 * `$first` to `$first + 2` are `referralSearchValues`. Each branch is an index lookup.
 */
export function matchingReferralIds(first: number): string {
  const [documents, reference, tokens] = [first, first + 1, first + 2].map((n) => `$${n}`);
  return `
    SELECT id FROM referrals WHERE document_index = ANY(${documents}::text[])
    UNION
    SELECT id FROM referrals WHERE external_reference = ${reference}::text
    UNION
    SELECT referral_id FROM referral_name_tokens
    WHERE token = ANY(${tokens}::bytea[])
    GROUP BY referral_id, person_id
    HAVING count(*) = cardinality(${tokens}::bytea[])`;
}
