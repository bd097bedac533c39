/**
 * GetBucketCors (`GET /?cors`), signed with SigV4 by aws4fetch (never a hand-rolled signer). The region comes from
 * the URL or from `x-amz-bucket-region`, which S3 sends on any HEAD to the bucket, even a refused one (S31).
 * Custom endpoints (s3rver, MinIO, …) are addressed path-style on the captured request's origin.
 * Credentials arrive as an argument and leave only inside the Authorization header; nothing here logs them.
 */
import { AwsClient } from 'aws4fetch';
import type { Credentials } from '../panel/model.js';
import type { BucketLocation, PolicyFetchResult } from '../messages.js';

export type FetchLike = (input: string | Request, init?: RequestInit) => Promise<Response>;

const AWS_HOST = /(^|\.)amazonaws\.com$/;
const DEFAULT_REGION = 'us-east-1';

function regionFromAwsHost(hostname: string): string | undefined {
  // s3.<region>.amazonaws.com, s3-<region>.amazonaws.com, s3.dualstack.<region>…, <bucket>.s3.<region>…
  const match = /(?:^|\.)s3[.-](?:dualstack\.)?([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com$/.exec(hostname);
  return match?.[1];
}

function s3ErrorCode(body: string): { code: string; message: string } | null {
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  if (!code) return null;
  return { code, message: /<Message>([^<]*)<\/Message>/.exec(body)?.[1] ?? '' };
}

/** Where GetBucketCors goes: virtual-hosted on AWS (path-style for dotted names, which break TLS), else path-style. */
export function corsUrl(location: BucketLocation, region: string): string {
  const origin = new URL(location.requestUrl).origin;
  const hostname = new URL(location.requestUrl).hostname;
  const bucket = encodeURIComponent(location.bucket);
  if (!AWS_HOST.test(hostname)) return `${origin}/${bucket}?cors`;
  if (location.bucket.includes('.')) return `https://s3.${region}.amazonaws.com/${bucket}?cors`;
  return `https://${location.bucket}.s3.${region}.amazonaws.com/?cors`;
}

export async function resolveRegion(location: BucketLocation, fetchImpl: FetchLike = fetch): Promise<string> {
  if (location.region) return location.region;
  const hostname = new URL(location.requestUrl).hostname;
  if (!AWS_HOST.test(hostname)) return DEFAULT_REGION;
  const fromHost = regionFromAwsHost(hostname);
  if (fromHost) return fromHost;
  const probe = location.bucket.includes('.') ? `https://s3.amazonaws.com/${encodeURIComponent(location.bucket)}` : `https://${location.bucket}.s3.amazonaws.com/`;
  const response = await fetchImpl(probe, { method: 'HEAD', redirect: 'manual', cache: 'no-store', credentials: 'omit' });
  return response.headers.get('x-amz-bucket-region') ?? DEFAULT_REGION;
}

export async function fetchBucketCors(location: BucketLocation, credentials: Credentials, fetchImpl: FetchLike = fetch): Promise<PolicyFetchResult> {
  const { bucket } = location;
  let region: string;
  try {
    region = credentials.region || (await resolveRegion(location, fetchImpl));
  } catch (error) {
    return { kind: 'error', bucket, message: `could not resolve the bucket's region: ${error instanceof Error ? error.message : String(error)}` };
  }
  const client = new AwsClient({
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken || undefined,
    service: 's3',
    region,
    retries: 0,
  });
  const url = corsUrl(location, region);
  let response: Response;
  try {
    const signed = await client.sign(url, { method: 'GET' });
    response = await fetchImpl(signed, { cache: 'no-store', credentials: 'omit', redirect: 'manual' });
  } catch (error) {
    return { kind: 'error', bucket, message: `GetBucketCors on ${new URL(url).host} failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  const body = await response.text();
  if (response.ok) return { kind: 'config', bucket, region, xml: body };
  const s3Error = s3ErrorCode(body);
  // S25: a bucket without configuration answers 404 NoSuchCORSConfiguration.
  if (s3Error?.code === 'NoSuchCORSConfiguration') return { kind: 'none-configured', bucket, region };
  if (s3Error?.code === 'AccessDenied') return { kind: 'error', bucket, message: 'AccessDenied: this key lacks s3:GetBucketCORS on the bucket' };
  const redirectRegion = response.headers.get('x-amz-bucket-region');
  if ((response.status === 301 || response.status === 307 || s3Error?.code === 'AuthorizationHeaderMalformed') && redirectRegion && redirectRegion !== region) {
    return fetchBucketCors({ ...location, region: redirectRegion }, { ...credentials, region: redirectRegion }, fetchImpl);
  }
  const what = s3Error ? `${s3Error.code}: ${s3Error.message}` : `HTTP ${response.status}`;
  return { kind: 'error', bucket, message: `GetBucketCors answered ${what}` };
}
