import { AuthorityType } from './referral.types';

/**
 * A protection order as stored: its number encrypted (`numberCipher`). A number written in
 * clear before it was encrypted is in `number` until start-up encrypts it
 * (prepareDatabase's encryptPlainProtectionOrderNumbers).
 */
export interface StoredProtectionOrder {
  number: string | null;
  numberCipher: string | null;
  authorityType: AuthorityType;
  authorityName: string;
  issuedAt: string;
}

export interface ProtectionOrderView {
  /** Null once the case is erased. */
  number: string | null;
  authorityType: AuthorityType;
  /** Null once the case is erased (a name can point at a place). */
  authorityName: string | null;
  issuedAt: string;
}

/**
 * The order as staff read it, its number decrypted by `read` (the case's reader: the number is
 * under the case's key once the key migration or an erasure reached it). An erased case shows
 * neither the number nor the authority's name.
 */
export function protectionOrderView(
  read: (stored: string) => string | null,
  { number, numberCipher, ...order }: StoredProtectionOrder,
  erased: boolean,
): ProtectionOrderView {
  if (erased) {
    return { ...order, number: null, authorityName: null };
  }
  return { ...order, number: numberCipher !== null ? read(numberCipher) : (number ?? '') };
}
