/**
 * Is this exchange addressed to S3 or an S3-compatible store? By host (isS3Url: virtual-hosted, path-style,
 * website, accelerate, access points, provider suffixes), by what only S3 answers with, or by what only S3 clients
 * send (failure-modes.md, "What can be detected from capture data alone"). Emulators on a loopback port (s3rver,
 * MinIO, LocalStack) often send no `x-amz-*` response header at all, so the request side and the host of other
 * recognised requests count too (selectS3Exchanges).
 */
import { isS3Url } from '../endpoint/index.js';
import type { ObservedExchange } from '../evidence/types.js';
import { getHeader, type HeaderMap } from '../http/index.js';

/** Response headers S3 and its look-alikes send; `x-amz-cf-id` marks CloudFront, usually in front of a bucket. */
const S3_RESPONSE_HEADERS = ['x-amz-request-id', 'x-amz-id-2', 'x-amz-bucket-region', 'x-amz-cf-id'];
/** S3's three-token Vary on CORS answers (S15, S18), copied by s3rver and LocalStack. */
const S3_VARY = 'origin, access-control-request-headers, access-control-request-method';
/** Request headers of the S3 API (object metadata, checksums, SSE, ACLs, tagging, …), not of other AWS services. */
const S3_REQUEST_HEADER =
  /^x-amz-(meta-|checksum-|sdk-checksum-algorithm$|content-sha256$|acl$|grant-|server-side-encryption|storage-class$|tagging|copy-source|object-lock-|website-redirect-location$|request-payer$|expected-bucket-owner$|decoded-content-length$|mp-)/;
/** Multipart upload markers in the query (CreateMultipartUpload `?uploads`, UploadPart `?partNumber=&uploadId=`). */
const S3_MULTIPART_QUERY = /[?&](uploads(?:=|&|$)|uploadId=)/;

export function hasS3ResponseHeaders(headers: HeaderMap | undefined): boolean {
  if (!headers) return false;
  const server = headers['server'];
  if (server !== undefined && /amazons3/i.test(server)) return true;
  if (S3_RESPONSE_HEADERS.some((name) => headers[name] !== undefined)) return true;
  return headers['vary']?.toLowerCase() === S3_VARY;
}

/** Presigned-URL parameters (SigV4 / SigV2) mark an S3 request even on a custom domain. */
export function hasS3QuerySignature(url: string): boolean {
  const query = url.indexOf('?');
  if (query === -1) return false;
  return /[?&](x-amz-credential|x-amz-signature|awsaccesskeyid)=/i.test(url.slice(query));
}

/** What the client sent only an S3 client sends: S3 API headers (also as requested headers of a preflight), a SigV4 scope for s3. */
export function hasS3RequestSignals(url: string, headers: HeaderMap): boolean {
  const query = url.indexOf('?');
  if (query !== -1 && S3_MULTIPART_QUERY.test(url.slice(query))) return true;
  const requested = (getHeader(headers, 'access-control-request-headers') ?? '').split(',').map((name) => name.trim().toLowerCase());
  if ([...Object.keys(headers), ...requested].some((name) => S3_REQUEST_HEADER.test(name.toLowerCase()))) return true;
  return /\/s3\/aws4_request/.test(getHeader(headers, 'authorization') ?? '');
}

export function isS3Exchange(exchange: ObservedExchange): boolean {
  if (hasS3ResponseHeaders(exchange.response?.headers) || hasS3ResponseHeaders(exchange.preflight?.response?.headers)) return true;
  if (hasS3QuerySignature(exchange.request.url)) return true;
  if (hasS3RequestSignals(exchange.request.url, exchange.request.headers)) return true;
  if (exchange.preflight && hasS3RequestSignals(exchange.preflight.request.url, exchange.preflight.request.headers)) return true;
  return isS3Url(exchange.request.url);
}

/** `scheme://host:port` of a URL, lower-cased ('' when it has none). */
export function serverOf(url: string): string {
  return /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)/i.exec(url)?.[1]?.toLowerCase() ?? '';
}

/**
 * The S3 exchanges of a capture: those recognised on their own, and every other exchange to a server (scheme, host
 * and port) one of them was sent to — a blocked request to an emulator carries no S3 mark of its own.
 */
export function selectS3Exchanges(exchanges: ObservedExchange[]): ObservedExchange[] {
  const recognised = exchanges.map(isS3Exchange);
  const servers = new Set(exchanges.filter((_, i) => recognised[i]).map((e) => serverOf(e.request.url)));
  servers.delete('');
  return exchanges.filter((exchange, i) => recognised[i] || servers.has(serverOf(exchange.request.url)));
}
