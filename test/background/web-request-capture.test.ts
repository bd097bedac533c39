import { WebRequestCapture } from '../../src/background/web-request-capture.js';
import type { WebRequestEvent } from '../../src/platform/web-request.js';
import type { ObservedExchange } from '../../src/core/evidence/types.js';

const URL_ = 'http://127.0.0.1:9000/demo-uploads/photo.json';
const PAGE = 'http://127.0.0.1:8000';

function event(phase: WebRequestEvent['phase'], requestId: string, method: string, timeStamp: number, extra: Partial<WebRequestEvent> = {}): WebRequestEvent {
  return { phase, requestId, tabId: 5, method, url: URL_, type: 'xmlhttprequest', timeStamp, initiator: PAGE, ...extra };
}

const preflightHeaders = { origin: PAGE, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type,x-amz-meta-uploader' };

function capture(options = {}) {
  const emitted: Array<{ tabId: number; exchange: ObservedExchange }> = [];
  const c = new WebRequestCapture((tabId, exchange) => emitted.push({ tabId, exchange }), options);
  return { c, emitted, latest: () => emitted[emitted.length - 1]!.exchange };
}

describe('webRequest capture', () => {
  it('pairs a refused preflight with its blocked request in Chromium order (preflight ends in onCompleted 403, the request in net::ERR_FAILED)', () => {
    const { c, emitted, latest } = capture();
    c.handle(event('send-headers', 'p1', 'OPTIONS', 100, { requestHeaders: preflightHeaders }));
    c.handle(event('completed', 'p1', 'OPTIONS', 110, { statusCode: 403, responseHeaders: { 'content-type': 'application/xml' } }));
    c.handle(event('error', 'a1', 'PUT', 99, { error: 'net::ERR_FAILED' }));
    expect(emitted).toHaveLength(1);
    const exchange = latest();
    expect(exchange).toMatchObject({
      id: 'wr-a1',
      source: 'webrequest',
      pageOrigin: PAGE,
      error: 'net::ERR_FAILED',
      response: { status: 0 },
      request: { method: 'PUT', url: URL_ },
      preflight: { request: { method: 'OPTIONS', headers: preflightHeaders }, response: { status: 403 } },
    });
  });

  it('re-emits a request under the same id when its preflight finishes after it (Firefox: NS_ERROR_DOM_BAD_URI on both)', () => {
    const { c, emitted } = capture({ browser: 'firefox' });
    c.handle(event('error', 'a1', 'PUT', 100, { initiator: `${PAGE}/`, error: 'NS_ERROR_DOM_BAD_URI' }));
    c.handle(event('send-headers', 'p1', 'OPTIONS', 101, { initiator: `${PAGE}/`, requestHeaders: preflightHeaders }));
    c.handle(event('error', 'p1', 'OPTIONS', 120, { initiator: `${PAGE}/`, error: 'NS_ERROR_DOM_BAD_URI' }));
    expect(emitted.map((e) => e.exchange.id)).toEqual(['wr-a1', 'wr-a1']);
    // Firefox's originUrl carries a trailing slash: the page origin is reduced to an origin.
    expect(emitted[1]!.exchange).toMatchObject({ pageOrigin: PAGE, browser: 'firefox', preflight: { error: 'NS_ERROR_DOM_BAD_URI' } });
  });

  it('emits a preflight whose request never came on its own after the orphan delay', () => {
    const { c, emitted, latest } = capture({ orphanDelayMs: 1_000 });
    c.handle(event('send-headers', 'p1', 'OPTIONS', 100, { requestHeaders: preflightHeaders }));
    c.handle(event('completed', 'p1', 'OPTIONS', 110, { statusCode: 403 }));
    c.flushOrphans(500);
    expect(emitted).toHaveLength(0);
    c.flushOrphans(1_200);
    expect(latest()).toMatchObject({
      id: 'wr-p1',
      resourceType: 'preflight',
      request: { method: 'PUT', headers: { origin: PAGE } },
      preflight: { response: { status: 403 } },
    });
    expect(latest().gaps?.join(' ')).toContain('actual request was never seen');
  });

  it('asks for an orphan flush only when a preflight starts waiting (no timer in an idle worker)', () => {
    const scheduled: number[] = [];
    const { c } = capture({ orphanDelayMs: 3_000, scheduleOrphanFlush: (ms: number) => scheduled.push(ms) });
    c.handle({ ...event('completed', 'a1', 'GET', 100, { statusCode: 200 }), url: 'https://bucket.s3.amazonaws.com/k' });
    expect(scheduled).toEqual([]);
    c.handle(event('send-headers', 'p1', 'OPTIONS', 100, { requestHeaders: preflightHeaders }));
    c.handle(event('completed', 'p1', 'OPTIONS', 110, { statusCode: 403 }));
    expect(scheduled).toEqual([3_000]);
  });

  it('treats a preflight redirect as the end of the preflight (browsers never follow one)', () => {
    const { c, latest } = capture({ orphanDelayMs: 0 });
    c.handle(event('send-headers', 'p1', 'OPTIONS', 100, { requestHeaders: preflightHeaders }));
    c.handle(event('redirect', 'p1', 'OPTIONS', 105, { statusCode: 307, redirectUrl: 'https://elsewhere.example/x' }));
    c.flushOrphans(10_000);
    expect(latest().preflight).toMatchObject({ response: { status: 307 }, error: 'redirected to https://elsewhere.example/x' });
  });

  it("ignores the extension's own requests (tab -1: probes and policy fetches)", () => {
    const { c, emitted } = capture();
    c.handle(event('error', 'a1', 'PUT', 100, { tabId: -1, error: 'net::ERR_FAILED' }));
    expect(emitted).toHaveLength(0);
  });

  it('ignores same-origin and successful non-S3 traffic', () => {
    const { c, emitted } = capture();
    c.handle({ ...event('completed', 'a1', 'GET', 100, { statusCode: 200 }), url: `${PAGE}/app.js` });
    c.handle({ ...event('completed', 'a2', 'GET', 100, { statusCode: 200 }), url: 'https://cdn.example/lib.js' });
    expect(emitted).toHaveLength(0);
  });

  it('keeps successful requests to S3 hosts, recognised by host or by S3 response headers', () => {
    const { c, emitted } = capture();
    c.handle({ ...event('completed', 'a1', 'GET', 100, { statusCode: 200 }), url: 'https://bucket.s3.eu-west-1.amazonaws.com/k' });
    c.handle({ ...event('completed', 'a2', 'GET', 100, { statusCode: 200, responseHeaders: { 'x-amz-cf-id': 'abc' } }), url: 'https://assets.example.com/k' });
    expect(emitted.map((e) => e.exchange.id)).toEqual(['wr-a1', 'wr-a2']);
  });

  it('does not pair a preflight asking for another method', () => {
    const { c, latest } = capture();
    c.handle(event('send-headers', 'p1', 'OPTIONS', 100, { requestHeaders: { ...preflightHeaders, 'access-control-request-method': 'POST' } }));
    c.handle(event('completed', 'p1', 'OPTIONS', 110, { statusCode: 403 }));
    c.handle(event('error', 'a1', 'PUT', 99, { error: 'net::ERR_FAILED' }));
    expect(latest().preflight).toBeUndefined();
  });

  it('bounds the requests it tracks, so endless unfinished requests cannot grow memory', () => {
    const { c, emitted } = capture({ maxOpenRequests: 10 });
    for (let i = 0; i < 1_000; i++) c.handle(event('send-headers', `r${i}`, 'GET', i, { requestHeaders: {} }));
    c.handle(event('error', 'r999', 'GET', 2_000, { error: 'net::ERR_FAILED', requestHeaders: { origin: PAGE } }));
    expect(emitted).toHaveLength(1);
    c.handle(event('error', 'r0', 'GET', 2_000, { error: 'net::ERR_FAILED' }));
    // r0 was evicted: its error starts a fresh record without the headers seen earlier.
    expect(emitted[1]?.exchange.request.headers).toEqual({});
  });
});
