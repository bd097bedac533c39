import { explainRequest, explainRequestDetailed, pageRequestFromExchange, s3ErrorBody } from '../../../src/core/diagnose/index.js';
import type { BucketState } from '../../../src/core/s3/index.js';
import { parsePolicy, type CorsRule } from '../../../src/core/policy/index.js';

const APP = 'https://app.example.com';
const OBJECT = 'https://photos.s3.us-east-1.amazonaws.com/a.jpg';
const uploads: CorsRule = { id: 'uploads', allowedOrigins: [APP], allowedMethods: ['PUT', 'POST'], allowedHeaders: ['content-type'], exposeHeaders: [] };
const bucket: BucketState = { kind: 'cors', config: { rules: [uploads] } };

describe('explainRequest: the explain JSON (issue 3 §4)', () => {
  it('has exactly the documented keys', () => {
    const result = explainRequest({ origin: APP, method: 'GET', url: OBJECT, headers: {} }, bucket);
    expect(Object.keys(result).sort()).toEqual(['actual', 'browser', 'findings', 'fix', 'outcome', 'preflight']);
    expect(Object.keys(result.browser).sort()).toEqual(['blockedAt', 'corsError', 'messages']);
    for (const finding of result.findings) expect(Object.keys(finding).sort()).toEqual(['code', 'detail', 'message', 'rule', 'severity']);
  });

  it("blocked at the preflight: the S3 answer, Chromium reason, both browsers' messages and a verified fix", () => {
    const result = explainRequest(
      { origin: APP, method: 'PUT', url: OBJECT, headers: { 'content-type': 'image/jpeg', 'x-amz-checksum-crc32': 'AAAA' } },
      bucket,
      { fixFormat: 'xml' },
    );
    expect(result.outcome).toBe('blocked');
    expect(result.preflight?.needed).toBe(true);
    expect(result.preflight?.request.headers['access-control-request-headers']).toBe('content-type,x-amz-checksum-crc32');
    expect(result.preflight?.response.status).toBe(403);
    expect(result.actual).toBeNull();
    expect(result.browser.blockedAt).toBe('preflight');
    expect(result.browser.corsError).toBe('PreflightMissingAllowOriginHeader');
    expect(result.browser.messages?.chrome).toContain("Response to preflight request doesn't pass access control check");
    expect(result.browser.messages?.firefox).toContain('Cross-Origin Request Blocked');
    expect(result.findings[0]).toMatchObject({ code: 'HEADERS_NOT_ALLOWED', severity: 'error', rule: 0 });
    expect(result.fix?.config).toEqual([
      { ID: 'uploads', AllowedHeaders: ['content-type', 'x-amz-checksum-crc32'], AllowedMethods: ['PUT', 'POST'], AllowedOrigins: [APP] },
    ]);
    expect(result.fix?.rendered).toContain('<AllowedHeader>x-amz-checksum-crc32</AllowedHeader>');
    expect(result.fix?.changes).toEqual([expect.objectContaining({ kind: 'add-header', value: 'x-amz-checksum-crc32' })]);
  });

  it('allowed: no fix, no browser failure', () => {
    const result = explainRequest({ origin: APP, method: 'PUT', url: OBJECT, headers: { 'content-type': 'image/jpeg' } }, bucket);
    expect(result).toMatchObject({ outcome: 'allowed', browser: { blockedAt: null, corsError: null, messages: null }, fix: null });
    expect(result.actual?.response.headers['access-control-allow-origin']).toBe(APP);
  });

  it('allowed, but ETag unreadable after a part upload: a finding and an expose fix', () => {
    const result = explainRequest({ origin: APP, method: 'PUT', url: `${OBJECT}?partNumber=1&uploadId=u`, headers: {} }, bucket);
    expect(result.outcome).toBe('allowed');
    expect(result.findings.map((f) => f.code)).toEqual(['HEADER_NOT_EXPOSED']);
    expect(result.fix?.config?.[0]?.ExposeHeaders).toEqual(['ETag']);
  });

  it('with no configuration (S6): NO_CORS_CONFIG and the smallest new rule', () => {
    const result = explainRequest({ origin: APP, method: 'DELETE', url: OBJECT, headers: {} }, { kind: 'no-cors' });
    expect(result.findings[0]?.code).toBe('NO_CORS_CONFIG');
    expect(result.fix?.config).toEqual([{ AllowedMethods: ['DELETE'], AllowedOrigins: [APP] }]);
  });

  it('a region redirect is explained as not a rule problem, with advice instead of a configuration', () => {
    const result = explainRequest({ origin: APP, method: 'PUT', url: OBJECT, headers: { 'content-type': 'image/jpeg' } }, bucket, {
      bucketRegion: 'eu-west-1',
    });
    expect(result.outcome).toBe('blocked');
    expect(result.findings[0]?.code).toBe('PREFLIGHT_REDIRECT');
    expect(result.findings[0]?.message).toContain('https://photos.s3.eu-west-1.amazonaws.com');
    expect(result.fix).toMatchObject({ config: null });
    expect(result.fix?.rendered).toContain('photos.s3.eu-west-1.amazonaws.com');
  });
});

