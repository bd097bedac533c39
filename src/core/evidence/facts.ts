/**
 * An exchange read once into plain facts (issue 12 item 3): the header values the diagnosis decides from, each read
 * by name in one place, so a check asks `facts.actual.allowOrigin` instead of looking a header up in a raw map.
 *
 * A value is kept as the capture recorded it (an absent header is `undefined`), so a check that quotes it quotes
 * what the user sees in DevTools. Header lookup is case-insensitive and, on a map that was not lower-cased (a
 * related exchange as the source gave it), takes the first name that matches (http/index.ts getHeader).
 */
import { getHeader, type HeaderMap } from '../http/index.js';
import type { ObservedExchange, ObservedRequest, ObservedResponse } from './types.js';

/** A request as the checks read it. */
export interface RequestFacts {
  /** `Origin`, as sent. */
  origin: string | undefined;
  /** `Sec-Fetch-Mode`, as sent (`cors`, `no-cors`, `navigate`, …). */
  fetchMode: string | undefined;
  /** A `Cookie` header was recorded (the only trace of credentials mode "include" a capture keeps). */
  sentCookie: boolean;
  /** `Access-Control-Request-Method` (a preflight's). */
  requestedMethod: string | undefined;
  /** `Access-Control-Request-Headers`, as sent (a preflight's). */
  requestedHeaders: string | undefined;
  /** `Access-Control-Request-Private-Network: true` (a preflight's). */
  askedPrivateNetwork: boolean;
}

/** An answer as the checks read it. */
export interface AnswerFacts {
  status: number;
  allowOrigin: string | undefined;
  allowCredentials: string | undefined;
  exposeHeaders: string | undefined;
  allowPrivateNetwork: boolean;
  /** Any `Access-Control-*` header is present (a store that evaluated CORS for this answer sends at least one). */
  anyAccessControlHeader: boolean;
  /** `Vary` tokens, lower-cased. */
  vary: string[];
  location: string | undefined;
  server: string | undefined;
  /** S3's `x-amz-request-id`. */
  requestId: string | undefined;
  /** S3's `x-amz-bucket-region`. */
  bucketRegion: string | undefined;
  date: string | undefined;
  age: string | undefined;
  cacheControl: string | undefined;
  expires: string | undefined;
  lastModified: string | undefined;
  via: string | undefined;
  xCache: string | undefined;
  /** CloudFront's `x-amz-cf-id` is present. */
  cloudFrontId: boolean;
  cloudFrontPop: string | undefined;
  /** Cloudflare's `cf-cache-status`. */
  cfCacheStatus: string | undefined;
  /** Cloudflare's `cf-mitigated` (a challenge instead of the store's answer). */
  cfMitigated: string | undefined;
}

/** An exchange's request and answer (the answer whatever its status), for exchanges other than the one diagnosed. */
export interface ExchangeFacts {
  request: RequestFacts;
  response: AnswerFacts | null;
}

export function readRequestFacts(request: ObservedRequest): RequestFacts {
  return requestFacts(request.headers);
}

function requestFacts(headers: HeaderMap | undefined): RequestFacts {
  return {
    origin: getHeader(headers, 'origin'),
    fetchMode: getHeader(headers, 'sec-fetch-mode'),
    sentCookie: getHeader(headers, 'cookie') !== undefined,
    requestedMethod: getHeader(headers, 'access-control-request-method'),
    requestedHeaders: getHeader(headers, 'access-control-request-headers'),
    askedPrivateNetwork: getHeader(headers, 'access-control-request-private-network') === 'true',
  };
}

export function readAnswerFacts(response: ObservedResponse): AnswerFacts {
  const headers = response.headers;
  return {
    status: response.status,
    allowOrigin: getHeader(headers, 'access-control-allow-origin'),
    allowCredentials: getHeader(headers, 'access-control-allow-credentials'),
    exposeHeaders: getHeader(headers, 'access-control-expose-headers'),
    allowPrivateNetwork: getHeader(headers, 'access-control-allow-private-network') === 'true',
    anyAccessControlHeader: Object.keys(headers).some((name) => name.toLowerCase().startsWith('access-control-')),
    vary: (getHeader(headers, 'vary') ?? '')
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean),
    location: getHeader(headers, 'location'),
    server: getHeader(headers, 'server'),
    requestId: getHeader(headers, 'x-amz-request-id'),
    bucketRegion: getHeader(headers, 'x-amz-bucket-region'),
    date: getHeader(headers, 'date'),
    age: getHeader(headers, 'age'),
    cacheControl: getHeader(headers, 'cache-control'),
    expires: getHeader(headers, 'expires'),
    lastModified: getHeader(headers, 'last-modified'),
    via: getHeader(headers, 'via'),
    xCache: getHeader(headers, 'x-cache'),
    cloudFrontId: getHeader(headers, 'x-amz-cf-id') !== undefined,
    cloudFrontPop: getHeader(headers, 'x-amz-cf-pop'),
    cfCacheStatus: getHeader(headers, 'cf-cache-status'),
    cfMitigated: getHeader(headers, 'cf-mitigated'),
  };
}

/** Facts of an answer that may be missing. */
export function answerFactsOf(response: ObservedResponse | null | undefined): AnswerFacts | null {
  return response ? readAnswerFacts(response) : null;
}

export function readExchangeFacts(exchange: ObservedExchange): ExchangeFacts {
  return { request: readRequestFacts(exchange.request), response: answerFactsOf(exchange.response) };
}
