/** The sandbox's HTTP plumbing: request headers as the model reads them, bounded body reading, writing answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HeaderMap } from '../core/http/index.js';
import { errorXml } from '../core/s3/errors.js';

/** Bodies are held in memory: refuse anything larger (S3's own single-PUT limit is 5 GB). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export function requestHeaders(req: IncomingMessage): HeaderMap {
  const headers: HeaderMap = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** The body, or why it was not read whole: above the per-request limit, or above what the total cap leaves. */
export async function readBody(req: IncomingMessage, reserve: (bytes: number) => boolean): Promise<Buffer | 'too-large' | 'full'> {
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

export function send(res: ServerResponse, status: number, headers: HeaderMap, body: string | Buffer, headOnly = false): void {
  const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (status !== 204 && status !== 304) res.setHeader('content-length', String(data.length));
  res.end(headOnly || status === 204 ? undefined : data);
}

/** An XML document (with its declaration) as application/xml. */
export function sendXml(res: ServerResponse, status: number, headers: HeaderMap, document: string, headOnly = false): void {
  send(res, status, { ...headers, 'content-type': 'application/xml' }, document, headOnly);
}

/** An S3 error document (Code, Message, any extra fields, RequestId, HostId), written as S3 writes them. */
export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: HeaderMap,
  headOnly = false,
  extra: Array<[string, string]> = [],
): void {
  const fields: Array<[string, string]> = [
    ['Code', code],
    ['Message', message],
    ...extra,
    ['RequestId', headers['x-amz-request-id'] ?? ''],
    ['HostId', headers['x-amz-id-2'] ?? ''],
  ];
  sendXml(res, status, headers, errorXml(fields), headOnly);
}
