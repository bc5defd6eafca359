import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'rfr_';

/**
 * An opaque refresh token: 32 random bytes, nothing inside a client could read or forge. The
 * session it belongs to is found through its hash.
 */
export function generateRefreshToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/** SHA-256, like API keys: 256 bits of entropy leave nothing for a slow hash to protect. */
export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Exactly the shape generateRefreshToken makes, so that garbage costs no query. */
export function looksLikeRefreshToken(token: string): boolean {
  return /^rfr_[A-Za-z0-9_-]{43}$/.test(token);
}
