import fc from 'fast-check';
import { simulateS3, type BucketState } from '../../../src/core/s3/index.js';
import type { CorsRule } from '../../../src/core/policy/types.js';

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'get', ''];
const ORIGINS = ['https://app.example.com', 'http://localhost:3000', 'null', '*', 'https://*.example.com', 'https://App.example.com', ''];
const HEADERS = ['content-type', 'x-amz-date', 'x-amz-*', '*', 'Authorization', 'range', ''];

const ruleArb: fc.Arbitrary<CorsRule> = fc.record(
  {
    id: fc.option(fc.string(), { nil: undefined }),
    allowedOrigins: fc.array(fc.oneof(fc.constantFrom(...ORIGINS), fc.string()), { maxLength: 4 }),
    allowedMethods: fc.array(fc.oneof(fc.constantFrom(...METHODS), fc.string()), { maxLength: 4 }),
    allowedHeaders: fc.array(fc.oneof(fc.constantFrom(...HEADERS), fc.string()), { maxLength: 4 }),
    exposeHeaders: fc.array(fc.string(), { maxLength: 3 }),
    maxAgeSeconds: fc.option(fc.oneof(fc.integer(), fc.double()), { nil: undefined }),
  },
  { requiredKeys: ['allowedOrigins', 'allowedMethods', 'allowedHeaders', 'exposeHeaders'] },
);

const bucketArb: fc.Arbitrary<BucketState> = fc.oneof(
  fc.constant<BucketState>({ kind: 'missing' }),
  fc.record({ kind: fc.constant('no-cors' as const), region: fc.option(fc.constantFrom('us-east-1', 'eu-west-1'), { nil: undefined }) }),
  fc.record({
    kind: fc.constant('cors' as const),
    config: fc.record({ rules: fc.array(ruleArb, { maxLength: 6 }) }),
    region: fc.option(fc.constantFrom('us-east-1', 'eu-west-1'), { nil: undefined }),
  }),
);

const urlArb = fc.oneof(
  fc.constantFrom(
    'https://bucket.s3.us-east-1.amazonaws.com/key',
    'https://bucket.s3.amazonaws.com/',
    'https://s3.amazonaws.com/bucket/a/b',
    'https://s3.eu-west-1.amazonaws.com/',
    'http://b.s3-website-us-east-1.amazonaws.com/x',
    'https://d--use1-az4--x-s3.s3express-use1-az4.us-east-1.amazonaws.com/k',
    'http://127.0.0.1:9000/bucket/k?uploadId=1&partNumber=3',
    'not a url',
    '',
  ),
  fc.webUrl({ withQueryParameters: true }),
  fc.string(),
);

const headerName = fc.oneof(fc.constantFrom('origin', 'access-control-request-method', 'access-control-request-headers', 'referer', 'Origin'), fc.string());
const headerValue = fc.oneof(fc.constantFrom(...ORIGINS, ...METHODS, 'content-type, x-amz-date', ' , ,'), fc.string());
const requestArb = fc.record({
  method: fc.oneof(fc.constantFrom(...METHODS), fc.string()),
  url: urlArb,
  headers: fc.dictionary(headerName, headerValue, { maxKeys: 5 }),
});

const isCorsHeader = (name: string) => name.startsWith('access-control-');

describe('S3 model properties (fast-check)', () => {
  it('simulateS3 never throws on arbitrary method, URL, headers and configuration, and always answers a status', () => {
    fc.assert(
      fc.property(bucketArb, requestArb, (bucket, request) => {
        const r = simulateS3(bucket, request);
        expect(Number.isInteger(r.status)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('simulateS3 never throws on values outside the types (null headers, non-string fields)', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (bucket, request) => {
        simulateS3(bucket as BucketState, request as never);
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic: the same input gives a deep-equal output', () => {
    fc.assert(
      fc.property(bucketArb, requestArb, (bucket, request) => {
        expect(simulateS3(bucket, request)).toEqual(simulateS3(structuredClone(bucket), structuredClone(request)));
      }),
      { numRuns: 300 },
    );
  });

  it('a non-OPTIONS request never changes status because of CORS (S19, S21): its status is the same with no configuration', () => {
    fc.assert(
      fc.property(bucketArb, requestArb, (bucket, request) => {
        fc.pre(request.method !== 'OPTIONS' && bucket.kind === 'cors');
        const withRules = simulateS3(bucket, request);
        const without = simulateS3({ kind: 'no-cors', region: bucket.region }, request);
        expect(withRules.status).toBe(without.status);
      }),
      { numRuns: 300 },
    );
  });

  it('Vary is present iff CORS headers are, and a matched rule is the only source of them (S15, S18, S19)', () => {
    fc.assert(
      fc.property(bucketArb, requestArb, (bucket, request) => {
        const r = simulateS3(bucket, request);
        const hasCors = Object.keys(r.headers).some(isCorsHeader);
        expect('vary' in r.headers).toBe(hasCors);
        expect(hasCors).toBe(r.matchedRule !== null);
        if (r.matchedRule !== null) {
          expect(r.trace.filter((t) => t.used).map((t) => t.rule)).toEqual([r.matchedRule]);
          expect(r.trace.slice(0, r.matchedRule).every((t) => !t.matched)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('an error body is always one parseable S3 error whose code and message match the response (no body for HEAD)', async () => {
    const { parseS3Error } = await import('../../../src/core/s3/index.js');
    fc.assert(
      fc.property(bucketArb, requestArb, (bucket, request) => {
        const r = simulateS3(bucket, request);
        if (r.error === null || request.method === 'HEAD') expect(r.body).toBe('');
        else expect(parseS3Error(r.body)).toMatchObject({ code: r.error.code, message: r.error.message });
      }),
      { numRuns: 300 },
    );
  });
});
