import { jsonDepthExceeds } from './json-body';

const depthOf = (text: string, max: number) => jsonDepthExceeds(Buffer.from(text), max);

describe('jsonDepthExceeds', () => {
  it('counts objects and arrays, not brackets inside strings or after escaped quotes', () => {
    expect(depthOf('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(depthOf('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(depthOf('{"a":"[[[[[[[[{{{{"}', 1)).toBe(false);
    expect(depthOf('{"a":"\\"[[[[","b":"\\\\"}', 1)).toBe(false);
    expect(depthOf('["\\\\",[[1]]]', 2)).toBe(true);
  });

  it('handles 50,000 levels without recursion', () => {
    expect(depthOf('['.repeat(50_000) + ']'.repeat(50_000), 32)).toBe(true);
  });
});
