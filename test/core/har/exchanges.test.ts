import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { harEntriesToExchanges, isS3Exchange, readHarText, type HarEntry } from '../../../src/core/har/index.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/har');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const entriesOf = (name: string) => (JSON.parse(fixture(name)) as { log: { entries: HarEntry[] } }).log.entries;

describe('harEntriesToExchanges — Chrome', () => {
  const exchanges = harEntriesToExchanges(entriesOf('chrome-put-checksum-header.har'), { browser: 'chromium' });
  const put = exchanges.find((e) => e.request.method === 'PUT')!;

  it('makes one exchange per actual request and folds the preflight entry into its request', () => {
    expect(exchanges.map((e) => `${e.request.method} ${e.id}`)).toEqual(['GET har-0', 'PUT har-2', 'GET har-3']);
    expect(put.preflight?.request.method).toBe('OPTIONS');
    expect(put.preflight?.request.headers['access-control-request-headers']).toBe('content-type,x-amz-checksum-crc32');
    expect(put.preflight?.response?.status).toBe(403);
  });

  it("records the failed actual request as status 0 with Chrome's net::ERR_FAILED", () => {
    expect(put.response).toEqual({ status: 0, headers: {} });
    expect(put.error).toBe('net::ERR_FAILED');
  });

  it('takes the page origin from the preflight when the failed request has only provisional headers', () => {
    expect(put.request.headers.origin).toBeUndefined();
    expect(put.pageOrigin).toBe('https://app.example.com');
    expect(put.gaps).toContain('Chrome recorded only provisional request headers for this failed request (no Origin, no cookies)');
    expect(put.gaps).toContain("the preflight's response body (S3's XML error) is not in Chrome HARs");
  });

  it('does not treat net::ERR_ABORTED with status 200 as a failure', () => {
    const aborted = exchanges.find((e) => e.id === 'har-3')!;
    expect(aborted.error).toBeUndefined();
    expect(aborted.response?.status).toBe(200);
    expect(aborted.gaps?.some((g) => g.includes('net::ERR_ABORTED'))).toBe(true);
  });

  it('marks cookies as credentials mode include', () => {
    expect(exchanges[0]!.credentials).toBe('include');
    expect(put.credentials).toBeUndefined();
  });

  it('keeps the 307 preflight and its net::ERR_INVALID_REDIRECT', () => {
    const [get] = harEntriesToExchanges(entriesOf('chrome-preflight-redirect.har'));
    expect(get!.browser).toBe('chromium');
    expect(get!.preflight?.response?.status).toBe(307);
    expect(get!.preflight?.error).toBe('net::ERR_INVALID_REDIRECT');
    expect(get!.preflight?.response?.headers['x-amz-bucket-region']).toBe('eu-central-1');
  });

  it('says so when an old HAR has no preflight entries, and falls back to the Referer for the page origin', () => {
    const [del] = harEntriesToExchanges(entriesOf('chrome-no-preflight-entries.har'));
    expect(del!.preflight).toBeUndefined();
    expect(del!.pageOrigin).toBe('https://shop.example.org');
    expect(del!.gaps?.some((g) => g.startsWith('this HAR has no preflight entries'))).toBe(true);
  });
});

describe('harEntriesToExchanges — Firefox', () => {
  const read = readHarText(fixture('firefox-put-origin-refused.har'));

  it('reads the browser from log.creator and pairs the preflight by URL, method and time', () => {
    expect(read.browser).toBe('firefox');
    const put = read.exchanges.find((e) => e.request.method === 'PUT')!;
    expect(put.browser).toBe('firefox');
    expect(put.preflight?.response?.status).toBe(403);
    expect(put.request.headers.origin).toBe('http://localhost:5173');
    expect(put.pageOrigin).toBe('http://localhost:5173');
    expect(put.error).toBeUndefined();
    expect(put.response?.status).toBe(0);
    expect(put.gaps).toContain('Firefox HARs record a blocked request and a network failure alike (status 0, no reason)');
  });

  it('keeps a blocked simple GET as the 200 Firefox shows, headers and body included, for the diagnosis to judge', () => {
    const get = read.exchanges.find((e) => e.request.method === 'GET')!;
    expect(get.response?.status).toBe(200);
    expect(get.response?.headers['access-control-allow-origin']).toBeUndefined();
    expect(get.response?.body).toBe('{"files": ["a"]}');
  });
});

