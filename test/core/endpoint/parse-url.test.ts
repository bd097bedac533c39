import fc from 'fast-check';
import { parseS3Url, detectProvider } from '../../../src/core/endpoint/index.js';

const pick = (url: string, method?: string) => {
  const r = parseS3Url(url, method);
  return { provider: r.provider, style: r.style, bucket: r.bucket, key: r.key, region: r.region };
};

describe('parseS3Url — AWS endpoint styles', () => {
  it.each([
    ['https://bucket.s3.us-east-1.amazonaws.com/a/b.txt', { provider: 'aws', style: 'virtual-hosted', bucket: 'bucket', key: 'a/b.txt', region: 'us-east-1' }],
    ['https://bucket.s3-eu-west-1.amazonaws.com/k', { provider: 'aws', style: 'virtual-hosted', bucket: 'bucket', key: 'k', region: 'eu-west-1' }],
    ['https://bucket.s3.amazonaws.com/k', { provider: 'aws', style: 'virtual-hosted', bucket: 'bucket', key: 'k', region: null }],
    [
      'https://my.dotted.bucket.s3.us-west-2.amazonaws.com/',
      { provider: 'aws', style: 'virtual-hosted', bucket: 'my.dotted.bucket', key: '', region: 'us-west-2' },
    ],
    ['https://s3.us-west-2.amazonaws.com/bucket/dir/file', { provider: 'aws', style: 'path', bucket: 'bucket', key: 'dir/file', region: 'us-west-2' }],
    ['https://s3.amazonaws.com/bucket', { provider: 'aws', style: 'path', bucket: 'bucket', key: '', region: null }],
    ['https://s3-external-1.amazonaws.com/bucket/k', { provider: 'aws', style: 'path', bucket: 'bucket', key: 'k', region: 'us-east-1' }],
    ['https://s3.eu-central-1.amazonaws.com/', { provider: 'aws', style: 'service', bucket: null, key: null, region: 'eu-central-1' }],
    ['https://s3.amazonaws.com/', { provider: 'aws', style: 'service', bucket: null, key: null, region: null }],
    [
      'http://site.s3-website-us-east-1.amazonaws.com/index.html',
      { provider: 'aws', style: 'website', bucket: 'site', key: 'index.html', region: 'us-east-1' },
    ],
    ['http://site.s3-website.eu-central-1.amazonaws.com/', { provider: 'aws', style: 'website', bucket: 'site', key: '', region: 'eu-central-1' }],
    ['https://bucket.s3-accelerate.amazonaws.com/k', { provider: 'aws', style: 'accelerate', bucket: 'bucket', key: 'k', region: null }],
    ['https://bucket.s3-accelerate.dualstack.amazonaws.com/k', { provider: 'aws', style: 'accelerate', bucket: 'bucket', key: 'k', region: null }],
    [
      'https://ap-123456789012.s3-accesspoint.us-east-1.amazonaws.com/k',
      { provider: 'aws', style: 'access-point', bucket: 'ap-123456789012', key: 'k', region: 'us-east-1' },
    ],
    [
      'https://my-ap-hrzrlukc5m36ft7okagglf3gmwluquse1a-s3alias.s3.us-east-1.amazonaws.com/k',
      { provider: 'aws', style: 'access-point', bucket: 'my-ap-hrzrlukc5m36ft7okagglf3gmwluquse1a-s3alias', key: 'k', region: 'us-east-1' },
    ],
    [
      'https://olap-123456789012.s3-object-lambda.us-west-2.amazonaws.com/k',
      { provider: 'aws', style: 'object-lambda', bucket: 'olap-123456789012', key: 'k', region: 'us-west-2' },
    ],
    ['https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/k', { provider: 'aws', style: 'mrap', bucket: 'mfzwi23gnjvgw', key: 'k', region: null }],
    [
      'https://data--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com/k',
      { provider: 'aws', style: 'directory-bucket', bucket: 'data--usw2-az1--x-s3', key: 'k', region: 'us-west-2' },
    ],
    ['https://bucket.s3.cn-north-1.amazonaws.com.cn/k', { provider: 'aws', style: 'virtual-hosted', bucket: 'bucket', key: 'k', region: 'cn-north-1' }],
    [
      'https://bucket.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com/k',
      { provider: 'aws', style: 'virtual-hosted', bucket: 'bucket', key: 'k', region: 'us-east-1' },
    ],
    [
      'https://vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com/bucket/k',
      { provider: 'aws', style: 'path', bucket: 'bucket', key: 'k', region: 'us-east-1' },
    ],
  ])('%s', (url, expected) => {
    expect(pick(url)).toEqual(expected);
  });

  it('reads dual-stack and FIPS endpoints and flags them', () => {
    const dual = parseS3Url('https://bucket.s3.dualstack.eu-west-1.amazonaws.com/k');
    expect([dual.style, dual.region, dual.dualstack, dual.fips]).toEqual(['virtual-hosted', 'eu-west-1', true, false]);
    const fips = parseS3Url('https://bucket.s3-fips.us-gov-west-1.amazonaws.com/k');
    expect([fips.style, fips.region, fips.fips]).toEqual(['virtual-hosted', 'us-gov-west-1', true]);
    const both = parseS3Url('https://s3-fips.dualstack.us-east-1.amazonaws.com/bucket/k');
    expect([both.style, both.bucket, both.dualstack, both.fips]).toEqual(['path', 'bucket', true, true]);
  });

  it('marks the legacy global endpoint', () => {
    expect(parseS3Url('https://bucket.s3.amazonaws.com/').globalEndpoint).toBe(true);
    expect(parseS3Url('https://bucket.s3.us-east-1.amazonaws.com/').globalEndpoint).toBe(false);
  });

  it('decodes the key (percent-escapes, spaces, unicode) but leaves a malformed escape as written', () => {
    expect(parseS3Url('https://b.s3.us-east-1.amazonaws.com/my%20file%2Bv2/%E2%9C%93.txt').key).toBe('my file+v2/✓.txt');
    expect(parseS3Url('https://b.s3.us-east-1.amazonaws.com/bad%E2').key).toBe('bad%E2');
  });
});

