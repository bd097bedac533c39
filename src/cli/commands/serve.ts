/**
 * `s3-cors-doctor serve`: a local S3-compatible CORS sandbox (issue 3). Every answer's CORS part comes from the
 * S3 model (src/core/s3), so a customer's failure can be reproduced in a real browser and a fix tried before it is
 * deployed. Objects live in memory; no authentication is checked (signatures, presigned parameters and
 * credentials are ignored — S21: CORS is independent of them).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Command } from '../command.js';
import { listFlag, parseArgs, stringFlag } from '../args.js';
import { EXIT_OK, UsageError, type CliIO } from '../io.js';
import { loadPolicyFile } from '../policy-input.js';
import type { HeaderMap } from '../../core/http/index.js';
import { parseS3Url } from '../../core/endpoint/index.js';
import { bucketNameProblem } from '../../core/endpoint/signing.js';
import { parsePolicy, validatePolicy, type CorsConfiguration } from '../../core/policy/index.js';
import { simulateS3, type BucketState } from '../../core/s3/index.js';

const USAGE = [
  's3-cors-doctor serve --config <file|none> [--port N] [--host 127.0.0.1] [--region us-east-1] [--bucket <name>]...',
  '                      [--max-memory <MB>]',
  '',
  '  Answers exactly as the S3 model: OPTIONS preflights, and the CORS headers of every other response.',
  '  Buckets: path-style http://HOST:PORT/<bucket>/<key> or virtual-hosted http://<bucket>.localhost:PORT/<key>;',
  '  the --bucket names exist from the start, others once created with PUT /<bucket> (until then they answer as',
  '  missing); each starts with --config; PUT/GET/DELETE /<bucket>?cors changes it (S3 wire format).',
  '  Memory: all stored objects and parts together stay under --max-memory (an upload beyond it gets',
  '  507 InsufficientStorage).',
  '  Objects: PUT/GET (with Range)/HEAD/DELETE, browser form POST uploads, multipart uploads (POST ?uploads,',
  '  PUT ?partNumber&uploadId, POST ?uploadId, DELETE ?uploadId), ListObjects on the bucket root.',
  '  No authentication is checked (signatures and presigned parameters are ignored). Ctrl-C stops it.',
  `  Defaults: --port ${8010}, --host 127.0.0.1, --region us-east-1, --max-memory 256.`,
].join('\n');

const DEFAULT_PORT = 8010;
/** Bodies are held in memory: refuse anything larger (S3's own single-PUT limit is 5 GB). */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
/**
 * Everything stored (objects, multipart parts) stays under this total, and so do the bodies being read: any site the developer
 * visits may POST a form to the sandbox (S3 accepts cross-site form POSTs, and so does the sandbox), so without a
 * cap a page could fill the machine's memory (issue 11).
 */
const DEFAULT_MAX_TOTAL_BYTES = 256 * 1024 * 1024;
/** What one stored object, part or bucket costs besides its bytes (maps, keys, ETags), counted against the cap. */
const RECORD_OVERHEAD_BYTES = 512;
/** S3's default bucket quota per account is in the thousands; the sandbox keeps it small. */
const MAX_BUCKETS = 1000;
const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

interface StoredObject {
  body: Buffer;
  etag: string;
  contentType: string;
  lastModified: Date;
}

interface Upload {
  key: string;
  contentType: string;
  parts: Map<number, { body: Buffer; etag: string }>;
}

interface Bucket {
  cors: CorsConfiguration | null;
  objects: Map<string, StoredObject>;
  uploads: Map<string, Upload>;
}

export interface SandboxOptions {
  /** The configuration every bucket starts with; null: buckets start without CORS. */
  config: CorsConfiguration | null;
  port: number;
  host: string;
  /** The buckets' region, for S31 when a request's Host names an AWS regional endpoint. */
  region: string;
  /** Buckets that exist from the start; others answer as a missing bucket (S5/S22) until created with PUT /<bucket>. */
  buckets?: string[];
  /** The total of stored bytes (objects, parts, buckets); bodies being read are bounded by it too. Default 256 MiB. */
  maxTotalBytes?: number;
}

