import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeUrl } from '../../src/cli/commands/probe.js';
import { simulateS3, type BucketState } from '../../src/core/s3/index.js';
import { headerMap } from '../../src/core/http/index.js';
import { runCli } from './run-cli.js';

const run = (argv: string[]) => runCli(argv);

const ORIGIN = 'https://app.example.com';
const RULES = { rules: [{ allowedOrigins: [ORIGIN], allowedMethods: ['GET', 'PUT'], allowedHeaders: ['content-type'], exposeHeaders: [] }] };

/** A tiny server answering every request exactly as the S3 model says AWS would; it records what it received. */
function modelServer(bucket: BucketState) {
  const received: IncomingMessage[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    received.push(req);
    if (req.url?.startsWith('/slow/')) return; // never answers: the probe must time out
    if (req.url?.startsWith('/moved/')) {
      res.writeHead(307, { location: 'https://uploads.s3.eu-central-1.amazonaws.com/k', 'x-amz-bucket-region': 'eu-central-1' }).end();
      return;
    }
    const headers = headerMap(Object.entries(req.headers).map(([name, value]) => [name, String(value)] as const));
    const answer = simulateS3(bucket, { method: req.method ?? 'GET', url: `https://uploads.s3.eu-west-1.amazonaws.com${req.url}`, headers });
    res.writeHead(answer.status, answer.headers).end(answer.body);
  });
  return { server, received };
}

function listen(server: Server): Promise<string> {
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

describe('s3-cors-doctor probe against the S3 model (AWS-exact answers)', () => {
  const { server, received } = modelServer({ kind: 'cors', config: RULES });
  let base = '';
  beforeAll(async () => {
    base = await listen(server);
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  beforeEach(() => {
    received.length = 0;
  });

  it('finds the refused header and sends real preflights without credentials', async () => {
    const r = await run([
      'probe',
      `${base}/users/1/a.jpg?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2Fx&X-Amz-Signature=abc&partNumber=1`,
      '--origin',
      ORIGIN,
      '--method',
      'PUT',
      '--header',
      'x-amz-checksum-crc32',
      '--header',
      'Content-Type',
      '--delay',
      '0',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.refused).toEqual({ headers: ['x-amz-checksum-crc32'] });
    expect(doc.steps[0].s3Error).toEqual({ code: 'AccessForbidden', message: expect.stringMatching(/^CORSResponse: This CORS request is not allowed/) });
    expect(doc.notes[0]).toMatch(/^removed X-Amz-Credential, X-Amz-Signature from the URL/);
    const first = received[0]!;
    expect(first.method).toBe('OPTIONS');
    expect(first.url).toBe('/users/1/a.jpg?partNumber=1');
    expect(first.headers.origin).toBe(ORIGIN);
    expect(first.headers['access-control-request-method']).toBe('PUT');
    expect(first.headers['access-control-request-headers']).toBe('content-type,x-amz-checksum-crc32');
    expect(first.headers.authorization).toBeUndefined();
    expect(first.headers.cookie).toBeUndefined();
    expect(received.length).toBe(doc.requests);
  });

  it('reports a refused method and a refused origin in text', async () => {
    const method = await run(['probe', `${base}/k`, '--origin', ORIGIN, '--method', 'DELETE', '--delay', '0']);
    expect(method.stdout).toContain(`refused: method DELETE is not allowed for ${ORIGIN} (GET is)`);
    const origin = await run(['probe', `${base}/k`, '--origin', 'https://evil.example', '--method', 'GET', '--delay', '0']);
    expect(origin.stdout).toContain('refused: origin https://evil.example is not allowed for any method');
    expect(origin.stdout).toMatch(/5 preflights sent\n$/);
  });

  it('follows no redirect', async () => {
    const r = await run(['probe', `${base}/moved/k`, '--origin', ORIGIN, '--method', 'GET', '--delay', '0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('→ 307 redirect');
    expect(r.stdout).toContain('x-amz-bucket-region: eu-central-1');
    expect(received).toHaveLength(1);
  });

  it('times out cleanly (exit 1, one request)', async () => {
    const r = await run(['probe', `${base}/slow/k`, '--origin', ORIGIN, '--method', 'GET', '--timeout', '300']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('probe failed: no answer within 300 ms');
  });

  it('rejects URLs with user info and bad options (exit 2)', async () => {
    expect((await run(['probe', 'https://user:pw@b.s3.amazonaws.com/k', '--origin', ORIGIN, '--method', 'GET'])).code).toBe(2);
    expect((await run(['probe', `${base}/k`, '--origin', 'https://app.example.com/', '--method', 'GET'])).code).toBe(2);
    expect((await run(['probe', `${base}/k`, '--origin', ORIGIN])).code).toBe(2);
    expect((await run(['probe', `${base}/k`, '--origin', ORIGIN, '--method', 'GET', '--max-requests', '0'])).code).toBe(2);
  });

  it('strips credential parameters from the URL', () => {
    expect(probeUrl('https://b.s3.amazonaws.com/k?AWSAccessKeyId=A&Expires=1&Signature=s&X-Amz-Security-Token=t#f')).toEqual({
      url: 'https://b.s3.amazonaws.com/k?Expires=1',
      removed: ['AWSAccessKeyId', 'Signature', 'X-Amz-Security-Token'],
    });
  });
});

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: Record<string, unknown>) => S3rverInstance;

describe('s3-cors-doctor probe against s3rver (a local S3-compatible server with known rules)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'probe-s3rver-'));
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
  let endpoint = '';
  beforeAll(async () => {
    endpoint = `http://127.0.0.1:${(await s3rver.run()).port}`;
  });
  afterAll(async () => {
    await s3rver.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('finds the refused header (s3rver answers ACAO * on success, spec §7)', async () => {
    const r = await run([
      'probe',
      `${endpoint}/uploads/a.jpg`,
      '--origin',
      ORIGIN,
      '--method',
      'PUT',
      '--header',
      'content-type',
      '--header',
      'x-amz-checksum-crc32',
      '--delay',
      '0',
      '--json',
    ]);
    const doc = JSON.parse(r.stdout);
    expect(doc.firstVerdict).toBe('refused');
    expect(doc.refused).toEqual({ headers: ['x-amz-checksum-crc32'] });
  });

  it('finds a refused method', async () => {
    const r = await run(['probe', `${endpoint}/uploads/a.jpg`, '--origin', ORIGIN, '--method', 'DELETE', '--delay', '0', '--json']);
    expect(JSON.parse(r.stdout).refused).toEqual({ method: 'DELETE', headers: [] });
  });

  it('says CORS is not enabled on a bucket without configuration, in one request', async () => {
    const r = await run(['probe', `${endpoint}/plain/a.jpg`, '--origin', ORIGIN, '--method', 'GET', '--delay', '0', '--json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.firstVerdict).toBe('cors-not-enabled');
    expect(doc.requests).toBe(1);
  });
});