describe('explain fixes, re-verified end to end', () => {
  const reads: CorsRule = { id: 'reads', allowedOrigins: [APP], allowedMethods: ['GET', 'HEAD'], allowedHeaders: [], exposeHeaders: [] };
  const cases: Array<[string, Parameters<typeof explainRequest>[0], BucketState]> = [
    ['missing header', { origin: APP, method: 'PUT', url: OBJECT, headers: { 'content-type': 'image/jpeg', 'x-amz-checksum-crc32': 'AAAA' } }, bucket],
    [
      'missing origin',
      { origin: 'https://staging.example.com', method: 'GET', url: OBJECT, headers: {} },
      { kind: 'cors', config: { rules: [reads, uploads] } },
    ],
    ['ETag not exposed', { origin: APP, method: 'PUT', url: `${OBJECT}?partNumber=1&uploadId=u`, headers: {} }, bucket],
    ['missing method', { origin: APP, method: 'DELETE', url: OBJECT, headers: {} }, { kind: 'cors', config: { rules: [reads] } }],
    ['no configuration', { origin: APP, method: 'PUT', url: OBJECT, headers: { 'content-type': 'text/plain', 'x-amz-meta-a': '1' } }, { kind: 'no-cors' }],
    [
      'credentials with *',
      { origin: APP, method: 'GET', url: OBJECT, headers: {}, credentials: 'include' },
      { kind: 'cors', config: { rules: [{ ...reads, allowedOrigins: ['*'] }] } },
    ],
  ];
  it.each(cases)('%s: the printed configuration, read back as a user would paste it, makes the request pass', (_name, request, state) => {
    const before = explainRequest(request, state);
    expect(before.findings.some((f) => f.severity === 'error')).toBe(true);
    const pasted = parsePolicy(JSON.stringify(before.fix!.config)).config;
    const after = explainRequest(request, { kind: 'cors', config: pasted });
    expect(after.outcome).toBe('allowed');
    expect(after.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(after.fix).toBeNull();
  });
});

describe('explainRequest: an observed preflight answer and a forced preflight', () => {
  const put = { origin: APP, method: 'PUT', url: OBJECT, headers: { 'content-type': 'image/jpeg' } };

  it('an observed 403 SignatureDoesNotMatch preflight from R2 is diagnosed as the recorded preflight is: blocked, a provider quirk, no config fix', () => {
    const r2 = { ...put, url: 'https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com/photos/a.jpg' };
    expect(explainRequest(r2, bucket).outcome).toBe('allowed');
    const result = explainRequest(r2, bucket, {
      observedPreflight: { status: 403, headers: { server: 'cloudflare' }, body: s3ErrorBody('SignatureDoesNotMatch') },
    });
    expect([result.outcome, result.browser.blockedAt, result.actual]).toEqual(['blocked', 'preflight', null]);
    expect(result.findings.map((f) => f.code)).toContain('PROVIDER_QUIRK');
    expect(result.fix?.config ?? null).toBeNull();
  });

  it('an observed preflight that passes where the model refuses it: the actual request is sent and answered by the model', () => {
    const noCors: BucketState = { kind: 'no-cors' };
    expect(explainRequest(put, noCors).actual).toBeNull();
    const result = explainRequest(put, noCors, {
      observedPreflight: {
        status: 200,
        headers: { 'access-control-allow-origin': APP, 'access-control-allow-methods': 'PUT', 'access-control-allow-headers': 'content-type' },
      },
    });
    expect(result.browser.blockedAt).not.toBe('preflight');
    expect(result.actual?.request.method).toBe('PUT');
  });

  it('an observed preflight of a request that needs none by its method and headers means the page forced it', () => {
    const post = { origin: APP, method: 'POST', url: OBJECT, headers: { 'content-type': 'multipart/form-data; boundary=x' } };
    const result = explainRequest(
      post,
      { kind: 'no-cors' },
      { observedPreflight: { status: 403, body: s3ErrorBody('AccessForbidden', 'CORSResponse: CORS is not enabled for this bucket.') } },
    );
    expect(result.preflight?.request.headers['access-control-request-method']).toBe('POST');
    expect([result.outcome, result.findings.map((f) => f.code)]).toEqual(['blocked', ['NO_CORS_CONFIG']]);
    // The same, said with the flag: the model plans the preflight itself.
    expect(explainRequest({ ...post, useCorsPreflight: true }, { kind: 'no-cors' }).findings.map((f) => f.code)).toEqual(['NO_CORS_CONFIG']);
  });
});

describe('pageRequestFromExchange: a recorded preflight of an otherwise simple request', () => {
  it('sets the use-CORS-preflight flag, and only then', () => {
    const request = { method: 'POST', url: OBJECT, headers: { origin: APP, 'content-type': 'multipart/form-data; boundary=x' } };
    const preflight = { request: { method: 'OPTIONS', url: OBJECT, headers: { origin: APP, 'access-control-request-method': 'POST' } } };
    expect(pageRequestFromExchange({ id: 'a', source: 'har', request, preflight })?.useCorsPreflight).toBe(true);
    expect(pageRequestFromExchange({ id: 'b', source: 'har', request })?.useCorsPreflight).toBeUndefined();
    const put = { method: 'PUT', url: OBJECT, headers: { origin: APP } };
    expect(pageRequestFromExchange({ id: 'c', source: 'har', request: put, preflight })?.useCorsPreflight).toBeUndefined();
  });
});

describe('explainRequest: an empty-body CRC32 in a presigned PUT URL, by store', () => {
  const query =
    'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20260612%2Fauto%2Fs3%2Faws4_request&X-Amz-Date=20260612T100000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=content-type%3Bhost&x-amz-checksum-crc32=AAAAAA%3D%3D&x-amz-sdk-checksum-algorithm=CRC32&X-Amz-Signature=abc';
  const putTo = (host: string) => ({ origin: APP, method: 'PUT', url: `https://${host}/photos/a.jpg?${query}`, headers: { 'content-type': 'image/jpeg' } });
  const codes = (r: ReturnType<typeof explainRequestDetailed>) => r.result.findings.map((f) => f.code);

  it('R2 answers the rejection without CORS headers: the browser blocks it, and the advice is still the SDK setting', () => {
    const r2 = explainRequestDetailed(putTo('0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com'), bucket);
    expect([r2.result.outcome, r2.diagnosis.outcome, r2.result.browser.blockedAt, r2.result.browser.corsError, r2.result.actual]).toEqual([
      'blocked',
      'blocked',
      'actual',
      'MissingAllowOriginHeader',
      null,
    ]);
    expect(codes(r2)).toEqual(['SDK_CHECKSUM_HEADERS']);
    expect(r2.result.fix?.config).toBeNull();
    expect(r2.result.fix?.rendered).toContain('WHEN_REQUIRED');
  });

  it('AWS adds CORS headers to the BadDigest answer when a rule matches: the page sees it, failed (not CORS)', () => {
    const aws = explainRequestDetailed(putTo('photos.s3.us-east-1.amazonaws.com'), bucket);
    expect([aws.result.outcome, aws.diagnosis.outcome, aws.result.browser.blockedAt]).toEqual(['allowed', 'failed-not-cors', null]);
    expect(codes(aws)).toEqual(['SDK_CHECKSUM_HEADERS']);
  });

  it('on R2, an observed error answer decides: one carrying CORS headers is seen by the page', () => {
    const seen = explainRequestDetailed(putTo('0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com'), bucket, {
      observed: { status: 400, headers: { 'access-control-allow-origin': APP }, body: s3ErrorBody('BadDigest') },
    });
    expect(seen.diagnosis.outcome).toBe('failed-not-cors');
    expect(seen.diagnosis.findings.some((f) => f.answerLacksCors)).toBe(false);
  });
});

describe('SDK_CHECKSUM_HEADERS: an observed rejection without CORS headers is blocked on any store', () => {
  it('AWS, 400 BadDigest seen without Access-Control-Allow-Origin: the browser refused it', () => {
    const url =
      'https://photos.s3.us-east-1.amazonaws.com/a.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20260612%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260612T100000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&x-amz-checksum-crc32=AAAAAA%3D%3D&X-Amz-Signature=abc';
    const r = explainRequestDetailed({ origin: APP, method: 'PUT', url, headers: { 'content-type': 'image/jpeg' } }, bucket, {
      observed: { status: 400, headers: { server: 'AmazonS3' }, body: s3ErrorBody('BadDigest') },
    });
    expect([r.result.outcome, r.diagnosis.outcome]).toEqual(['blocked', 'blocked']);
    expect(r.result.findings[0]?.code).toBe('SDK_CHECKSUM_HEADERS');
  });
});

describe('OPTIONS_IN_ALLOWED_METHODS: an error where the store refuses it, a note on s3rver, which accepted it', () => {
  const withOptions: BucketState = {
    kind: 'cors',
    config: { rules: [{ allowedOrigins: ['*'], allowedMethods: ['GET', 'PUT', 'OPTIONS'], allowedHeaders: ['authorization'], exposeHeaders: [] }] },
  };
  const severityAt = (url: string, observed?: { status: number; headers: Record<string, string> }) =>
    explainRequestDetailed(
      { origin: 'http://localhost:8888', method: 'GET', url, headers: {} },
      withOptions,
      observed ? { observed } : {},
    ).diagnosis.findings.find((f) => f.code === 'OPTIONS_IN_ALLOWED_METHODS')?.severity;

  it("on s3rver's default ports (4568, 4569) it is only a note", () => {
    expect(severityAt('http://localhost:4569/example/key')).toBe('info');
    expect(severityAt('http://127.0.0.1:4568/example/key')).toBe('info');
  });
  it('on AWS, a bare localhost, another port, or a port whose server says it is something else, it stays an error', () => {
    expect(severityAt('https://photos.s3.us-east-1.amazonaws.com/a.jpg')).toBe('error');
    expect(severityAt('http://localhost/example/key')).toBe('error');
    expect(severityAt('http://localhost:8080/example/key')).toBe('error');
    expect(severityAt('http://localhost:4569/example/key', { status: 200, headers: { server: 'MinIO' } })).toBe('error');
  });
});