export interface Sandbox {
  /** http://host:port */
  url: string;
  port: number;
  close(): Promise<void>;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

function xmlDocument(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

function element(name: string, value: string | number): string {
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** GetBucketCors (S24): rules in the order sent, values unnormalised, only the elements that were set. */
export function corsConfigurationXml(config: CorsConfiguration): string {
  const rules = config.rules.map((rule) => [
    '<CORSRule>',
    rule.id !== undefined ? element('ID', rule.id) : '',
    ...rule.allowedHeaders.map((v) => element('AllowedHeader', v)),
    ...rule.allowedMethods.map((v) => element('AllowedMethod', v)),
    ...rule.allowedOrigins.map((v) => element('AllowedOrigin', v)),
    ...rule.exposeHeaders.map((v) => element('ExposeHeader', v)),
    rule.maxAgeSeconds !== undefined ? element('MaxAgeSeconds', rule.maxAgeSeconds) : '',
    '</CORSRule>',
  ].join(''));
  return xmlDocument(`<CORSConfiguration xmlns="${S3_XMLNS}">${rules.join('')}</CORSConfiguration>`);
}

function requestHeaders(req: IncomingMessage): HeaderMap {
  const headers: HeaderMap = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** The body, or why it was not read whole: above the per-request limit, or above what the total cap leaves. */
async function readBody(req: IncomingMessage, reserve: (bytes: number) => boolean): Promise<Buffer | 'too-large' | 'full'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return 'too-large';
    if (!reserve((chunk as Buffer).length)) return 'full';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const md5 = (data: Buffer) => createHash('md5').update(data).digest();

/** Where a request goes: which bucket and key, read the same way the model reads URLs. */
function route(url: string, method: string): { bucket: string | null; key: string } {
  const info = parseS3Url(url, method);
  if (info.bucket !== null) return { bucket: info.bucket, key: info.key ?? '' };
  if (info.style === 'service') return { bucket: null, key: '' };
  // A host the URL reader does not know (a LAN name, a custom alias): path-style.
  const path = new URL(url).pathname.replace(/^\//, '');
  const slash = path.indexOf('/');
  const decode = (s: string) => { try { return decodeURIComponent(s); } catch { return s; } };
  if (path === '') return { bucket: null, key: '' };
  return { bucket: decode(slash === -1 ? path : path.slice(0, slash)), key: slash === -1 ? '' : decode(path.slice(slash + 1)) };
}

/** One `Range: bytes=a-b` (also `a-` and `-n`); several ranges or other units are ignored, as S3 does. */
function readRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start >= size || start > end ? 'unsatisfiable' : { start, end };
}

interface FormField {
  value: Buffer;
  filename?: string;
  contentType?: string;
}

/** multipart/form-data fields by lower-cased name (S3 reads POST form field names case-insensitively). */
function readFormData(body: Buffer, contentType: string): Map<string, FormField> | null {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundaryMatch) return null;
  const delimiter = Buffer.from(`--${boundaryMatch[1] ?? boundaryMatch[2]}`);
  const fields = new Map<string, FormField>();
  let position = body.indexOf(delimiter);
  if (position === -1) return null;
  for (;;) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString('latin1') === '--') return fields;
    const headersEnd = body.indexOf('\r\n\r\n', position);
    if (headersEnd === -1) return null;
    const partHeaders = body.subarray(position, headersEnd).toString('utf8');
    const next = body.indexOf(delimiter, headersEnd + 4);
    if (next === -1) return null;
    const name = /name="([^"]*)"/i.exec(partHeaders)?.[1]?.toLowerCase();
    if (name !== undefined && !fields.has(name)) {
      const field: FormField = { value: body.subarray(headersEnd + 4, Math.max(headersEnd + 4, next - 2)) };
      const filename = /filename="([^"]*)"/i.exec(partHeaders)?.[1];
      const type = /^content-type:\s*(.+)$/im.exec(partHeaders)?.[1]?.trim();
      if (filename !== undefined) field.filename = filename;
      if (type !== undefined) field.contentType = type;
      fields.set(name, field);
    }
    position = next;
  }
}

class SandboxServer {
  private readonly buckets = new Map<string, Bucket>();
  private requestCounter = 0;
  /** Bytes held by stored objects, parts and buckets (with their overhead); bytes of bodies being read. */
  private stored = 0;
  private reading = 0;
  private readonly maxTotal: number;

  constructor(private readonly options: SandboxOptions) {
    this.maxTotal = options.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
    for (const name of options.buckets ?? []) this.createBucket(name);
  }