describe('pairing rules', () => {
  const preflight = (url: string, method: string, at: string, extra: Partial<HarEntry> = {}): HarEntry => ({
    startedDateTime: at,
    request: {
      method: 'OPTIONS',
      url,
      headers: [
        { name: 'Origin', value: 'https://a.example' },
        { name: 'Access-Control-Request-Method', value: method },
      ],
    },
    response: { status: 200, headers: [] },
    ...extra,
  });
  const actual = (url: string, method: string, at: string, extra: Partial<HarEntry> = {}): HarEntry => ({
    startedDateTime: at,
    request: { method, url, headers: [] },
    response: { status: 0, headers: [] },
    ...extra,
  });
  const U = 'https://b.s3.amazonaws.com/k';

  it('pairs each request with the latest earlier preflight for the same URL and method, one to one', () => {
    const list = [
      preflight(U, 'PUT', '2026-01-01T00:00:00.000Z'),
      preflight(U, 'DELETE', '2026-01-01T00:00:00.500Z'),
      actual(U, 'PUT', '2026-01-01T00:00:01.000Z'),
      actual(U, 'PUT', '2026-01-01T00:00:02.000Z'),
      actual(U, 'DELETE', '2026-01-01T00:00:03.000Z'),
    ];
    const out = harEntriesToExchanges(list);
    expect(out.map((e) => [e.id, e.preflight ? 'paired' : 'alone'])).toEqual([
      ['har-2', 'paired'],
      ['har-3', 'alone'],
      ['har-4', 'paired'],
    ]);
    expect(out[0]!.preflight?.request.headers['access-control-request-method']).toBe('PUT');
  });

  it('never pairs a preflight that started after the request or more than a minute before it', () => {
    const out = harEntriesToExchanges([
      preflight(U, 'PUT', '2026-01-01T00:00:00.000Z'),
      actual(U, 'PUT', '2026-01-01T00:05:00.000Z'),
      actual(U, 'DELETE', '2026-01-01T00:05:00.000Z'),
      preflight(U, 'DELETE', '2026-01-01T00:05:01.000Z'),
    ]);
    const [lonePut, put, del, loneDelete] = out;
    expect([put!.id, del!.id]).toEqual(['har-1', 'har-2']);
    expect(put!.preflight).toBeUndefined();
    expect(del!.preflight).toBeUndefined();
    expect([lonePut!.id, loneDelete!.id]).toEqual(['har-0', 'har-3']);
    expect(lonePut!.gaps?.[0]).toMatch(/^the actual request is not in the HAR/);
  });

  it('prefers the Chromium request-id link when the exporter records it', () => {
    const out = harEntriesToExchanges([
      preflight(U, 'PUT', '2026-01-01T00:00:00.000Z', { _initiator: { type: 'preflight', url: U, requestId: 'r1' } }),
      preflight(U, 'PUT', '2026-01-01T00:00:00.100Z', { _initiator: { type: 'preflight', url: U, requestId: 'r2' } }),
      actual(U, 'PUT', '2026-01-01T00:00:01.000Z', { _requestId: 'r1' }),
      actual(U, 'PUT', '2026-01-01T00:00:01.100Z', { _requestId: 'r2' }),
    ]);
    expect(out.map((e) => e.preflight?.request.method && out.indexOf(e))).toEqual([0, 1]);
  });

  it('turns a preflight whose request is missing into an exchange rebuilt from the preflight', () => {
    const [lone] = harEntriesToExchanges([
      preflight(U, 'PUT', '2026-01-01T00:00:00.000Z', {
        request: {
          method: 'OPTIONS',
          url: U,
          headers: [
            { name: 'Origin', value: 'https://a.example' },
            { name: 'Access-Control-Request-Method', value: 'PUT' },
            { name: 'Access-Control-Request-Headers', value: 'Content-Type, X-Amz-Meta-A' },
          ],
        },
      }),
    ]);
    expect(lone!.request).toEqual({ method: 'PUT', url: U, headers: { 'content-type': '', 'x-amz-meta-a': '', origin: 'https://a.example' } });
    expect(lone!.pageOrigin).toBe('https://a.example');
    expect(lone!.gaps?.[0]).toMatch(/^the actual request is not in the HAR/);
  });

  it('pairs by file order when timestamps are missing', () => {
    const out = harEntriesToExchanges([preflight(U, 'PUT', 'not a date'), actual(U, 'PUT', '')]);
    expect(out).toHaveLength(1);
    expect(out[0]!.preflight).toBeDefined();
  });
});

