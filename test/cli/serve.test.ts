import { request as httpRequest } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { simulateS3 } from '../../src/core/s3/index.js';
import type { CorsConfiguration } from '../../src/core/policy/types.js';
import { renderGetBucketCorsXml } from '../../src/core/policy/index.js';

const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';
const APP = 'https://app.example.com';
const config: CorsConfiguration = {
  rules: [
    {
      id: 'uploads',
      allowedOrigins: [APP],
      allowedMethods: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'],
      allowedHeaders: ['content-type'],
      exposeHeaders: ['ETag'],
      maxAgeSeconds: 600,
    },
  ],
};

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ config, port: 0, host: '127.0.0.1', region: 'us-east-1', buckets: ['photos', 'bucket', 'fixme', 'vhost'] });
});
afterAll(async () => {
  await sandbox.close();
});

const preflightHeaders = (method: string, headers?: string) => ({
  origin: APP,
  'access-control-request-method': method,
  ...(headers ? { 'access-control-request-headers': headers } : {}),
});

describe('serve: a local S3 CORS sandbox answering as the S3 model', () => {
  it('answers a preflight exactly as simulateS3 does (status, CORS headers, Vary)', async () => {
    const url = `${sandbox.url}/photos/cat.jpg`;
    const res = await fetch(url, { method: 'OPTIONS', headers: preflightHeaders('PUT', 'content-type') });
    const model = simulateS3({ kind: 'cors', config }, { method: 'OPTIONS', url, headers: preflightHeaders('PUT', 'content-type') });
    expect(res.status).toBe(200);
    for (const [name, value] of Object.entries(model.headers)) expect(res.headers.get(name), name).toBe(value);
    expect(res.headers.get('vary')).toBe(VARY);
  });

  it("refuses a preflight with S3's 403 AccessForbidden XML and no CORS headers (S16)", async () => {
    const res = await fetch(`${sandbox.url}/photos/cat.jpg`, { method: 'OPTIONS', headers: preflightHeaders('PUT', 'x-amz-checksum-crc32') });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const body = await res.text();
    expect(body).toContain('<Code>AccessForbidden</Code>');
    expect(body).toContain('<ResourceType>OBJECT</ResourceType>');
  });

  it("stores objects in memory: PUT returns a quoted-md5 ETag and the model's CORS headers; GET and HEAD read it back; DELETE removes it", async () => {
    const url = `${sandbox.url}/bucket/notes/hello.txt`;
    const put = await fetch(url, { method: 'PUT', headers: { origin: APP, 'content-type': 'text/plain' }, body: 'hello' });
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toBe('"5d41402abc4b2a76b9719d911017c592"');
    expect(put.headers.get('access-control-allow-origin')).toBe(APP);
    expect(put.headers.get('access-control-expose-headers')).toBe('ETag');
    const get = await fetch(url, { headers: { origin: APP } });
    expect([get.status, await get.text(), get.headers.get('content-type')]).toEqual([200, 'hello', 'text/plain']);
    const head = await fetch(url, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), head.headers.get('access-control-allow-origin')]).toEqual([200, '5', null]);
    expect((await fetch(url, { method: 'DELETE', headers: { origin: APP } })).status).toBe(204);
    const gone = await fetch(url, { headers: { origin: APP } });
    expect(gone.status).toBe(404);
    // S22: an error response carries the CORS headers when a rule matches.
    expect(gone.headers.get('access-control-allow-origin')).toBe(APP);
    expect(await gone.text()).toContain('<Code>NoSuchKey</Code>');
  });

  it('a request from an origin no rule allows is still served, without CORS headers (S19)', async () => {
    const res = await fetch(`${sandbox.url}/bucket/x`, { method: 'PUT', headers: { origin: 'https://evil.example' }, body: 'x' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('vary')).toBeNull();
  });

  it('runs a multipart upload: create, upload parts (ETag per part), complete (S3-style multipart ETag), read back', async () => {
    const base = `${sandbox.url}/bucket/big.bin`;
    const create = await fetch(`${base}?uploads`, { method: 'POST', headers: { origin: APP } });
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(await create.text())![1]!;
    const etags: string[] = [];
    for (const [n, text] of [
      [1, 'part-one-'],
      [2, 'part-two'],
    ] as const) {
      const part = await fetch(`${base}?partNumber=${n}&uploadId=${uploadId}`, { method: 'PUT', headers: { origin: APP }, body: text });
      expect(part.headers.get('access-control-expose-headers')).toBe('ETag');
      etags.push(part.headers.get('etag')!);
    }
    const completeXml = `<CompleteMultipartUpload>${etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
    const complete = await fetch(`${base}?uploadId=${uploadId}`, { method: 'POST', headers: { origin: APP }, body: completeXml });
    expect(complete.status).toBe(200);
    expect(await complete.text()).toMatch(/<ETag>&quot;[0-9a-f]{32}-2&quot;<\/ETag>/);
    expect(await (await fetch(base)).text()).toBe('part-one-part-two');
    const unknown = await fetch(`${base}?partNumber=1&uploadId=nope`, { method: 'PUT', body: 'x' });
    expect(unknown.status).toBe(404);
  });

  it('S24/S25/S26: GetBucketCors returns the rules as sent, 404 NoSuchCORSConfiguration without one; PutBucketCors replaces the whole configuration at once; DeleteBucketCors 204', async () => {
    const bucketUrl = `${sandbox.url}/fixme`;
    const current = await fetch(`${bucketUrl}?cors`);
    expect(current.status).toBe(200);
    expect(current.headers.get('content-type')).toBe('application/xml');
    // S24, written out by hand (not by the sandbox's serializer): the elements that were set, as sent.
    expect(await current.text()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        '<CORSRule><ID>uploads</ID><AllowedHeader>content-type</AllowedHeader><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>' +
        '<AllowedMethod>POST</AllowedMethod><AllowedMethod>DELETE</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>' +
        '<AllowedOrigin>https://app.example.com</AllowedOrigin><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule>' +
        '</CORSConfiguration>',
    );
    expect(renderGetBucketCorsXml(config)).toBe(await (await fetch(`${bucketUrl}?cors`)).text());
    const other = 'https://other.example';
    expect((await fetch(`${bucketUrl}/k`, { method: 'OPTIONS', headers: { origin: other, 'access-control-request-method': 'GET' } })).status).toBe(403);
    const fix = `<CORSConfiguration><CORSRule><AllowedOrigin>${other}</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`;
    expect((await fetch(`${bucketUrl}?cors`, { method: 'PUT', body: fix })).status).toBe(200);
    expect((await fetch(`${bucketUrl}/k`, { method: 'OPTIONS', headers: { origin: other, 'access-control-request-method': 'GET' } })).status).toBe(200);
    const invalid = await fetch(`${bucketUrl}?cors`, { method: 'PUT', body: fix.replace('GET', 'PATCH') });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain('Unsupported method is PATCH');
    expect((await fetch(`${bucketUrl}?cors`, { method: 'PUT', body: '<nope' })).status).toBe(400);
    // S24 again, after a PutBucketCors: rules in the order sent, values unnormalised (case, order, a trailing
    // slash kept), only the elements that were set (no ID, no MaxAgeSeconds, no headers in the second rule).
    const sent =
      '<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      '<CORSRule><ID>Second-Rule</ID><AllowedHeader>X-Amz-Date</AllowedHeader><AllowedHeader>content-TYPE</AllowedHeader><AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedOrigin>https://Upload.Example.com/</AllowedOrigin><ExposeHeader>etag</ExposeHeader><MaxAgeSeconds>0</MaxAgeSeconds></CORSRule>' +
      '<CORSRule><AllowedMethod>HEAD</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule>' +
      '</CORSConfiguration>';
    expect((await fetch(`${bucketUrl}?cors`, { method: 'PUT', body: sent })).status).toBe(200);
    expect(await (await fetch(`${bucketUrl}?cors`)).text()).toBe(`<?xml version="1.0" encoding="UTF-8"?>\n${sent}`);
    // S25: DeleteBucketCors → 204 either way; GetBucketCors then → 404 NoSuchCORSConfiguration.
    expect((await fetch(`${bucketUrl}?cors`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${bucketUrl}?cors`, { method: 'DELETE' })).status).toBe(204);
    const none = await fetch(`${bucketUrl}?cors`);
    expect(none.status).toBe(404);
    expect(none.headers.get('content-type')).toBe('application/xml');
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
    expect(await none.text()).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchCORSConfiguration<\/Code><Message>The CORS configuration does not exist<\/Message><RequestId>[0-9A-F]{16}<\/RequestId><HostId>[^<]+<\/HostId><\/Error>$/,
    );
    const s6 = await fetch(`${bucketUrl}/k`, { method: 'OPTIONS', headers: { origin: other, 'access-control-request-method': 'GET' } });
    expect([s6.status, (await s6.text()).includes('CORS is not enabled for this bucket.')]).toEqual([403, true]);
    // Other buckets keep their own configuration.
    expect((await fetch(`${sandbox.url}/bucket/k`, { method: 'OPTIONS', headers: preflightHeaders('GET') })).status).toBe(200);
  });

  it('addresses virtual-hosted buckets by the Host header (<bucket>.localhost)', async () => {
    const res = await new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: sandbox.port,
          path: '/k',
          method: 'OPTIONS',
          headers: { host: `vhost.localhost:${sandbox.port}`, ...preflightHeaders('GET') },
        },
        (r) => {
          r.resume();
          resolve({ status: r.statusCode ?? 0, headers: r.headers });
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    const listed = await (await fetch(`${sandbox.url}/`)).text();
    expect(listed).toContain('<Name>vhost</Name>');
  });

  it('serves byte ranges (206 with Content-Range) with the CORS headers', async () => {
    const url = `${sandbox.url}/bucket/range.txt`;
    await fetch(url, { method: 'PUT', body: '0123456789' });
    const part = await fetch(url, { headers: { origin: APP, range: 'bytes=2-5' } });
    expect([part.status, await part.text(), part.headers.get('content-range')]).toEqual([206, '2345', 'bytes 2-5/10']);
    expect(part.headers.get('access-control-allow-origin')).toBe(APP);
    const tail = await fetch(url, { headers: { range: 'bytes=-3' } });
    expect(await tail.text()).toBe('789');
    expect((await fetch(url, { headers: { range: 'bytes=20-' } })).status).toBe(416);
  });

  it('accepts a browser form POST upload (presigned POST) to the bucket root', async () => {
    const form = new FormData();
    form.append('key', 'uploads/${filename}');
    form.append('Content-Type', 'image/png');
    form.append('success_action_status', '201');
    form.append('file', new Blob([new Uint8Array([137, 80, 78, 71])]), 'pic.png');
    const res = await fetch(`${sandbox.url}/bucket`, { method: 'POST', headers: { origin: APP }, body: form });
    expect(res.status).toBe(201);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(await res.text()).toContain('<Key>uploads/pic.png</Key>');
    const stored = await fetch(`${sandbox.url}/bucket/uploads/pic.png`);
    expect([stored.headers.get('content-type'), (await stored.arrayBuffer()).byteLength]).toEqual(['image/png', 4]);
  });

  it("a preflight without Origin is S3's 400 (S3)", async () => {
    const res = await fetch(`${sandbox.url}/bucket/k`, { method: 'OPTIONS', headers: { 'access-control-request-method': 'GET' } });
    expect(res.status).toBe(400);
  });
});

