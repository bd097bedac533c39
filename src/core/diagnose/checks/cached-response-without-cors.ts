/**
 * CACHED_RESPONSE_WITHOUT_CORS — a browser or CDN cache replayed a response stored for a non-CORS request (no
 * Origin ⇒ no CORS headers and no Vary, S1/S19) to a CORS request (failure modes 21 and 22).
 */
import { readExchangeFacts, type AnswerFacts, type RequestFacts } from '../../evidence/facts.js';
import type { ObservedExchange } from '../../evidence/types.js';
import type { Check, Evidence } from '../types.js';
import { defineCheck, finding } from './support.js';

/** Resource types the browser fetches in no-cors mode unless the element carries `crossorigin`. */
const NO_CORS_RESOURCE_TYPES = new Set(['image', 'stylesheet', 'script', 'media', 'imageset']);

function sameResource(a: string, b: string): boolean {
  return a.split('#')[0] === b.split('#')[0];
}

/** "the earlier image request img-1", or "the earlier request r2" when the source gave no resource type. */
function describeEarlier(other: ObservedExchange): string {
  return `the earlier ${other.resourceType ? `${other.resourceType} ` : ''}request ${other.id}`;
}

/**
 * A request the browser made without CORS, whose answer S3 sent without CORS headers and without Vary (S1):
 * `Sec-Fetch-Mode: no-cors` (an element's load), `navigate` (the URL opened in a tab: a GET navigation carries no
 * Origin), or, without Sec-Fetch-Mode, an element's load or a document without Origin.
 */
function isNonCorsLoad(exchange: ObservedExchange, request: RequestFacts): boolean {
  const mode = request.fetchMode;
  if (mode !== undefined) return ['no-cors', 'navigate'].includes(mode.trim().toLowerCase());
  if (request.origin !== undefined || exchange.resourceType === undefined) return false;
  return NO_CORS_RESOURCE_TYPES.has(exchange.resourceType) || exchange.resourceType === 'document';
}

/** A navigation (the URL visited in a tab), as opposed to an element's no-cors load. */
function isNavigation(exchange: ObservedExchange, request: RequestFacts): boolean {
  const mode = request.fetchMode;
  return mode !== undefined ? mode.trim().toLowerCase() === 'navigate' : exchange.resourceType === 'document';
}

/**
 * Would a browser keep this answer and reuse it for a later request of the URL without asking S3 again (a
 * revalidation would carry the later request's Origin)? Not a non-200, not `no-store` (never stored), not `no-cache`
 * or `max-age=0` (revalidated on every use). Otherwise it is stored (a 200 is cacheable by default, RFC 9111 §3) and
 * reused while fresh: for `max-age` or `Expires`, else 10% of the time since `Last-Modified` (heuristic freshness,
 * RFC 9111 §4.2.2; Chromium's GetFreshnessLifetimes).
 *
 * A 200 with none of these recorded is a documented choice: it is taken as reusable. S3 sends `Cache-Control` and
 * `Expires` only when the object's metadata sets them, and `Last-Modified` on every object answer, so S3's default
 * answer is kept fresh by the heuristic; a capture that shows no `Last-Modified` (a trimmed or hand-written HAR, a
 * header list copied from DevTools) is read as that default answer. Chromium gives a 200 that truly lacks all three
 * a lifetime of 0 and revalidates it with its ETag; what S3's 304 then carries is not recorded.
 */
function isCacheable(response: AnswerFacts): string | null {
  if (response.status !== 200) return null;
  const cacheControl = (response.cacheControl ?? '').toLowerCase();
  if (/no-store|no-cache|max-age\s*=\s*0\b/.test(cacheControl)) return null;
  if (/max-age\s*=\s*\d+/.test(cacheControl)) return `Cache-Control: ${response.cacheControl}`;
  const { expires, lastModified } = response;
  if (expires) return `Expires: ${expires}`;
  if (lastModified) return `Last-Modified: ${lastModified} (kept by heuristic freshness)`;
  return 'no Cache-Control, Expires or Last-Modified recorded (a 200 is stored by default; S3 sends Last-Modified on every object, which keeps it fresh)';
}

function startMs(exchange: ObservedExchange): number | null {
  const t = exchange.startedAt ? Date.parse(exchange.startedAt) : Number.NaN;
  return Number.isNaN(t) ? null : t;
}

/**
 * The earlier no-cors request of the same URL whose stored answer the browser served to this CORS request: a
 * cacheable 200 without Access-Control-Allow-Origin and without `Vary: Origin`. An exchange dated after this one
 * is not a candidate; an undated one is (the capture's order is the only clue, and the related list keeps it).
 */