  /** The named bucket; null until --bucket or PUT /<bucket> created it (never created by reading it). */
  private bucket(name: string): Bucket | null {
    return this.buckets.get(name) ?? null;
  }

  private createBucket(name: string): Bucket {
    const bucket: Bucket = { cors: this.options.config, objects: new Map(), uploads: new Map() };
    this.buckets.set(name, bucket);
    this.stored += RECORD_OVERHEAD_BYTES + name.length;
    return bucket;
  }

  /** Whether `delta` more stored bytes fit under the cap. */
  private fits(delta: number): boolean {
    return delta <= 0 || this.stored + delta <= this.maxTotal;
  }

  private objectCost(key: string, object: StoredObject | undefined): number {
    return object ? object.body.length + key.length + RECORD_OVERHEAD_BYTES : 0;
  }

  private uploadCost(upload: Upload): number {
    let total = upload.key.length + RECORD_OVERHEAD_BYTES;
    for (const part of upload.parts.values()) total += part.body.length + RECORD_OVERHEAD_BYTES;
    return total;
  }

  /** Store an object, or answer 507 when it does not fit. */
  private putObject(res: ServerResponse, bucket: Bucket, key: string, object: StoredObject, reply: HeaderMap, freed = 0): boolean {
    const delta = this.objectCost(key, object) - this.objectCost(key, bucket.objects.get(key)) - freed;
    if (!this.fits(delta)) {
      this.insufficientStorage(res, reply);
      return false;
    }
    bucket.objects.set(key, object);
    this.stored += delta;
    return true;
  }

  private insufficientStorage(res: ServerResponse, reply: HeaderMap): void {
    this.error(
      res,
      507,
      'InsufficientStorage',
      `The sandbox keeps everything in memory and holds at most ${this.maxTotal} bytes in all (--max-memory); delete objects or restart it.`,
      reply,
    );
  }

  private requestIds(): HeaderMap {
    this.requestCounter += 1;
    return { 'x-amz-request-id': this.requestCounter.toString(16).toUpperCase().padStart(16, '0'), 'x-amz-id-2': randomBytes(48).toString('base64') };
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const host = req.headers.host ?? `${this.options.host}:${this.options.port}`;
    const url = `http://${host}${req.url ?? '/'}`;
    const headers = requestHeaders(req);
    const { bucket: bucketName, key } = route(url, method);
    const bucket = bucketName === null ? null : this.bucket(bucketName);
    const region = this.options.region;
    const state: BucketState = bucketName !== null && bucket === null ? { kind: 'missing' }
      : bucket?.cors ? { kind: 'cors', config: bucket.cors, region } : { kind: 'no-cors', region };
    const model = simulateS3(state, { method, url, headers });
    // CreateBucket (PUT /<bucket> with no sub-resource): the only way, besides --bucket, a bucket comes to exist.
    // The answer about a bucket that exists carries its CORS headers, as every answer about it does (S1).
    if (method === 'PUT' && bucketName !== null && key === '' && new URL(url).search === '') {
      return this.handleCreateBucket(req, res, bucketName, bucket !== null && model.status === 200 ? model.headers : {});
    }
    const base = this.requestIds();

    // Preflights, and anything the model decides without the object store (S5/S22 missing bucket, S27 service
    // endpoint refusals, S28, S31): the model's answer, as it is.
    if (method === 'OPTIONS' || model.status !== 200) {
      const bodyType: HeaderMap = model.body === '' || model.headers['content-type'] ? {} : { 'content-type': model.body.startsWith('<?xml') ? 'application/xml' : 'text/html; charset=utf-8' };
      this.send(res, model.status, { ...base, ...bodyType, ...model.headers }, model.body, method === 'HEAD');
      return;
    }
    const cors = model.headers;
    let reserved = 0;
    try {
      // Bodies being read are bounded by the same total, apart from what is stored (a replaced object must fit
      // while its old version is still held): at most twice the cap in all.
      const body = await readBody(req, (bytes) => {
        if (this.reading + bytes > this.maxTotal) return false;
        this.reading += bytes;
        reserved += bytes;
        return true;
      });
      if (body === 'too-large') {
        this.error(res, 400, 'EntityTooLarge', `Your proposed upload exceeds the sandbox's in-memory limit of ${MAX_BODY_BYTES} bytes.`, { ...base, ...cors });
        return;
      }
      // The body is released before it is stored: storing checks the cap again, on what it keeps.
      this.reading -= reserved;
      reserved = 0;
      if (body === 'full') {
        req.resume();
        this.insufficientStorage(res, { ...base, ...cors });
        return;
      }
      this.route(res, method, url, headers, bucketName, bucket, key, body, { ...base, ...cors });
    } finally {
      this.reading -= reserved;
    }
  }

