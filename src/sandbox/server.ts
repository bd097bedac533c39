/**
 * The S3-compatible CORS sandbox behind `s3-cors-doctor serve` (issue 3). Every answer's CORS part comes from the
 * S3 model (src/core/s3), so a customer's failure can be reproduced in a real browser and a fix tried before it is
 * deployed. Objects live in memory; no authentication is checked (signatures, presigned parameters and
 * credentials are ignored — S21: CORS is independent of them).
 *
 * This file routes each request to the store; the store, multipart uploads, ranges, form data and the S3
 * documents each have their own file beside it.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HeaderMap } from '../core/http/index.js';
import { bucketNameProblem } from '../core/endpoint/signing.js';
import { parsePolicy, renderGetBucketCorsXml, validatePolicy, type CorsConfiguration } from '../core/policy/index.js';
import { MALFORMED_XML_MESSAGE } from '../core/policy/s3-errors.js';
import { S3_MESSAGES, simulateS3, type BucketState } from '../core/s3/index.js';
import { MAX_BODY_BYTES, readBody, requestHeaders, send, sendError, sendXml } from './http.js';
import { route } from './route.js';
import { readRange } from './range.js';
import { readFormData } from './form-data.js';
import { createUpload, handleUpload, type UploadContext } from './multipart.js';
import { etagOf, MAX_BUCKETS, ObjectStore, type Bucket } from './store.js';
import { listAllMyBucketsXml, listBucketXml, postResponseXml, SANDBOX_S3_MESSAGES } from './xml.js';

/**
 * Everything stored (objects, multipart parts) stays under this total, and so do the bodies being read: any site the developer
 * visits may POST a form to the sandbox (S3 accepts cross-site form POSTs, and so does the sandbox), so without a
 * cap a page could fill the machine's memory (issue 11).
 */
const DEFAULT_MAX_TOTAL_BYTES = 256 * 1024 * 1024;

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

export class SandboxServer {
  private readonly store: ObjectStore;
  private requestCounter = 0;
  /** Bytes of bodies being read. */
  private reading = 0;

  constructor(private readonly options: SandboxOptions) {
    this.store = new ObjectStore(options.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES, options.config);
    for (const name of options.buckets ?? []) this.store.createBucket(name);
  }

  private insufficientStorage(res: ServerResponse, reply: HeaderMap): void {
    sendError(res, 507, 'InsufficientStorage', SANDBOX_S3_MESSAGES.insufficientStorage(this.store.maxTotal), reply);
  }

  private requestIds(): HeaderMap {
    this.requestCounter += 1;
    return { 'x-amz-request-id': this.requestCounter.toString(16).toUpperCase().padStart(16, '0'), 'x-amz-id-2': randomBytes(48).toString('base64') };
  }

  private objectUrl(bucketName: string, key: string): string {
    return `http://${this.options.host}:${this.options.port}/${encodeURIComponent(bucketName)}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const host = req.headers.host ?? `${this.options.host}:${this.options.port}`;
    const url = `http://${host}${req.url ?? '/'}`;
    const headers = requestHeaders(req);
    const { bucket: bucketName, key } = route(url, method);
    const bucket = bucketName === null ? null : this.store.bucket(bucketName);
    const region = this.options.region;
    const state: BucketState =
      bucketName !== null && bucket === null ? { kind: 'missing' } : bucket?.cors ? { kind: 'cors', config: bucket.cors, region } : { kind: 'no-cors', region };
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
      const bodyType: HeaderMap =
        model.body === '' || model.headers['content-type']
          ? {}
          : { 'content-type': model.body.startsWith('<?xml') ? 'application/xml' : 'text/html; charset=utf-8' };
      send(res, model.status, { ...base, ...bodyType, ...model.headers }, model.body, method === 'HEAD');
      return;
    }
    const cors = model.headers;
    let reserved = 0;
    try {
      // Bodies being read are bounded by the same total, apart from what is stored (a replaced object must fit
      // while its old version is still held): at most twice the cap in all.
      const body = await readBody(req, (bytes) => {
        if (this.reading + bytes > this.store.maxTotal) return false;
        this.reading += bytes;
        reserved += bytes;
        return true;
      });
      if (body === 'too-large') {
        sendError(res, 400, 'EntityTooLarge', SANDBOX_S3_MESSAGES.entityTooLarge(MAX_BODY_BYTES), { ...base, ...cors });
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
      this.dispatch(res, method, url, headers, bucketName, bucket, key, body, { ...base, ...cors });
    } finally {
      this.reading -= reserved;
    }
  }

