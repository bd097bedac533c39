/**
 * GetBucketCors (`GET /?cors`), signed with SigV4 by aws4fetch (never a hand-rolled signer). The region comes from
 * the URL or from `x-amz-bucket-region`, which S3 sends on any HEAD to the bucket, even a refused one (S31).
 * Custom endpoints (s3rver, MinIO, …) are addressed path-style on the captured request's origin.
 * Credentials arrive as an argument and leave only inside the Authorization header; nothing here logs them.
 *
 * Where the signed request may go is decided by the core (src/core/endpoint/signing.ts, issue 11): a valid bucket
 * name and region, an AWS S3 endpoint or the custom endpoint the credentials are bound to, HTTPS except loopback,
 * a granted host permission for the URL actually fetched, at most two region redirects.
 */
import { AwsClient } from 'aws4fetch';
import type { BucketLocation, Credentials, PolicyFetchResult } from '../messages.js';
import {
  AWS_ENDPOINT,
  MAX_REGION_REDIRECTS,
  bucketNameProblem,
  bucketRegionProbeUrl,
  describeEndpoint,
  getBucketCorsUrl,
  isAwsRegion,
  isRegionFor,
  maySendSigned,
  signingEndpointOf,
  type SigningEndpoint,
} from '../core/endpoint/signing.js';

export type FetchLike = (input: string | Request, init?: RequestInit) => Promise<Response>;

export interface PolicyFetchOptions {
  /** The endpoint the credentials are bound to; by default the one the captured request addresses. */
  endpoint?: SigningEndpoint;
  /** Whether a granted host permission covers the URL about to be fetched (the background's check). */
  hostCovers?(url: string): Promise<boolean>;
}

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

/** Where GetBucketCors goes, or why it may not go anywhere (invalid bucket name or region, refused host). */
export function corsTarget(location: BucketLocation, region: string, endpoint?: SigningEndpoint): { ok: true; url: string } | { ok: false; reason: string } {
  const bound = endpoint ?? signingEndpointOf(location.requestUrl);
  if (!bound) return { ok: false, reason: 'the captured request has no http(s) URL' };
  return getBucketCorsUrl({ bucket: location.bucket, region, endpoint: bound });
}

/** Where GetBucketCors goes: virtual-hosted on AWS (path-style for dotted names, which break TLS), else path-style. */
export function corsUrl(location: BucketLocation, region: string): string {
  const target = corsTarget(location, region);
  if (!target.ok) throw new Error(target.reason);
  return target.url;
}

export async function resolveRegion(location: BucketLocation, fetchImpl: FetchLike = fetch): Promise<string> {
  if (location.region) return location.region;
  if (signingEndpointOf(location.requestUrl) !== AWS_ENDPOINT) return DEFAULT_REGION;
  const fromHost = regionFromAwsHost(new URL(location.requestUrl).hostname);
  if (fromHost) return fromHost;
  const probe = bucketRegionProbeUrl(location.bucket);
  if (!probe) throw new Error(`${JSON.stringify(location.bucket)} is not a bucket name`);
  const response = await fetchImpl(probe, { method: 'HEAD', redirect: 'manual', cache: 'no-store', credentials: 'omit' });
  const named = response.headers.get('x-amz-bucket-region');
  return named && isAwsRegion(named) ? named : DEFAULT_REGION;
}

export async function fetchBucketCors(
  location: BucketLocation,
  credentials: Credentials,
  fetchImpl: FetchLike = fetch,
  options: PolicyFetchOptions = {},
): Promise<PolicyFetchResult> {
  const { bucket } = location;
  const endpoint = options.endpoint ?? signingEndpointOf(location.requestUrl);
  if (!endpoint) return { kind: 'error', bucket, message: 'the captured request has no http(s) URL' };
  const addressed = signingEndpointOf(location.requestUrl);
  if (addressed !== endpoint) {
    return {
      kind: 'error',
      bucket,
      message: `these credentials were entered for ${describeEndpoint(endpoint)}, not for ${addressed ? describeEndpoint(addressed) : 'this request'}`,
    };
  }
  const nameProblem = bucketNameProblem(bucket);
  if (nameProblem) return { kind: 'error', bucket, message: `not fetched: ${JSON.stringify(bucket)} is not a bucket name (${nameProblem})` };
  let region: string;
  try {
    region = credentials.region || (await resolveRegion(location, fetchImpl));
  } catch (error) {
    return { kind: 'error', bucket, message: `could not resolve the bucket's region: ${error instanceof Error ? error.message : String(error)}` };
  }
  for (let redirects = 0; ; redirects++) {
    if (!isRegionFor(endpoint, region)) return { kind: 'error', bucket, message: `not fetched: ${JSON.stringify(region)} is not a region` };
    const target = getBucketCorsUrl({ bucket, region, endpoint });
    if (!target.ok) return { kind: 'error', bucket, message: `not fetched: ${target.reason}` };
    let url = target.url;
    const verdict = maySendSigned(url, endpoint);
    if (!verdict.ok) return { kind: 'error', bucket, message: `not fetched: ${verdict.reason}` };
    if (options.hostCovers && !(await options.hostCovers(url))) {
      // The panel grants the captured request's host: a path-style capture covers s3.<region>…, not <bucket>.s3.<region>….
      const pathStyle = endpoint === AWS_ENDPOINT ? getBucketCorsUrl({ bucket, region, endpoint, style: 'path' }) : null;
      if (!pathStyle?.ok || pathStyle.url === url || !(await options.hostCovers(pathStyle.url))) {
        return { kind: 'error', bucket, message: `fetching the policy needs access to ${new URL(url).host}: grant it from the panel first` };
      }
      url = pathStyle.url;
    }
    const host = new URL(url).host;
    const client = new AwsClient({
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken || undefined,
      service: 's3',
      region,
      retries: 0,
    });
    let response: Response;
    try {
      const signed = await client.sign(url, { method: 'GET' });
      response = await fetchImpl(signed, { cache: 'no-store', credentials: 'omit', redirect: 'manual' });
    } catch (error) {
      return { kind: 'error', bucket, message: `GetBucketCors on ${host} failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    const body = await response.text();
    if (response.ok) return { kind: 'config', bucket, region, xml: body };
    const s3Error = s3ErrorCode(body);
    // S25: a bucket without configuration answers 404 NoSuchCORSConfiguration.
    if (s3Error?.code === 'NoSuchCORSConfiguration') return { kind: 'none-configured', bucket, region };
    if (s3Error?.code === 'AccessDenied') return { kind: 'error', bucket, message: 'AccessDenied: this key lacks s3:GetBucketCORS on the bucket' };
    const redirectRegion = response.headers.get('x-amz-bucket-region');
    if (
      (response.status === 301 || response.status === 307 || s3Error?.code === 'AuthorizationHeaderMalformed') &&
      redirectRegion &&
      redirectRegion !== region
    ) {
      if (redirects >= MAX_REGION_REDIRECTS) return { kind: 'error', bucket, message: `GetBucketCors was redirected more than ${MAX_REGION_REDIRECTS} times` };
      region = redirectRegion;
      continue;
    }
    const what = s3Error ? `${s3Error.code}: ${s3Error.message}` : `HTTP ${response.status}`;
    return { kind: 'error', bucket, message: `GetBucketCors answered ${what}` };
  }
}