  private handleCreateBucket(req: IncomingMessage, res: ServerResponse, name: string, cors: HeaderMap): void {
    req.resume();
    const reply = { ...this.requestIds(), ...cors };
    const problem = bucketNameProblem(name);
    if (problem) return this.error(res, 400, 'InvalidBucketName', `The specified bucket is not valid: ${problem}.`, reply, false, [['BucketName', name]]);
    if (this.buckets.has(name)) {
      // S3 answers 200 in us-east-1 for a bucket you already own, 409 BucketAlreadyOwnedByYou elsewhere.
      if (this.options.region === 'us-east-1') return this.send(res, 200, { ...reply, location: `/${name}` }, '');
      return this.error(res, 409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', reply, false, [['BucketName', name]]);
    }
    if (this.buckets.size >= MAX_BUCKETS) return this.error(res, 400, 'TooManyBuckets', 'You have attempted to create more buckets than allowed', reply, false, [['BucketName', name]]);
    if (!this.fits(RECORD_OVERHEAD_BYTES + name.length)) return this.insufficientStorage(res, reply);
    this.createBucket(name);
    this.send(res, 200, { ...reply, location: `/${name}` }, '');
  }

  private route(res: ServerResponse, method: string, url: string, headers: HeaderMap, bucketName: string | null, bucket: Bucket | null, key: string, body: Buffer, reply: HeaderMap): void {
    if (bucket === null || bucketName === null) {
      if (method === 'GET') {
        const names = [...this.buckets.keys()].map((n) => `<Bucket>${element('Name', n)}</Bucket>`).join('');
        this.sendXml(res, 200, reply, `<ListAllMyBucketsResult xmlns="${S3_XMLNS}"><Buckets>${names}</Buckets></ListAllMyBucketsResult>`);
      } else this.error(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', reply);
      return;
    }
    const query = new URL(url).searchParams;
    if (query.has('cors')) return this.handleCors(res, method, bucket, body, reply);
    if (method === 'POST' && key === '' && /^multipart\/form-data/i.test(headers['content-type'] ?? '')) {
      return this.formUpload(res, bucket, bucketName, body, headers['content-type']!, reply);
    }
    if (query.has('uploads') && method === 'POST') return this.createUpload(res, bucket, bucketName, key, headers, reply);
    const uploadId = query.get('uploadId');
    if (uploadId !== null) return this.handleUpload(res, method, bucket, bucketName, key, uploadId, query.get('partNumber'), body, reply);
    if (key === '') {
      if (method === 'GET' || method === 'HEAD') return this.listObjects(res, method, bucket, bucketName, query, reply);
      return this.error(res, 501, 'NotImplemented', 'A header you provided implies functionality that is not implemented', reply);
    }
    return this.handleObject(res, method, bucket, key, headers, body, reply);
  }

  private handleCors(res: ServerResponse, method: string, bucket: Bucket, body: Buffer, reply: HeaderMap): void {
    if (method === 'GET') {
      // S25: no configuration → 404 NoSuchCORSConfiguration.
      if (!bucket.cors) return this.error(res, 404, 'NoSuchCORSConfiguration', 'The CORS configuration does not exist', reply);
      return this.sendXml(res, 200, reply, corsConfigurationXml(bucket.cors).replace(/^<\?xml[^>]*>\n/, ''));
    }
    if (method === 'DELETE') {
      bucket.cors = null;
      return this.send(res, 204, reply, '');
    }
    if (method === 'PUT') {
      let config: CorsConfiguration;
      try {
        const parsed = parsePolicy(body.toString('utf8'), { format: 'xml', file: 'PutBucketCors' });
        const refusal = validatePolicy(parsed)[0];
        if (refusal) return this.error(res, 400, refusal.code, refusal.message, reply);
        config = parsed.config;
      } catch {
        return this.error(res, 400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', reply);
      }
      // S26: PutBucketCors replaces the whole configuration, here without propagation delay.
      bucket.cors = config;
      return this.send(res, 200, reply, '');
    }
    return this.error(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', reply);
  }

  private createUpload(res: ServerResponse, bucket: Bucket, bucketName: string, key: string, headers: HeaderMap, reply: HeaderMap): void {
    const uploadId = randomBytes(24).toString('base64url');
    const upload: Upload = { key, contentType: headers['content-type'] ?? 'binary/octet-stream', parts: new Map() };
    if (!this.fits(this.uploadCost(upload))) return this.insufficientStorage(res, reply);
    bucket.uploads.set(uploadId, upload);
    this.stored += this.uploadCost(upload);
    this.sendXml(res, 200, reply, `<InitiateMultipartUploadResult xmlns="${S3_XMLNS}">${element('Bucket', bucketName)}${element('Key', key)}${element('UploadId', uploadId)}</InitiateMultipartUploadResult>`);
  }

  private handleUpload(
    res: ServerResponse, method: string, bucket: Bucket, bucketName: string, key: string, uploadId: string, partNumberText: string | null, body: Buffer, reply: HeaderMap,
  ): void {
    const upload = bucket.uploads.get(uploadId);
    if (!upload || upload.key !== key) {
      return this.error(res, 404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', reply);
    }
    if (method === 'PUT' && partNumberText !== null) {
      const partNumber = Number(partNumberText);
      if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) {
        return this.error(res, 400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', reply);
      }
      const etag = `"${md5(body).toString('hex')}"`;
      const previous = upload.parts.get(partNumber);
      const delta = body.length - (previous ? previous.body.length : -RECORD_OVERHEAD_BYTES);
      if (!this.fits(delta)) return this.insufficientStorage(res, reply);
      upload.parts.set(partNumber, { body, etag });
      this.stored += delta;
      return this.send(res, 200, { ...reply, etag }, '');
    }
    if (method === 'POST') {
      const listed = [...body.toString('utf8').matchAll(/<PartNumber>\s*(\d+)\s*<\/PartNumber>/g)].map((m) => Number(m[1]));
      const numbers = listed.length > 0 ? listed : [...upload.parts.keys()].sort((a, b) => a - b);
      const parts = numbers.map((n) => upload.parts.get(n));
      if (parts.some((p) => p === undefined)) {
        return this.error(res, 400, 'InvalidPart', 'One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part\'s entity tag.', reply);
      }
      const data = Buffer.concat(parts.map((p) => p!.body));
      // S3's multipart ETag: md5 of the parts' binary md5s, then "-<part count>".
      const etag = `"${md5(Buffer.concat(parts.map((p) => md5(p!.body)))).toString('hex')}-${parts.length}"`;
      // The parts are released as the object is stored: what is kept stays about the same size.
      if (!this.putObject(res, bucket, key, { body: data, etag, contentType: upload.contentType, lastModified: new Date() }, reply, this.uploadCost(upload))) return;
      bucket.uploads.delete(uploadId);
      const location = `http://${this.options.host}:${this.options.port}/${encodeURIComponent(bucketName)}/${key.split('/').map(encodeURIComponent).join('/')}`;
      return this.sendXml(res, 200, reply, `<CompleteMultipartUploadResult xmlns="${S3_XMLNS}">${element('Location', location)}${element('Bucket', bucketName)}${element('Key', key)}${element('ETag', etag)}</CompleteMultipartUploadResult>`);
    }
    if (method === 'DELETE') {
      this.stored -= this.uploadCost(upload);
      bucket.uploads.delete(uploadId);
      return this.send(res, 204, reply, '');
    }
    if (method === 'GET') {
      const parts = [...upload.parts.entries()].sort(([a], [b]) => a - b)
        .map(([n, p]) => `<Part>${element('PartNumber', n)}${element('ETag', p.etag)}${element('Size', p.body.length)}</Part>`).join('');
      return this.sendXml(res, 200, reply, `<ListPartsResult xmlns="${S3_XMLNS}">${element('Bucket', bucketName)}${element('Key', key)}${element('UploadId', uploadId)}${parts}</ListPartsResult>`);
    }
    return this.error(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', reply);
  }

  private listObjects(res: ServerResponse, method: string, bucket: Bucket, bucketName: string, query: URLSearchParams, reply: HeaderMap): void {
    const prefix = query.get('prefix') ?? '';
    const keys = [...bucket.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
    const contents = keys.map((k) => {
      const o = bucket.objects.get(k)!;
      return `<Contents>${element('Key', k)}${element('LastModified', o.lastModified.toISOString())}${element('ETag', o.etag)}${element('Size', o.body.length)}${element('StorageClass', 'STANDARD')}</Contents>`;
    }).join('');
    const xml = `<ListBucketResult xmlns="${S3_XMLNS}">${element('Name', bucketName)}${element('Prefix', prefix)}${element('KeyCount', keys.length)}${element('MaxKeys', 1000)}${element('IsTruncated', 'false')}${contents}</ListBucketResult>`;
    this.sendXml(res, 200, reply, xml, method === 'HEAD');
  }

  /** Browser form uploads (POST Object, presigned POST): the fields before `file`, then the file itself. */
  private formUpload(res: ServerResponse, bucket: Bucket, bucketName: string, body: Buffer, contentType: string, reply: HeaderMap): void {
    const fields = readFormData(body, contentType);
    const file = fields?.get('file');
    const keyTemplate = fields?.get('key')?.value.toString('utf8');
    if (!fields || !file || keyTemplate === undefined || keyTemplate === '') {
      return this.error(res, 400, 'InvalidArgument', 'Bucket POST must contain a field named \'key\' and a file field named \'file\'.', reply);
    }
    const key = keyTemplate.replace(/\$\{filename\}/g, file.filename ?? '');
    const etag = `"${md5(file.value).toString('hex')}"`;
    const type = fields.get('content-type')?.value.toString('utf8') ?? file.contentType ?? 'binary/octet-stream';
    // A copy: the field is a view of the whole form body, which must not stay alive behind it.
    if (!this.putObject(res, bucket, key, { body: Buffer.from(file.value), etag, contentType: type, lastModified: new Date() }, reply)) return;
    const location = `http://${this.options.host}:${this.options.port}/${encodeURIComponent(bucketName)}/${key.split('/').map(encodeURIComponent).join('/')}`;
    const status = fields.get('success_action_status')?.value.toString('utf8');
    const headers = { ...reply, etag, location };
    if (status === '201') {
      return this.sendXml(res, 201, headers, `<PostResponse>${element('Location', location)}${element('Bucket', bucketName)}${element('Key', key)}${element('ETag', etag)}</PostResponse>`);
    }
    return this.send(res, status === '200' ? 200 : 204, headers, '');
  }

  private handleObject(res: ServerResponse, method: string, bucket: Bucket, key: string, headers: HeaderMap, body: Buffer, reply: HeaderMap): void {
    if (method === 'PUT') {
      const etag = `"${md5(body).toString('hex')}"`;
      if (!this.putObject(res, bucket, key, { body, etag, contentType: headers['content-type'] ?? 'binary/octet-stream', lastModified: new Date() }, reply)) return;
      return this.send(res, 200, { ...reply, etag }, '');
    }
    if (method === 'DELETE') {
      this.stored -= this.objectCost(key, bucket.objects.get(key));
      bucket.objects.delete(key);
      return this.send(res, 204, reply, '');
    }
    if (method === 'GET' || method === 'HEAD') {
      const object = bucket.objects.get(key);
      if (!object) return this.error(res, 404, 'NoSuchKey', 'The specified key does not exist.', reply, method === 'HEAD', [['Key', key]]);
      const objectHeaders = { ...reply, etag: object.etag, 'content-type': object.contentType, 'last-modified': object.lastModified.toUTCString(), 'accept-ranges': 'bytes' };
      const range = readRange(headers.range, object.body.length);
      if (range === 'unsatisfiable') return this.error(res, 416, 'InvalidRange', 'The requested range is not satisfiable', reply, method === 'HEAD');
      if (range) {
        const contentRange = `bytes ${range.start}-${range.end}/${object.body.length}`;
        return this.send(res, 206, { ...objectHeaders, 'content-range': contentRange }, object.body.subarray(range.start, range.end + 1), method === 'HEAD');
      }
      return this.send(res, 200, objectHeaders, object.body, method === 'HEAD');
    }
    return this.error(res, 501, 'NotImplemented', 'A header you provided implies functionality that is not implemented', reply);
  }

  private error(res: ServerResponse, status: number, code: string, message: string, headers: HeaderMap, headOnly = false, extra: Array<[string, string]> = []): void {
    const fields = extra.map(([name, value]) => element(name, value)).join('');
    const xml = `<Error>${element('Code', code)}${element('Message', message)}${fields}${element('RequestId', headers['x-amz-request-id'] ?? '')}${element('HostId', headers['x-amz-id-2'] ?? '')}</Error>`;
    this.sendXml(res, status, headers, xml, headOnly);
  }

  private sendXml(res: ServerResponse, status: number, headers: HeaderMap, xml: string, headOnly = false): void {
    this.send(res, status, { ...headers, 'content-type': 'application/xml' }, xmlDocument(xml), headOnly);
  }

  private send(res: ServerResponse, status: number, headers: HeaderMap, body: string | Buffer, headOnly = false): void {
    const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    res.statusCode = status;
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (status !== 204 && status !== 304) res.setHeader('content-length', String(data.length));
    res.end(headOnly || status === 204 ? undefined : data);
  }
}

/** Start the sandbox; `port: 0` picks a free port (tests). */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  let port = options.port;
  const sandbox = new SandboxServer({ ...options, get port() { return port; } });
  const server: Server = createServer((req, res) => {
    sandbox.handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('content-type', 'text/plain');
        res.end(`sandbox error: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
      } else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function portFlag(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PORT;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new UsageError(`--port "${text}" is not a port number (0–65535)`);
  return Number(text);
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'a local S3-compatible CORS sandbox answering exactly as the S3 model',
  usage: USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, { config: { value: true }, port: { value: true }, host: { value: true }, region: { value: true }, bucket: { value: true, repeat: true }, 'max-memory': { value: true } });
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
    const configPath = stringFlag(args, 'config');
    if (configPath === undefined) throw new UsageError('--config is required (a configuration file, or none)');
    const port = portFlag(stringFlag(args, 'port'));
    const host = stringFlag(args, 'host') ?? '127.0.0.1';
    const region = stringFlag(args, 'region') ?? 'us-east-1';
    if (!/^[a-z0-9-]{1,40}$/.test(region)) throw new UsageError(`--region "${region}" is not a region name`);
    const maxMemory = stringFlag(args, 'max-memory');
    if (maxMemory !== undefined && (!/^\d{1,6}$/.test(maxMemory) || Number(maxMemory) < 1)) throw new UsageError(`--max-memory "${maxMemory}" is not a size in MB (1 or more)`);
    const bucketNames = listFlag(args, 'bucket');
    for (const name of bucketNames) {
      const problem = bucketNameProblem(name);
      if (problem) throw new UsageError(`--bucket "${name}" is not a bucket name: ${problem}`);
    }
    const policy = await loadPolicyFile(configPath, io);
    const config = policy === 'none' ? null : policy.config;
    const refusal = policy === 'none' ? undefined : validatePolicy(policy)[0];
    if (refusal && policy !== 'none') {
      const where = [policy.file ?? '<stdin>', refusal.line, refusal.column].filter((p) => p !== undefined).join(':');
      io.stderr.write(`s3-cors-doctor serve: warning: ${where}: PutBucketCors would refuse this configuration (${refusal.code}: ${refusal.message}); serving it as written\n`);
    }
    let sandbox: Sandbox;
    try {
      sandbox = await startSandbox({
        config,
        port,
        host,
        region,
        ...(bucketNames.length > 0 ? { buckets: bucketNames } : {}),
        ...(maxMemory !== undefined ? { maxTotalBytes: Number(maxMemory) * 1024 * 1024 } : {}),
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UsageError(`cannot listen on ${host}:${port} (${code ?? (err as Error).message})`);
    }
    const rules = config ? `${config.rules.length} rule${config.rules.length === 1 ? '' : 's'}` : 'no CORS configuration';
    io.stdout.write([
      `S3 CORS sandbox listening on ${sandbox.url}`,
      `  path-style:      ${sandbox.url}/<bucket>/<key>`,
      `  virtual-hosted:  http://<bucket>.localhost:${sandbox.port}/<key>`,
      `  buckets: ${bucketNames.length > 0 ? bucketNames.join(', ') : 'none yet'}; PUT /<bucket> creates one`,
      `  every bucket starts with ${rules} (${policy === 'none' ? 'none' : policy.file ?? '<stdin>'}), region ${region}; PUT /<bucket>?cors replaces it`,
      '  no authentication is checked; objects live in memory. Ctrl-C to stop.',
      '',
    ].join('\n'));
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await sandbox.close();
    io.stdout.write('sandbox stopped\n');
    return EXIT_OK;
  },
};
