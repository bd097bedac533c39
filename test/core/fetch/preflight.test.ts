import { checkPreflightResponse, planPreflight, runBrowserFetch, type PageRequest } from '../../../src/core/fetch/index.js';
import { FORCED_PREFLIGHT_REASON } from '../../../src/core/fetch/preflight.js';
import type { HttpResponse } from '../../../src/core/http/index.js';

const ORIGIN = 'https://app.example.com';
const URL_ = 'https://bucket.s3.us-east-1.amazonaws.com/key.txt';

function request(method: string, headers: Record<string, string> = {}, extra: Partial<PageRequest> = {}): PageRequest {
  return { origin: ORIGIN, method, url: URL_, headers, ...extra };
}

function preflightAnswer(status: number, headers: Record<string, string>): HttpResponse {
  return { status, headers };
}

const GRANT_PUT = { 'access-control-allow-origin': ORIGIN, 'access-control-allow-methods': 'PUT' };

describe('Fetch: when a CORS-preflight is needed (planPreflight)', () => {
  it('a GET without headers needs none', () => {
    expect(planPreflight(request('GET'))).toEqual({ needed: false, reasons: [], request: null });
  });
  it('a POST with a safelisted content-type needs none', () => {
    expect(planPreflight(request('POST', { 'content-type': 'text/plain;charset=UTF-8' })).needed).toBe(false);
  });
  it('a non-safelisted method needs one, sending Origin and Access-Control-Request-Method, and no -Headers', () => {
    const plan = planPreflight(request('PUT'));
    expect(plan.needed).toBe(true);
    expect(plan.reasons).toEqual(['PUT']);
    expect(plan.request).toEqual({
      method: 'OPTIONS',
      url: URL_,
      headers: { accept: '*/*', 'access-control-request-method': 'PUT', origin: ORIGIN },
    });
  });
  it('Access-Control-Request-Headers lists the unsafe names sorted, lower-cased, joined by "," without spaces', () => {
    const plan = planPreflight(request('PUT', { 'X-Amz-Meta-Owner': 'alice', 'content-type': 'application/octet-stream', 'x-amz-acl': 'private' }));
    expect(plan.request?.headers['access-control-request-headers']).toBe('content-type,x-amz-acl,x-amz-meta-owner');
    expect(plan.reasons).toEqual(['PUT', 'content-type', 'x-amz-acl', 'x-amz-meta-owner']);
  });
  it('the method is normalised first: `put` is sent as PUT, `patch` stays `patch`', () => {
    expect(planPreflight(request('put')).request?.headers['access-control-request-method']).toBe('PUT');
    expect(planPreflight(request('patch')).request?.headers['access-control-request-method']).toBe('patch');
  });
  it('a same-origin URL is not a CORS request: no preflight whatever the method', () => {
    expect(planPreflight(request('DELETE', {}, { url: `${ORIGIN}/api` })).needed).toBe(false);
  });
  it('a forbidden method (TRACE) sends nothing, so no preflight either', () => {
    expect(planPreflight(request('TRACE')).needed).toBe(false);
  });
  it('mode no-cors never preflights', () => {
    expect(planPreflight(request('GET', { 'x-custom': '1' }, { mode: 'no-cors' })).needed).toBe(false);
  });
  it('the use-CORS-preflight flag (XHR upload listeners, a streamed body) preflights an otherwise simple POST', () => {
    const simple = request('POST', { 'content-type': 'multipart/form-data; boundary=x' }, { useCorsPreflight: true });
    const plan = planPreflight(simple);
    expect(plan.needed).toBe(true);
    expect(plan.reasons).toEqual([FORCED_PREFLIGHT_REASON]);
    // The flag adds no Access-Control-Request-Headers: the safelisted Content-Type is not listed.
    expect(plan.request).toEqual({ method: 'OPTIONS', url: URL_, headers: { accept: '*/*', 'access-control-request-method': 'POST', origin: ORIGIN } });
  });
  it('with the flag, a request that needs a preflight anyway gives its own reasons; no-cors and same-origin still never preflight', () => {
    expect(planPreflight(request('PUT', {}, { useCorsPreflight: true })).reasons).toEqual(['PUT']);
    expect(planPreflight(request('POST', {}, { useCorsPreflight: true, mode: 'no-cors' })).needed).toBe(false);
    expect(planPreflight(request('POST', {}, { useCorsPreflight: true, url: `${ORIGIN}/api` })).needed).toBe(false);
  });
  it('a Chromium-safelisted client hint needs a preflight in Firefox only', () => {
    expect(planPreflight(request('GET', { dpr: '2' })).needed).toBe(false);
    expect(planPreflight(request('GET', { dpr: '2' }), { engine: 'firefox' }).needed).toBe(true);
  });
});