function cacheFill(evidence: Evidence): { exchange: ObservedExchange; request: RequestFacts; response: AnswerFacts; lines: string[] } | null {
  const started = startMs(evidence.exchange);
  for (const other of evidence.context.related ?? []) {
    if (other.id === evidence.exchange.id || !sameResource(other.request.url, evidence.exchange.request.url)) continue;
    const { request, response } = readExchangeFacts(other);
    if (!isNonCorsLoad(other, request)) continue;
    const at = startMs(other);
    if (started !== null && at !== null && at > started) continue;
    if (!response || response.allowOrigin !== undefined) continue;
    const vary = response.vary;
    if (vary.includes('origin') || vary.includes('*')) continue;
    const lifetime = isCacheable(response);
    if (!lifetime) continue;
    const mode = request.fetchMode;
    return {
      exchange: other,
      request,
      response,
      lines: [
        `${describeEarlier(other)}${other.startedAt ? ` at ${other.startedAt}` : ''} fetched the same URL ${mode ? `with Sec-Fetch-Mode: ${mode}` : 'without Origin'}`,
        `its answer: ${response.status} without Access-Control-Allow-Origin, ${vary.length ? `Vary: ${vary.join(', ')}` : 'no Vary header'}, ${lifetime}`,
      ],
    };
  }
  return null;
}

/**
 * Does this browser serve a CORS request from an entry a no-cors request stored? Chromium does (its HTTP cache is
 * keyed on the URL). Firefox keys its cache on the anonymous flag, so only a fetch with credentials reuses the
 * entry of an <img> (browser-capture.md, scenarios h and h2); an unknown browser is given the benefit of the doubt.
 */
function browserReusesNoCorsEntry(evidence: Evidence): boolean {
  return evidence.exchange.browser !== 'firefox' || evidence.credentialsInclude;
}

/**
 * The browser refused it and recorded no answer: a failure string (Chromium, Firefox webRequest), or a Firefox HAR's
 * status 0, which it writes for every refused request without a reason (browser-capture.md).
 */
function failedWithoutAnswer(evidence: Evidence): boolean {
  if (evidence.actualResponse !== null) return false;
  if (/ERR_FAILED|NS_ERROR_DOM_BAD_URI/.test(evidence.exchange.error ?? '')) return true;
  return evidence.exchange.browser === 'firefox' && evidence.exchange.response?.status === 0;
}

/** Earlier exchanges of the same URL made without Origin (an <img>, a stylesheet) whose response this one repeats. */
function replayedFrom(evidence: Evidence): { exchange: ObservedExchange; why: string } | null {
  const response = evidence.facts.actual;
  for (const other of evidence.context.related ?? []) {
    if (other.id === evidence.exchange.id || !sameResource(other.request.url, evidence.exchange.request.url)) continue;
    const facts = readExchangeFacts(other);
    const withOrigin = facts.request.origin !== undefined;
    const requestId = facts.response?.requestId;
    const date = facts.response?.date;
    if (response && requestId && requestId === response.requestId) {
      return { exchange: other, why: `same x-amz-request-id ${requestId} as ${describeEarlier(other)}` };
    }
    if (response && date && date === response.date && !withOrigin) {
      return { exchange: other, why: `same Date as ${describeEarlier(other)}, made without Origin` };
    }
    if (!withOrigin && evidence.exchange.fromCache) return { exchange: other, why: `${describeEarlier(other)} fetched the same URL without Origin` };
  }
  return null;
}

/**
 * Chromium's HTTP cache is keyed by the top-level site as well (cache partitioning, since Chromium 86): a visit of
 * the URL is stored under the URL's own site, and a page's later load under the page's site, so the visit's entry
 * is reused only by a page of the same site (older browsers reused it from any page).
 */
const NAVIGATION_PARTITION =
  " Here the earlier request opened the URL itself (a visit, not an element's load). Chromium has partitioned its HTTP cache by top-level site since version 86: a visit's entry is reused only by pages of the URL's own site (older versions reused it from any page).";

const BROWSER_CACHE_FIX =
  'S3 sends `Vary: Origin` only on answers to requests that carry Origin, so the answer to the earlier request without Origin (an element\'s load or a visit) is stored as valid for every request of the URL. Make both requests CORS requests (`crossorigin="anonymous"` on the <img>/<link>/<script>, or `use-credentials` when the fetch sends credentials), give the fetch a distinct URL (a query parameter of its own, e.g. `?cors=1`, which S3 ignores on GET; on a presigned URL add it before signing, since the query is signed), or serve the object through a CDN that adds `Vary: Origin` to every answer (e.g. a CloudFront response headers policy).';

