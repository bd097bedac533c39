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
    expect(corsUrl({ bucket: 'b', requestUrl: 'https://b.s3.amazonaws.com/k' }, 'eu-west-1')).toBe('https://b.s3.eu-west-1.amazonaws.com/?cors');
    expect(corsUrl({ bucket: 'a.b', requestUrl: 'https://s3.amazonaws.com/a.b/k' }, 'us-east-2')).toBe('https://s3.us-east-2.amazonaws.com/a.b?cors');
    expect(corsUrl({ bucket: 'demo-uploads', requestUrl: 'http://127.0.0.1:4568/demo-uploads/k' }, 'us-east-1')).toBe('http://127.0.0.1:4568/demo-uploads?cors');
  });

  it("resolves the region from the host, else from x-amz-bucket-region on a HEAD (S31)", async () => {
    expect(await resolveRegion({ bucket: 'b', requestUrl: 'https://b.s3.ap-south-1.amazonaws.com/k' })).toBe('ap-south-1');
    const { impl, calls } = fakeFetch(() => new Response(null, { status: 403, headers: { 'x-amz-bucket-region': 'eu-central-1' } }));
    expect(await resolveRegion({ bucket: 'b', requestUrl: 'https://b.s3.amazonaws.com/k' }, impl)).toBe('eu-central-1');
    expect(calls[0]).toMatchObject({ method: 'HEAD', url: 'https://b.s3.amazonaws.com/', authorization: null });
  });

  it('signs the request with SigV4 and returns the configuration XML', async () => {
    const xml = '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>';
    const { impl, calls } = fakeFetch(() => new Response(xml, { status: 200 }));
    const result = await fetchBucketCors({ bucket: 'b', requestUrl: 'https://b.s3.eu-west-1.amazonaws.com/k' }, credentials, impl);
    expect(result).toEqual({ kind: 'config', bucket: 'b', region: 'eu-west-1', xml });
    expect(calls[0]!.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request/);
  });

  it('maps NoSuchCORSConfiguration to "no configuration" (S25)', async () => {
    const { impl } = fakeFetch(() => new Response('<Error><Code>NoSuchCORSConfiguration</Code><Message>The CORS configuration does not exist</Message></Error>', { status: 404 }));
    expect(await fetchBucketCors({ bucket: 'b', requestUrl: 'https://b.s3.eu-west-1.amazonaws.com/k' }, credentials, impl)).toEqual({
      kind: 'none-configured',
      bucket: 'b',
      region: 'eu-west-1',
    });
  });

  it('maps AccessDenied to the missing s3:GetBucketCORS permission, and never echoes the secret', async () => {
    const { impl } = fakeFetch(() => new Response('<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>', { status: 403 }));
    const result = await fetchBucketCors({ bucket: 'b', requestUrl: 'https://b.s3.eu-west-1.amazonaws.com/k' }, credentials, impl);
    expect(result).toEqual({ kind: 'error', bucket: 'b', message: 'AccessDenied: this key lacks s3:GetBucketCORS on the bucket' });
    expect(JSON.stringify(result)).not.toContain(credentials.secretAccessKey);
  });

  it('follows a region redirect once, to the region S3 names', async () => {
    const { impl, calls } = fakeFetch((url) =>
      url.includes('us-east-1')
        ? new Response('<Error><Code>PermanentRedirect</Code></Error>', { status: 301, headers: { 'x-amz-bucket-region': 'eu-west-3' } })
        : new Response('<CORSConfiguration/>', { status: 200 }),
    );
    const result = await fetchBucketCors({ bucket: 'b', requestUrl: 'https://b.s3.amazonaws.com/k', region: 'us-east-1' }, credentials, impl);
    expect(result).toMatchObject({ kind: 'config', region: 'eu-west-3' });
    expect(calls.map((c) => c.url)).toEqual(['https://b.s3.us-east-1.amazonaws.com/?cors', 'https://b.s3.eu-west-3.amazonaws.com/?cors']);
  });
});
