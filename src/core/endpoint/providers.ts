/**
 * Which S3 (look-alike) we are talking to, and where its CORS departs from AWS.
 * Sources: spec §7 (implementation readings) and failure modes 30–36; each note says what to expect, not a verdict.
 */
import { getHeader, type HeaderMap } from '../http/index.js';
import { readS3Url } from './parse-url.js';
import type { ProviderId, ProviderInfo } from './types.js';

const COMPAT_ERRORS_WITHOUT_CORS =
  'Error responses (signature, expiry, access denied) often carry no CORS headers here, so a non-CORS failure looks like a CORS failure in the browser.'; // failure mode 30

const PROVIDERS: Record<ProviderId, { name: string; notes: string[] }> = {
  aws: { name: 'Amazon S3', notes: [] },
  r2: {
    name: 'Cloudflare R2',
    notes: [
      'CORS is configured in the R2 dashboard JSON editor or its REST/Terraform shape (allowed.origins/methods/headers, exposeHeaders, maxAgeSeconds); PutBucketCors also works.', // failure mode 31
      'AllowedHeaders ["*"] historically did not cover every header: list the headers (e.g. content-type) explicitly.',
      'CORS headers are only returned on valid CORS requests, so error responses look like CORS failures.',
      'x-amz-checksum-* headers from recent AWS SDKs have been answered with 501 NotImplemented.',
      'Configuration changes can take up to 30 s to apply.',
      'On a custom domain, WAF or Hotlink Protection can block before CORS is evaluated (look for cf-mitigated).',
    ],
  },
  gcs: {
    name: 'Google Cloud Storage (XML API)',
    notes: [
      'CORS uses its own JSON shape (origin, method, responseHeader, maxAgeSeconds) set with gcloud storage buckets update --cors-file; S3 CORS JSON/XML is not accepted.', // failure mode 35
      'responseHeader serves both as allowed request headers and exposed response headers.',
      'The first entry matching origin and method decides: a later entry is not tried when a requested header is missing from the first (S3 tries the next rule).',
      'Only "*" alone is a wildcard: an origin such as https://*.example.com is matched literally.',
      'The authenticated download host storage.cloud.google.com never allows CORS.',
      'Configuration changes can take about 30 s to apply.',
    ],
  },
  digitalocean: {
    name: 'DigitalOcean Spaces',
    notes: [
      'Per-bucket CORS through PutBucketCors or the control panel; reports of preflight 403s and ETag not readable after uploads.', // failure mode 34
      COMPAT_ERRORS_WITHOUT_CORS,
    ],
  },
  b2: {
    name: 'Backblaze B2',
    notes: [
      'Native corsRules use allowedOperations (s3_get, s3_put, s3_post, s3_head, s3_delete); the web console only offers download presets, custom rules need the b2 CLI.', // failure mode 33
      'PutBucketCors through the S3 API has been unreliable; prefer b2 bucket update --cors-rules.',
      'x-amz-checksum-* headers from recent AWS SDKs are not supported.',
    ],
  },
  wasabi: {
    name: 'Wasabi',
    notes: ['Wasabi documents that buckets need no CORS configuration; do not expect a bucket rule to change the answer.'], // failure mode 35
  },
  minio: {
    name: 'MinIO',
    notes: [
      'The community edition has no per-bucket CORS: PutBucketCors answers 501 NotImplemented; CORS is one server-wide setting (MINIO_API_CORS_ALLOW_ORIGIN / mc admin config set … api cors_allow_origin).', // failure mode 32, spec §7
      'A successful preflight is 204, and a refused one is 204 without CORS headers (not 403); a `*` origin is echoed, not sent as `*`.',
      'Exposed headers cannot be configured per bucket.',
    ],
  },
  localstack: {
    name: 'LocalStack',
    notes: [
      "Bucket CORS follows AWS, but `*` in an origin matches one or more characters (never empty); buckets without CORS fall back to LocalStack's own default CORS (EXTRA_CORS_ALLOWED_ORIGINS, DISABLE_CUSTOM_CORS_S3).", // failure mode 36, spec §7
    ],
  },
  s3rver: {
    name: 's3rver',
    notes: [
      'Rule selection stops at the first rule matching origin and method; headers are checked afterwards with no fall-through to later rules.', // spec §7
      'A `*` rule always answers Access-Control-Allow-Origin: *; the refusal is 403 with code CORSResponse; `*` is not a wildcard in AllowedMethods.', // failure mode 36
    ],
  },
  ceph: {
    name: 'Ceph RADOS Gateway',
    notes: [
      'The first rule matching the origin is used with no fall-through to later rules when method or headers fail.', // spec §7
      '`*` in an origin works only as a prefix or suffix; a `*` rule answers `*` unless the request carries Authorization.',
      'A refused preflight is 403 AccessDenied (not AccessForbidden); Vary is `Origin` only.',
      'Some deployments (e.g. Hetzner) answer refused preflights 204 without CORS headers.', // failure mode 28/34
      COMPAT_ERRORS_WITHOUT_CORS,
    ],
  },
  unknown: {
    name: 'unknown S3-compatible endpoint',
    notes: ['Not recognised as Amazon S3: its CORS may differ from AWS. ' + COMPAT_ERRORS_WITHOUT_CORS], // spec §7
  },
};

