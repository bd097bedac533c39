/**
 * The bench's HAR generator: files of a given size shaped like Chrome's export (small JSON responses, images with
 * large base64 bodies, failed presigned S3 uploads spread through), deterministic for a size and variant. Used by
 * the HAR benchmarks (bench/har.ts); its PRNG by the fuzzer (bench/fuzz.ts).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** Bump when the generator changes, so cached files are regenerated. */
export const GENERATOR_VERSION = 1;

/** A small deterministic PRNG (mulberry32) so every run benches the same files. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64Body(random: () => number, length: number): string {
  // A random 4 KB block repeated: realistic bytes for the scanner, cheap to generate.
  let block = '';
  for (let i = 0; i < 4096; i++) block += BASE64[Math.floor(random() * 64)];
  return block.repeat(Math.ceil(length / 4096)).slice(0, length);
}

const header = (name: string, value: string) => ({ name, value });

function browserRequestHeaders(origin: string, extra: Array<{ name: string; value: string }> = []) {
  return [
    header('Accept', '*/*'),
    header('Accept-Encoding', 'gzip, deflate, br, zstd'),
    header('Accept-Language', 'en-US,en;q=0.9'),
    header('Connection', 'keep-alive'),
    header('Origin', origin),
    header('Referer', `${origin}/upload`),
    header('Sec-Fetch-Dest', 'empty'),
    header('Sec-Fetch-Mode', 'cors'),
    header('Sec-Fetch-Site', 'cross-site'),
    header('User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'),
    ...extra,
  ];
}

function timing() {
  return { blocked: 0.5, dns: -1, ssl: -1, connect: -1, send: 0.1, wait: 20.3, receive: 1.2, _blocked_queueing: 0.4 };
}

function assetEntry(random: () => number, index: number, started: Date, bodyLength: number) {
  const image = bodyLength > 20_000;
  return {
    _initiator: { type: 'parser', url: 'https://app.example.com/upload', lineNumber: 12 },
    _priority: 'Low',
    _resourceType: image ? 'image' : 'fetch',
    cache: {},
    connection: '443',
    pageref: 'page_1',
    request: {
      method: 'GET',
      url: image ? `https://cdn.example.net/assets/img-${index}.png?v=${Math.floor(random() * 1e9)}` : `https://api.example.com/v1/items/${index}`,
      httpVersion: 'http/2.0',
      headers: browserRequestHeaders('https://app.example.com'),
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: 200,
      statusText: '',
      httpVersion: 'http/2.0',
      headers: [
        header('cache-control', 'public, max-age=31536000'),
        header('content-type', image ? 'image/png' : 'application/json'),
        header('date', started.toUTCString()),
        header('server', 'nginx'),
        header('access-control-allow-origin', '*'),
      ],
      cookies: [],
      content: image
        ? { size: bodyLength, mimeType: 'image/png', text: base64Body(random, bodyLength), encoding: 'base64' }
        : { size: bodyLength, mimeType: 'application/json', text: JSON.stringify({ id: index, name: 'x'.repeat(bodyLength) }) },
      redirectURL: '',
      headersSize: -1,
      bodySize: bodyLength,
      _transferSize: bodyLength + 300,
      _error: null,
    },
    serverIPAddress: '203.0.113.10',
    startedDateTime: started.toISOString(),
    time: 22.5,
    timings: timing(),
  };
}