describe('serve with --bucket: only the named buckets exist', () => {
  it('S5 / S22: another bucket answers as a missing bucket, from the model', async () => {
    const only = await startSandbox({ config, port: 0, host: '127.0.0.1', region: 'us-east-1', buckets: ['real'] });
    try {
      const preflight = await fetch(`${only.url}/ghost/k`, { method: 'OPTIONS', headers: preflightHeaders('GET') });
      expect([preflight.status, (await preflight.text()).includes('CORSResponse: Bucket not found')]).toEqual([403, true]);
      const get = await fetch(`${only.url}/ghost/k`, { headers: { origin: APP } });
      expect([get.status, get.headers.get('content-type'), get.headers.get('access-control-allow-origin')]).toEqual([404, 'application/xml', null]);
      expect(await get.text()).toContain('<Code>NoSuchBucket</Code>');
      expect((await fetch(`${only.url}/real/k`, { method: 'OPTIONS', headers: preflightHeaders('GET') })).status).toBe(200);
    } finally {
      await only.close();
    }
  });
});

// Issue 11, item 5: any site the developer visits can POST a form to the sandbox (S3 accepts cross-site form
// POSTs); reading must not create buckets, and what is stored must stay under one total.
describe('serve: buckets exist only once created, memory stays under one cap', () => {
  it('a GET or a preflight never creates a bucket; PUT /<bucket> does (with the starting configuration)', async () => {
    const box = await startSandbox({ config, port: 0, host: '127.0.0.1', region: 'us-east-1' });
    try {
      for (const name of ['box-1', 'box-2', 'box-3']) {
        expect((await fetch(`${box.url}/${name}/k`, { headers: { origin: APP } })).status).toBe(404);
        expect((await fetch(`${box.url}/${name}/k`, { method: 'OPTIONS', headers: preflightHeaders('GET') })).status).toBe(403);
        expect((await fetch(`${box.url}/${name}/k`, { method: 'PUT', body: 'x' })).status).toBe(404);
      }
      expect(await (await fetch(`${box.url}/`)).text()).not.toContain('<Bucket>');
      const created = await fetch(`${box.url}/box-1`, { method: 'PUT' });
      expect(created.status).toBe(200);
      expect((await fetch(`${box.url}/box-1`, { method: 'PUT' })).status).toBe(200); // us-east-1: already yours is 200
      expect((await fetch(`${box.url}/box-1/k`, { method: 'OPTIONS', headers: preflightHeaders('GET') })).status).toBe(200);
      expect((await fetch(`${box.url}/box-1/k`, { method: 'PUT', body: 'x' })).status).toBe(200);
      const listed = await (await fetch(`${box.url}/`)).text();
      expect(listed).toContain('<Name>box-1</Name>');
      expect(listed).not.toContain('box-2');
      const invalid = await fetch(`${box.url}/Not_A_Bucket`, { method: 'PUT' });
      expect([invalid.status, (await invalid.text()).includes('<Code>InvalidBucketName</Code>')]).toEqual([400, true]);
    } finally {
      await box.close();
    }
  });

  it('answers 507 InsufficientStorage (S3-style XML) once everything stored would pass the cap, and frees space on DELETE', async () => {
    const box = await startSandbox({ config, port: 0, host: '127.0.0.1', region: 'us-east-1', buckets: ['up'], maxTotalBytes: 10_000 });
    const put = (key: string, bytes: number) => fetch(`${box.url}/up/${key}`, { method: 'PUT', body: new Uint8Array(bytes), headers: { origin: APP } });
    try {
      expect((await put('one', 3_000)).status).toBe(200);
      expect((await put('two', 3_000)).status).toBe(200);
      const full = await put('three', 3_000);
      expect(full.status).toBe(507);
      expect(full.headers.get('content-type')).toBe('application/xml');
      expect(full.headers.get('access-control-allow-origin')).toBe(APP);
      const text = await full.text();
      expect(text).toMatch(
        /^<\?xml[^>]*>\n<Error><Code>InsufficientStorage<\/Code><Message>The sandbox keeps everything in memory and holds at most 10000 bytes/,
      );
      expect((await fetch(`${box.url}/up/three`)).status).toBe(404);
      // Replacing an object counts only the difference; a DELETE gives the space back.
      expect((await put('two', 500)).status).toBe(200);
      expect((await put('three', 3_000)).status).toBe(200);
      expect((await put('four', 3_000)).status).toBe(507);
      expect((await fetch(`${box.url}/up/one`, { method: 'DELETE' })).status).toBe(204);
      expect((await put('four', 3_000)).status).toBe(200);
    } finally {
      await box.close();
    }
  });

  it('counts multipart parts and browser form uploads against the same cap', async () => {
    const box = await startSandbox({ config, port: 0, host: '127.0.0.1', region: 'us-east-1', buckets: ['up'], maxTotalBytes: 10_000 });
    try {
      const created = await (await fetch(`${box.url}/up/big?uploads`, { method: 'POST' })).text();
      const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(created)![1]!;
      const part = (n: number) => fetch(`${box.url}/up/big?partNumber=${n}&uploadId=${uploadId}`, { method: 'PUT', body: new Uint8Array(3_000) });
      expect((await part(1)).status).toBe(200);
      expect((await part(2)).status).toBe(200);
      expect((await part(3)).status).toBe(507);
      const form = new FormData();
      form.append('key', 'posted');
      form.append('file', new Blob([new Uint8Array(3_000)]), 'f.bin');
      expect((await fetch(`${box.url}/up`, { method: 'POST', body: form })).status).toBe(507);
      // Completing turns the parts into one object of the same size: it fits.
      expect((await fetch(`${box.url}/up/big?uploadId=${uploadId}`, { method: 'POST', body: '' })).status).toBe(200);
      expect((await fetch(`${box.url}/up/big`)).headers.get('content-length')).toBe('6000');
    } finally {
      await box.close();
    }
  });
});

