import { HAR_READ_DELAYS_MS, HarCapture, harReadDelayMs, wantsResponseBody, withResponseBody } from '../../src/devtools/har-capture.js';
import type { HarEntry } from '../../src/core/har/index.js';
import { recordingBridge } from './recording-bridge.js';

// Shapes as Firefox ESR 153's devtools.network reports them (test/e2e/firefox/capture-quirks.test.ts).
const PAGE = 'http://127.0.0.1:45143';
const URL_ = 'http://127.0.0.1:37651/quirks/upload.txt';
const headers = (pairs: Record<string, string>) => Object.entries(pairs).map(([name, value]) => ({ name, value }));

function entry(
  method: string,
  startedDateTime: string,
  status: number,
  requestHeaders: Record<string, string>,
  responseHeaders: Record<string, string> = {},
): HarEntry {
  return {
    startedDateTime,
    request: { method, url: URL_, httpVersion: 'HTTP/1.1', headers: headers(requestHeaders), queryString: [], cookies: [], headersSize: -1, bodySize: -1 },
    response: {
      status,
      statusText: '',
      httpVersion: '',
      headers: headers(responseHeaders),
      cookies: [],
      content: { size: 0, mimeType: '' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: 0, receive: 0 },
    time: 0,
  } as unknown as HarEntry;
}

describe('the DevTools HAR capture in Firefox', () => {
  it('pairs a blocked PUT that only getHAR() lists with its preflight, though Firefox timestamps the PUT first', async () => {
    const { bridge, sent } = recordingBridge();
    const capture = new HarCapture(1, bridge, { browser: 'firefox', now: () => 1e12 });
    capture.addEntries([
      entry('PUT', '2026-11-28T08:43:06.461+00:00', 0, { origin: PAGE, 'x-amz-meta-uploader': 'quirks' }),
      entry('OPTIONS', '2026-11-28T08:43:06.469+00:00', 403, {
        origin: PAGE,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'x-amz-meta-uploader',
      }),
    ]);
    await capture.flush();
    const exchanges = sent.flat();
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({ request: { method: 'PUT' }, response: { status: 0 }, preflight: { response: { status: 403 } } });
  });

  it('does not let a getHAR() poll that still lists a request as unfinished (status 0) replace its reported response', async () => {
    const { bridge, sent } = recordingBridge();
    const capture = new HarCapture(1, bridge, { browser: 'firefox', now: () => 1e12 });
    const started = '2026-11-28T08:58:20.435+00:00';
    const finished = entry('GET', started, 200, { origin: PAGE, 'sec-fetch-mode': 'cors' }, { 'content-type': 'application/json' });
    expect(capture.addEntries([finished])).toBe(true);
    await capture.flush();
    expect(capture.addEntries([entry('GET', started, 0, { origin: PAGE, 'sec-fetch-mode': 'cors' })])).toBe(false);
    await capture.flush();
    expect(sent.flat().map((e) => e.response?.status)).toEqual([200]);
  });

  it('takes a later view of a request whose headers Firefox filled in after its response (same status, same response)', async () => {
    // Firefox's network monitor fills an entry's parts as they arrive: a poll can list the response before the
    // request headers. Without its Origin a blocked simple GET looks like no CORS request at all; the later,
    // fuller view must replace the first, or the failure is never reported.
    const { bridge, sent } = recordingBridge();
    const capture = new HarCapture(1, bridge, { browser: 'firefox', now: () => 1e12 });
    const started = '2026-11-28T09:10:00.000+00:00';
    const response = { 'content-type': 'application/json' };
    expect(capture.addEntries([entry('GET', started, 200, {}, response)])).toBe(true);
    await capture.flush();
    expect(sent.flat()).toEqual([]);
    expect(capture.addEntries([entry('GET', started, 200, { origin: PAGE, 'sec-fetch-mode': 'cors' }, response)])).toBe(true);
    await capture.flush();
    expect(capture.addEntries([entry('GET', started, 200, { origin: PAGE, 'sec-fetch-mode': 'cors' }, response)])).toBe(false);
    expect(sent.flat().map((e) => [e.request.method, e.response?.status, e.request.headers.origin])).toEqual([['GET', 200, PAGE]]);
  });

  describe('reads getHAR() only while a preflight waits for its request (each read loses what DevTools records meanwhile)', () => {
    const preflight = (started: string) =>
      entry('OPTIONS', started, 403, { origin: PAGE, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-amz-meta-uploader' });
    const put = (started: string) => entry('PUT', started, 0, { origin: PAGE, 'x-amz-meta-uploader': 'quirks' });

    it('waits from a finished preflight until its request appears, and not for requests without one', () => {
      const capture = new HarCapture(1, recordingBridge().bridge, { browser: 'firefox', now: () => 1e12 });
      capture.addEntries([entry('GET', '2026-11-28T08:43:05.000+00:00', 200, { origin: PAGE })]);
      expect(capture.awaitingActualRequest()).toBe(false);
      capture.addEntries([preflight('2026-11-28T08:43:06.469+00:00')]);
      expect(capture.awaitingActualRequest()).toBe(true);
      // Firefox timestamps the PUT a few ms before its preflight; getHAR() then lists it (status 0).
      capture.addEntries([put('2026-11-28T08:43:06.461+00:00')]);
      expect(capture.awaitingActualRequest()).toBe(false);
    });

    it('does not wait when the request was already captured (a getHAR() read listing both)', () => {
      const capture = new HarCapture(1, recordingBridge().bridge, { browser: 'firefox', now: () => 1e12 });
      capture.addEntries([put('2026-11-28T08:43:06.461+00:00'), preflight('2026-11-28T08:43:06.469+00:00')]);
      expect(capture.awaitingActualRequest()).toBe(false);
    });

    it('an earlier request to the same URL does not answer a new preflight', () => {
      const capture = new HarCapture(1, recordingBridge().bridge, { browser: 'firefox', now: () => 1e12 });
      capture.addEntries([put('2026-11-28T08:40:00.000+00:00')]);
      capture.addEntries([preflight('2026-11-28T08:43:06.469+00:00')]);
      expect(capture.awaitingActualRequest()).toBe(true);
    });

    it('gives up on a request the browser never sent, and forgets waits on navigation', () => {
      let now = 1e12;
      const capture = new HarCapture(1, recordingBridge().bridge, { browser: 'firefox', now: () => now, actualRequestWaitMs: 30_000 });
      capture.addEntries([preflight('2026-11-28T08:43:06.469+00:00')]);
      now += 29_999;
      expect(capture.awaitingActualRequest()).toBe(true);
      now += 1;
      expect(capture.awaitingActualRequest()).toBe(false);
      capture.addEntries([preflight('2026-11-28T08:44:00.000+00:00')]);
      expect(capture.awaitingActualRequest()).toBe(true);
      capture.navigated(`${PAGE}/next`);
      expect(capture.awaitingActualRequest()).toBe(false);
    });

    it('names the URLs it waits for, and stops waiting for URLs another source reports', () => {
      const capture = new HarCapture(1, recordingBridge().bridge, { browser: 'firefox', now: () => 1e12 });
      expect(capture.awaitingUrls()).toEqual([]);
      capture.addEntries([preflight('2026-11-28T08:43:06.469+00:00')]);
      const [url] = capture.awaitingUrls();
      expect(url).toMatch(/^https?:/);
      expect(capture.awaitingUrls()).toEqual([url]);
      capture.stopAwaiting(['https://elsewhere.example/x']);
      expect(capture.awaitingActualRequest()).toBe(true);
      capture.stopAwaiting([url as string]);
      expect(capture.awaitingActualRequest()).toBe(false);
      expect(capture.awaitingUrls()).toEqual([]);
    });

    it('backs off between reads, to at most 8 s', () => {
      expect([0, 1, 2, 3, 4, 5, 6, 50].map(harReadDelayMs)).toEqual([250, 500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
      expect(HAR_READ_DELAYS_MS.reduce((sum, ms) => sum + ms, 0)).toBeLessThan(30_000);
    });
  });

  it("asks for a blocked simple GET's S3 error body (onRequestFinished gives none), and reports it once it has it", async () => {
    const started = '2026-11-28T09:20:00.000+00:00';
    const missing = entry('GET', started, 404, { origin: PAGE, 'sec-fetch-mode': 'cors' }, { 'content-type': 'application/xml' });
    expect(wantsResponseBody(missing)).toBe(true);
    expect(wantsResponseBody(entry('GET', started, 200, { origin: PAGE }))).toBe(false);
    expect(wantsResponseBody(entry('GET', started, 404, {}))).toBe(false);
    expect(wantsResponseBody(entry('OPTIONS', started, 403, { origin: PAGE, 'access-control-request-method': 'PUT' }))).toBe(false);
    const xml = '<Error><Code>NoSuchKey</Code></Error>';
    expect(wantsResponseBody(withResponseBody(missing, xml))).toBe(false);

    const { bridge, sent } = recordingBridge();
    const capture = new HarCapture(1, bridge, { browser: 'firefox', now: () => 1e12 });
    capture.addEntries([missing]);
    await capture.flush();
    expect(capture.addEntries([withResponseBody(missing, xml)])).toBe(true);
    await capture.flush();
    expect(sent.flat().at(-1)?.response?.body).toContain('<Code>NoSuchKey</Code>');
  });
});
