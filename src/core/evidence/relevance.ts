/**
 * Which requests are worth keeping: the store is for S3 (and S3-compatible) traffic and for cross-origin requests
 * that failed, whatever the host — a custom endpoint such as s3rver sends no S3-specific header at all.
 */
import { getHeader, type HeaderMap } from '../http/index.js';
import type { ObservedExchange } from './types.js';
import { isS3Exchange } from '../har/index.js';

const AWS_S3_HOST = /(^|\.)s3[.-]([a-z0-9-]+\.)*amazonaws\.com(\.cn)?$|\.s3-website[.-]/;
/** Headers only S3 and its CDN front (CloudFront) send (browser-capture.md: recognise S3 behind a custom domain). */
const S3_RESPONSE_HEADERS = ['x-amz-request-id', 'x-amz-id-2', 'x-amz-bucket-region', 'x-amz-cf-id'];

export function isS3Host(url: string): boolean {
  try {
    return AWS_S3_HOST.test(new URL(url).hostname);
  } catch {
    return false;
  }
}

export function hasS3ResponseHeaders(headers: HeaderMap | undefined): boolean {
  if (!headers) return false;
  if (/^AmazonS3$/i.test(getHeader(headers, 'server') ?? '')) return true;
  return S3_RESPONSE_HEADERS.some((name) => getHeader(headers, name) !== undefined);
}

export function originOf(urlText: string | undefined): string | undefined {
  if (!urlText) return undefined;
  try {
    const origin = new URL(urlText).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** What a capture source saw of one request, reduced to what the relevance decision needs. */
export interface RelevanceFacts {
  url: string;
  pageOrigin?: string;
  requestHeaders?: HeaderMap;
  responseHeaders?: HeaderMap;
  preflightResponseHeaders?: HeaderMap;
  status?: number;
  error?: string;
  hasPreflight: boolean;
}

/**
 * A request `net::ERR_ABORTED` with status 200 is a success whose body the page did not read
 * (browser-capture.md, Chromium devtools.network) — not a failure.
 */
export function isFailure(facts: Pick<RelevanceFacts, 'status' | 'error'>): boolean {
  if (facts.error === 'net::ERR_ABORTED' && facts.status !== undefined && facts.status >= 200 && facts.status < 400) return false;
  return Boolean(facts.error) || facts.status === 0;
}

/**
 * Firefox reports a blocked simple request (no preflight) as an ordinary completion — its real status, no error —
 * in devtools.network and webRequest alike (browser-capture.md, Firefox), so it is judged from the headers: a
 * CORS-mode request (Sec-Fetch-Mode: cors; without that header, one that sent Origin) whose response allows
 * neither `*` nor the request's origin was blocked (Fetch standard, CORS check).
 */
export function lacksCorsAllowance(facts: Pick<RelevanceFacts, 'requestHeaders' | 'responseHeaders' | 'status'>): boolean {
  if (!facts.status || !facts.responseHeaders) return false;
  const origin = getHeader(facts.requestHeaders, 'origin');
  const mode = getHeader(facts.requestHeaders, 'sec-fetch-mode');
  if (!origin || (mode !== undefined && mode !== 'cors')) return false;
  const allowed = getHeader(facts.responseHeaders, 'access-control-allow-origin');
  return allowed !== '*' && allowed !== origin;
}

export function isRelevant(facts: RelevanceFacts): boolean {
  if (isS3Host(facts.url)) return true;
  if (hasS3ResponseHeaders(facts.responseHeaders) || hasS3ResponseHeaders(facts.preflightResponseHeaders)) return true;
  const target = originOf(facts.url);
  const page = facts.pageOrigin ?? getHeader(facts.requestHeaders, 'origin');
  const crossOrigin = Boolean(page && target && page !== target);
  return crossOrigin && (facts.hasPreflight || isFailure(facts) || lacksCorsAllowance(facts));
}

/** The same decision for an exchange any source built, plus the core's S3 fingerprint (presigned query, hosts). */
export function isRelevantExchange(exchange: ObservedExchange): boolean {
  try {
    if (isS3Exchange(exchange)) return true;
  } catch {
    // An unparsable URL is simply not recognised as S3; the cross-origin test below still applies.
  }
  return isRelevant({
    url: exchange.request.url,
    pageOrigin: exchange.pageOrigin,
    requestHeaders: exchange.preflight?.request.headers ?? exchange.request.headers,
    responseHeaders: exchange.response?.headers,
    preflightResponseHeaders: exchange.preflight?.response?.headers,
    status: exchange.response?.status ?? 0,
    error: exchange.error ?? exchange.preflight?.error,
    hasPreflight: Boolean(exchange.preflight),
  });
}
