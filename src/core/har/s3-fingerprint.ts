/**
 * Is this exchange addressed to S3 or an S3-compatible store? By host (parseS3Url: virtual-hosted, path-style,
 * website, accelerate, access points, provider suffixes) or by what only S3 answers with (failure-modes.md,
 * "What can be detected from capture data alone").
 */
import { parseS3Url } from '../endpoint/index.js';
import type { ObservedExchange } from '../evidence/types.js';
import type { HeaderMap } from '../http/index.js';

/** Response headers S3 and its look-alikes send; `x-amz-cf-id` marks CloudFront, usually in front of a bucket. */
const S3_RESPONSE_HEADERS = ['x-amz-request-id', 'x-amz-id-2', 'x-amz-bucket-region', 'x-amz-cf-id'];

export function hasS3ResponseHeaders(headers: HeaderMap | undefined): boolean {
  if (!headers) return false;
  const server = headers['server'];
  if (server !== undefined && /amazons3/i.test(server)) return true;
  return S3_RESPONSE_HEADERS.some((name) => headers[name] !== undefined);
}

/** Presigned-URL parameters (SigV4 / SigV2) mark an S3 request even on a custom domain. */
export function hasS3QuerySignature(url: string): boolean {
  const query = url.indexOf('?');
  if (query === -1) return false;
  return /[?&](x-amz-credential|x-amz-signature|awsaccesskeyid)=/i.test(url.slice(query));
}

export function isS3Exchange(exchange: ObservedExchange): boolean {
  if (hasS3ResponseHeaders(exchange.response?.headers) || hasS3ResponseHeaders(exchange.preflight?.response?.headers)) return true;
  if (hasS3QuerySignature(exchange.request.url)) return true;
  return parseS3Url(exchange.request.url, exchange.request.method).isS3;
}