describe('parseS3Url — query: presigned URLs, multipart, sub-resources', () => {
  const v4 =
    'https://b.s3.eu-west-1.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20250131%2Feu-west-1%2Fs3%2Faws4_request' +
    '&X-Amz-Date=20250131T235900Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=content-type%3Bhost&X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLE' +
    '&x-amz-checksum-crc32=AAAAAA%3D%3D&x-amz-sdk-checksum-algorithm=CRC32&X-Amz-Signature=deadbeef';

  it('reads SigV4 parameters: credential region and date, signing time, expiry, signed headers, token presence, checksums', () => {
    expect(parseS3Url(v4).presign).toEqual({
      version: 'v4',
      region: 'eu-west-1',
      credentialDate: '2025-01-31',
      signedAt: '2025-01-31T23:59:00.000Z',
      expiresSeconds: 3600,
      expiresAt: '2025-02-01T00:59:00.000Z',
      signedHeaders: ['content-type', 'host'],
      checksum: { 'x-amz-checksum-crc32': 'AAAAAA==', 'x-amz-sdk-checksum-algorithm': 'CRC32' },
      hasSecurityToken: true,
    });
  });

  it('never echoes credentials, signatures or tokens in the url it returns', () => {
    const { url } = parseS3Url(v4);
    expect(url).not.toMatch(/AKIAIOSFODNN7EXAMPLE|deadbeef|FQoGZXIvYXdzEXAMPLE/);
    expect(url).toContain('X-Amz-Signature=REDACTED');
    expect(url).toContain('X-Amz-Credential=AKIAREDACTED%2F20250131%2Feu-west-1%2Fs3%2Faws4_request');
    const v2 = parseS3Url('https://b.s3.amazonaws.com/k?AWSAccessKeyId=AKIDV2&Expires=1700000000&Signature=c2lnbmF0dXJl');
    expect(v2.url).not.toMatch(/AKIDV2|c2lnbmF0dXJl/);
  });

  it('reads SigV2 parameters (AWSAccessKeyId, Expires, Signature)', () => {
    expect(parseS3Url('https://b.s3.amazonaws.com/k?AWSAccessKeyId=AKID&Expires=1700000000&Signature=abc').presign).toEqual({
      version: 'v2',
      signedHeaders: [],
      checksum: {},
      hasSecurityToken: false,
      expiresAt: '2023-11-14T22:13:20.000Z',
    });
  });

  it('reads GCS V4 signing parameters (X-Goog-*)', () => {
    const p = parseS3Url(
      'https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40p.iam.gserviceaccount.com%2F20250101%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20250101T000000Z&X-Goog-Expires=600&X-Goog-SignedHeaders=host&X-Goog-Signature=ff',
    );
    expect(p.provider).toBe('gcs');
    expect(p.presign).toMatchObject({ version: 'v4', region: 'auto', expiresAt: '2025-01-01T00:10:00.000Z' });
  });

  it('reads multipart markers, with the method deciding what uploadId alone means', () => {
    const base = 'https://b.s3.us-east-1.amazonaws.com/big.bin';
    expect(parseS3Url(`${base}?uploads`, 'POST').multipart).toEqual({ kind: 'create' });
    expect(parseS3Url(`${base}?partNumber=3&uploadId=abc`, 'PUT').multipart).toEqual({ kind: 'upload-part', uploadId: 'abc', partNumber: 3 });
    expect(parseS3Url(`${base}?uploadId=abc`, 'POST').multipart).toEqual({ kind: 'complete', uploadId: 'abc' });
    expect(parseS3Url(`${base}?uploadId=abc`, 'DELETE').multipart).toEqual({ kind: 'abort', uploadId: 'abc' });
    expect(parseS3Url(`${base}?uploadId=abc`, 'GET').multipart).toEqual({ kind: 'list-parts', uploadId: 'abc' });
    expect(parseS3Url(`${base}?uploadId=abc`).multipart).toEqual({ kind: 'complete', uploadId: 'abc' });
    expect(parseS3Url(`${base}?partNumber=2`, 'GET').multipart).toBeNull();
  });

  it('lists sub-resources in query order', () => {
    expect(parseS3Url('https://b.s3.us-east-1.amazonaws.com/?cors').subresources).toEqual(['cors']);
    expect(parseS3Url('https://b.s3.us-east-1.amazonaws.com/k?versionId=1&acl&x=1').subresources).toEqual(['versionId', 'acl']);
  });
});

