/** Fetch "CORS filtered response": which response headers script can read. */
import { getHeader, type HttpResponse } from '../http/index.js';
import { parseExposedHeaderNames } from './lists.js';
import { isCrossOriginCors, originOf } from './request.js';
import type { PageRequest } from './types.js';

/** Fetch "CORS-safelisted response-header name" (always readable), before Access-Control-Expose-Headers. */
export const CORS_SAFELISTED_RESPONSE_HEADER_NAMES: readonly string[] = [
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
];

/** Fetch "forbidden response-header name": never readable by script, not even with `Expose-Headers: *`. */
const FORBIDDEN_RESPONSE_HEADER_NAMES = new Set(['set-cookie', 'set-cookie2']);

/**
 * Response header names script can read after a passing CORS check (Fetch "CORS filtered response"):
 * the CORS-safelisted response-header names plus Access-Control-Expose-Headers; `*` exposes every name unless
 * the credentials mode is include (then `*` is just a name). Set-Cookie is never readable.
 */
export function readableResponseHeaders(request: PageRequest, response: HttpResponse): string[] {
  const present = Object.keys(response.headers).map((name) => name.toLowerCase());
  const mode = request.mode ?? 'cors';
  if (mode === 'no-cors' && originOf(request.url) !== request.origin) return [];
  const visible = present.filter((name) => !FORBIDDEN_RESPONSE_HEADER_NAMES.has(name));
  if (!isCrossOriginCors(request)) return [...new Set(visible)].sort();
  const exposed = new Set(parseExposedHeaderNames(getHeader(response.headers, 'access-control-expose-headers')));
  const everything = request.credentials !== 'include' && exposed.has('*');
  return [...new Set(visible.filter((name) => everything || exposed.has(name) || CORS_SAFELISTED_RESPONSE_HEADER_NAMES.includes(name)))].sort();
}
