import { PassThrough, Readable, Writable } from 'node:stream';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { readHarFile, scanHarFile } from '../../src/cli/har-stream.js';
import { TRIAGE_SCAN_LIMITS } from '../../src/core/har/index.js';
import { runCli } from './run-cli.js';

const run = (argv: string[], env: Record<string, string> = {}) => runCli(argv, { env });

const FIXTURES = join(import.meta.dirname, '../fixtures/har');
const CHROME = join(FIXTURES, 'chrome-put-checksum-header.har');
const dir = mkdtempSync(join(tmpdir(), 'har-cli-'));
const POLICY = join(dir, 'cors.json');
writeFileSync(POLICY, JSON.stringify([{ AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['content-type'] }]));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('s3-cors-doctor har', () => {
  it('--json prints requests (redacted URLs), groups and summary', async () => {
    const r = await run(['har', CHROME, '--config', POLICY, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['requests', 'groups', 'summary', 'gaps']);
    expect(doc.summary).toEqual({ total: 4, s3: 2, failed: 1, byCode: { HEADERS_NOT_ALLOWED: 1, SDK_CHECKSUM_HEADERS: 1 } });
    expect(doc.requests[0]).toMatchObject({ method: 'PUT', origin: 'https://app.example.com', status: 0, outcome: 'blocked' });
    expect(doc.requests[0].url).toMatch(/X-Amz-Credential=AKIAREDACTED%2F20261128%2Feu-west-1.*X-Amz-Signature=REDACTED$/);
    expect(r.stdout).not.toContain('IOSFODNN7EXAMPLE');
    expect(doc.groups[0].title).toMatch(/^1 PUT to bucket `uploads` was blocked/);
  });

  it('--markdown prints a ticket-ready report with the fix in the chosen format', async () => {
    const r = await run(['har', CHROME, '--config', POLICY, '--markdown', '--fix-format', 'terraform']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# S3 CORS triage\n/);
    expect(r.stdout).toContain('```hcl\nresource "aws_s3_bucket_cors_configuration"');
  });

  it('gives the fix in the form of a configuration given as Backblaze B2 corsRules or GCS JSON, unless --fix-format says', async () => {
    const b2 = file(
      'b2.json',
      JSON.stringify({
        corsRules: [
          {
            corsRuleName: 'appUploads',
            allowedOrigins: ['https://app.example.com'],
            allowedOperations: ['s3_put', 'b2_upload_file'],
            allowedHeaders: ['content-type'],
            maxAgeSeconds: 60,
          },
        ],
      }),
    );
    const blocked = async (argv: string[]) => JSON.parse((await run(['har', CHROME, '--config', b2, '--json', ...argv])).stdout).requests[0];
    const request = await blocked([]);
    expect(request.fix.rendered.format).toBe('b2');
    expect(JSON.parse(request.fix.rendered.text).corsRules[0].allowedOperations).toEqual(['s3_put', 'b2_upload_file']);
    expect((await blocked(['--fix-format', 'console'])).fix.rendered.format).toBe('console');
    const gcs = file('gcs.json', JSON.stringify([{ origin: ['https://app.example.com'], method: ['PUT'], responseHeader: ['content-type'] }]));
    const fromGcs = JSON.parse((await run(['har', CHROME, '--config', gcs, '--json'])).stdout).requests[0];
    expect(fromGcs.fix.rendered.format).toBe('gcs');
  });

  it('finishes when its output writes asynchronously and the report is shorter than the stream buffer', async () => {
    // A file stream (or a pipe on macOS) still holds a short report after write() returned true; no 'drain' follows.
    const path = join(dir, 'report.md');
    const out = createWriteStream(path);
    const code = await main(['har', CHROME, '--config', POLICY, '--markdown'], { stdout: out, stderr: new PassThrough(), stdin: Readable.from([]), env: {} });
    expect(code).toBe(0);
    expect(out.writableLength).toBe(0);
    out.end();
    await once(out, 'finish');
    expect(readFileSync(path, 'utf8')).toMatch(/^# S3 CORS triage\n/);
  });

  it('prints a human summary by default, also without a configuration', async () => {
    const r = await run(['har', join(FIXTURES, 'firefox-put-origin-refused.har')]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('3 requests, 2 to S3, 2 failed');
  });

  it('applies --config none as "the bucket has no CORS configuration"', async () => {
    const r = await run(['har', CHROME, '--config', 'none', '--json']);
    expect(JSON.parse(r.stdout).requests[0].findings[0].code).toBe('NO_CORS_CONFIG');
  });

  it.each([
    ['missing.har', null, /missing\.har: no such file$/],
    ['html.har', '<html><body>not json</body></html>', /html\.har:1:1: not JSON$/],
    ['array.har', '[1, 2]', /array\.har:1:1: not a HAR: the top level is an array, not an object$/],
    ['policy.har', '{"CORSRules": []}', /policy\.har: not a HAR: there is no "log" object$/],
    ['deep.har', `{"log": {"entries": [\n${'['.repeat(5000)}`, /deep\.har:2:62: nesting deeper than 64 levels$/],
    // The column counts characters, not the bytes of `é`, `✓` and `🙂` before it.
    ['unicode.har', '{"log": {"entries": [\n  {"a": "café ✓ 🙂", "b": [1,2}\n]}}', /unicode\.har:2:31: unexpected '}'$/],
    ['bom.har', '\ufeff[{"log": {}}]', /bom\.har:1:2: not a HAR: the top level is an array, not an object$/],
  ])('refuses %s with one line naming the file (exit 1)', async (name, text, message) => {
    const path = text === null ? join(dir, name) : file(name, text);
    const r = await run(['har', path]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });

  it('survives prototype-pollution keys and huge strings', async () => {
    const huge = 'A'.repeat(5 * 1024 * 1024);
    const hostile = file(
      'hostile.har',
      `{"__proto__": {"polluted": 1}, "log": {"constructor": {"prototype": {"polluted": 2}}, "entries": [{"__proto__": {"polluted": 3}, "request": {"method": "PUT", "url": "https://b.s3.amazonaws.com/${huge}", "headers": []}, "response": {"status": 0, "headers": [], "content": {"text": "${huge}"}}}]}}`,
    );
    const r = await run(['har', hostile, '--json']);
    expect(r.code).toBe(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.parse(r.stdout).summary.total).toBe(1);
  });

  it('gives what a truncated HAR holds and says it is truncated', async () => {
    const text = readFileSync(CHROME, 'utf8');
    const r = await run(['har', file('cut.har', text.slice(0, text.indexOf('"preview"'))), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).gaps[0]).toMatch(/^the HAR file is truncated: 3 complete entries were read/);
  });

  it('usage errors exit 2', async () => {
    expect((await run(['har'])).code).toBe(2);
    expect((await run(['har', CHROME, '--json', '--markdown'])).code).toBe(2);
    expect((await run(['har', CHROME, '--fix-format', 'yaml'])).code).toBe(2);
  });
});

describe('streaming reader', () => {
  it('refuses a file above the size limit before reading it', async () => {
    await expect(scanHarFile(CHROME, () => undefined, TRIAGE_SCAN_LIMITS, 100)).rejects.toThrow(/bytes is larger than the 100-byte limit for a HAR file$/);
  });

  it('reads a HAR whose entries straddle many 1 MB chunks', async () => {
    const entry = JSON.parse(readFileSync(CHROME, 'utf8')).log.entries[2];
    const filler = {
      request: { method: 'GET', url: 'https://cdn.example.com/x.png', headers: [] },
      response: { status: 200, headers: [], content: { mimeType: 'image/png', encoding: 'base64', text: 'QUJD'.repeat(300_000) } },
    };
    const entries = Array.from({ length: 12 }, (_, i) => (i % 4 === 3 ? entry : filler));
    const read = await readHarFile(file('big.har', JSON.stringify({ log: { entries } })));
    expect(read.totalEntries).toBe(12);
    expect(read.exchanges.map((e) => e.id)).toEqual(['har-3', 'har-7', 'har-11']);
  });
});

interface S3rverInstance {
  run(): Promise<import('node:net').AddressInfo>;
  close(): Promise<void>;
}

describe('--config s3://bucket (GetBucketCors against s3rver)', () => {
  const S3rver = createRequire(import.meta.url)('s3rver') as new (options: Record<string, unknown>) => S3rverInstance;
  const directory = mkdtempSync(join(tmpdir(), 'har-s3rver-'));
  const cors =
    '<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedHeader>content-type</AllowedHeader></CORSRule></CORSConfiguration>';
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [
      { name: 'uploads', configs: [cors] },
      { name: 'plain', configs: [] },
    ],
  });
  /** s3rver's own well-known test key pair (not a secret). */
  const KEYS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
  let endpoint = '';
  beforeAll(async () => {
    endpoint = `http://127.0.0.1:${(await s3rver.run()).port}`;
  });
  afterAll(async () => {
    await s3rver.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('fetches the bucket configuration and diagnoses that bucket with it', async () => {
    const r = await run(['har', CHROME, '--config', 's3://uploads', '--endpoint', endpoint, '--json'], KEYS);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc.requests[0].findings[0].code).toBe('HEADERS_NOT_ALLOWED');
    expect(doc.groups[0].failingCondition).toEqual(['rule 1: origin ✓, method ✓, headers ✗ (x-amz-checksum-crc32)']);
  });

  it('treats NoSuchCORSConfiguration as "no configuration", not an error', async () => {
    const r = await run(['har', CHROME, '--config', 's3://plain', '--bucket', 'uploads', '--endpoint', endpoint, '--json'], KEYS);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).requests[0].findings[0].code).toBe('NO_CORS_CONFIG');
  });

  it('is available to every command through loadPolicyFile (endpoint from AWS_ENDPOINT_URL_S3)', async () => {
    const r = await run(['lint', '--config', 's3://uploads', '--json'], { ...KEYS, AWS_ENDPOINT_URL_S3: endpoint });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, format: 'xml', rules: 1, file: 's3://uploads' });
  });

  it('names a missing bucket and refused credentials in one line (exit 1)', async () => {
    const missing = await run(['har', CHROME, '--config', 's3://nope-bucket', '--endpoint', endpoint], KEYS);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('s3-cors-doctor har: s3://nope-bucket: no such bucket\n');
    const refused = await run(['har', CHROME, '--config', 's3://uploads', '--endpoint', endpoint], {
      AWS_ACCESS_KEY_ID: 'WRONG',
      AWS_SECRET_ACCESS_KEY: 'WRONG',
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^s3-cors-doctor har: s3:\/\/uploads: GetBucketCors failed \(InvalidAccessKeyId: .*\)\n$/);
    expect(refused.stderr).not.toContain('WRONG');
  });

  it('follows the bucket region S3 names on a redirect, signing again for it, and explains AccessDenied', async () => {
    const scopes: string[] = [];
    const fake = createServer((req, res) => {
      const scope = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(String(req.headers.authorization))?.[1] ?? 'none';
      scopes.push(scope);
      if (req.url?.startsWith('/denied')) {
        res.writeHead(403, { 'content-type': 'application/xml' }).end('<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
      } else if (scope !== 'eu-west-1') {
        res
          .writeHead(301, { 'x-amz-bucket-region': 'eu-west-1' })
          .end('<Error><Code>PermanentRedirect</Code><Message>Use the eu-west-1 endpoint</Message></Error>');
      } else {
        res.writeHead(200, { 'content-type': 'application/xml' }).end(cors);
      }
    });
    await new Promise<void>((done) => fake.listen(0, '127.0.0.1', done));
    const fakeEndpoint = `http://127.0.0.1:${(fake.address() as import('node:net').AddressInfo).port}`;
    try {
      const r = await run(['har', CHROME, '--config', 's3://moved', '--bucket', 'uploads', '--endpoint', fakeEndpoint, '--json'], KEYS);
      expect(r.code).toBe(0);
      expect(scopes).toEqual(['us-east-1', 'eu-west-1']);
      expect(JSON.parse(r.stdout).requests[0].findings[0].code).toBe('HEADERS_NOT_ALLOWED');
      const denied = await run(['har', CHROME, '--config', 's3://denied', '--endpoint', fakeEndpoint], KEYS);
      expect(denied.stderr).toBe('s3-cors-doctor har: s3://denied: access denied — this identity lacks s3:GetBucketCORS on the bucket\n');
    } finally {
      fake.closeAllConnections();
      fake.close();
    }
  });

  it('rejects a malformed s3:// spec as a usage error', async () => {
    expect((await run(['har', CHROME, '--config', 's3://a/b/c'], KEYS)).code).toBe(2);
  });
});

describe('a configuration file and a HAR with several buckets', () => {
  it('says the configuration was applied to every bucket unless --bucket limits it', async () => {
    const chrome = JSON.parse(readFileSync(CHROME, 'utf8'));
    const other = JSON.parse(readFileSync(join(FIXTURES, 'firefox-put-origin-refused.har'), 'utf8'));
    const merged = file('two-buckets.har', JSON.stringify({ log: { ...chrome.log, entries: [...chrome.log.entries, ...other.log.entries] } }));
    const all = JSON.parse((await run(['har', merged, '--config', POLICY, '--json'])).stdout);
    expect(all.gaps).toContain('the configuration was applied to every bucket in the HAR (uploads, media-bucket); --bucket limits it to one');
    const one = JSON.parse((await run(['har', merged, '--config', POLICY, '--bucket', 'uploads', '--json'])).stdout);
    expect(one.gaps).toEqual([]);
    expect(one.requests.find((r: { bucket: string }) => r.bucket === 'media-bucket').findings[0].code).not.toBe('ORIGIN_NOT_ALLOWED');
  });
});

describe('har to a reader that goes away', () => {
  it('ends quietly with exit 0 when stdout is closed (EPIPE)', async () => {
    const stdout = new Writable({
      highWaterMark: 16,
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const stderr = new PassThrough();
    const err: Buffer[] = [];
    stderr.on('data', (b: Buffer) => err.push(b));
    const code = await main(['har', CHROME, '--json'], { stdout, stderr, stdin: Readable.from(['']), env: {} });
    expect(code).toBe(0);
    expect(Buffer.concat(err).toString('utf8')).toBe('');
  });
});
