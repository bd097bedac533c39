/**
 * HAR evidence read as the browser recorded it: the outcome is what the browser did (a refused CORS check is
 * `blocked`, whatever the cause), and the causes are found from Chromium-shaped entries (a refused preflight, a
 * refused answer, an earlier no-cors load or visit whose stored answer was reused, an emulator that ignores its
 * stored configuration). Through the HAR reader and the triage, as `har` runs them.
 */
import { readHarText } from '../../../src/core/har/index.js';
import type { BucketState } from '../../../src/core/s3/index.js';
import { triageExchanges, type TriagedRequest } from '../../../src/core/triage/index.js';

type Headers = Record<string, string>;
interface Answer {
  status: number;
  headers?: Headers;
  body?: string;
}

const START = Date.parse('2026-11-28T08:00:00.000Z');

function entry(at: number, resourceType: string, method: string, url: string, headers: Headers, answer: Answer | null, error: string | null = null) {
  const response = answer ?? { status: 0, headers: {} };
  return {
    _initiator: { type: resourceType === 'preflight' ? 'preflight' : resourceType === 'document' ? 'other' : 'script' },
    _resourceType: resourceType,
    request: { method, url, httpVersion: 'http/1.1', headers: Object.entries(headers).map(([name, value]) => ({ name, value })), queryString: [] },
    response: {
      status: response.status,
      statusText: '',
      httpVersion: answer ? 'http/1.1' : '',
      headers: Object.entries(response.headers ?? {}).map(([name, value]) => ({ name, value })),
      content: {
        size: response.body?.length ?? 0,
        mimeType: response.body ? 'application/xml' : 'x-unknown',
        ...(response.body ? { text: response.body } : {}),
      },
      redirectURL: '',
      _error: error,
    },
    startedDateTime: new Date(START + at * 1000).toISOString(),
    time: 10,
    timings: { blocked: 1, send: 0, wait: 8, receive: 1 },
  };
}

function triage(entries: object[], bucket?: BucketState): TriagedRequest[] {
  const har = { log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries } };
  const read = readHarText(JSON.stringify(har));
  return triageExchanges(read.exchanges, { totalEntries: read.totalEntries, bucketState: () => bucket }).requests;
}

const errorsAndWarnings = (request: TriagedRequest) => request.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.code);

