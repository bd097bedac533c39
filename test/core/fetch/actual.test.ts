import { checkActualResponse, readableResponseHeaders, type PageRequest } from '../../../src/core/fetch/index.js';
import type { HttpResponse } from '../../../src/core/http/index.js';

const ORIGIN = 'https://app.example.com';
const URL_ = 'https://bucket.s3.amazonaws.com/photo.jpg';
const get: PageRequest = { origin: ORIGIN, method: 'GET', url: URL_, headers: {} };
const include: PageRequest = { ...get, credentials: 'include' };

function answer(headers: Record<string, string>, status = 200): HttpResponse {
  return {
    status,
    headers: {
      'content-type': 'image/jpeg',
      'content-length': '42',
      etag: '"abc"',
      'x-amz-request-id': 'TX1',
      'set-cookie': 'a=1',
      'last-modified': 'Wed, 01 Jan 2025 00:00:00 GMT',
      ...headers,
    },
  };
}

describe('Fetch: CORS check on the actual response (checkActualResponse)', () => {
  it('passes when Access-Control-Allow-Origin is the page origin', () => {
    expect(checkActualResponse(get, answer({ 'access-control-allow-origin': ORIGIN }))).toBeNull();
  });
  it('an error status does not matter to CORS: a 403 with ACAO passes (script sees the 403)', () => {
    expect(checkActualResponse(get, answer({ 'access-control-allow-origin': ORIGIN }, 403))).toBeNull();
  });
  it('a missing header is MissingAllowOriginHeader (S3 W4: no rule matched origin and method)', () => {
    const failure = checkActualResponse(get, answer({}));
    expect(failure).toMatchObject({
      blockedAt: 'actual',
      corsError: 'MissingAllowOriginHeader',
      firefox: { reason: 'CORSMissingAllowOrigin2', parameter: '200' },
    });
  });
  it('`*` passes without credentials and is WildcardOriginNotAllowed with them', () => {
    expect(checkActualResponse(get, answer({ 'access-control-allow-origin': '*' }))).toBeNull();
    expect(checkActualResponse(include, answer({ 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' }))?.corsError).toBe(
      'WildcardOriginNotAllowed',
    );
  });
  it("credentials mode same-origin (fetch's default) and omit do not require Allow-Credentials", () => {
    expect(checkActualResponse({ ...get, credentials: 'omit' }, answer({ 'access-control-allow-origin': ORIGIN }))).toBeNull();
    expect(checkActualResponse({ ...get, credentials: 'same-origin' }, answer({ 'access-control-allow-origin': ORIGIN }))).toBeNull();
  });
  it('credentials include needs Allow-Credentials exactly `true` (case-sensitive)', () => {
    expect(checkActualResponse(include, answer({ 'access-control-allow-origin': ORIGIN }))).toMatchObject({
      corsError: 'InvalidAllowCredentials',
      firefox: { reason: 'CORSMissingAllowCredentials' },
    });
    expect(checkActualResponse(include, answer({ 'access-control-allow-origin': ORIGIN, 'access-control-allow-credentials': 'TRUE' }))?.failedParameter).toBe(
      'TRUE',
    );
    expect(checkActualResponse(include, answer({ 'access-control-allow-origin': ORIGIN, 'access-control-allow-credentials': 'true' }))).toBeNull();
  });
  it('a space-separated pair on one line is MultipleAllowOriginValues in Chromium, a plain mismatch in Firefox', () => {
    const failure = checkActualResponse(get, answer({ 'access-control-allow-origin': `${ORIGIN} https://b.example` }));
    expect(failure?.corsError).toBe('MultipleAllowOriginValues');
    expect(failure?.firefox?.reason).toBe('CORSAllowOriginNotMatchingOrigin');
  });
  it('a same-origin request is not CORS-checked at all', () => {
    expect(checkActualResponse({ ...get, url: `${ORIGIN}/x` }, answer({}))).toBeNull();
  });
  it('a no-cors request is not CORS-checked (its response is opaque instead)', () => {
    expect(checkActualResponse({ ...get, mode: 'no-cors' }, answer({}))).toBeNull();
  });
});

describe('Fetch: CORS-filtered response — which headers script can read', () => {
  it('without Expose-Headers only the CORS-safelisted response-header names (ETag is hidden)', () => {
    expect(readableResponseHeaders(get, answer({ 'access-control-allow-origin': ORIGIN }))).toEqual(['content-length', 'content-type', 'last-modified']);
  });
  it('Expose-Headers adds the named headers, case-insensitively, ignoring spaces and empty members', () => {
    const headers = readableResponseHeaders(
      get,
      answer({ 'access-control-allow-origin': ORIGIN, 'access-control-expose-headers': ' ETag ,X-Amz-Request-Id,,' }),
    );
    expect(headers).toEqual(['content-length', 'content-type', 'etag', 'last-modified', 'x-amz-request-id']);
  });
  it('`*` exposes every header except Set-Cookie when credentials are not included', () => {
    const headers = readableResponseHeaders(get, answer({ 'access-control-allow-origin': ORIGIN, 'access-control-expose-headers': '*' }));
    expect(headers).toContain('etag');
    expect(headers).toContain('access-control-allow-origin');
    expect(headers).not.toContain('set-cookie');
  });
  it('Set-Cookie stays unreadable even when named', () => {
    expect(readableResponseHeaders(get, answer({ 'access-control-allow-origin': '*', 'access-control-expose-headers': '*, Set-Cookie' }))).not.toContain(
      'set-cookie',
    );
  });
  it('with credentials include, `*` is a literal name and exposes nothing more', () => {
    const headers = readableResponseHeaders(
      include,
      answer({ 'access-control-allow-origin': ORIGIN, 'access-control-allow-credentials': 'true', 'access-control-expose-headers': '*' }),
    );
    expect(headers).toEqual(['content-length', 'content-type', 'last-modified']);
  });
  it('one member that is not a token voids the whole Expose-Headers list (Blink HTTPHeaderNameListParser; measured)', () => {
    expect(readableResponseHeaders(get, answer({ 'access-control-allow-origin': ORIGIN, 'access-control-expose-headers': 'ETag, x amz' }))).not.toContain(
      'etag',
    );
  });
  it('a header that is exposed but absent is not readable', () => {
    expect(readableResponseHeaders(get, { status: 200, headers: { 'access-control-allow-origin': ORIGIN, 'access-control-expose-headers': 'ETag' } })).toEqual(
      [],
    );
  });
  it('a same-origin response exposes everything but Set-Cookie', () => {
    expect(readableResponseHeaders({ ...get, url: `${ORIGIN}/x` }, answer({}))).toEqual([
      'content-length',
      'content-type',
      'etag',
      'last-modified',
      'x-amz-request-id',
    ]);
  });
  it('an opaque (no-cors) response exposes nothing', () => {
    expect(readableResponseHeaders({ ...get, mode: 'no-cors' }, answer({ 'access-control-allow-origin': '*' }))).toEqual([]);
  });
});