describe('parseS3Url — S3-compatible providers and local emulators', () => {
  it.each([
    ['https://acct123.r2.cloudflarestorage.com/b/k', { provider: 'r2', style: 'path', bucket: 'b', key: 'k', region: 'auto' }],
    ['https://b.acct123.r2.cloudflarestorage.com/k', { provider: 'r2', style: 'virtual-hosted', bucket: 'b', key: 'k', region: 'auto' }],
    ['https://b.acct123.eu.r2.cloudflarestorage.com/k', { provider: 'r2', style: 'virtual-hosted', bucket: 'b', key: 'k', region: 'auto' }],
    ['https://storage.googleapis.com/b/k', { provider: 'gcs', style: 'path', bucket: 'b', key: 'k', region: null }],
    ['https://b.storage.googleapis.com/k', { provider: 'gcs', style: 'virtual-hosted', bucket: 'b', key: 'k', region: null }],
    ['https://nyc3.digitaloceanspaces.com/b/k', { provider: 'digitalocean', style: 'path', bucket: 'b', key: 'k', region: 'nyc3' }],
    ['https://b.nyc3.digitaloceanspaces.com/k', { provider: 'digitalocean', style: 'virtual-hosted', bucket: 'b', key: 'k', region: 'nyc3' }],
    ['https://s3.us-west-004.backblazeb2.com/b/k', { provider: 'b2', style: 'path', bucket: 'b', key: 'k', region: 'us-west-004' }],
    ['https://b.s3.us-west-004.backblazeb2.com/k', { provider: 'b2', style: 'virtual-hosted', bucket: 'b', key: 'k', region: 'us-west-004' }],
    ['https://s3.eu-central-1.wasabisys.com/b/k', { provider: 'wasabi', style: 'path', bucket: 'b', key: 'k', region: 'eu-central-1' }],
    ['https://fsn1.your-objectstorage.com/b/k', { provider: 'ceph', style: 'path', bucket: 'b', key: 'k', region: 'fsn1' }],
    ['https://b.fsn1.your-objectstorage.com/k', { provider: 'ceph', style: 'virtual-hosted', bucket: 'b', key: 'k', region: 'fsn1' }],
    ['http://localhost:9000/b/k', { provider: 'minio', style: 'path', bucket: 'b', key: 'k', region: null }],
    ['http://localhost:4566/b/k', { provider: 'localstack', style: 'path', bucket: 'b', key: 'k', region: null }],
    ['http://b.s3.localhost.localstack.cloud:4566/k', { provider: 'localstack', style: 'virtual-hosted', bucket: 'b', key: 'k', region: null }],
    ['http://localhost:4569/b/k', { provider: 's3rver', style: 'path', bucket: 'b', key: 'k', region: null }],
  ])('%s', (url, expected) => {
    const r = parseS3Url(url);
    expect(pick(url)).toEqual(expected);
    expect(r.isS3).toBe(true);
  });

  it('reads other loopback servers path-style but does not claim they are S3', () => {
    const r = parseS3Url('http://127.0.0.1:8080/bucket/key');
    expect([r.isS3, r.style, r.bucket, r.key]).toEqual([false, 'path', 'bucket', 'key']);
    const v = parseS3Url('http://bucket.localhost:8080/key');
    expect([r.isS3, v.style, v.bucket, v.key]).toEqual([false, 'virtual-hosted', 'bucket', 'key']);
  });

  it('a custom domain is not S3 as far as the URL can tell', () => {
    expect(pick('https://cdn.example.com/img/a.png')).toEqual({ provider: 'unknown', style: 'custom', bucket: null, key: null, region: null });
  });

  it('never throws on garbage: isS3 false', () => {
    for (const garbage of ['', 'garbage', 'http://', '://x', 'javascript:alert(1)', 'ftp://b.s3.amazonaws.com/k', '\u0000', 'x'.repeat(100_000)]) {
      expect(parseS3Url(garbage).isS3).toBe(false);
    }
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string(), { nil: undefined }), (text, method) => {
        parseS3Url(text, method);
        detectProvider(text, { server: text });
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        parseS3Url(url);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts a scheme-less host/path as https', () => {
    expect(pick('bucket.s3.us-east-1.amazonaws.com/k')).toMatchObject({ provider: 'aws', bucket: 'bucket', key: 'k' });
  });
});

