import { randomBytes } from 'node:crypto';
import { parseConfig } from '../config/config';
import { PiiCipher } from './pii-cipher';

const key = () => randomBytes(32).toString('base64');
// Through the real schema, so the variables reach the cipher as an operator would set them.
const cipherWith = (settings: Record<string, string>) =>
  new PiiCipher(parseConfig({ JWT_SECRET: 'j'.repeat(32), ...settings }));

describe('PiiCipher', () => {
  it('round-trips personal data and never leaves it readable in the ciphertext', () => {
    const cipher = cipherWith({ PII_ENCRYPTION_KEY: key() });
    const envelope = cipher.encryptJson({
      fullName: 'Ana María Pérez',
      documentNumber: '52123456',
    });
    expect(envelope).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(envelope).not.toContain('Ana');
    expect(envelope).not.toContain('52123456');
    expect(cipher.decryptJson(envelope)).toEqual({
      fullName: 'Ana María Pérez',
      documentNumber: '52123456',
    });
    // Same plaintext, new IV: two encryptions never match.
    expect(cipher.encrypt('x')).not.toBe(cipher.encrypt('x'));
  });

  it('refuses a tampered ciphertext', () => {
    const cipher = cipherWith({ PII_ENCRYPTION_KEY: key() });
    const parts = cipher.encrypt('Calle 1 # 2-3').split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'))).toThrow();
  });

  it('reads old rows after a key rotation, and keeps the indexes when PII_INDEX_KEY holds the first key', () => {
    const first = key();
    const before = cipherWith({ PII_ENCRYPTION_KEY: first });
    const oldRow = before.encrypt('Nombre de antes');
    const after = cipherWith({
      PII_ENCRYPTION_KEY: key(),
      PII_ENCRYPTION_OLD_KEYS: first,
      PII_INDEX_KEY: first,
    });
    expect(after.decrypt(oldRow)).toBe('Nombre de antes');
    expect(after.blindIndex('CC:52.123.456')).toBe(before.blindIndex('CC:52123456'));
    expect(after.fingerprint('{"a":1}')).toBe(before.fingerprint('{"a":1}'));
    const unrelated = cipherWith({ PII_ENCRYPTION_KEY: key() });
    expect(unrelated.blindIndex('CC:52123456')).not.toBe(before.blindIndex('CC:52123456'));
    expect(() => unrelated.decrypt(oldRow)).toThrow(/unknown key id/);
  });
});
