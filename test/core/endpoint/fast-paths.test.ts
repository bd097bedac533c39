import fc from 'fast-check';
/**
 * The URL reader's shortcuts must give exactly what the plain way gives: query pairs without URLSearchParams, and
 * isS3Url (the host alone) what the whole reading says.
 */
import { isS3Url, parseS3Url } from '../../../src/core/endpoint/parse-url.js';
import { queryPairs } from '../../../src/core/endpoint/query.js';

/** Query text made of the characters that matter to form decoding, and anything else. */
const queryText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc
    .array(
      fc.constantFrom(
        'a',
        'B',
        '=',
        '&',
        '+',
        '%',
        '%2',
        '%20',
        '%2B',
        '%25',
        '%41',
        '%e9',
        '%C3%A9',
        '%ED%A0%80',
        '%F0%9F%99%82',
        '%zz',
        'é',
        '🙂',
        ' ',
        '#',
        '?',
        'X-Amz-Signature=',
        'uploads',
        'uploadId=',
      ),
      { maxLength: 16 },
    )
    .map((parts) => parts.join('')),
);

describe('queryPairs', () => {
  it('lists what URLSearchParams lists for the query of any URL (property)', () => {
    fc.assert(
      fc.property(queryText, (query) => {
        const url = new URL(`https://b.s3.amazonaws.com/k?${query}`);
        expect(queryPairs(url.search)).toEqual([...url.searchParams]);
        // Like the URLSearchParams constructor, one leading "?" is not part of the query.
        expect(queryPairs(url.search.slice(1))).toEqual([...new URLSearchParams(url.search.slice(1))]);
      }),
      { numRuns: 3000 },
    );
  });

  it('decodes plus signs and percent-escapes, and leaves a stray percent sign as URLSearchParams does', () => {
    expect(queryPairs('?a=b+c&x-amz-date=20261128T080000Z&k=%C3%A9&&flag')).toEqual([
      ['a', 'b c'],
      ['x-amz-date', '20261128T080000Z'],
      ['k', 'é'],
      ['flag', ''],
    ]);
    expect(queryPairs('?bad=%zz&ok=1')).toEqual([
      ['bad', '%zz'],
      ['ok', '1'],
    ]);
    expect(queryPairs('')).toEqual([]);
  });
});

describe('isS3Url, from the host alone', () => {
  const authority = fc.constantFrom(
    'b.s3.amazonaws.com',
    'B.S3.EU-WEST-1.AMAZONAWS.COM',
    's3.amazonaws.com',
    'example.com',
    'user@b.s3.amazonaws.com',
    'b.s3.amazonaws.com:443',
    'b.s3.amazonaws.com:99999',
    '127.0.0.1:4568',
    'localhost:9000',
    '[::1]:4566',
    'x.r2.cloudflarestorage.com',
    'a.c\tom',
    '%62.s3.amazonaws.com',
    'acct.r2.cloudflarestorage.com',
    'storage.googleapis.com',
    'user:p@ss@evil.example',
    '',
    'b.s3.amazonaws.com\\',
    '\\b.s3.amazonaws.com',
  );
  const scheme = fc.constantFrom('https://', 'http://', 'HTTPS://', 'ftp://', 'https:///', 'https:', 'blob:https://', ' https://');
  const rest = fc.constantFrom('', '/', '/k?x=1', '\\k', '?uploads', '#f', '/a b', '\n/k', '/%zz', 'x.s3.amazonaws.com/k');
  const url = fc.tuple(scheme, authority, rest).map(([a, b, c]) => a + b + c);

  it('answers what parseS3Url(url).isS3 answers, asked in any order (property)', () => {
    fc.assert(
      fc.property(fc.array(url, { minLength: 1, maxLength: 12 }), (urls) => {
        for (const u of urls) expect(isS3Url(u), u).toBe(parseS3Url(u).isS3);
      }),
      { numRuns: 500 },
    );
  });

  it("reads an empty authority's host from what follows", () => {
    expect(isS3Url('https:///b.s3.amazonaws.com/k')).toBe(parseS3Url('https:///b.s3.amazonaws.com/k').isS3);
    expect(isS3Url('https:///example.com/k')).toBe(parseS3Url('https:///example.com/k').isS3);
    expect(parseS3Url('https:///b.s3.amazonaws.com/k').isS3).not.toBe(parseS3Url('https:///example.com/k').isS3);
  });
});
