/**
 * CACHED_RESPONSE_WITHOUT_CORS — a browser or CDN cache replayed a response stored for a non-CORS request (no
 * Origin ⇒ no CORS headers and no Vary, S1/S19) to a CORS request (failure modes 21 and 22).
 */
import { getHeader } from '../../http/index.js';
import type { ObservedExchange } from '../../evidence/types.js';
import type { Check, Evidence } from '../types.js';
import { allowOrigin, finding, varyTokens } from './support.js';

function sameResource(a: string, b: string): boolean {
  return a.split('#')[0] === b.split('#')[0];
}

/** "the earlier image request img-1", or "the earlier request r2" when the source gave no resource type. */
function describeEarlier(other: ObservedExchange): string {
  return `the earlier ${other.resourceType ? `${other.resourceType} ` : ''}request ${other.id}`;
}

/** Earlier exchanges of the same URL made without Origin (an <img>, a stylesheet) whose response this one repeats. */
function replayedFrom(evidence: Evidence): { exchange: ObservedExchange; why: string } | null {
  const response = evidence.actualResponse;
  for (const other of evidence.context.related ?? []) {
    if (other.id === evidence.exchange.id || !sameResource(other.request.url, evidence.exchange.request.url)) continue;
    const sentOrigin = Object.keys(other.request.headers).some((h) => h.toLowerCase() === 'origin');
    const requestId = getHeader(other.response?.headers, 'x-amz-request-id');
    const date = getHeader(other.response?.headers, 'date');
    if (response && requestId && requestId === getHeader(response.headers, 'x-amz-request-id')) {
      return { exchange: other, why: `same x-amz-request-id ${requestId} as ${describeEarlier(other)}` };
    }
    if (response && date && date === getHeader(response.headers, 'date') && !sentOrigin) {
      return { exchange: other, why: `same Date as ${describeEarlier(other)}, made without Origin` };
    }
    if (!sentOrigin && evidence.exchange.fromCache) return { exchange: other, why: `${describeEarlier(other)} fetched the same URL without Origin` };
  }
  return null;
}

export const cachedResponseWithoutCorsCheck: Check = {
  id: 'cached-response-without-cors',
  title: 'A cached non-CORS response was reused',
  requires: ['page'],
  evaluate(evidence) {
    const page = evidence.page!;
    const response = evidence.actualResponse;
    const acao = allowOrigin(response);
    const corsMissing = acao === undefined || (acao !== '*' && acao !== page.origin);
    if (!corsMissing) return [];
    const signals: string[] = [];
    const { fromCache } = evidence.exchange;
    if (fromCache) signals.push(`served from the browser cache (${fromCache === true ? 'yes' : fromCache})`);
    const age = Number(getHeader(response?.headers, 'age') ?? '0');
    if (age > 0) signals.push(`Age: ${age}`);
    const xCache = getHeader(response?.headers, 'x-cache');
    if (xCache && /hit/i.test(xCache)) signals.push(`X-Cache: ${xCache}`);
    const cfStatus = getHeader(response?.headers, 'cf-cache-status');
    if (cfStatus && /hit/i.test(cfStatus)) signals.push(`cf-cache-status: ${cfStatus}`);
    const replay = replayedFrom(evidence);
    if (replay) signals.push(replay.why);
    if (!signals.length) return [];
    const vary = varyTokens(response?.headers);
    const browserCache = !!fromCache || !!replay;
    const otherOrigin = acao !== undefined && acao !== page.origin;
    return [
      finding('CACHED_RESPONSE_WITHOUT_CORS', 'error', {
        message: otherOrigin
          ? `A cache served a response stored for another origin (Access-Control-Allow-Origin: ${acao}), not S3's answer for \`${page.origin}\`.`
          : `A ${browserCache ? 'browser' : 'CDN'} cache replayed a response stored for a request without Origin, so it has no CORS headers; the bucket rules may be fine.`,
        detail: `S3 adds CORS headers and Vary only when the request carries Origin; the stored response ${vary.includes('origin') ? 'has' : 'lacks'} \`Vary: Origin\`, so the cache treats it as valid for every origin. ${browserCache ? 'Typically an <img> or CSS loaded the URL first, then fetch()/canvas/crossorigin reused it (Chromium; Firefox keys its cache on the anonymous flag).' : 'Which origin fills the cache first decides what everyone gets, so failures are intermittent and POP-dependent.'}`, // S1, S19
        evidence: [...signals, ...(vary.length ? [`Vary: ${vary.join(', ')}`] : ['no Vary header']), acao === undefined ? 'no Access-Control-Allow-Origin' : `Access-Control-Allow-Origin: ${acao}`],
        fix: browserCache
          ? 'Add `crossorigin="anonymous"` to the first use of the URL (img/link), or fetch with `cache: "no-store"` or a cache-busting query; serve `Vary: Origin` always (e.g. a CloudFront response headers policy).'
          : 'Put Origin in the CDN cache key (CloudFront cache policy / `CORS-S3Origin`), add `Vary: Origin` at the edge, and invalidate the cached objects.',
      }),
    ];
  },
};
