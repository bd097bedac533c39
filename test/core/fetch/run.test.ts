import { runBrowserFetch, type PageRequest, type Responder } from '../../../src/core/fetch/index.js';
import type { HttpRequest, HttpResponse } from '../../../src/core/http/index.js';

const ORIGIN = 'https://app.example.com';
const BUCKET = 'https://bucket.s3.us-east-1.amazonaws.com';
const REGIONAL = 'https://bucket.s3.eu-west-1.amazonaws.com';

/** A hand-written responder: answers by method + URL, records every request it gets. */
function responder(routes: Record<string, HttpResponse>): Responder & { seen: HttpRequest[] } {
  const seen: HttpRequest[] = [];
  const respond = ((request: HttpRequest) => {
    seen.push(request);
    const answer = routes[`${request.method} ${request.url}`];
    return answer ?? { status: 404, headers: {} };
  }) as Responder & { seen: HttpRequest[] };
  respond.seen = seen;
  return respond;
}

const cors = (origin: string = ORIGIN): Record<string, string> => ({ 'access-control-allow-origin': origin });
const page = (method: string, url: string, headers: Record<string, string> = {}, extra: Partial<PageRequest> = {}): PageRequest => ({
  origin: ORIGIN,
  method,
  url,
  headers,
  ...extra,
});

