/**
 * The CLI's `s3://` path under the same rules as the extension (issue 11, item 1): S3 bucket names and regions
 * before anything goes into a host, HTTPS except loopback, AWS S3 or exactly --endpoint, at most two redirects.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchBucketCors, parseS3Spec } from '../../src/cli/s3-config.js';
import type { CliIO } from '../../src/cli/io.js';

const io = { env: { AWS_ACCESS_KEY_ID: 'AKIACLITEST', AWS_SECRET_ACCESS_KEY: 'cli-secret' } } as unknown as CliIO;

async function fakeS3(answer: (scope: string, requests: number) => { status: number; headers?: Record<string, string>; body?: string }) {
  const scopes: string[] = [];
  const server: Server = createServer((req, res) => {
    const scope = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(String(req.headers.authorization))?.[1] ?? 'none';
    scopes.push(scope);
    const { status, headers = {}, body = '' } = answer(scope, scopes.length);
    res.writeHead(status, headers).end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, scopes, close: () => (server.closeAllConnections(), server.close()) };
}

describe('s3:// in the CLI', () => {
  it("refuses bucket names outside S3's rules before anything is sent", () => {
    for (const spec of ['s3://Uploads', 's3://my_bucket', `s3://${'a'.repeat(64)}`, 's3://192.168.1.1', 's3://1249767490#', 's3://ab', 's3://a..b']) {
      expect(() => parseS3Spec(spec), spec).toThrow('is not s3://<bucket>');
    }
    expect(parseS3Spec('s3://my.bucket-1/')).toBe('my.bucket-1');
  });

  it('signs nothing over plain http except to this computer, and nothing with a malformed region', async () => {
    await expect(fetchBucketCors('uploads', io, { endpoint: 'http://10.0.0.5:9000' })).rejects.toThrow('HTTPS only');
    await expect(fetchBucketCors('uploads', io, { region: 'evil.example#' })).rejects.toThrow('is not a region');
    await expect(fetchBucketCors('Uploads', io, { region: 'us-east-1' })).rejects.toThrow('lowercase');
  });

  it('follows at most two region redirects', async () => {
    const regions = ['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-north-1'];
    const fake = await fakeS3((_scope, n) => ({
      status: 301,
      headers: { 'x-amz-bucket-region': regions[n - 1]! },
      body: '<Error><Code>PermanentRedirect</Code></Error>',
    }));
    try {
      await expect(fetchBucketCors('uploads', io, { endpoint: fake.endpoint })).rejects.toThrow('redirected more than 2 times');
      expect(fake.scopes).toEqual(['us-east-1', 'eu-west-1', 'eu-west-2']);
    } finally {
      fake.close();
    }
  });

  it('follows two redirects to the configuration', async () => {
    const fake = await fakeS3((scope) =>
      scope === 'eu-west-2'
        ? {
            status: 200,
            body: '<CORSConfiguration><CORSRule><AllowedOrigin>https://a.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>',
          }
        : { status: 301, headers: { 'x-amz-bucket-region': scope === 'us-east-1' ? 'eu-west-1' : 'eu-west-2' } },
    );
    try {
      const policy = await fetchBucketCors('uploads', io, { endpoint: fake.endpoint });
      expect(policy).not.toBe('none');
      expect(fake.scopes).toEqual(['us-east-1', 'eu-west-1', 'eu-west-2']);
    } finally {
      fake.close();
    }
  });
});