  private handleCreateBucket(req: IncomingMessage, res: ServerResponse, name: string, cors: HeaderMap): void {
    req.resume();
    const reply = { ...this.requestIds(), ...cors };
    const problem = bucketNameProblem(name);
    if (problem) return sendError(res, 400, 'InvalidBucketName', SANDBOX_S3_MESSAGES.invalidBucketName(problem), reply, false, [['BucketName', name]]);
    if (this.store.buckets.has(name)) {
      // S3 answers 200 in us-east-1 for a bucket you already own, 409 BucketAlreadyOwnedByYou elsewhere.
      if (this.options.region === 'us-east-1') return send(res, 200, { ...reply, location: `/${name}` }, '');
      return sendError(res, 409, 'BucketAlreadyOwnedByYou', SANDBOX_S3_MESSAGES.bucketAlreadyOwnedByYou, reply, false, [['BucketName', name]]);
    }
    if (this.store.buckets.size >= MAX_BUCKETS)
      return sendError(res, 400, 'TooManyBuckets', SANDBOX_S3_MESSAGES.tooManyBuckets, reply, false, [['BucketName', name]]);
    if (!this.store.bucketFits(name)) return this.insufficientStorage(res, reply);
    this.store.createBucket(name);
    send(res, 200, { ...reply, location: `/${name}` }, '');
  }

  private dispatch(
    res: ServerResponse,
    method: string,
    url: string,
    headers: HeaderMap,
    bucketName: string | null,
    bucket: Bucket | null,
    key: string,
    body: Buffer,
    reply: HeaderMap,
  ): void {
    if (bucket === null || bucketName === null) {
      if (method === 'GET') sendXml(res, 200, reply, listAllMyBucketsXml(this.store.buckets.keys()));
      else sendError(res, 405, 'MethodNotAllowed', S3_MESSAGES.methodNotAllowed, reply);
      return;
    }
    const query = new URL(url).searchParams;
    if (query.has('cors')) return this.handleCors(res, method, bucket, body, reply);
    const contentType = headers['content-type'] ?? '';
    if (method === 'POST' && key === '' && /^multipart\/form-data/i.test(contentType)) {
      return this.formUpload(res, bucket, bucketName, body, contentType, reply);
    }
    const upload: UploadContext = {
      res,
      store: this.store,
      bucket,
      bucketName,
      key,
      reply,
      location: this.objectUrl(bucketName, key),
      insufficientStorage: () => this.insufficientStorage(res, reply),
    };
    if (query.has('uploads') && method === 'POST') return createUpload(upload, headers['content-type']);
    const uploadId = query.get('uploadId');
    if (uploadId !== null) return handleUpload(upload, method, uploadId, query.get('partNumber'), body);
    if (key === '') {
      if (method === 'GET' || method === 'HEAD') return this.listObjects(res, method, bucket, bucketName, query, reply);
      return sendError(res, 501, 'NotImplemented', SANDBOX_S3_MESSAGES.notImplemented, reply);
    }
    return this.handleObject(res, method, bucket, key, headers, body, reply);
  }

  private handleCors(res: ServerResponse, method: string, bucket: Bucket, body: Buffer, reply: HeaderMap): void {
    if (method === 'GET') {
      // S25: no configuration → 404 NoSuchCORSConfiguration.
      if (!bucket.cors) return sendError(res, 404, 'NoSuchCORSConfiguration', SANDBOX_S3_MESSAGES.noSuchCorsConfiguration, reply);
      return sendXml(res, 200, reply, renderGetBucketCorsXml(bucket.cors));
    }
    if (method === 'DELETE') {
      bucket.cors = null;
      return send(res, 204, reply, '');
    }
    if (method === 'PUT') {
      let config: CorsConfiguration;
      try {
        const parsed = parsePolicy(body.toString('utf8'), { format: 'xml', file: 'PutBucketCors' });
        const refusal = validatePolicy(parsed)[0];
        if (refusal) return sendError(res, 400, refusal.code, refusal.message, reply);
        config = parsed.config;
      } catch {
        return sendError(res, 400, 'MalformedXML', MALFORMED_XML_MESSAGE, reply);
      }
      // S26: PutBucketCors replaces the whole configuration, here without propagation delay.
      bucket.cors = config;
      return send(res, 200, reply, '');
    }
    return sendError(res, 405, 'MethodNotAllowed', S3_MESSAGES.methodNotAllowed, reply);
  }