export const cachedResponseWithoutCorsCheck: Check = defineCheck({
  id: 'cached-response-without-cors',
  title: 'A cached non-CORS response was reused',
  requires: ['page'],
  codes: {
    CACHED_RESPONSE_WITHOUT_CORS: { headline: 'A cached response without CORS headers was reused', cause: 'cors', blocks: true, configFix: false },
  },
  evaluate(evidence) {
    const page = evidence.page;
    if (page.mode === 'no-cors') return [];
    const response = evidence.actualResponse;
    const acao = evidence.facts.actual?.allowOrigin;
    const corsMissing = acao === undefined || (acao !== '*' && acao !== page.origin);
    if (!corsMissing) return [];
    if (response === null && !failedWithoutAnswer(evidence)) return [];
    const signals: string[] = [];
    const { fromCache } = evidence.exchange;
    if (fromCache) signals.push(`served from the browser cache (${fromCache === true ? 'yes' : fromCache})`);
    const answer = evidence.facts.actual;
    const age = Number(answer?.age ?? '0');
    if (age > 0) signals.push(`Age: ${age}`);
    const xCache = answer?.xCache;
    if (xCache && /hit/i.test(xCache)) signals.push(`X-Cache: ${xCache}`);
    const cfStatus = answer?.cfCacheStatus;
    if (cfStatus && /hit/i.test(cfStatus)) signals.push(`cf-cache-status: ${cfStatus}`);
    const replay = replayedFrom(evidence);
    if (replay) signals.push(replay.why);
    // Only a GET is answered from the HTTP cache, and only once its preflight (if any) passed.
    const cacheable = page.method === 'GET' && evidence.observedFailure?.blockedAt !== 'preflight';
    const fill = !replay && cacheable && browserReusesNoCorsEntry(evidence) ? cacheFill(evidence) : null;
    if (fill) signals.push(...fill.lines);
    if (!signals.length) return [];
    const vary = (answer ?? fill?.response)?.vary ?? [];
    const browserCache = !!fromCache || !!replay || !!fill;
    const otherOrigin = acao !== undefined && acao !== page.origin;
    const noAnswer = response === null;
    return [
      finding('CACHED_RESPONSE_WITHOUT_CORS', 'error', {
        message: otherOrigin
          ? `A cache served a response stored for another origin (Access-Control-Allow-Origin: ${acao}), not S3's answer for \`${page.origin}\`.`
          : fill
            ? `The browser served this request from the cache entry of ${describeEarlier(fill.exchange)}, which was not a CORS request, so the answer has no CORS headers; the bucket rules may be fine.`
            : `A ${browserCache ? 'browser' : 'CDN'} cache replayed a response stored for a request without Origin, so it has no CORS headers; the bucket rules may be fine.`,
        detail: `S3 adds CORS headers and Vary only when the request carries Origin; the stored response ${vary.includes('origin') ? 'has' : 'lacks'} \`Vary: Origin\`, so the cache treats it as valid for every origin. ${
          browserCache
            ? `Typically an <img> or CSS loaded the URL first, then fetch()/canvas/crossorigin reused it (Chromium; Firefox only for requests with credentials, as it keys its cache on the anonymous flag).${fill && isNavigation(fill.exchange, fill.request) ? NAVIGATION_PARTITION : ''}${noAnswer ? ' The browser records no answer for the refused request (status 0), only its failure; the earlier entry is the evidence.' : ''}`
            : 'Which origin fills the cache first decides what everyone gets, so failures are intermittent and POP-dependent.'
        }`,
        evidence: [
          ...signals,
          ...(noAnswer
            ? [
                `${evidence.exchange.request.method} failed${evidence.exchange.error ? ` with ${evidence.exchange.error}` : ' (status 0)'} and no recorded answer`,
              ]
            : []),
          ...(fill
            ? []
            : [
                ...(vary.length ? [`Vary: ${vary.join(', ')}`] : ['no Vary header']),
                acao === undefined ? 'no Access-Control-Allow-Origin' : `Access-Control-Allow-Origin: ${acao}`,
              ]),
        ],
        fix: browserCache
          ? BROWSER_CACHE_FIX
          : 'Put Origin in the CDN cache key (CloudFront cache policy / `CORS-S3Origin`), add `Vary: Origin` at the edge, and invalidate the cached objects.',
      }),
    ];
  },
});
