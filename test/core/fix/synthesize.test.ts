import { synthesizePolicy, configLetsRequestPass } from '../../../src/core/fix/index.js';
import type { PageRequest } from '../../../src/core/fetch/index.js';
import type { ObservedExchange } from '../../../src/core/evidence/types.js';

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';
const BUCKET = 'https://photos.s3.us-east-1.amazonaws.com';

const get = (origin: string, key: string): PageRequest => ({ origin, method: 'GET', url: `${BUCKET}/${key}`, headers: {} });
const traffic: PageRequest[] = [
  get(APP, 'a.jpg'),
  { origin: APP, method: 'HEAD', url: `${BUCKET}/a.jpg`, headers: {} },
  { origin: APP, method: 'POST', url: `${BUCKET}/big.bin?uploads`, headers: { 'content-type': 'application/octet-stream' } },
  { origin: APP, method: 'PUT', url: `${BUCKET}/big.bin?partNumber=1&uploadId=u1`, headers: { 'content-type': 'application/octet-stream' } },
  {
    origin: APP,
    method: 'PUT',
    url: `${BUCKET}/big.bin?partNumber=2&uploadId=u1`,
    headers: { 'Content-Type': 'application/octet-stream', 'X-Amz-Checksum-Crc32': 'AAAA' },
  },
  get(ADMIN, 'b.jpg'),
  { origin: ADMIN, method: 'HEAD', url: `${BUCKET}/b.jpg`, headers: {} },
  { origin: ADMIN, method: 'DELETE', url: `${BUCKET}/b.jpg`, headers: {} },
];

describe('synthesizePolicy: least privilege from traffic', () => {
  const policy = synthesizePolicy(traffic);

  it('lets every request pass, verified through both models', () => {
    expect(policy.verified).toBe(true);
    expect(policy.failures).toEqual([]);
  });

  it('uses exact origins, only the methods seen, lower-cased headers, and merges methods of one origin only when they need the same headers', () => {
    expect(policy.config.rules).toEqual([
      { allowedOrigins: [ADMIN], allowedMethods: ['GET', 'DELETE', 'HEAD'], allowedHeaders: [], exposeHeaders: [] },
      { allowedOrigins: [APP], allowedMethods: ['GET', 'HEAD'], allowedHeaders: [], exposeHeaders: [] },
      { allowedOrigins: [APP], allowedMethods: ['POST'], allowedHeaders: ['content-type'], exposeHeaders: [] },
      { allowedOrigins: [APP], allowedMethods: ['PUT'], allowedHeaders: ['content-type', 'x-amz-checksum-crc32'], exposeHeaders: ['ETag'] },
    ]);
  });

  it('shares a rule between origins only when methods, headers and exposure are all equal', () => {
    const result = synthesizePolicy([
      get(APP, 'a.jpg'),
      get(ADMIN, 'b.jpg'),
      { origin: ADMIN, method: 'GET', url: `${BUCKET}/c.jpg`, headers: { range: 'bytes=0-1' } },
    ]);
    expect(result.config.rules).toEqual([{ allowedOrigins: [ADMIN, APP], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [] }]);
  });

  it('allows no request header to a method that never sent it (GET gets no content-type)', () => {
    const reads = policy.config.rules.find((r) => r.allowedMethods.includes('GET'))!;
    expect(reads.allowedHeaders).toEqual([]);
    const denied: PageRequest = { origin: APP, method: 'GET', url: `${BUCKET}/a.jpg`, headers: { 'x-custom': '1' } };
    expect(configLetsRequestPass(policy.config, denied, [])).toBe(false);
  });

  it('explains each rule, naming ETag for multipart', () => {
    expect(policy.rules).toHaveLength(4);
    expect(policy.rules[3]!.purpose).toContain("exposes ETag because each multipart part's ETag must be read");
    expect(policy.rules[0]!.purpose).toBe('Lets https://admin.example.com read and delete objects with GET, DELETE, HEAD.');
    expect(policy.rules[1]!.requests).toEqual([0, 1]);
  });

  it('skips requests CORS does not apply to, and methods S3 cannot allow, saying why', () => {
    const result = synthesizePolicy([
      { origin: BUCKET, method: 'GET', url: `${BUCKET}/same.jpg`, headers: {} },
      { origin: APP, method: 'PATCH', url: `${BUCKET}/x`, headers: {} },
      get(APP, 'a.jpg'),
    ]);
    expect(result.skipped).toEqual([
      { request: 0, reason: 'same-origin request: CORS does not apply' },
      { request: 1, reason: 'S3 CORS cannot allow the method PATCH' },
    ]);
    expect(result.config.rules).toHaveLength(1);
  });

  it('accepts captured exchanges (browser-added headers are not author headers)', () => {
    const exchange: ObservedExchange = {
      id: 'e1',
      source: 'har',
      request: {
        method: 'PUT',
        url: `${BUCKET}/c.txt`,
        headers: { origin: APP, 'content-type': 'text/plain', 'user-agent': 'x', 'sec-fetch-mode': 'cors', referer: `${APP}/` },
      },
      preflight: {
        request: {
          method: 'OPTIONS',
          url: `${BUCKET}/c.txt`,
          headers: { origin: APP, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
        },
      },
    };
    const result = synthesizePolicy([exchange]);
    expect(result.config.rules).toEqual([{ allowedOrigins: [APP], allowedMethods: ['PUT'], allowedHeaders: [], exposeHeaders: [] }]);
    expect(result.verified).toBe(true);
  });

  it('is not verified when there is nothing to allow', () => {
    expect(synthesizePolicy([]).verified).toBe(false);
  });
});
