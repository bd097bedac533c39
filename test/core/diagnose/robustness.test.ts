import fc from 'fast-check';
import { diagnose } from '../../../src/core/diagnose/index.js';
import type { ObservedExchange } from '../../../src/core/evidence/types.js';
import type { BucketState } from '../../../src/core/s3/index.js';

const headerName = fc.constantFrom(
  'origin',
  'content-type',
  'x-amz-checksum-crc32',
  'access-control-allow-origin',
  'vary',
  'x-cache',
  'age',
  'server',
  'x-amz-request-id',
  'etag',
  'Access-Control-Expose-Headers',
  'cookie',
);
const headers = fc.dictionary(
  headerName,
  fc.oneof(fc.string(), fc.constantFrom('*', 'https://app.example.com', 'Hit from cloudfront', 'AmazonS3', '0', '100')),
);
const url = fc.oneof(
  fc.constantFrom(
    'https://photos.s3.us-east-1.amazonaws.com/a.jpg',
    'https://photos.s3.us-east-1.amazonaws.com/big?partNumber=1&uploadId=u',
    'https://s3.us-east-1.amazonaws.com/',
    'http://localhost:9000/b/k',
    'https://a.b.s3.amazonaws.com/k?X-Amz-Date=20260101T000000Z&X-Amz-Expires=99999999&x-amz-checksum-crc32=AAAAAA%3D%3D',
    'https://b.s3.us-east-1.amazonaws.com/k?x-amz-checksum-crc32=%E0%A4%A&X-Amz-Expires=%ZZ',
    'not a url',
    '',
  ),
  fc.webUrl(),
);
const response = fc.record({
  status: fc.integer({ min: 0, max: 599 }),
  headers,
  body: fc.option(fc.oneof(fc.string(), fc.constant('<Error><Code>AccessForbidden</Code><Message>CORSResponse: Bucket not found</Message></Error>')), {
    nil: undefined,
  }),
});
const exchange: fc.Arbitrary<ObservedExchange> = fc.record(
  {
    id: fc.string(),
    source: fc.constantFrom<ObservedExchange['source']>('devtools', 'webrequest', 'har', 'cli', 'probe', 'fixture'),
    pageOrigin: fc.oneof(fc.constant('https://app.example.com'), fc.string()),
    startedAt: fc.oneof(fc.constant('2026-11-28T08:00:00Z'), fc.string()),
    credentials: fc.constantFrom<'omit' | 'same-origin' | 'include'>('omit', 'same-origin', 'include'),
    request: fc.record({ method: fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'weird method'), url, headers }),
    response,
    preflight: fc.record({ request: fc.record({ method: fc.constant('OPTIONS'), url, headers }), response }, { requiredKeys: ['request'] }),
    error: fc.constantFrom('net::ERR_FAILED', 'net::ERR_CONNECTION_REFUSED', 'NS_ERROR_DOM_BAD_URI', 'net::ERR_CERT_DATE_INVALID'),
    corsError: fc.record({ corsError: fc.string(), failedParameter: fc.string() }, { requiredKeys: ['corsError'] }),
    fromCache: fc.constantFrom<'memory' | 'disk' | boolean>('memory', 'disk', true, false),
    consoleMessage: fc.string(),
  },
  { requiredKeys: ['id', 'source', 'request'] },
);
const bucket: fc.Arbitrary<BucketState | undefined> = fc.constantFrom(
  undefined,
  { kind: 'missing' },
  { kind: 'no-cors' },
  {
    kind: 'cors',
    config: {
      rules: [
        { allowedOrigins: ['*'], allowedMethods: ['GET', 'OPTIONS'], allowedHeaders: ['*'], exposeHeaders: [] },
        { id: 'x', allowedOrigins: ['https://app.example.com/'], allowedMethods: ['PUT'], allowedHeaders: [], exposeHeaders: ['ETag'] },
      ],
    },
  },
);

describe('diagnose on arbitrary evidence', () => {
  it('never throws, and always returns an outcome, a verdict and well-formed findings', () => {
    fc.assert(
      fc.property(exchange, bucket, (ex, state) => {
        const diagnosis = diagnose(ex, state ? { bucket: state } : {});
        expect(['allowed', 'blocked', 'failed-not-cors', 'unknown']).toContain(diagnosis.outcome);
        expect(diagnosis.verdict.length).toBeGreaterThan(0);
        for (const finding of diagnosis.findings) expect(['error', 'warning', 'info']).toContain(finding.severity);
      }),
      { numRuns: 300 },
    );
    // Budget: 300 arbitrary exchanges (bounded by numRuns), each a full diagnosis with a proposed fix and its access
    // delta (~4 ms a case, a quarter of it the access delta; the slowest cases ~25–100 ms while code is still cold).
    // Measured 1.1 s alone and 2.3 s with the machine busy; it exceeded Vitest's 5 s default on a loaded 2-core CI machine. 30 s leaves
    // over 5× headroom over that, so only a hang or a pathological case fails it.
  }, 30_000);
});
