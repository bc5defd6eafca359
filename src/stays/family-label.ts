/** Crockford's base 32: no I, L, O or U, so a code read aloud or copied by hand is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GOLDEN = 0x9e3779b97f4a7c15n;

/**
 * The label staff say aloud for a family ("F-3K7Q"), from the stay's `family_number` (a
 * sequence, so unique and fixed for the whole stay, transfers included). Four characters cover
 * the first million stays, then the code grows by one character per 32-fold. Within one width
 * the number is scrambled by a bijection (an odd multiplier, then an xor-shift, both invertible
 * modulo 2^bits), so labels stay unique while two families admitted the same night do not
 * differ only in their last character, as "Familia 12" and "Familia 13" would.
 */
export function familyLabel(familyNumber: bigint | number | string): string {
  const n = BigInt(familyNumber);
  if (n < 0n) {
    throw new Error('A family number is never negative');
  }
  let width = 4;
  while (n >= 1n << BigInt(5 * width)) {
    width += 1;
  }
  const bits = BigInt(5 * width);
  const mask = (1n << bits) - 1n;
  let x = (n * (GOLDEN | 1n)) & mask;
  x ^= x >> (bits / 2n);
  let code = '';
  for (let i = 0; i < width; i++) {
    code = ALPHABET[Number(x & 31n)] + code;
    x >>= 5n;
  }
  return `F-${code}`;
}
