import { randomInt } from 'node:crypto';
import * as argon2 from 'argon2';

// OWASP's argon2id baseline (19 MiB, 2 passes); the library's default of 64 MiB would cap
// concurrent logins on a 2-core machine without making offline guessing meaningfully harder.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so timing does not reveal usernames. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('refugio-dummy-password-for-timing');
  return dummyHash;
}

// No 0/o, 1/l/i: the admin reads the password to a colleague on the phone at night.
const TEMPORARY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * A one-time password an admin hands over after a reset: 16 characters from 31 (79 bits), in
 * groups of four so it can be read aloud. Only good until its owner sets her own.
 */
export function generateTemporaryPassword(): string {
  const chars = Array.from(
    { length: 16 },
    () => TEMPORARY_ALPHABET[randomInt(TEMPORARY_ALPHABET.length)],
  );
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}
