import fc from 'fast-check';
import { getHeader, headerMap, type HeaderMap } from '../../../src/core/http/index.js';

/** The plain definitions the fast paths must agree with. */
function referenceGet(headers: HeaderMap, name: string): string | undefined {
  const key = name.toLowerCase();
  if (Object.prototype.hasOwnProperty.call(headers, key)) return headers[key];
  for (const k of Object.keys(headers)) if (k.toLowerCase() === key) return headers[k];
  return undefined;
}

function referenceMap(pairs: Array<[string, string]>): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    out[key] = Object.prototype.hasOwnProperty.call(out, key) ? `${out[key]}, ${value}` : value;
  }
  return out;
}

const headerName = fc.oneof(
  fc.constantFrom(
    'Origin',
    'origin',
    'ORIGIN',
    'Access-Control-Request-Headers',
    'x-amz-meta-İd',
    'x-amz-meta-i̇d',
    'K',
    'k',
    'KELVIN-\u212a',
    '__proto__',
    'constructor',
  ),
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }),
);

describe('header maps', () => {
  it('getHeader finds what a case-insensitive search over every name finds, for any names (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(headerName, fc.string({ maxLength: 5 }), { maxKeys: 8 }), headerName, (raw, name) => {
        const headers: HeaderMap = Object.assign(Object.create(null) as HeaderMap, raw);
        expect(getHeader(headers, name)).toBe(referenceGet(headers, name));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds a name whose lower case is longer than itself (U+0130)', () => {
    const headers: HeaderMap = { 'x-İ': 'dotted' };
    expect(getHeader(headers, 'X-i̇')).toBe('dotted');
  });

  it('headerMap lower-cases names and joins repeats, from objects or pairs, arrays or iterables (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(headerName, fc.string({ maxLength: 5 })), { maxLength: 8 }), (pairs) => {
        const expected = referenceMap(pairs);
        const plain = (map: HeaderMap) => ({ ...map });
        expect(plain(headerMap(pairs))).toEqual({ ...expected });
        expect(plain(headerMap(pairs.map(([name, value]) => ({ name, value }))))).toEqual({ ...expected });
        expect(plain(headerMap(new Set(pairs)))).toEqual({ ...expected });
        expect(Object.getPrototypeOf(headerMap(pairs))).toBe(null);
      }),
      { numRuns: 500 },
    );
  });
});
