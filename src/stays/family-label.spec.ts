import { familyLabel } from './family-label';

describe('familyLabel', () => {
  it('gives four Crockford characters to the first million stays', () => {
    for (const n of [1, 2, 999, 1_048_575]) {
      expect(familyLabel(n)).toMatch(/^F-[0-9A-HJKMNP-TV-Z]{4}$/);
    }
    expect(familyLabel(1_048_576)).toMatch(/^F-[0-9A-HJKMNP-TV-Z]{5}$/);
  });

  it('never gives two stays the same label', () => {
    const seen = new Set<string>();
    for (let n = 1; n <= 200_000; n++) {
      seen.add(familyLabel(n));
    }
    for (let n = 1_048_576; n < 1_048_576 + 50_000; n++) {
      seen.add(familyLabel(n));
    }
    expect(seen.size).toBe(250_000);
  });

  it('is the same for the same number, however it comes from Postgres', () => {
    expect(familyLabel('42')).toBe(familyLabel(42));
    expect(familyLabel(42n)).toBe(familyLabel(42));
  });

  it('makes consecutive families differ in more than their last character', () => {
    for (let n = 1; n < 500; n++) {
      const a = familyLabel(n).slice(2, -1);
      const b = familyLabel(n + 1).slice(2, -1);
      expect(a).not.toBe(b);
    }
  });
});