describe('hostile or broken entries', () => {
  it('skips entries without a request and records missing fields as gaps instead of throwing', () => {
    const out = harEntriesToExchanges([
      null,
      42,
      { request: {} },
      { request: { method: 'GET', url: 'https://b.s3.amazonaws.com/x' } },
    ] as unknown as HarEntry[]);
    expect(out).toHaveLength(1);
    expect(out[0]!.gaps).toEqual(expect.arrayContaining(['request headers are missing', 'response is missing']));
  });

  it('does not let __proto__ or constructor keys reach any prototype', () => {
    const hostile = JSON.parse(
      '{"request": {"method": "GET", "url": "https://x.example/", "headers": [{"name": "__proto__", "value": "polluted"}, {"name": "constructor", "value": "c"}], "__proto__": {"polluted": 1}}, "response": {"status": 200, "headers": [], "__proto__": {"polluted": 2}}, "__proto__": {"polluted": 3}}',
    ) as HarEntry;
    const [exchange] = harEntriesToExchanges([hostile]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(exchange!.request.headers, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(exchange!.request.headers)).toBe(null);
  });

  it('accepts a non-array without throwing', () => {
    expect(harEntriesToExchanges('nope' as unknown as HarEntry[])).toEqual([]);
  });
});

describe('isS3Exchange', () => {
  it('recognises S3 by host, by response headers on a custom domain, and by presigned parameters', () => {
    const base = { id: 'x', source: 'har' as const };
    expect(isS3Exchange({ ...base, request: { method: 'GET', url: 'https://b.s3.eu-west-1.amazonaws.com/k', headers: {} } })).toBe(true);
    expect(
      isS3Exchange({
        ...base,
        request: { method: 'GET', url: 'https://files.example.com/k', headers: {} },
        response: { status: 200, headers: { server: 'AmazonS3' } },
      }),
    ).toBe(true);
    expect(
      isS3Exchange({
        ...base,
        request: { method: 'GET', url: 'https://cdn.example.com/k', headers: {} },
        response: { status: 200, headers: { 'x-amz-cf-id': 'abc' } },
      }),
    ).toBe(true);
    expect(isS3Exchange({ ...base, request: { method: 'PUT', url: 'https://files.example.com/k?X-Amz-Credential=a', headers: {} } })).toBe(true);
    expect(
      isS3Exchange({
        ...base,
        request: { method: 'GET', url: 'https://api.example.com/v1', headers: {} },
        response: { status: 200, headers: { server: 'nginx' } },
      }),
    ).toBe(false);
  });
});

describe('readHarText', () => {
  it('reports a truncated HAR and still gives the complete entries', () => {
    const text = fixture('chrome-put-checksum-header.har');
    const cut = text.slice(0, text.indexOf('"preview"'));
    const read = readHarText(cut);
    expect(read.totalEntries).toBe(3);
    expect(read.gaps[0]).toMatch(/^the HAR file is truncated: 3 complete entries were read/);
    expect(read.exchanges.find((e) => e.request.method === 'PUT')?.gaps?.[0]).toMatch(/truncated/);
  });

  it('rejects JSON that is not a HAR', () => {
    expect(() => readHarText('{"rules": []}')).toThrow('not a HAR: there is no "log" object');
    expect(() => readHarText('{"log": {"version": "1.2"}}')).toThrow('not a HAR: "log" has no "entries" array');
  });

  it('drops non-S3 successes but counts them', () => {
    const read = readHarText(fixture('chrome-put-checksum-header.har'));
    expect(read.totalEntries).toBe(4);
    expect(read.exchanges.map((e) => e.id)).toEqual(['har-2', 'har-3']);
  });
});

describe('readHarText errors', () => {
  it('names the line and column where a text stops being a HAR', () => {
    expect(() => readHarText('{\n  "log": {"entries": [\n    }\n')).toThrow("line 3, column 5: unexpected '}'");
  });
});

describe('pairing with Chromium dates', () => {
  const U = 'https://b.s3.amazonaws.com/k';
  const entry = (method: string, at: string, extra: Partial<HarEntry> = {}): HarEntry => ({
    startedDateTime: at,
    request: { method, url: U, headers: method === 'OPTIONS' ? [{ name: 'Access-Control-Request-Method', value: 'PUT' }] : [] },
    response: { status: method === 'OPTIONS' ? 403 : 0, headers: [] },
    ...extra,
  });

  it('accepts a preflight dated during its request and picks the nearest of two', () => {
    const out = harEntriesToExchanges([
      entry('PUT', '2026-01-01T00:00:00.000Z', { time: 40 }),
      entry('OPTIONS', '2026-01-01T00:00:00.007Z'),
      entry('OPTIONS', '2026-01-01T00:00:00.030Z'),
    ]);
    expect(out[0]!.id).toBe('har-0');
    expect(out[0]!.preflight?.request.method).toBe('OPTIONS');
    expect(out[1]!.id).toBe('har-2');
    expect(out[1]!.gaps?.[0]).toMatch(/^the actual request is not in the HAR/);
  });
});
