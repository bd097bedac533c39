/**
 * The loopback servers the Firefox scenarios need: s3rver (a real S3-compatible server, its CORS configured
 * through the S3 API), a page origin that uploads to it, and a collector the observer add-on reports to.
 */
import { AwsClient } from 'aws4fetch';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';

/** The slice of s3rver's API used here (the package ships no types; a local view avoids a global declaration). */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: Array<{ name: string; configs: string[] }>;
}) => S3rverInstance;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

export interface LocalS3 {
  /** e.g. http://127.0.0.1:41234 — path-style: `${endpoint}/${bucket}/${key}`. */
  endpoint: string;
  bucket: string;
  /** PutBucketCors through the S3 API (SigV4 with s3rver's fixed key), as a user applying the fix would. */
  putBucketCors(xml: string): Promise<void>;
  deleteBucketCors(): Promise<void>;
  putObject(key: string, body: string, contentType: string): Promise<void>;
  stop(): Promise<void>;
}

/** s3rver accepts only its own well-known key pair; it is not a secret. */
const S3RVER_KEY = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', service: 's3', region: 'us-east-1' };

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

export async function startLocalS3(bucket: string, corsXml: string | null): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 's3cd-s3rver-'));
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: corsXml ? [corsXml] : [] }] });
  const address = await s3rver.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new AwsClient(S3RVER_KEY);
  async function send(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<void> {
    const response = await client.fetch(`${endpoint}/${bucket}${path}`, { method, body, headers });
    if (!response.ok) throw new Error(`s3rver ${method} ${path}: ${response.status} ${await response.text()}`);
  }
  return {
    endpoint,
    bucket,
    putBucketCors: (xml) => send('PUT', '?cors', xml, { 'content-type': 'application/xml' }),
    deleteBucketCors: () => send('DELETE', '?cors'),
    putObject: (key, body, contentType) => send('PUT', `/${key}`, body, { 'content-type': contentType }),
    async stop() {
      await s3rver.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export interface LocalServer {
  origin: string;
  stop(): Promise<void>;
}

/** Serves one HTML page at `/` (and 404 elsewhere) from 127.0.0.1 on its own port: the inspected page's origin. */
export async function startPageServer(html: string): Promise<LocalServer> {
  const server = createServer((request, response) => {
    if (request.url === '/' || request.url?.startsWith('/?')) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(html);
    } else {
      response.writeHead(404).end();
    }
  });
  const port = await listen(server);
  return { origin: `http://127.0.0.1:${port}`, stop: () => new Promise((r) => server.close(() => r())) };
}

export interface Collector extends LocalServer {
  /** Every JSON document POSTed so far, in arrival order. */
  received: unknown[];
}

/** Accepts text/plain POSTs of JSON (a CORS-safelisted request: no preflight) from any origin. */
export async function startCollector(): Promise<Collector> {
  const received: unknown[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'POST') received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      response.writeHead(204, { 'access-control-allow-origin': '*' }).end();
    });
  });
  const port = await listen(server);
  return { origin: `http://127.0.0.1:${port}`, received, stop: () => new Promise((r) => server.close(() => r())) };
}
