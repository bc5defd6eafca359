import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('gives the same text for objects that differ only in key order, at every depth', () => {
    const a = { b: 1, a: { y: [1, { q: true, p: null }], x: 'x' } };
    const b = { a: { x: 'x', y: [1, { p: null, q: true }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":"x","y":[1,{"p":null,"q":true}]},"b":1}');
  });

  it('keeps array order, because a different order is a different request', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('leaves out undefined members, like JSON, but keeps nulls', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });

  it('tells apart values that differ', () => {
    expect(canonicalJson({ notes: 'a' })).not.toBe(canonicalJson({ notes: 'b' }));
    expect(canonicalJson({ n: '1' })).not.toBe(canonicalJson({ n: 1 }));
  });
});
