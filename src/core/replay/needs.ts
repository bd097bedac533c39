/**
 * Which response headers the page must be able to read for its request to be useful. CORS lets script read only the
 * CORS-safelisted response headers plus those in Access-Control-Expose-Headers (Fetch standard, "CORS-safelisted
 * response-header name"), and S3 never exposes ETag by default (S18).
 */
import type { S3UrlInfo } from '../endpoint/index.js';
import type { PageRequest } from '../fetch/types.js';

/** Display-case names, deduplicated case-insensitively (first spelling wins). */
export function uniqueHeaderNames(names: Iterable<string>): string[] {
  const seen = new Map<string, string>();
  for (const name of names) if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  return [...seen.values()];
}

/**
 * A multipart part upload is useless unless the page reads each part's ETag for CompleteMultipartUpload (failure
 * mode 11: Uppy, EvaporateJS, the SDK's `ETagMissing`).
 */
export function headersPageMustRead(page: PageRequest, url: S3UrlInfo, extra: string[] = []): string[] {
  const needs: string[] = [];
  if (url.multipart?.kind === 'upload-part' && page.method === 'PUT') needs.push('ETag');
  return uniqueHeaderNames([...needs, ...extra]);
}

/** The S3 methods a multipart upload uses besides the one observed: POST creates/completes, PUT uploads parts. */
export function multipartCompanionMethods(url: S3UrlInfo): string[] {
  return url.multipart && url.multipart.kind !== 'abort' && url.multipart.kind !== 'list-parts' ? ['PUT', 'POST'] : [];
}
