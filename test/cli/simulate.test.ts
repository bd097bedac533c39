import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const run = (argv: string[], options: { stdin?: string; tty?: boolean } = {}) => runCli(argv, options);

const dir = mkdtempSync(join(tmpdir(), 'simulate-'));
const CONSOLE_JSON = join(dir, 'cors.json');
writeFileSync(
  CONSOLE_JSON,
  JSON.stringify(
    [
      { ID: 'reads', AllowedOrigins: ['*'], AllowedMethods: ['GET', 'HEAD'] },
      {
        ID: 'uploads',
        AllowedOrigins: ['https://app.example.com'],
        AllowedMethods: ['PUT', 'POST'],
        AllowedHeaders: ['content-type'],
        ExposeHeaders: ['ETag'],
        MaxAgeSeconds: 3000,
      },
    ],
    null,
    2,
  ),
);
const XML = `<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`;
const PREFLIGHT = ['--method', 'OPTIONS', '--header', 'Origin: https://app.example.com', '--header', 'Access-Control-Request-Method: PUT'];

describe('s3-cors-doctor simulate', () => {
  it('--json prints exactly one document with status, lower-case headers, error, matchedRule and the per-rule trace', async () => {
    const r = await run(['simulate', '--config', CONSOLE_JSON, ...PREFLIGHT, '--header', 'Access-Control-Request-Headers: Content-Type', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      status: 200,
      headers: {
        'access-control-allow-origin': 'https://app.example.com',
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'PUT, POST',
        'access-control-allow-headers': 'content-type',
        'access-control-expose-headers': 'ETag',
        'access-control-max-age': '3000',
        vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
      },
      error: null,
      matchedRule: 1,
    });
    expect(doc.trace.map((t: { rule: number; used: boolean }) => [t.rule, t.used])).toEqual([
      [0, false],
      [1, true],
    ]);
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['status', 'headers', 'error', 'matchedRule', 'trace', 'behaviours', 'notes']));
  });

  it("a refused preflight reports S3's 403 AccessForbidden and the failing condition in the trace", async () => {
    const r = await run(['simulate', '--config', CONSOLE_JSON, ...PREFLIGHT, '--header', 'Access-Control-Request-Headers: x-amz-checksum-crc32', '--json']);
    const doc = JSON.parse(r.stdout);
    expect([doc.status, doc.error.code, doc.matchedRule]).toEqual([403, 'AccessForbidden', null]);
    expect(doc.trace[1].headers).toEqual([{ name: 'x-amz-checksum-crc32', matched: false }]);
  });

  it('for a non-OPTIONS request, status is 200 and headers holds only the CORS headers S3 adds', async () => {
    const r = await run(['simulate', '--config', CONSOLE_JSON, '--method', 'get', '--header', 'Origin: https://other.example', '--json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.status).toBe(200);
    expect(doc.headers).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, HEAD',
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    });
  });

  it('--config none: the bucket has no CORS configuration (S6)', async () => {
    const doc = JSON.parse((await run(['simulate', '--config', 'none', ...PREFLIGHT, '--json'])).stdout);
    expect([doc.status, doc.error.message, doc.trace]).toEqual([403, 'CORSResponse: CORS is not enabled for this bucket.', []]);
  });

  it('--no-bucket: the bucket does not exist (S5), with or without --config', async () => {
    const doc = JSON.parse((await run(['simulate', '--no-bucket', ...PREFLIGHT, '--json'])).stdout);
    expect([doc.status, doc.error.message]).toEqual([403, 'CORSResponse: Bucket not found']);
    const withConfig = JSON.parse((await run(['simulate', '--config', CONSOLE_JSON, '--no-bucket', ...PREFLIGHT, '--json'])).stdout);
    expect(withConfig.error.message).toBe('CORSResponse: Bucket not found');
  });

  it('--config - reads the configuration (any format) from stdin; --url changes the addressed resource', async () => {
    const r = await run(
      [
        'simulate',
        '--config',
        '-',
        '--method',
        'OPTIONS',
        '--url',
        'https://bucket.s3.us-east-1.amazonaws.com/',
        '--header',
        'Origin: https://evil.example',
        '--header',
        'Access-Control-Request-Method: GET',
        '--json',
      ],
      { stdin: XML },
    );
    const doc = JSON.parse(r.stdout);
    expect(doc.status).toBe(403);
    expect(doc.body).toContain('<ResourceType>BUCKET</ResourceType>');
  });

  it("--bucket-region makes a request to another region's endpoint a 301 PermanentRedirect (S31)", async () => {
    const doc = JSON.parse((await run(['simulate', '--config', CONSOLE_JSON, ...PREFLIGHT, '--bucket-region', 'eu-west-1', '--json'])).stdout);
    expect([doc.status, doc.headers['x-amz-bucket-region']]).toEqual([301, 'eu-west-1']);
    const global = ['--url', 'https://bucket.s3.amazonaws.com/key', '--bucket-region', 'eu-west-1', '--json'];
    expect(JSON.parse((await run(['simulate', '--config', CONSOLE_JSON, ...PREFLIGHT, ...global])).stdout).status).toBe(200);
    const fresh = JSON.parse((await run(['simulate', '--config', CONSOLE_JSON, ...PREFLIGHT, ...global, '--new-bucket'])).stdout);
    expect([fresh.status, fresh.headers.location]).toEqual([307, 'https://bucket.s3.eu-west-1.amazonaws.com/key']);
  });

  it('human output: status line, headers, a per-rule table (rules counted from 1, as the S3 console and the other commands do) with ✓/✗ for origin, method and each header; no colour without a TTY', async () => {
    const r = await run(['simulate', '--config', CONSOLE_JSON, ...PREFLIGHT, '--header', 'Access-Control-Request-Headers: content-type, x-amz-date']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('→ 403 Forbidden  AccessForbidden: CORSResponse: This CORS request is not allowed.');
    expect(r.stdout).toMatch(/2\s+uploads\s+✓ https:\/\/app\.example\.com\s+✓ PUT\s+✓ content-type {2}✗ x-amz-date\s+no match/);
    expect(r.stdout).toContain('no rule matches');
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('colours only on a TTY', async () => {
    const r = await run(['simulate', '--config', CONSOLE_JSON, ...PREFLIGHT], { tty: true });
    expect(r.stdout).toContain('\u001b[32m');
  });

  it('warns on stderr (not stdout) when PutBucketCors would refuse the configuration, and still simulates it as written', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ AllowedOrigins: ['*'], AllowedMethods: ['GET', 'PATCH'] }]));
    const r = await run([
      'simulate',
      '--config',
      bad,
      '--method',
      'OPTIONS',
      '--header',
      'Origin: https://a.example',
      '--header',
      'Access-Control-Request-Method: GET',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).status).toBe(200);
    expect(r.stderr).toMatch(/warning: .*bad\.json.*PutBucketCors would refuse this configuration \(InvalidRequest/);
  });

  it('bad usage exits 2 with one clear line; a missing or broken file exits 1 without a stack trace', async () => {
    const noMethod = await run(['simulate', '--config', CONSOLE_JSON]);
    expect(noMethod.code).toBe(2);
    expect(noMethod.stderr).toMatch(/--method is required/);
    expect((await run(['simulate', '--method', 'GET'])).stderr).toMatch(/--config is required/);
    const badHeader = await run(['simulate', '--config', 'none', '--method', 'GET', '--header', 'no colon here']);
    expect([badHeader.code, /must look like "Name: value"/.test(badHeader.stderr)]).toEqual([2, true]);
    expect((await run(['simulate', '--config', 'none', '--method', 'G E T'])).code).toBe(2);
    const badUrl = await run(['simulate', '--config', 'none', '--method', 'GET', '--url', 'not a url']);
    expect([badUrl.code, /--url "not a url" is not an http\(s\) URL/.test(badUrl.stderr)]).toEqual([2, true]);
    const missing = await run(['simulate', '--config', join(dir, 'nope.json'), '--method', 'GET']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '[{"AllowedOrigins": [');
    const parse = await run(['simulate', '--config', broken, '--method', 'GET']);
    expect(parse.code).toBe(1);
    expect(parse.stderr).toMatch(/broken\.json:\d+:\d+/);
    expect(parse.stderr).not.toMatch(/\n\s+at /);
  });

  it('terminal control characters in request values are shown escaped, never interpreted', async () => {
    const r = await run(['simulate', '--config', CONSOLE_JSON, ...PREFLIGHT, '--header', 'Access-Control-Request-Headers: x-\u001b[2J']);
    expect(r.stdout).not.toContain('\u001b[2J');
    expect(r.stdout).toContain('\\u001b');
  });
});
