import { PiiCipher } from '../common/pii-cipher';
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
  number: string;
  authorityType: AuthorityType;
  authorityName: string;
  issuedAt: string;
}

/** The order as staff read it, its number decrypted. */
export function protectionOrderView(
  cipher: PiiCipher,
  { number, numberCipher, ...order }: StoredProtectionOrder,
): ProtectionOrderView {
  return {
    number: numberCipher !== null ? cipher.decrypt(numberCipher) : (number ?? ''),
    ...order,
  };
}
