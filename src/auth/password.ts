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
