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