/** A Chrome-style failed presigned PUT: the preflight (403, S16) and the blocked actual request (status 0). */
function s3FailurePair(index: number, started: Date, variant: number) {
  const url =
    `https://uploads.s3.eu-west-1.amazonaws.com/${variant ? `v${variant}/` : ''}user-${index}/photo.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256` +
    `&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261128%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20261128T080000Z` +
    `&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=${'ab12'.repeat(16)}`;
  const preflight = {
    _initiator: { type: 'preflight', url, requestId: `${1000 + index}` },
    _priority: 'High',
    _resourceType: 'preflight',
    cache: {},
    request: {
      method: 'OPTIONS',
      url,
      httpVersion: 'http/1.1',
      headers: [
        header('Access-Control-Request-Headers', 'content-type,x-amz-checksum-crc32'),
        header('Access-Control-Request-Method', 'PUT'),
        header('Origin', 'https://app.example.com'),
        header('Sec-Fetch-Mode', 'cors'),
      ],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: 403,
      statusText: 'Forbidden',
      httpVersion: 'http/1.1',
      headers: [
        header('x-amz-request-id', `REQ${index}`),
        header('x-amz-id-2', 'abc/def='),
        header('Content-Type', 'application/xml'),
        header('Server', 'AmazonS3'),
      ],
      cookies: [],
      content: { size: 0, mimeType: 'application/xml' },
      redirectURL: '',
      headersSize: -1,
      bodySize: 0,
      _error: null,
    },
    serverIPAddress: '52.218.1.1',
    startedDateTime: started.toISOString(),
    time: 40,
    timings: timing(),
  };
  const actual = {
    _initiator: { type: 'script', stack: { callFrames: [{ functionName: 'upload', url: 'https://app.example.com/app.js', lineNumber: 10, columnNumber: 5 }] } },
    _priority: 'High',
    _resourceType: 'fetch',
    cache: {},
    pageref: 'page_1',
    request: {
      method: 'PUT',
      url,
      httpVersion: 'http/1.1',
      headers: [header('Content-Type', 'image/jpeg'), header('x-amz-checksum-crc32', 'AAAAAA=='), header('Referer', 'https://app.example.com/upload')],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: 0,
      statusText: '',
      httpVersion: '',
      headers: [],
      cookies: [],
      content: { size: 0, mimeType: '' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
      _error: 'net::ERR_FAILED',
    },
    serverIPAddress: '',
    startedDateTime: new Date(started.getTime() + 45).toISOString(),
    time: 0,
    timings: timing(),
  };
  return [preflight, actual];
}

/**
 * Write a HAR of about `targetBytes`, pretty-printed like Chrome's export: 70% small JSON responses, 30% images
 * with 100–300 KB base64 bodies, and `s3Failures` failed S3 uploads spread through the file. Variants other than 0
 * are files of the same make with other bodies and other upload URLs (nothing cached for one applies to another).
 */
export async function generateHar(path: string, targetBytes: number, s3Failures: number, variant = 0, options: { compact?: boolean } = {}): Promise<void> {
  const random = prng(targetBytes + variant * 7919);
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const start = Date.parse('2026-11-28T08:00:00.000Z');
  await write('{\n  "log": {\n    "version": "1.2",\n    "creator": {"name": "WebInspector", "version": "537.36"},\n');
  await write(
    '    "pages": [{"startedDateTime": "2026-11-28T08:00:00.000Z", "id": "page_1", "title": "https://app.example.com/upload", "pageTimings": {}}],\n',
  );
  await write('    "entries": [\n');
  let written = 300;
  let index = 0;
  let failures = 0;
  const averageEntry = 0.7 * 2_500 + 0.3 * 200_000;
  const expectedEntries = Math.max(1, Math.floor(targetBytes / averageEntry));
  const failureEvery = Math.max(1, Math.floor(expectedEntries / Math.max(1, s3Failures)));
  let first = true;
  while (written < targetBytes || failures < s3Failures) {
    const started = new Date(start + index * 50);
    const entries: object[] = [];
    if (failures < s3Failures && (index % failureEvery === 0 || written >= targetBytes)) {
      entries.push(...s3FailurePair(failures, started, variant));
      failures++;
    } else {
      const image = random() < 0.3;
      entries.push(assetEntry(random, index, started, image ? 100_000 + Math.floor(random() * 200_000) : 200 + Math.floor(random() * 1500)));
    }
    for (const entry of entries) {
      const text = (first ? '' : ',\n') + (options.compact ? JSON.stringify(entry) : JSON.stringify(entry, null, 2).replace(/^/gm, '      '));
      first = false;
      written += text.length;
      await write(text);
    }
    index++;
  }
  await write('\n    ]\n  }\n}\n');
  out.end();
  await once(out, 'finish');
}
