import { parseS3Url } from '../../src/core/endpoint/index.js';
import { corsUrl, fetchBucketCors, resolveRegion, type FetchLike } from '../../src/platform/policy-fetch.js';

const credentials = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret-example-key' };

function fakeFetch(answer: (url: string, init: { method: string; headers: Headers }) => Response) {
  const calls: Array<{ url: string; method: string; authorization: string | null }> = [];
  const impl: FetchLike = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    calls.push({ url: request.url, method: request.method, authorization: request.headers.get('authorization') });
    return answer(request.url, { method: request.method, headers: request.headers });
  };
  return { impl, calls };
}

describe('GetBucketCors', () => {
  it('addresses AWS virtual-hosted, dotted buckets path-style, and custom endpoints path-style', () => {
    expect(corsUrl({ bucket: 'bkt', requestUrl: 'https://bkt.s3.amazonaws.com/k' }, 'eu-west-1')).toBe('https://bkt.s3.eu-west-1.amazonaws.com/?cors');
    expect(corsUrl({ bucket: 'aa.bb', requestUrl: 'https://s3.amazonaws.com/aa.bb/k' }, 'us-east-2')).toBe('https://s3.us-east-2.amazonaws.com/aa.bb?cors');
    expect(corsUrl({ bucket: 'demo-uploads', requestUrl: 'http://127.0.0.1:4568/demo-uploads/k' }, 'us-east-1')).toBe(
      'http://127.0.0.1:4568/demo-uploads?cors',
    );
  });

  it('resolves the region from the host, else from x-amz-bucket-region on a HEAD (S31)', async () => {
    expect(await resolveRegion({ bucket: 'bkt', requestUrl: 'https://bkt.s3.ap-south-1.amazonaws.com/k' })).toBe('ap-south-1');
    const { impl, calls } = fakeFetch(() => new Response(null, { status: 403, headers: { 'x-amz-bucket-region': 'eu-central-1' } }));
    expect(await resolveRegion({ bucket: 'bkt', requestUrl: 'https://bkt.s3.amazonaws.com/k' }, impl)).toBe('eu-central-1');
    expect(calls[0]).toMatchObject({ method: 'HEAD', url: 'https://bkt.s3.amazonaws.com/', authorization: null });
  });

  it('signs the request with SigV4 and returns the configuration XML', async () => {
    const xml = '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>';
    const { impl, calls } = fakeFetch(() => new Response(xml, { status: 200 }));
    const result = await fetchBucketCors({ bucket: 'bkt', requestUrl: 'https://bkt.s3.eu-west-1.amazonaws.com/k' }, credentials, impl);
    expect(result).toEqual({ kind: 'config', bucket: 'bkt', region: 'eu-west-1', xml });
    expect(calls[0]!.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request/);
  });

  it('maps NoSuchCORSConfiguration to "no configuration" (S25)', async () => {
    const { impl } = fakeFetch(
      () => new Response('<Error><Code>NoSuchCORSConfiguration</Code><Message>The CORS configuration does not exist</Message></Error>', { status: 404 }),
    );
    expect(await fetchBucketCors({ bucket: 'bkt', requestUrl: 'https://bkt.s3.eu-west-1.amazonaws.com/k' }, credentials, impl)).toEqual({
      kind: 'none-configured',
      bucket: 'bkt',
      region: 'eu-west-1',
    });
  });

  it('maps AccessDenied to the missing s3:GetBucketCORS permission, and never echoes the secret', async () => {
    const { impl } = fakeFetch(() => new Response('<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>', { status: 403 }));
    const result = await fetchBucketCors({ bucket: 'bkt', requestUrl: 'https://bkt.s3.eu-west-1.amazonaws.com/k' }, credentials, impl);
    expect(result).toEqual({ kind: 'error', bucket: 'bkt', message: 'AccessDenied: this key lacks s3:GetBucketCORS on the bucket' });
    expect(JSON.stringify(result)).not.toContain(credentials.secretAccessKey);
  });

  it('follows a region redirect once, to the region S3 names', async () => {
    const { impl, calls } = fakeFetch((url) =>
      url.includes('us-east-1')
        ? new Response('<Error><Code>PermanentRedirect</Code></Error>', { status: 301, headers: { 'x-amz-bucket-region': 'eu-west-3' } })
        : new Response('<CORSConfiguration/>', { status: 200 }),
    );
    const result = await fetchBucketCors({ bucket: 'bkt', requestUrl: 'https://bkt.s3.amazonaws.com/k', region: 'us-east-1' }, credentials, impl);
    expect(result).toMatchObject({ kind: 'config', region: 'eu-west-3' });
    expect(calls.map((c) => c.url)).toEqual(['https://bkt.s3.us-east-1.amazonaws.com/?cors', 'https://bkt.s3.eu-west-3.amazonaws.com/?cors']);
  });

  it('follows at most two region redirects', async () => {
    const regions = ['eu-west-3', 'ap-south-1', 'us-west-2', 'eu-west-1'];
    const { impl, calls } = fakeFetch(
      () => new Response('<Error><Code>PermanentRedirect</Code></Error>', { status: 301, headers: { 'x-amz-bucket-region': regions[calls.length - 1]! } }),
    );
    const result = await fetchBucketCors({ bucket: 'bkt', requestUrl: 'https://bkt.s3.amazonaws.com/k', region: 'us-east-1' }, credentials, impl);
    expect(result).toEqual({ kind: 'error', bucket: 'bkt', message: 'GetBucketCors was redirected more than 2 times' });
    expect(calls).toHaveLength(3);
  });

  it('never puts a redirect region that is not a region into a host', async () => {
    const { impl, calls } = fakeFetch(() => new Response('', { status: 301, headers: { 'x-amz-bucket-region': 'evil.example#' } }));
    const result = await fetchBucketCors({ bucket: 'bkt', requestUrl: 'https://bkt.s3.amazonaws.com/k', region: 'us-east-1' }, credentials, impl);
    expect(result).toMatchObject({ kind: 'error' });
    expect(calls.map((c) => new URL(c.url).host)).toEqual(['bkt.s3.us-east-1.amazonaws.com']);
  });

  it('signs nothing over plain http except to a loopback host', async () => {
    const { impl, calls } = fakeFetch(() => new Response('<CORSConfiguration/>', { status: 200 }));
    expect(await fetchBucketCors({ bucket: 'uploads', requestUrl: 'http://minio.example:9000/uploads/k' }, credentials, impl)).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('HTTPS only'),
    });
    expect(calls).toEqual([]);
    expect(await fetchBucketCors({ bucket: 'uploads', requestUrl: 'http://127.0.0.1:9000/uploads/k' }, credentials, impl)).toMatchObject({ kind: 'config' });
    expect(await fetchBucketCors({ bucket: 'uploads', requestUrl: 'https://minio.example:9000/uploads/k' }, credentials, impl)).toMatchObject({
      kind: 'config',
    });
    expect(calls.map((c) => c.url)).toEqual(['http://127.0.0.1:9000/uploads?cors', 'https://minio.example:9000/uploads?cors']);
  });

  it('signs only for the endpoint the credentials are bound to, and asks the host check about the URL actually fetched', async () => {
    const { impl, calls } = fakeFetch(() => new Response('<CORSConfiguration/>', { status: 200 }));
    const custom = { bucket: 'uploads', requestUrl: 'https://evil.example/uploads/k' };
    expect(await fetchBucketCors(custom, credentials, impl, { endpoint: 'aws' })).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('entered for AWS S3'),
    });
    const asked: string[] = [];
    const hostCovers = async (url: string) => (asked.push(url), url.startsWith('https://bkt.s3.us-east-1.'));
    const moved = fakeFetch(() => new Response('', { status: 301, headers: { 'x-amz-bucket-region': 'eu-west-1' } }));
    expect(
      await fetchBucketCors({ bucket: 'bkt', requestUrl: 'https://bkt.s3.amazonaws.com/k', region: 'us-east-1' }, credentials, moved.impl, {
        endpoint: 'aws',
        hostCovers,
      }),
    ).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('needs access to bkt.s3.eu-west-1.amazonaws.com'),
    });
    expect(asked).toEqual([
      'https://bkt.s3.us-east-1.amazonaws.com/?cors',
      'https://bkt.s3.eu-west-1.amazonaws.com/?cors',
      'https://s3.eu-west-1.amazonaws.com/bkt?cors',
    ]);
    expect(calls).toEqual([]);
    // A path-style capture grants s3.<region>…: the fetch goes path-style there rather than to an ungranted host.
    const ok = fakeFetch(() => new Response('<CORSConfiguration/>', { status: 200 }));
    const regional = async (url: string) => url.startsWith('https://s3.eu-west-1.amazonaws.com/');
    expect(
      await fetchBucketCors({ bucket: 'bkt', requestUrl: 'https://s3.eu-west-1.amazonaws.com/bkt/k' }, credentials, ok.impl, { hostCovers: regional }),
    ).toMatchObject({ kind: 'config' });
    expect(ok.calls.map((c) => c.url)).toEqual(['https://s3.eu-west-1.amazonaws.com/bkt?cors']);
  });

  // Issue 11, item 1: a bucket name read from a captured URL chosen by the inspected page must never pick the host
  // that receives the signed request. Each URL goes through the same reading as the panel (parseS3Url) and the fetch.
  describe('hostile captured URLs', () => {
    const hostile = [
      'https://s3.us-east-1.amazonaws.com/1249767490%23/key', // -> https://74.125.240.66/#.s3… before the fix
      'https://s3.us-east-1.amazonaws.com/2130706433%3A4444%23/key', // -> https://127.0.0.1:4444/
      'https://s3.us-east-1.amazonaws.com/localhost:4444%2F/key', // -> https://localhost:4444/.s3…
      'https://s3.us-east-1.amazonaws.com/evil%40attacker.example%2F/key', // user@host
      'https://s3.us-east-1.amazonaws.com/%5B::1%5D:4444%2F/key', // IPv6 literal
      'https://s3.us-east-1.amazonaws.com/%5B::1%5D/key',
      'https://s3.us-east-1.amazonaws.com/Uploads/key', // uppercase (legacy names refused)
      'https://s3.us-east-1.amazonaws.com/my_bucket/key', // underscore
      `https://s3.us-east-1.amazonaws.com/${'a'.repeat(64)}/key`, // too long
      'https://s3.us-east-1.amazonaws.com/192.168.1.1/key', // IP-shaped
      'https://s3.us-east-1.amazonaws.com/10.0.0.1:443%2F/key',
    ];
    for (const url of hostile) {
      it(`fetches nothing for ${url}`, async () => {
        const info = parseS3Url(url);
        const location = { bucket: info.bucket ?? '', requestUrl: url, ...(info.region ? { region: info.region } : {}) };
        const { impl, calls } = fakeFetch(() => new Response('<CORSConfiguration/>', { status: 200 }));
        const result = await fetchBucketCors(location, credentials, impl);
        expect(result).toMatchObject({ kind: 'error', message: expect.stringContaining('not fetched') });
        expect(calls).toEqual([]);
        expect(() => corsUrl(location, 'us-east-1')).toThrow('is not a bucket name');
      });
    }

    it('keeps every URL it does fetch on an AWS S3 host (property)', async () => {
      const fc = await import('fast-check');
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }), async (name) => {
          const url = `https://s3.us-east-1.amazonaws.com/${encodeURIComponent(name)}/key`;
          const info = parseS3Url(url);
          const { impl, calls } = fakeFetch(() => new Response('<CORSConfiguration/>', { status: 200 }));
          await fetchBucketCors({ bucket: info.bucket ?? name, requestUrl: url, region: 'us-east-1' }, credentials, impl);
          for (const call of calls) expect(new URL(call.url).hostname).toMatch(/^([a-z0-9-]{3,63}\.)?s3\.us-east-1\.amazonaws\.com$/);
        }),
        { numRuns: 500 },
      );
    });
  });
});
