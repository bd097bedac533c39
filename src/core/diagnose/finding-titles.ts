/**
 * One plain-language headline per finding code: what a first-time user reads before anything else (the panel's
 * list and detail, the CLI's summary line). The code itself stays visible as a small tag for searching and
 * support; these sentences carry no internal references (spec sections, failure-mode numbers).
 */
import type { FINDING_CODES, FindingCode } from './types.js';

type KnownCode = (typeof FINDING_CODES)[number];

export const FINDING_TITLES: Readonly<Record<KnownCode, string>> = {
  NO_CORS_CONFIG: 'The bucket has no CORS configuration',
  BUCKET_NOT_FOUND: 'The bucket does not exist',
  ORIGIN_NOT_ALLOWED: 'The page’s origin is not allowed',
  METHOD_NOT_ALLOWED: 'The request method is not allowed',
  HEADERS_NOT_ALLOWED: 'A request header is not allowed',
  CREDENTIALS_WITH_WILDCARD_ORIGIN: 'Credentials cannot be sent to a wildcard origin',
  PREFLIGHT_REDIRECT: 'The preflight was redirected',
  REGION_REDIRECT: 'The bucket is in another region',
  HEADER_NOT_EXPOSED: 'Script cannot read a response header',
  RULE_SHADOWED: 'An earlier rule hides a later one',
  CACHED_RESPONSE_WITHOUT_CORS: 'A cached response without CORS headers was reused',
  CDN_NOT_FORWARDING_ORIGIN: 'The CDN does not pass the Origin header to S3',
  SERVICE_ENDPOINT_NO_CORS: 'This S3 endpoint never answers with CORS headers',
  NOT_CORS_SIGNATURE_MISMATCH: 'The request signature does not match',
  NOT_CORS_REQUEST_EXPIRED: 'The presigned URL has expired',
  NOT_CORS_ACCESS_DENIED: 'S3 denied access to the object',
  NOT_CORS_NETWORK_ERROR: 'The request failed on the network',
  UNSUPPORTED_ENDPOINT: 'This endpoint’s CORS behaviour is not known',
  SDK_CHECKSUM_HEADERS: 'The SDK adds checksum headers the bucket does not allow',
  NO_RULE_MATCHED: 'No CORS rule matches this request',
  PRIVATE_NETWORK_ACCESS: 'The browser blocked a request to a private network',
  SUCCESS_WITHOUT_CORS_HEADERS: 'The response has no CORS headers',
  OPTIONS_IN_ALLOWED_METHODS: 'OPTIONS is listed as an allowed method',
  CONFIG_REJECTED: 'S3 would refuse this CORS configuration',
  CONFIG_NOT_APPLIED: 'The CORS configuration has not taken effect',
  PROVIDER_QUIRK: 'This storage provider handles CORS differently',
  PREFLIGHT_NOT_OBSERVED: 'The preflight request was not captured',
  MIXED_CONTENT: 'An HTTPS page requested an HTTP URL',
  NOT_A_CORS_REQUEST: 'This is not a cross-origin request',
  CORS_BLOCKED: 'The browser blocked the response',
};

/** The headline for a code; a code this build does not know gets a neutral sentence rather than nothing. */
export function findingTitle(code: FindingCode): string {
  return (FINDING_TITLES as Record<string, string>)[code] ?? 'A problem with this request';
}
