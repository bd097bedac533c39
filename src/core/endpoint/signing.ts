/**
 * Where a request signed with the user's credentials may go (issue 11, item 1). Pure: the extension's background and
 * the CLI's `s3://` path both ask these functions before they sign or send anything.
 *
 * The threat: a bucket name is read from a captured URL chosen by the inspected page. Pasted unchecked into a host
 * name (`https://${bucket}.s3.${region}.amazonaws.com/`), a name such as `1249767490#` or `localhost:4444/` moves
 * the signed request (access key id, security token) to a host the page picked. So:
 *  - bucket names must follow S3's naming rules for general purpose buckets (documented choice: the legacy
 *    us-east-1 names with capitals or underscores are refused; their policy can still be pasted);
 *  - regions must look like AWS regions before they go into a host;
 *  - the URL actually fetched must be an AWS S3 endpoint, or the one custom endpoint the credentials are bound to;
 *  - signed requests travel over HTTPS only, except to a loopback address (a local MinIO or s3rver);
 *  - at most two region redirects are followed.
 */

/** How many region redirects (301/307/AuthorizationHeaderMalformed naming another region) a fetch may follow. */
export const MAX_REGION_REDIRECTS = 2;

/** AWS region names: us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-iso-east-1, … */
const AWS_REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
/** Regions of S3-compatible stores only go into the signature's scope, never into a host. */
const ENDPOINT_REGION = /^[a-z0-9][a-z0-9-]{0,40}$/;
/**
 * The S3 endpoints a GetBucketCors (or the region HEAD) may be sent to: `s3.amazonaws.com`, `s3.<region>…`,
 * `s3-<region>…`, `s3.dualstack.<region>…`, each optionally behind one bucket label, in the aws and aws-cn partitions.
 */
const AWS_S3_HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]{1,61})[a-z0-9]\.)?s3(?:\.dualstack)?(?:[.-][a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2})?\.amazonaws\.com(?:\.cn)?$/;
const AWS_HOST = /(?:^|\.)amazonaws\.com(?:\.cn)?$/;
const IPV4_SHAPED = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

export type Verdict = { ok: true } | { ok: false; reason: string };

/** Why a name is not an S3 bucket name (S3's rules for general purpose buckets), or null when it is one. */
export function bucketNameProblem(name: string): string | null {
  if (name.length < 3 || name.length > 63) return 'a bucket name has 3 to 63 characters';
  if (!/^[a-z0-9.-]+$/.test(name)) return 'a bucket name has only lowercase letters, digits, dots and hyphens';
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'a bucket name begins and ends with a letter or a digit';
  if (name.includes('..')) return 'a bucket name has no two adjacent dots';
  if (IPV4_SHAPED.test(name)) return 'a bucket name is not formatted as an IP address';
  if (RESERVED_PREFIXES.some((p) => name.startsWith(p)) || RESERVED_SUFFIXES.some((s) => name.endsWith(s)))
    return 'the name uses a prefix or suffix S3 reserves';
  return null;
}

export function isBucketName(name: string): boolean {
  return bucketNameProblem(name) === null;
}

export function isAwsRegion(region: string): boolean {
  return AWS_REGION.test(region);
}

/** A region for the signature's scope: an AWS region on AWS, a plain label (`us-east-1`, `garage`) elsewhere. */
export function isRegionFor(endpoint: SigningEndpoint, region: string): boolean {
  return endpoint === AWS_ENDPOINT ? AWS_REGION.test(region) : ENDPOINT_REGION.test(region);
}

/** Loopback hosts: the only ones a signed request may reach over plain http. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The endpoint credentials are bound to: `'aws'` for every AWS S3 endpoint, otherwise the origin of one
 * S3-compatible store (`http://127.0.0.1:9000`).
 */
export type SigningEndpoint = string;
export const AWS_ENDPOINT: SigningEndpoint = 'aws';

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** The endpoint a captured request (or a configured endpoint URL) addresses; null when it is no http(s) URL. */
export function signingEndpointOf(url: string): SigningEndpoint | null {
  const parsed = parse(url);
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) return null;
  if (AWS_HOST.test(parsed.hostname)) return AWS_ENDPOINT;
  return parsed.origin;
}

/** For people: "AWS S3" or the store's origin. */
export function describeEndpoint(endpoint: SigningEndpoint): string {
  return endpoint === AWS_ENDPOINT ? 'AWS S3' : endpoint;
}

/**
 * May a request signed for `endpoint` be sent to `url`? HTTPS (or a loopback host), no user:password@, and the
 * host an AWS S3 endpoint (for `'aws'`) or exactly the bound origin (for a custom endpoint).
 */
export function maySendSigned(url: string, endpoint: SigningEndpoint): Verdict {
  const parsed = parse(url);
  if (!parsed) return { ok: false, reason: 'not a URL' };
  if (parsed.username || parsed.password) return { ok: false, reason: `${parsed.host} carries a user name or password in the URL` };
  const loopback = isLoopbackHost(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    return { ok: false, reason: `signed requests go over HTTPS only (or to this computer), not to ${parsed.protocol}//${parsed.host}` };
  }
  if (endpoint === AWS_ENDPOINT) {
    if (parsed.protocol !== 'https:' || parsed.port !== '' || !AWS_S3_HOST.test(parsed.hostname)) {
      return { ok: false, reason: `${parsed.host} is not an AWS S3 endpoint` };
    }
    return { ok: true };
  }
  if (parsed.origin !== endpoint)
    return { ok: false, reason: `${parsed.host} is not the endpoint these credentials were entered for (${describeEndpoint(endpoint)})` };
  return { ok: true };
}

export interface CorsTarget {
  bucket: string;
  region: string;
  /** `'aws'`, or the custom endpoint's base URL (origin plus an optional path prefix). */
  endpoint: SigningEndpoint;
  /** A custom endpoint's path prefix (`/minio`), without a trailing slash. */
  pathPrefix?: string;
  /** On AWS: `'path'` addresses `s3.<region>.amazonaws.com/<bucket>` even for names without dots. */
  style?: 'virtual' | 'path';
}

/**
 * The GetBucketCors URL, built only from a valid bucket name and region: virtual-hosted on AWS (path-style for
 * dotted names, whose host would break the wildcard certificate), path-style on a custom endpoint.
 */
export function getBucketCorsUrl(target: CorsTarget): { ok: true; url: string } | { ok: false; reason: string } {
  const problem = bucketNameProblem(target.bucket);
  if (problem) return { ok: false, reason: `${JSON.stringify(target.bucket)} is not a bucket name: ${problem}` };
  if (!isRegionFor(target.endpoint, target.region)) return { ok: false, reason: `${JSON.stringify(target.region)} is not a region` };
  let url: string;
  if (target.endpoint === AWS_ENDPOINT) {
    url =
      target.bucket.includes('.') || target.style === 'path'
        ? `https://s3.${target.region}.amazonaws.com/${target.bucket}?cors`
        : `https://${target.bucket}.s3.${target.region}.amazonaws.com/?cors`;
  } else {
    url = `${target.endpoint}${target.pathPrefix ?? ''}/${target.bucket}?cors`;
  }
  const verdict = maySendSigned(url, target.endpoint);
  return verdict.ok ? { ok: true, url } : verdict;
}

/** The unsigned HEAD that names a bucket's region in `x-amz-bucket-region` (S31); null for an invalid name. */
export function bucketRegionProbeUrl(bucket: string): string | null {
  if (!isBucketName(bucket)) return null;
  return bucket.includes('.') ? `https://s3.amazonaws.com/${bucket}` : `https://${bucket}.s3.amazonaws.com/`;
}