const OVH_NOTES = [
  'PutBucketCors validates XML more strictly than AWS, and the 2025 x-amz-checksum-* SDK headers are not supported.', // failure mode 34
  COMPAT_ERRORS_WITHOUT_CORS,
];

function info(id: ProviderId): ProviderInfo {
  const entry = PROVIDERS[id];
  return { id, name: entry.name, notes: [...entry.notes] };
}

/** Provider from the response headers alone; null when they say nothing. */
function providerFromHeaders(headers: HeaderMap): ProviderId | null {
  const text = (name: string) => String(getHeader(headers, name) ?? '');
  const server = text('server').toLowerCase();
  if (server.includes('minio')) return 'minio';
  if (server.includes('ceph')) return 'ceph';
  if (server === 'amazons3' || getHeader(headers, 'x-amz-bucket-region') !== undefined) return 'aws';
  if (Object.keys(headers).some((name) => name.toLowerCase().startsWith('x-goog-')) || server.includes('uploadserver')) return 'gcs';
  // Ceph RGW request ids look like tx00000a1b2c3d4e5f6a7b8-0065a1b2c3-1234-default.
  if (/^tx[0-9a-f]{21}-[0-9a-f]{8,10}-/.test(text('x-amz-request-id'))) return 'ceph';
  // A Cloudflare custom domain (cf-ray) in front of an object store is R2 in practice (failure mode 31).
  if (getHeader(headers, 'cf-ray') !== undefined) return 'r2';
  return null;
}

/**
 * Provider from the URL and, when known, the response headers (Server, x-amz-request-id style, cf-ray, x-goog-*).
 * A recognised host wins; headers decide for custom domains, loopback hosts and unrecognised ports.
 */
export function detectProvider(url: string, responseHeaders?: HeaderMap): ProviderInfo {
  const parsed = readS3Url(url);
  const headers = responseHeaders && typeof responseHeaders === 'object' ? responseHeaders : {};
  if (parsed.provider === 'unknown' && /\.cloud\.ovh\.net$/.test(parsed.host)) {
    return { id: 'unknown', name: 'OVHcloud Object Storage', notes: [...OVH_NOTES] };
  }
  // Emulators recognised only by their default port yield to what the server says about itself.
  const byPortOnly =
    parsed.isS3 && parsed.style === 'path' && ['minio', 's3rver', 'localstack'].includes(parsed.provider) && !/localstack\.cloud$/.test(parsed.host);
  const fromHeaders = providerFromHeaders(headers);
  if (parsed.provider !== 'unknown' && !(byPortOnly && fromHeaders && fromHeaders !== 'aws')) return info(parsed.provider);
  return info(fromHeaders ?? parsed.provider);
}