describe('CORS-preflight fetch: checking the response (checkPreflightResponse)', () => {
  it('a 200 that allows origin and method passes', () => {
    expect(checkPreflightResponse(request('PUT'), preflightAnswer(200, GRANT_PUT))).toBeNull();
  });
  it('any 2xx is an ok status: 204 passes', () => {
    expect(checkPreflightResponse(request('PUT'), preflightAnswer(204, GRANT_PUT))).toBeNull();
  });

  describe('Chromium checks Access-Control-Allow-Origin before the status (browser-capture.md scenario b)', () => {
    it('an S3 403 without CORS headers is PreflightMissingAllowOriginHeader, the 403 unmentioned', () => {
      const failure = checkPreflightResponse(request('PUT'), preflightAnswer(403, { 'content-type': 'application/xml' }));
      expect(failure).toMatchObject({ blockedAt: 'preflight', corsError: 'PreflightMissingAllowOriginHeader' });
      expect(failure?.failedParameter).toBeUndefined();
    });
    it('Firefox also runs its origin check first and reports the missing header with the status', () => {
      const failure = checkPreflightResponse(request('PUT'), preflightAnswer(403, {}));
      expect(failure?.firefox).toEqual({ reason: 'CORSMissingAllowOrigin2', parameter: '403' });
    });
    it('a 403 that carries valid CORS headers is PreflightInvalidStatus (Firefox: preflight did not succeed)', () => {
      const failure = checkPreflightResponse(request('PUT'), preflightAnswer(403, GRANT_PUT));
      expect(failure?.corsError).toBe('PreflightInvalidStatus');
      expect(failure?.firefox).toEqual({ reason: 'CORSPreflightDidNotSucceed3', parameter: '403' });
    });
  });

  describe('a preflight may not be redirected', () => {
    const redirect = (headers: Record<string, string>) => preflightAnswer(307, { location: 'https://bucket.s3.eu-west-1.amazonaws.com/key.txt', ...headers });
    it('Chromium fails on the redirect itself: PreflightDisallowedRedirect', () => {
      expect(checkPreflightResponse(request('PUT'), redirect({}))?.corsError).toBe('PreflightDisallowedRedirect');
    });
    it('Firefox checks the origin first: without ACAO it reports the missing header, with it the external redirect', () => {
      expect(checkPreflightResponse(request('PUT'), redirect({}))?.firefox?.reason).toBe('CORSMissingAllowOrigin2');
      expect(checkPreflightResponse(request('PUT'), redirect(GRANT_PUT))?.firefox?.reason).toBe('CORSExternalRedirectNotAllowed');
    });
    it('a responder that reports `redirected` counts as a redirect', () => {
      expect(checkPreflightResponse(request('PUT'), { status: 200, headers: GRANT_PUT, redirected: true })?.corsError).toBe('PreflightDisallowedRedirect');
    });
    it('a 307 with an empty Location is no redirect for Chromium: the status check fails it', () => {
      expect(checkPreflightResponse(request('PUT'), preflightAnswer(307, { location: '', ...GRANT_PUT }))?.corsError).toBe('PreflightInvalidStatus');
    });
  });

  describe('Fetch: CORS check on the preflight (Access-Control-Allow-Origin / -Credentials)', () => {
    const withOrigin = (value: string) => preflightAnswer(200, { ...GRANT_PUT, 'access-control-allow-origin': value });
    it('another origin is PreflightAllowOriginMismatch naming the value', () => {
      expect(checkPreflightResponse(request('PUT'), withOrigin('https://other.example.com'))).toMatchObject({
        corsError: 'PreflightAllowOriginMismatch',
        failedParameter: 'https://other.example.com',
        firefox: { reason: 'CORSAllowOriginNotMatchingOrigin', parameter: 'https://other.example.com' },
      });
    });
    it('the origin must match byte for byte: a trailing slash is a mismatch', () => {
      expect(checkPreflightResponse(request('PUT'), withOrigin(`${ORIGIN}/`))?.corsError).toBe('PreflightAllowOriginMismatch');
    });
    it('two values ("a, b", e.g. a CDN adding a second header) are PreflightMultipleAllowOriginValues', () => {
      expect(checkPreflightResponse(request('PUT'), withOrigin(`${ORIGIN}, ${ORIGIN}`))).toMatchObject({
        corsError: 'PreflightMultipleAllowOriginValues',
        failedParameter: `${ORIGIN}, ${ORIGIN}`,
        firefox: { reason: 'CORSMultipleAllowOriginNotAllowed' },
      });
    });
    it('`null` is a mismatch for a page with a real origin, not an invalid value', () => {
      expect(checkPreflightResponse(request('PUT'), withOrigin('null'))?.corsError).toBe('PreflightAllowOriginMismatch');
    });
    it('a value that is no URL at all is PreflightInvalidAllowOriginValue', () => {
      expect(checkPreflightResponse(request('PUT'), withOrigin('invalid.origin'))?.corsError).toBe('PreflightInvalidAllowOriginValue');
      expect(checkPreflightResponse(request('PUT'), withOrigin('*.example.com'))?.corsError).toBe('PreflightInvalidAllowOriginValue');
    });
    it('`*` passes without credentials', () => {
      expect(checkPreflightResponse(request('PUT'), withOrigin('*'))).toBeNull();
    });
    it("`*` fails when the request's credentials mode is include, even with Allow-Credentials: true", () => {
      const answer = preflightAnswer(200, { ...GRANT_PUT, 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' });
      expect(checkPreflightResponse(request('PUT', {}, { credentials: 'include' }), answer)).toMatchObject({
        corsError: 'PreflightWildcardOriginNotAllowed',
        firefox: { reason: 'CORSNotSupportingCredentials' },
      });
    });
    it('with credentials include, Allow-Credentials must be exactly `true`', () => {
      const include = request('PUT', {}, { credentials: 'include' });
      expect(checkPreflightResponse(include, preflightAnswer(200, GRANT_PUT))).toMatchObject({ corsError: 'PreflightInvalidAllowCredentials' });
      expect(checkPreflightResponse(include, preflightAnswer(200, { ...GRANT_PUT, 'access-control-allow-credentials': 'True' }))).toMatchObject({
        corsError: 'PreflightInvalidAllowCredentials',
        failedParameter: 'True',
      });
      expect(checkPreflightResponse(include, preflightAnswer(200, { ...GRANT_PUT, 'access-control-allow-credentials': 'true' }))).toBeNull();
    });
  });

  describe('Fetch: Access-Control-Allow-Methods', () => {
    const methods = (value: string | undefined) =>
      preflightAnswer(200, { 'access-control-allow-origin': ORIGIN, ...(value === undefined ? {} : { 'access-control-allow-methods': value }) });
    it('a missing method is MethodDisallowedByPreflightResponse naming it', () => {
      expect(checkPreflightResponse(request('PUT'), methods('GET, POST'))).toMatchObject({
        corsError: 'MethodDisallowedByPreflightResponse',
        failedParameter: 'PUT',
        firefox: { reason: 'CORSMethodNotFound' },
      });
    });
    it('the comparison is byte-case-sensitive: `put` does not allow PUT, `PATCH` does not allow `patch`', () => {
      expect(checkPreflightResponse(request('PUT'), methods('put'))?.corsError).toBe('MethodDisallowedByPreflightResponse');
      expect(checkPreflightResponse(request('patch'), methods('PATCH'))?.failedParameter).toBe('patch');
    });
    it('safelisted methods need not be listed', () => {
      expect(
        checkPreflightResponse(
          request('POST', { 'x-custom': '1' }),
          preflightAnswer(200, { 'access-control-allow-origin': ORIGIN, 'access-control-allow-headers': 'x-custom' }),
        ),
      ).toBeNull();
    });
    it('`*` allows any method without credentials, and is a plain name with credentials', () => {
      expect(checkPreflightResponse(request('DELETE'), methods('*'))).toBeNull();
      const include = request('DELETE', {}, { credentials: 'include' });
      const answer = preflightAnswer(200, {
        'access-control-allow-origin': ORIGIN,
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': '*',
      });
      expect(checkPreflightResponse(include, answer)?.corsError).toBe('MethodDisallowedByPreflightResponse');
    });
    it('empty list members are skipped, whitespace around members ignored', () => {
      expect(checkPreflightResponse(request('PUT'), methods('GET,, PUT ,'))).toBeNull();
    });
    it('a member that is not a token makes the header invalid (no failedParameter in Chromium; Firefox names the token)', () => {
      const failure = checkPreflightResponse(request('PUT'), methods('GET, PUT POST'));
      expect(failure?.corsError).toBe('InvalidAllowMethodsPreflightResponse');
      expect(failure?.failedParameter).toBeUndefined();
      expect(failure?.firefox).toEqual({ reason: 'CORSInvalidAllowMethod', parameter: 'PUT POST' });
    });
    it('Chromium parses both lists before checking: an invalid Allow-Headers wins over a missing method', () => {
      const answer = preflightAnswer(200, {
        'access-control-allow-origin': ORIGIN,
        'access-control-allow-methods': 'GET',
        'access-control-allow-headers': 'x y',
      });
      const failure = checkPreflightResponse(request('PUT'), answer);
      expect(failure?.corsError).toBe('InvalidAllowHeadersPreflightResponse');
      // Firefox checks methods completely before it reads Allow-Headers.
      expect(failure?.firefox?.reason).toBe('CORSMethodNotFound');
    });
  });

  describe('Fetch: Access-Control-Allow-Headers', () => {
    const upload = request('PUT', { 'content-type': 'application/octet-stream', 'x-amz-checksum-crc32': 'AAAAAA==' });
    const headers = (value: string | undefined, extra: Record<string, string> = {}) =>
      preflightAnswer(200, { ...GRANT_PUT, ...(value === undefined ? {} : { 'access-control-allow-headers': value }), ...extra });
    it('a header not listed is HeaderDisallowedByPreflightResponse naming it (the SDK checksum header)', () => {
      expect(checkPreflightResponse(upload, headers('content-type'))).toMatchObject({
        corsError: 'HeaderDisallowedByPreflightResponse',
        failedParameter: 'x-amz-checksum-crc32',
        disallowedHeaders: ['x-amz-checksum-crc32'],
        firefox: { reason: 'CORSMissingAllowHeaderFromPreflight2', parameter: 'x-amz-checksum-crc32' },
      });
    });
    it('names are compared case-insensitively', () => {
      expect(checkPreflightResponse(upload, headers('Content-Type, X-Amz-Checksum-CRC32'))).toBeNull();
    });
    it('with several headers missing, all are listed; failedParameter is the first in sorted order', () => {
      const failure = checkPreflightResponse(upload, headers(undefined));
      expect(failure?.disallowedHeaders).toEqual(['content-type', 'x-amz-checksum-crc32']);
      expect(failure?.failedParameter).toBe('content-type');
    });
    it('`*` covers every header without credentials', () => {
      expect(checkPreflightResponse(upload, headers('*'))).toBeNull();
    });
    it('`*` covers authorization in Chromium 156 and Firefox ESR 153 (measured), though the standard says it never does', () => {
      expect(checkPreflightResponse(request('GET', { authorization: 'AWS4-HMAC-SHA256 x' }), headers('*'))).toBeNull();
    });
    it('with credentials include, `*` is a literal name and covers nothing', () => {
      const include = { ...upload, credentials: 'include' as const };
      expect(checkPreflightResponse(include, headers('*', { 'access-control-allow-credentials': 'true' }))?.corsError).toBe(
        'HeaderDisallowedByPreflightResponse',
      );
    });
    it('a member that is not a token makes the header invalid', () => {
      expect(checkPreflightResponse(upload, headers('content-type, x y'))).toMatchObject({
        corsError: 'InvalidAllowHeadersPreflightResponse',
        firefox: { reason: 'CORSInvalidAllowHeader', parameter: 'x y' },
      });
    });
    it('the method is checked before the headers', () => {
      const answer = preflightAnswer(200, { 'access-control-allow-origin': ORIGIN, 'access-control-allow-methods': 'GET' });
      expect(checkPreflightResponse(upload, answer)?.corsError).toBe('MethodDisallowedByPreflightResponse');
    });
  });

  it('the Firefox engine decides when asked: a client hint it preflights and the server refuses', () => {
    const hint = request('GET', { dpr: '2' });
    const refused = preflightAnswer(200, { 'access-control-allow-origin': ORIGIN });
    const failure = checkPreflightResponse(hint, refused, { engine: 'firefox' });
    expect(failure).toMatchObject({
      corsError: 'HeaderDisallowedByPreflightResponse',
      failedParameter: 'dpr',
      firefox: { reason: 'CORSMissingAllowHeaderFromPreflight2' },
    });
  });
});

describe('runBrowserFetch with the use-CORS-preflight flag', () => {
  it('sends the preflight first, and a refused preflight stops the otherwise simple POST before it is sent', () => {
    const sent: string[] = [];
    const outcome = runBrowserFetch(request('POST', { 'content-type': 'text/plain' }, { useCorsPreflight: true }), (req) => {
      sent.push(req.method);
      return { status: 403, headers: {} };
    });
    expect(sent).toEqual(['OPTIONS']);
    expect([outcome.outcome, outcome.failure?.blockedAt, outcome.actual]).toEqual(['blocked', 'preflight', null]);
  });
});