describe('runBrowserFetch: the whole fetch', () => {
  it('a simple GET goes straight out with Origin, and script reads the safelisted headers', () => {
    const respond = responder({ [`GET ${BUCKET}/a.txt`]: { status: 200, headers: { ...cors(), 'content-type': 'text/plain', etag: '"1"' } } });
    const outcome = runBrowserFetch(page('GET', `${BUCKET}/a.txt`), respond);
    expect(outcome).toMatchObject({ outcome: 'allowed', preflight: null, failure: null, readableHeaders: ['content-type'], responseType: 'cors' });
    expect(respond.seen).toEqual([{ method: 'GET', url: `${BUCKET}/a.txt`, headers: { origin: ORIGIN } }]);
  });

  it('a blocked preflight means the actual request is never sent', () => {
    const respond = responder({ [`OPTIONS ${BUCKET}/up`]: { status: 403, headers: {} } });
    const outcome = runBrowserFetch(page('PUT', `${BUCKET}/up`, { 'content-type': 'application/json' }), respond);
    expect(outcome.outcome).toBe('blocked');
    expect(outcome.failure?.corsError).toBe('PreflightMissingAllowOriginHeader');
    expect(outcome.actual).toBeNull();
    expect(respond.seen.map((r) => r.method)).toEqual(['OPTIONS']);
  });

  it('a passed preflight is followed by the actual request, itself CORS-checked', () => {
    const respond = responder({
      [`OPTIONS ${BUCKET}/up`]: { status: 200, headers: { ...cors(), 'access-control-allow-methods': 'PUT', 'access-control-allow-headers': 'content-type' } },
      [`PUT ${BUCKET}/up`]: { status: 200, headers: {} },
    });
    const outcome = runBrowserFetch(page('PUT', `${BUCKET}/up`, { 'content-type': 'application/json' }), respond);
    expect(outcome.preflight?.request.headers['access-control-request-headers']).toBe('content-type');
    expect(outcome.failure).toMatchObject({ blockedAt: 'actual', corsError: 'MissingAllowOriginHeader' });
  });

  it('forbidden request headers never reach the wire', () => {
    const respond = responder({ [`GET ${BUCKET}/a`]: { status: 200, headers: cors() } });
    runBrowserFetch(page('GET', `${BUCKET}/a`, { cookie: 'a=1', 'x-amz-date': '20250101T000000Z' }), respond);
    expect(respond.seen[0]?.headers).not.toHaveProperty('cookie');
  });

  describe('Fetch: HTTP-redirect fetch of the actual request', () => {
    it('a cross-origin redirect taints the origin: the next request says `Origin: null`, and ACAO `null` then passes', () => {
      const respond = responder({
        [`GET ${BUCKET}/a`]: { status: 307, headers: { ...cors(), location: `${REGIONAL}/a` } },
        [`GET ${REGIONAL}/a`]: { status: 200, headers: cors('null') },
      });
      const outcome = runBrowserFetch(page('GET', `${BUCKET}/a`), respond);
      expect(outcome.outcome).toBe('allowed');
      expect(respond.seen[1]?.headers['origin']).toBe('null');
      expect(outcome.redirects).toHaveLength(1);
    });
    it('the page origin is then a mismatch, reported with "(redirected from …)"', () => {
      const respond = responder({
        [`GET ${BUCKET}/a`]: { status: 307, headers: { ...cors(), location: `${REGIONAL}/a` } },
        [`GET ${REGIONAL}/a`]: { status: 200, headers: cors() },
      });
      const outcome = runBrowserFetch(page('GET', `${BUCKET}/a`), respond);
      expect(outcome.failure?.corsError).toBe('AllowOriginMismatch');
      expect(outcome.failure?.messages.chrome).toContain(`Access to fetch at '${REGIONAL}/a' (redirected from '${BUCKET}/a') from origin '${ORIGIN}'`);
    });
    it('the redirect response itself must pass the CORS check (S3 region redirects carry no ACAO)', () => {
      const respond = responder({ [`GET ${BUCKET}/a`]: { status: 301, headers: { location: `${REGIONAL}/a`, 'x-amz-bucket-region': 'eu-west-1' } } });
      const outcome = runBrowserFetch(page('GET', `${BUCKET}/a`), respond);
      expect(outcome.failure?.corsError).toBe('MissingAllowOriginHeader');
      expect(outcome.failure?.messages.firefoxFollowUp).toContain('CORS request did not succeed');
      expect(respond.seen).toHaveLength(1);
    });
    it('a same-origin hop keeps the origin', () => {
      const respond = responder({
        [`GET ${BUCKET}/a`]: { status: 302, headers: { ...cors(), location: '/b' } },
        [`GET ${BUCKET}/b`]: { status: 200, headers: cors() },
      });
      expect(runBrowserFetch(page('GET', `${BUCKET}/a`), respond).outcome).toBe('allowed');
      expect(respond.seen[1]?.headers['origin']).toBe(ORIGIN);
    });
    it('a cross-origin redirect drops Authorization, so Chromium needs no second preflight', () => {
      const respond = responder({
        [`OPTIONS ${BUCKET}/a`]: { status: 200, headers: { ...cors(), 'access-control-allow-headers': 'authorization' } },
        [`GET ${BUCKET}/a`]: { status: 307, headers: { ...cors(), location: `${REGIONAL}/a` } },
        [`GET ${REGIONAL}/a`]: { status: 200, headers: cors('*') },
      });
      runBrowserFetch(page('GET', `${BUCKET}/a`, { authorization: 'Bearer t' }), respond);
      expect(respond.seen.map((r) => `${r.method} ${r.url}`)).toEqual([`OPTIONS ${BUCKET}/a`, `GET ${BUCKET}/a`, `GET ${REGIONAL}/a`]);
      expect(respond.seen[2]?.headers).not.toHaveProperty('authorization');
    });
    it('Firefox preflights the redirected request again, with the page origin (measured)', () => {
      const respond = responder({
        [`OPTIONS ${BUCKET}/a`]: { status: 200, headers: { ...cors(), 'access-control-allow-headers': 'authorization' } },
        [`GET ${BUCKET}/a`]: { status: 307, headers: { ...cors(), location: `${REGIONAL}/a` } },
        [`OPTIONS ${REGIONAL}/a`]: { status: 200, headers: cors() },
        [`GET ${REGIONAL}/a`]: { status: 200, headers: cors('*') },
      });
      expect(runBrowserFetch(page('GET', `${BUCKET}/a`, { authorization: 'Bearer t' }), respond, { engine: 'firefox' }).outcome).toBe('allowed');
      expect(respond.seen[2]).toMatchObject({ method: 'OPTIONS', headers: { origin: ORIGIN } });
      expect(respond.seen[3]?.headers['origin']).toBe('null');
    });
    it('303 turns a PUT into a GET and drops the body headers', () => {
      const respond = responder({
        [`OPTIONS ${BUCKET}/a`]: { status: 200, headers: { ...cors(), 'access-control-allow-methods': 'PUT', 'access-control-allow-headers': 'content-type' } },
        [`PUT ${BUCKET}/a`]: { status: 303, headers: { ...cors(), location: `${BUCKET}/done` } },
        [`GET ${BUCKET}/done`]: { status: 200, headers: cors() },
      });
      runBrowserFetch(page('PUT', `${BUCKET}/a`, { 'content-type': 'application/json' }), respond);
      expect(respond.seen[2]).toEqual({ method: 'GET', url: `${BUCKET}/done`, headers: { origin: ORIGIN } });
    });
    it('more than 20 redirects is a network error, not a CORS failure', () => {
      const respond: Responder = (request) => ({ status: 307, headers: { ...cors(), location: `${request.url}x` } });
      const outcome = runBrowserFetch(page('GET', `${BUCKET}/a`), respond);
      expect(outcome).toMatchObject({ outcome: 'blocked', failure: null, scriptError: 'TypeError: Failed to fetch' });
      expect(outcome.redirects).toHaveLength(21);
    });
  });

  describe('request modes', () => {
    it('no-cors: no CORS check, an opaque response, nothing readable, only no-CORS-safelisted headers sent', () => {
      const respond = responder({ [`GET ${BUCKET}/a`]: { status: 200, headers: { etag: '"1"' } } });
      const outcome = runBrowserFetch(page('GET', `${BUCKET}/a`, { 'x-custom': '1', accept: 'text/plain' }, { mode: 'no-cors' }), respond);
      expect(outcome).toMatchObject({ outcome: 'allowed', responseType: 'opaque', readableHeaders: [], failure: null });
      expect(respond.seen[0]?.headers).toEqual({ accept: 'text/plain' });
    });
    it('no-cors with a non-safelisted method throws before any request', () => {
      const respond = responder({});
      expect(runBrowserFetch(page('PUT', `${BUCKET}/a`, {}, { mode: 'no-cors' }), respond).scriptError).toBe(
        "TypeError: Failed to execute 'fetch' on 'Window': 'PUT' is unsupported in no-cors mode.",
      );
      expect(runBrowserFetch(page('PUT', `${BUCKET}/a`, {}, { mode: 'no-cors' }), respond, { engine: 'firefox' }).scriptError).toBe(
        'TypeError: Window.fetch: Invalid request method PUT.',
      );
      expect(respond.seen).toHaveLength(0);
    });
    it('same-origin mode refuses a cross-origin URL before the network: a plain network error, no corsError', () => {
      const respond = responder({});
      const outcome = runBrowserFetch(page('GET', `${BUCKET}/a`, {}, { mode: 'same-origin' }), respond);
      expect(outcome).toMatchObject({ outcome: 'blocked', failure: null, scriptError: 'TypeError: Failed to fetch' });
      expect(respond.seen).toHaveLength(0);
    });
    it('no-cors POST still sends Origin (Fetch: append a request Origin header)', () => {
      const respond = responder({ [`POST ${BUCKET}/a`]: { status: 200, headers: {} } });
      runBrowserFetch(page('POST', `${BUCKET}/a`, { 'content-type': 'application/json' }, { mode: 'no-cors' }), respond);
      expect(respond.seen[0]?.headers).toEqual({ origin: ORIGIN });
    });
    it('a same-origin URL needs no CORS: basic response, everything but Set-Cookie readable', () => {
      const respond = responder({ [`DELETE ${ORIGIN}/api`]: { status: 200, headers: { etag: '"1"', 'set-cookie': 'a=1' } } });
      const outcome = runBrowserFetch(page('DELETE', `${ORIGIN}/api`), respond);
      expect(outcome).toMatchObject({ outcome: 'allowed', responseType: 'basic', readableHeaders: ['etag'], preflight: null });
      expect(respond.seen[0]?.headers).toEqual({ origin: ORIGIN });
    });
    it('a forbidden method (TRACE) makes fetch() throw', () => {
      expect(runBrowserFetch(page('TRACE', `${BUCKET}/a`), responder({})).scriptError).toContain('TRACE');
    });
    it('an unparsable URL makes fetch() throw', () => {
      expect(runBrowserFetch(page('GET', 'not a url'), responder({})).scriptError).toContain('Failed to parse URL');
    });
  });

  it('Chromium sends a client hint without preflight; Firefox preflights it', () => {
    const routes = {
      [`GET ${BUCKET}/a`]: { status: 200, headers: cors() },
      [`OPTIONS ${BUCKET}/a`]: { status: 200, headers: { ...cors(), 'access-control-allow-headers': 'dpr' } },
    };
    expect(runBrowserFetch(page('GET', `${BUCKET}/a`, { dpr: '2' }), responder(routes)).preflight).toBeNull();
    expect(runBrowserFetch(page('GET', `${BUCKET}/a`, { dpr: '2' }), responder(routes), { engine: 'firefox' }).preflight?.needed).toBe(true);
  });
});