describe('detectProvider', () => {
  it('names the provider from the host, with notes where its CORS departs from AWS', () => {
    expect(detectProvider('https://bucket.s3.us-east-1.amazonaws.com/k')).toEqual({ id: 'aws', name: 'Amazon S3', notes: [] });
    for (const [url, id] of [
      ['https://a.r2.cloudflarestorage.com/b/k', 'r2'],
      ['https://storage.googleapis.com/b', 'gcs'],
      ['https://nyc3.digitaloceanspaces.com/b', 'digitalocean'],
      ['https://s3.us-west-004.backblazeb2.com/b', 'b2'],
      ['https://s3.wasabisys.com/b', 'wasabi'],
      ['http://localhost:9000/b', 'minio'],
      ['http://localhost:4566/b', 'localstack'],
      ['http://localhost:4569/b', 's3rver'],
      ['https://fsn1.your-objectstorage.com/b', 'ceph'],
    ] as const) {
      const info = detectProvider(url);
      expect(info.id, url).toBe(id);
      expect(info.notes.length, url).toBeGreaterThan(0);
    }
  });

  it('MinIO notes say it has no per-bucket CORS; Ceph notes say AccessDenied and no fall-through (spec §7)', () => {
    expect(detectProvider('http://localhost:9000/b').notes.join(' ')).toMatch(/no per-bucket CORS/);
    expect(detectProvider('https://fsn1.your-objectstorage.com/b').notes.join(' ')).toMatch(/AccessDenied.*|no fall-through/);
  });

  it('uses response headers for custom domains and unrecognised ports', () => {
    expect(detectProvider('https://files.example.com/k', { server: 'MinIO' }).id).toBe('minio');
    expect(detectProvider('https://files.example.com/k', { 'cf-ray': '8a1b2c3d4e5f-AMS' }).id).toBe('r2');
    expect(detectProvider('https://files.example.com/k', { 'x-goog-generation': '1' }).id).toBe('gcs');
    expect(detectProvider('https://files.example.com/k', { server: 'AmazonS3' }).id).toBe('aws');
    expect(detectProvider('https://files.example.com/k', { 'x-amz-request-id': 'tx00000a1b2c3d4e5f6a7b8-0065a1b2c3-1234-default' }).id).toBe('ceph');
    expect(detectProvider('http://127.0.0.1:8080/b/k', { server: 'MinIO' }).id).toBe('minio');
    expect(detectProvider('http://localhost:9000/b', { server: 'Ceph Object Gateway' }).id).toBe('ceph');
    expect(detectProvider('https://files.example.com/k').id).toBe('unknown');
  });

  it('names OVHcloud with its PutBucketCors and checksum notes', () => {
    expect(detectProvider('https://b.s3.gra.io.cloud.ovh.net/k')).toMatchObject({ id: 'unknown', name: 'OVHcloud Object Storage' });
  });
});
