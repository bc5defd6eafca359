import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'rfg_';

/** 32 random bytes: far beyond guessing, so a fast hash is enough to store it. */
export function generateApiKey(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/**
 * SHA-256 of the key. A slow password hash would only cost CPU on every request: the key has
 * 256 bits of entropy, so there is nothing for a slow hash to protect against.
 */
export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export function looksLikeApiKey(key: string): boolean {
  return key.startsWith(PREFIX) && key.length >= PREFIX.length + 43 && key.length <= 128;
}