  private listObjects(res: ServerResponse, method: string, bucket: Bucket, bucketName: string, query: URLSearchParams, reply: HeaderMap): void {
    const prefix = query.get('prefix') ?? '';
    const keys = [...bucket.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
    const objects = keys.flatMap((k) => {
      const o = bucket.objects.get(k);
      return o ? [{ key: k, lastModified: o.lastModified, etag: o.etag, size: o.body.length }] : [];
    });
    sendXml(res, 200, reply, listBucketXml(bucketName, prefix, objects), method === 'HEAD');
  }

  /** Browser form uploads (POST Object, presigned POST): the fields before `file`, then the file itself. */
  private formUpload(res: ServerResponse, bucket: Bucket, bucketName: string, body: Buffer, contentType: string, reply: HeaderMap): void {
    const fields = readFormData(body, contentType);
    const file = fields?.get('file');
    const keyTemplate = fields?.get('key')?.value.toString('utf8');
    if (!fields || !file || keyTemplate === undefined || keyTemplate === '') {
      return sendError(res, 400, 'InvalidArgument', SANDBOX_S3_MESSAGES.formFieldsMissing, reply);
    }
    const key = keyTemplate.replace(/\$\{filename\}/g, file.filename ?? '');
    const etag = etagOf(file.value);
    const type = fields.get('content-type')?.value.toString('utf8') ?? file.contentType ?? 'binary/octet-stream';
    // A copy: the field is a view of the whole form body, which must not stay alive behind it.
    if (!this.store.putObject(bucket, key, { body: Buffer.from(file.value), etag, contentType: type, lastModified: new Date() })) {
      return this.insufficientStorage(res, reply);
    }
    const location = this.objectUrl(bucketName, key);
    const status = fields.get('success_action_status')?.value.toString('utf8');
    const headers = { ...reply, etag, location };
    if (status === '201') return sendXml(res, 201, headers, postResponseXml(location, bucketName, key, etag));
    return send(res, status === '200' ? 200 : 204, headers, '');
  }

  private handleObject(res: ServerResponse, method: string, bucket: Bucket, key: string, headers: HeaderMap, body: Buffer, reply: HeaderMap): void {
    if (method === 'PUT') {
      const etag = etagOf(body);
      if (!this.store.putObject(bucket, key, { body, etag, contentType: headers['content-type'] ?? 'binary/octet-stream', lastModified: new Date() })) {
        return this.insufficientStorage(res, reply);
      }
      return send(res, 200, { ...reply, etag }, '');
    }
    if (method === 'DELETE') {
      this.store.deleteObject(bucket, key);
      return send(res, 204, reply, '');
    }
    if (method === 'GET' || method === 'HEAD') {
      const object = bucket.objects.get(key);
      if (!object) return sendError(res, 404, 'NoSuchKey', SANDBOX_S3_MESSAGES.noSuchKey, reply, method === 'HEAD', [['Key', key]]);
      const objectHeaders = {
        ...reply,
        etag: object.etag,
        'content-type': object.contentType,
        'last-modified': object.lastModified.toUTCString(),
        'accept-ranges': 'bytes',
      };
      const range = readRange(headers.range, object.body.length);
      if (range === 'unsatisfiable') return sendError(res, 416, 'InvalidRange', SANDBOX_S3_MESSAGES.invalidRange, reply, method === 'HEAD');
      if (range) {
        const contentRange = `bytes ${range.start}-${range.end}/${object.body.length}`;
        return send(res, 206, { ...objectHeaders, 'content-range': contentRange }, object.body.subarray(range.start, range.end + 1), method === 'HEAD');
      }
      return send(res, 200, objectHeaders, object.body, method === 'HEAD');
    }
    return sendError(res, 501, 'NotImplemented', SANDBOX_S3_MESSAGES.notImplemented, reply);
  }
}
