import { generateTemporaryPassword } from './password';
import { generateRefreshToken, hashRefreshToken, looksLikeRefreshToken } from './refresh-tokens';

describe('refresh tokens', () => {
  it('are random, recognisable by shape, and hashed to 32 bytes', () => {
    const tokens = new Set(Array.from({ length: 100 }, generateRefreshToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) {
      expect(looksLikeRefreshToken(token)).toBe(true);
      expect(hashRefreshToken(token)).toHaveLength(32);
    }
  });

  it('refuses by shape anything the service did not make', () => {
    const token = generateRefreshToken();
    for (const other of ['', token.slice(0, -1), `${token}x`, token.replace('rfr_', 'rfg_')]) {
      expect(looksLikeRefreshToken(other)).toBe(false);
    }
  });
});

describe('temporary passwords', () => {
  it('are 16 unambiguous characters in groups of four, at least 12 long, never repeated', () => {
    const passwords = Array.from({ length: 200 }, generateTemporaryPassword);
    expect(new Set(passwords).size).toBe(200);
    for (const password of passwords) {
      expect(password).toMatch(/^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$/);
      expect(password.length).toBeGreaterThanOrEqual(12);
    }
  });
});