const s3Error = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>0</RequestId></Error>`;

const allowing = (origin: string, methods: string[]): BucketState => ({
  kind: 'cors',
  config: { rules: [{ allowedOrigins: [origin], allowedMethods: methods, allowedHeaders: ['*'], exposeHeaders: [] }] },
});

describe('a cause outside CORS whose answer the browser refused is blocked, not failed-not-cors', () => {
  it("the service endpoint's preflight refused 403 AccessForbidden: blocked, SERVICE_ENDPOINT_NO_CORS, no configuration fix", () => {
    const url = 'https://s3.eu-central-1.amazonaws.com/';
    const origin = 'http://localhost:8080';
    const requests = triage([
      entry(
        1,
        'preflight',
        'OPTIONS',
        url,
        { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization,x-amz-date', 'Sec-Fetch-Mode': 'cors' },
        { status: 403, headers: { 'Content-Type': 'application/xml' }, body: s3Error('AccessForbidden', 'CORSResponse: This CORS request is not allowed.') },
      ),
      entry(2, 'fetch', 'GET', url, { Authorization: 'AWS4-HMAC-SHA256 …', 'x-amz-date': '20261128T080000Z', Referer: `${origin}/` }, null, 'net::ERR_FAILED'),
    ]);
    const get = requests.find((r) => r.method === 'GET')!;
    expect(get.outcome).toBe('blocked');
    expect(errorsAndWarnings(get)).toEqual(['SERVICE_ENDPOINT_NO_CORS']);
    expect(get.fix?.config ?? null).toBeNull();
    expect(get.verdict).toMatch(/^Blocked/);
  });

  it('a PUT answered 400 InvalidArgument without Access-Control-Allow-Origin (R2, expiry over a week): blocked, NOT_CORS_REQUEST_EXPIRED', () => {
    const url =
      'https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=x%2F20261128%2Fauto%2Fs3%2Faws4_request&X-Amz-Date=20261128T075900Z&X-Amz-Expires=864000&X-Amz-SignedHeaders=host&X-Amz-Signature=00';
    const origin = 'https://cloud.example.com';
    const requests = triage(
      [
        entry(
          1,
          'preflight',
          'OPTIONS',
          url,
          { Origin: origin, 'Access-Control-Request-Method': 'PUT', 'Sec-Fetch-Mode': 'cors' },
          { status: 200, headers: { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Methods': 'PUT', Vary: 'Origin' } },
        ),
        entry(
          2,
          'fetch',
          'PUT',
          url,
          { Origin: origin, 'Content-Type': 'application/octet-stream', 'Sec-Fetch-Mode': 'cors' },
          {
            status: 400,
            headers: { Server: 'cloudflare', 'Content-Type': 'application/xml' },
            body: s3Error('InvalidArgument', 'X-Amz-Expires must be less than a week'),
          },
          'net::ERR_FAILED',
        ),
      ],
      allowing(origin, ['GET', 'PUT']),
    );
    const put = requests.find((r) => r.method === 'PUT')!;
    expect(put.outcome).toBe('blocked');
    expect(errorsAndWarnings(put)).toEqual(['NOT_CORS_REQUEST_EXPIRED']);
    expect(put.fix?.config ?? null).toBeNull();
  });

  it('the same error answered with Access-Control-Allow-Origin (the page read it) stays failed-not-cors', () => {
    const url =
      'https://b.s3.us-east-1.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=x%2F20261128%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261128T075900Z&X-Amz-Expires=864000&X-Amz-SignedHeaders=host&X-Amz-Signature=00';
    const origin = 'https://cloud.example.com';
    const requests = triage(
      [
        entry(
          2,
          'fetch',
          'PUT',
          url,
          { Origin: origin, 'Content-Type': 'text/plain', 'Sec-Fetch-Mode': 'cors' },
          {
            status: 400,
            headers: { Server: 'AmazonS3', 'Access-Control-Allow-Origin': origin, Vary: 'Origin', 'Content-Type': 'application/xml' },
            body: s3Error('AuthorizationQueryParametersError', 'X-Amz-Expires must be less than a week (in seconds)'),
          },
        ),
      ],
      allowing(origin, ['PUT']),
    );
    expect(requests[0]!.outcome).toBe('failed-not-cors');
    expect(errorsAndWarnings(requests[0]!)[0]).toBe('NOT_CORS_REQUEST_EXPIRED');
  });

  it('a network failure (no CORS check ran) stays failed-not-cors', () => {
    const requests = triage([
      entry(2, 'fetch', 'GET', 'https://my.bucket.s3.amazonaws.com/k', { Referer: 'https://app.example.com/' }, null, 'net::ERR_CERT_COMMON_NAME_INVALID'),
    ]);
    expect(requests[0]!.outcome).toBe('failed-not-cors');
  });
});

describe('a fetch served from the stored answer of an earlier no-cors load of the same URL', () => {
  const url = 'https://example-attachments.s3.us-east-1.amazonaws.com/uploads/photo.png';
  const origin = 'https://app.chatwoot.com';
  const image = (headers: Headers, status = 200) =>
    entry(0, 'image', 'GET', url, { Referer: `${origin}/`, 'Sec-Fetch-Mode': 'no-cors', 'Sec-Fetch-Dest': 'image' }, { status, headers });
  const refusedFetch = entry(2, 'fetch', 'GET', url, { Referer: `${origin}/` }, null, 'net::ERR_FAILED');
  const fetchOf = (requests: TriagedRequest[]) => requests.filter((r) => r.method === 'GET').at(-1)!;
  const S3_IMAGE = { 'Content-Type': 'image/png', Server: 'AmazonS3', ETag: '"1b2cf535f27731c974343645a3985328"' };

  it('a 200 without Cache-Control, Expires or Last-Modified is still stored and reused: CACHED_RESPONSE_WITHOUT_CORS', () => {
    const fetch = fetchOf(triage([image(S3_IMAGE), refusedFetch], allowing(origin, ['GET', 'HEAD'])));
    expect(fetch.outcome).toBe('blocked');
    expect(errorsAndWarnings(fetch)).toEqual(['CACHED_RESPONSE_WITHOUT_CORS']);
    expect(fetch.fix?.config ?? null).toBeNull();
  });

  it.each([
    ['Cache-Control: no-store', { ...S3_IMAGE, 'Cache-Control': 'no-store' }, 200],
    ['Vary: Origin', { ...S3_IMAGE, Vary: 'Origin' }, 200],
    ['a 404', S3_IMAGE, 404],
  ])('not when the earlier answer cannot be reused (%s)', (_label, headers, status) => {
    const fetch = fetchOf(triage([image(headers, status), refusedFetch], allowing(origin, ['GET', 'HEAD'])));
    expect(errorsAndWarnings(fetch)).not.toContain('CACHED_RESPONSE_WITHOUT_CORS');
  });

  it('an earlier visit of the URL in the tab (a document load) fills the cache as well; the finding says the cache is partitioned by site', () => {
    const css = 'https://addons-amo.cdn.mozilla.net/amo-1e82033f757cb2138991a4cf400ee756.css';
    const page = 'https://addons.mozilla.org';
    const visit = entry(
      0,
      'document',
      'GET',
      css,
      { 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document' },
      {
        status: 200,
        headers: {
          'Cache-Control': 'max-age=315360000, immutable',
          Server: 'AmazonS3',
          Vary: 'Accept-Encoding',
          Via: '1.1 c31d49af55fff364fbd11e21a32f7fcb.cloudfront.net (CloudFront)',
          'X-Cache': 'Hit from cloudfront',
          'Content-Type': 'text/css',
        },
      },
    );
    // Chromium records the refused load with provisional headers only (no Origin), as the corpus builds it.
    const stylesheet = entry(2, 'fetch', 'GET', css, { Referer: `${page}/` }, null, 'net::ERR_FAILED');
    const requests = triage([visit, stylesheet], allowing(page, ['GET']));
    const load = requests.find((r) => r.id === 'har-1')!;
    expect(load.outcome).toBe('blocked');
    expect(errorsAndWarnings(load)).toEqual(['CACHED_RESPONSE_WITHOUT_CORS']);
    const finding = load.findings.find((f) => f.code === 'CACHED_RESPONSE_WITHOUT_CORS')!;
    expect(finding.evidence.join('\n')).toMatch(/document/);
    expect(finding.detail).toMatch(/top-level site/);
    // The visit itself sent no Origin: an answer without CORS headers is what S3 gives it, not a CDN fault.
    const visitRequest = requests.find((r) => r.id === 'har-0')!;
    expect(visitRequest.outcome).not.toBe('blocked');
    expect(errorsAndWarnings(visitRequest)).toEqual([]);
  });

  it('the no-cors load through CloudFront is not blamed on the CDN (it sent no Origin, so no CORS headers are due)', () => {
    const viaCloudFront = { ...S3_IMAGE, Via: '1.1 0123456789abcdef.cloudfront.net (CloudFront)', 'X-Cache': 'Miss from cloudfront' };
    const requests = triage([image(viaCloudFront), refusedFetch], allowing(origin, ['GET', 'HEAD']));
    const load = requests.find((r) => r.id === 'har-0')!;
    expect(errorsAndWarnings(load)).toEqual([]);
    expect(errorsAndWarnings(fetchOf(requests))).toContain('CACHED_RESPONSE_WITHOUT_CORS');
  });
});

describe('an emulator that stores the CORS configuration but never applies it', () => {
  const preflightWithoutCors = (url: string, origin: string, status: number) => [
    entry(
      1,
      'preflight',
      'OPTIONS',
      url,
      { Origin: origin, 'Access-Control-Request-Method': 'PUT', 'Sec-Fetch-Mode': 'cors' },
      { status, headers: { 'Content-Length': '0' } },
    ),
    entry(2, 'fetch', 'PUT', url, { 'Content-Type': 'text/plain', Referer: `${origin}/` }, null, 'net::ERR_FAILED'),
  ];

  it('not for MinIO, whose refusal is a 204 without CORS headers (one server-wide setting, not the bucket rules)', () => {
    const requests = triage(preflightWithoutCors('http://localhost:9000/test/some-key', 'http://localhost:3000', 204), allowing('*', ['GET', 'PUT']));
    const put = requests.find((r) => r.method === 'PUT')!;
    expect(put.findings.filter((f) => f.code === 'PROVIDER_QUIRK' && f.severity === 'error')).toEqual([]);
  });

  it('a preflight answered 200 without any CORS header, where the given configuration allows the request: PROVIDER_QUIRK', () => {
    const url = 'http://localhost:4566/test/some-key';
    const origin = 'http://localhost:3000';
    const requests = triage(
      [
        entry(
          1,
          'preflight',
          'OPTIONS',
          url,
          { Origin: origin, 'Access-Control-Request-Method': 'PUT', 'Sec-Fetch-Mode': 'cors' },
          { status: 200, headers: { 'Content-Length': '0' } },
        ),
        entry(2, 'fetch', 'PUT', url, { 'Content-Type': 'text/plain', Referer: `${origin}/` }, null, 'net::ERR_FAILED'),
      ],
      { kind: 'cors', config: { rules: [{ allowedOrigins: ['*'], allowedMethods: ['GET', 'PUT'], allowedHeaders: ['*'], exposeHeaders: ['ETag'] }] } },
    );
    const put = requests.find((r) => r.method === 'PUT')!;
    expect(put.outcome).toBe('blocked');
    expect(errorsAndWarnings(put)).toContain('PROVIDER_QUIRK');
    expect(put.fix?.config ?? null).toBeNull();
  });
});
