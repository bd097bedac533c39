/**
 * Rebuild the request the page script made from what a capture saw on the wire: the browser adds Origin, Referer,
 * cookies, `Sec-*` and the preflight's own headers, and those must not count as author headers (they would make the
 * browser model plan a preflight the page never caused).
 */
import type { HeaderMap } from '../http/index.js';
import { readRequestFacts, type RequestFacts } from '../evidence/facts.js';
import type { ObservedExchange, ObservedRequest } from '../evidence/types.js';
import { planPreflight } from '../fetch/preflight.js';
import { FORBIDDEN_REQUEST_HEADER_NAMES } from '../fetch/safelist.js';
import type { CredentialsMode, PageRequest, RequestMode } from '../fetch/types.js';

/** Headers the browser itself sets: the Fetch standard's forbidden request-header names plus what Chromium adds. */
const BROWSER_SET_HEADERS = new Set([...FORBIDDEN_REQUEST_HEADER_NAMES, 'access-control-request-private-network', 'user-agent', 'priority']);

/** Resource types the browser fetches in no-cors mode unless the element opts in with `crossorigin`. */
const NO_CORS_RESOURCE_TYPES = new Set(['image', 'stylesheet', 'script', 'media', 'document', 'sub_frame', 'main_frame']);

function isBrowserSet(name: string): boolean {
  return BROWSER_SET_HEADERS.has(name) || name.startsWith('sec-') || name.startsWith('proxy-') || name.startsWith(':');
}

/** The names listed in an Access-Control-Request-Headers value, trimmed and lower-cased (S12). */
export function requestedHeaderNames(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name.length > 0);
}

/**
 * The author headers of the actual request. When the paired preflight is known, its Access-Control-Request-Headers
 * is the browser's own list of the non-safelisted ones, so it wins; `Cache-Control`/`Pragma: no-cache` are kept only
 * when listed there because DevTools' "Disable cache" adds them by itself.
 */
function authorHeaders(request: ObservedRequest, preflightRequest: RequestFacts | null): HeaderMap {
  const listed = new Set(requestedHeaderNames(preflightRequest?.requestedHeaders));
  const out: HeaderMap = {};
  for (const [rawName, value] of Object.entries(request.headers)) {
    const name = rawName.toLowerCase();
    if (isBrowserSet(name)) continue;
    if ((name === 'cache-control' || name === 'pragma') && /^no-cache$/i.test(value.trim()) && !listed.has(name)) continue;
    out[name] = value;
  }
  // A preflight names headers a provisional (Chromium, status 0) request entry may not show.
  for (const name of listed) if (!(name in out)) out[name] = '';
  return out;
}

/** An exchange's request and its preflight's request, read into facts (evidence/facts.ts). */
export interface RequestsRead {
  request: RequestFacts;
  preflightRequest: RequestFacts | null;
}

export function readRequests(exchange: ObservedExchange): RequestsRead {
  return { request: readRequestFacts(exchange.request), preflightRequest: exchange.preflight ? readRequestFacts(exchange.preflight.request) : null };
}

/** The page origin: what the capture says, else the Origin header the browser sent on either request. */
function observedOrigin(exchange: ObservedExchange, read: RequestsRead): string | null {
  return exchange.pageOrigin ?? read.request.origin ?? read.preflightRequest?.origin ?? null;
}

function inferMode(exchange: ObservedExchange, request: RequestFacts): RequestMode {
  const sentOrigin = request.origin !== undefined || exchange.preflight !== undefined;
  if (!sentOrigin && exchange.resourceType && NO_CORS_RESOURCE_TYPES.has(exchange.resourceType)) return 'no-cors';
  return 'cors';
}

function inferCredentials(exchange: ObservedExchange, request: RequestFacts): CredentialsMode {
  if (exchange.credentials) return exchange.credentials;
  // A Cookie on a cross-origin request means the page asked for credentials (`include` / withCredentials).
  return request.sentCookie ? 'include' : 'same-origin';
}

/**
 * The page request behind an exchange, or null when the page origin is unknown. An exchange that *is* a preflight
 * (OPTIONS with Access-Control-Request-Method) stands for the request it asked about.
 */
export function pageRequestFromExchange(exchange: ObservedExchange, read: RequestsRead = readRequests(exchange)): PageRequest | null {
  const page = recordedPageRequest(exchange, read);
  // A preflight was sent for a request whose method and headers need none: only the page's use-CORS-preflight flag
  // (XHR upload listeners, a streamed body) makes the browser do that, so the flag was set.
  if (
    page &&
    (exchange.preflight || isPreflightExchange(exchange)) &&
    !planPreflight(page).needed &&
    planPreflight({ ...page, useCorsPreflight: true }).needed
  ) {
    return { ...page, useCorsPreflight: true };
  }
  return page;
}

function recordedPageRequest(exchange: ObservedExchange, read: RequestsRead): PageRequest | null {
  const origin = observedOrigin(exchange, read);
  if (origin === null) return null;
  const { request } = read;
  const askedMethod = request.requestedMethod;
  if (exchange.request.method.toUpperCase() === 'OPTIONS' && askedMethod) {
    const headers: HeaderMap = {};
    for (const name of requestedHeaderNames(request.requestedHeaders)) headers[name] = '';
    return { origin, method: askedMethod.toUpperCase(), url: exchange.request.url, headers, mode: 'cors', credentials: inferCredentials(exchange, request) };
  }
  return {
    origin,
    method: exchange.request.method.toUpperCase(),
    url: exchange.request.url,
    headers: authorHeaders(exchange.request, read.preflightRequest),
    mode: inferMode(exchange, request),
    credentials: inferCredentials(exchange, request),
  };
}

/** The preflight of an exchange, when the exchange itself is one. */
export function isPreflightExchange(exchange: ObservedExchange): boolean {
  return exchange.request.method.toUpperCase() === 'OPTIONS' && readRequestFacts(exchange.request).requestedMethod !== undefined;
}
