/** Multipart uploads: CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload, ListParts. */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { HeaderMap } from '../core/http/index.js';
import { S3_MESSAGES } from '../core/s3/index.js';
import { send, sendError, sendXml } from './http.js';
import { etagOf, md5, type Bucket, type ObjectStore, type Upload } from './store.js';
import { completeMultipartUploadXml, initiateMultipartUploadXml, listPartsXml, SANDBOX_S3_MESSAGES } from './xml.js';

export interface UploadContext {
  res: ServerResponse;
  store: ObjectStore;
  bucket: Bucket;
  bucketName: string;
  key: string;
  /** Request ids and CORS headers every answer carries. */
  reply: HeaderMap;
  /** The object's URL, for Location. */
  location: string;
  insufficientStorage(): void;
}

export function createUpload(ctx: UploadContext, contentType: string | undefined): void {
  const uploadId = randomBytes(24).toString('base64url');
  const upload: Upload = { key: ctx.key, contentType: contentType ?? 'binary/octet-stream', parts: new Map() };
  if (!ctx.store.addUpload(ctx.bucket, uploadId, upload)) return ctx.insufficientStorage();
  sendXml(ctx.res, 200, ctx.reply, initiateMultipartUploadXml(ctx.bucketName, ctx.key, uploadId));
}

export function handleUpload(ctx: UploadContext, method: string, uploadId: string, partNumberText: string | null, body: Buffer): void {
  const { res, reply, store, bucket } = ctx;
  const upload = bucket.uploads.get(uploadId);
  if (!upload || upload.key !== ctx.key) return sendError(res, 404, 'NoSuchUpload', SANDBOX_S3_MESSAGES.noSuchUpload, reply);
  if (method === 'PUT' && partNumberText !== null) {
    const partNumber = Number(partNumberText);
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) {
      return sendError(res, 400, 'InvalidArgument', SANDBOX_S3_MESSAGES.invalidPartNumber, reply);
    }
    const etag = etagOf(body);
    if (!store.putPart(upload, partNumber, body, etag)) return ctx.insufficientStorage();
    return send(res, 200, { ...reply, etag }, '');
  }
  if (method === 'POST') {
    const listed = [...body.toString('utf8').matchAll(/<PartNumber>\s*(\d+)\s*<\/PartNumber>/g)].map((m) => Number(m[1]));
    const numbers = listed.length > 0 ? listed : [...upload.parts.keys()].sort((a, b) => a - b);
    const parts: Buffer[] = [];
    for (const n of numbers) {
      const part = upload.parts.get(n);
      if (part === undefined) return sendError(res, 400, 'InvalidPart', SANDBOX_S3_MESSAGES.invalidPart, reply);
      parts.push(part.body);
    }
    const data = Buffer.concat(parts);
    // S3's multipart ETag: md5 of the parts' binary md5s, then "-<part count>".
    const etag = `"${md5(Buffer.concat(parts.map((p) => md5(p)))).toString('hex')}-${parts.length}"`;
    // The parts are released as the object is stored: what is kept stays about the same size.
    if (!store.completeUpload(bucket, uploadId, upload, { body: data, etag, contentType: upload.contentType, lastModified: new Date() })) {
      return ctx.insufficientStorage();
    }
    return sendXml(res, 200, reply, completeMultipartUploadXml(ctx.location, ctx.bucketName, ctx.key, etag));
  }
  if (method === 'DELETE') {
    store.abortUpload(bucket, uploadId, upload);
    return send(res, 204, reply, '');
  }
  if (method === 'GET') {
    const parts = [...upload.parts.entries()].sort(([a], [b]) => a - b).map(([n, p]) => ({ partNumber: n, etag: p.etag, size: p.body.length }));
    return sendXml(res, 200, reply, listPartsXml(ctx.bucketName, ctx.key, uploadId, parts));
  }
  return sendError(res, 405, 'MethodNotAllowed', S3_MESSAGES.methodNotAllowed, reply);
}