describe('s3-cors-doctor serve (command)', () => {
  it('prints the listening URL, serves, and stops cleanly on SIGINT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-'));
    const file = join(dir, 'cors.json');
    writeFileSync(file, JSON.stringify([{ AllowedOrigins: ['*'], AllowedMethods: ['GET'] }]));
    const stdout = new PassThrough();
    let printed = '';
    stdout.on('data', (b: Buffer) => {
      printed += b.toString('utf8');
    });
    const io: CliIO = { stdout, stderr: new PassThrough(), stdin: Readable.from(['']), env: {} };
    const exit = main(['serve', '--config', file, '--port', '0', '--bucket', 'b-1'], io);
    await vi.waitFor(() => expect(printed).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/), { timeout: 5000 });
    const url = /listening on (\S+)/.exec(printed)![1]!;
    const res = await fetch(`${url}/b-1/k`, { method: 'OPTIONS', headers: { origin: 'https://a.example', 'access-control-request-method': 'GET' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    process.emit('SIGINT');
    expect(await exit).toBe(0);
    expect(printed).toContain('sandbox stopped');
    await expect(fetch(`${url}/b-1/k`)).rejects.toThrow();
  });

  it('warns on stderr when PutBucketCors would refuse the configuration, and serves it as written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify([{ AllowedOrigins: ['*'], AllowedMethods: ['GET', 'PATCH'] }]));
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let printed = '';
    let warned = '';
    stdout.on('data', (b: Buffer) => {
      printed += b.toString('utf8');
    });
    stderr.on('data', (b: Buffer) => {
      warned += b.toString('utf8');
    });
    const exit = main(['serve', '--config', file, '--port', '0'], { stdout, stderr, stdin: Readable.from(['']), env: {} });
    await vi.waitFor(() => expect(printed).toMatch(/listening on/), { timeout: 5000 });
    process.emit('SIGINT');
    expect(await exit).toBe(0);
    expect(warned).toMatch(/warning: .*bad\.json.*PutBucketCors would refuse this configuration \(InvalidRequest/);
  });

  it('bad usage exits 2 with one line', async () => {
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (b: Buffer) => {
      err += b.toString('utf8');
    });
    const io: CliIO = { stdout: new PassThrough(), stderr, stdin: Readable.from(['']), env: {} };
    expect(await main(['serve', '--config', 'none', '--port', 'eighty'], io)).toBe(2);
    expect(err).toMatch(/--port "eighty" is not a port number/);
  });
});
