import {
  bucketNameProblem,
  bucketRegionProbeUrl,
  getBucketCorsUrl,
  isLoopbackHost,
  maySendSigned,
  signingEndpointOf,
} from '../../../src/core/endpoint/signing.js';

describe('where a signed request may go (issue 11, item 1)', () => {
  it("accepts bucket names by S3's rules for general purpose buckets", () => {
    for (const name of ['abc', 'demo-uploads', 'my.bucket.example', '1249767490', 'a'.repeat(63)]) expect(bucketNameProblem(name)).toBeNull();
    for (const name of [
      'ab',
      'a'.repeat(64),
      'Uploads',
      'my_bucket',
      '-abc',
      'abc-',
      'a..b',
      '192.168.1.1',
      'xn--abc',
      'sthree-x',
      'x-s3alias',
      'x--ol-s3',
      'x.mrap',
      '1249767490#',
      'localhost:4444/',
      '[::1]',
      'a b',
      'a/b',
    ]) {
      expect(bucketNameProblem(name), name).not.toBeNull();
    }
  });

  it('builds the GetBucketCors URL only from a valid name and region', () => {
    expect(getBucketCorsUrl({ bucket: 'bkt', region: 'eu-west-1', endpoint: 'aws' })).toEqual({
      ok: true,
      url: 'https://bkt.s3.eu-west-1.amazonaws.com/?cors',
    });
    expect(getBucketCorsUrl({ bucket: 'a.b.c', region: 'cn-north-1', endpoint: 'aws' })).toEqual({
      ok: true,
      url: 'https://s3.cn-north-1.amazonaws.com/a.b.c?cors',
    });
    expect(getBucketCorsUrl({ bucket: 'bkt', region: 'us-east-1', endpoint: 'http://127.0.0.1:9000', pathPrefix: '/minio' })).toEqual({
      ok: true,
      url: 'http://127.0.0.1:9000/minio/bkt?cors',
    });
    expect(getBucketCorsUrl({ bucket: 'bkt', region: 'evil.example#', endpoint: 'aws' })).toMatchObject({ ok: false });
    expect(getBucketCorsUrl({ bucket: 'bkt', region: 'us-east-1', endpoint: 'http://10.0.0.5:9000' })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('HTTPS only'),
    });
    expect(bucketRegionProbeUrl('bkt')).toBe('https://bkt.s3.amazonaws.com/');
    expect(bucketRegionProbeUrl('1249767490#')).toBeNull();
  });

  it('lets a signed request reach only AWS S3 hosts over HTTPS, or the bound custom origin', () => {
    for (const url of [
      'https://bkt.s3.us-east-1.amazonaws.com/?cors',
      'https://s3.amazonaws.com/a.b?cors',
      'https://s3.dualstack.eu-west-1.amazonaws.com/x',
      'https://s3-us-west-2.amazonaws.com/x',
      'https://s3.cn-north-1.amazonaws.com.cn/x',
    ]) {
      expect(maySendSigned(url, 'aws'), url).toEqual({ ok: true });
    }
    for (const url of [
      'https://74.125.240.66/#.s3.us-east-1.amazonaws.com/?cors',
      'http://bkt.s3.us-east-1.amazonaws.com/',
      'https://bkt.s3.us-east-1.amazonaws.com:8443/',
      'https://evil.example/?x=.s3.amazonaws.com',
      'https://u:p@bkt.s3.us-east-1.amazonaws.com/',
      'https://sts.amazonaws.com/',
      'https://s3.us-east-1.amazonaws.com.evil.example/',
      'https://[::1]/',
    ]) {
      expect(maySendSigned(url, 'aws'), url).toMatchObject({ ok: false });
    }
    expect(maySendSigned('http://127.0.0.1:4568/b?cors', 'http://127.0.0.1:4568')).toEqual({ ok: true });
    expect(maySendSigned('http://[::1]:4568/b?cors', 'http://[::1]:4568')).toEqual({ ok: true });
    expect(maySendSigned('http://127.0.0.1:4569/b?cors', 'http://127.0.0.1:4568')).toMatchObject({ ok: false });
    expect(maySendSigned('http://minio.lan:9000/b?cors', 'http://minio.lan:9000')).toMatchObject({ ok: false, reason: expect.stringContaining('HTTPS only') });
    expect(isLoopbackHost('127.1.2.3')).toBe(true);
    expect(isLoopbackHost('127.0.0.1.evil.example')).toBe(false);
  });

  it('tells AWS endpoints from custom ones by the captured URL', () => {
    expect(signingEndpointOf('https://s3.us-east-1.amazonaws.com/1249767490%23/key')).toBe('aws');
    expect(signingEndpointOf('http://127.0.0.1:4568/demo-uploads/k')).toBe('http://127.0.0.1:4568');
    expect(signingEndpointOf('ftp://x/')).toBeNull();
  });
});
