/** The preflight the page's browser sent (or would have sent) for a captured exchange: what the probe replays. */
import { getHeader } from '../core/http/index.js';
import type { ObservedExchange } from '../core/evidence/types.js';
import type { PreflightToSend } from '../platform/probe-transport.js';

/** Request headers a page cannot set or that never trigger a preflight (Fetch: forbidden and CORS-safelisted names). */
const NOT_REQUESTED =
  /^(accept|accept-language|content-language|origin|referer|user-agent|host|connection|content-length|cookie|accept-encoding|sec-.*|priority|range|dnt|cache-control|pragma|if-.*|proxy-.*)$/;
const SAFELISTED_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

function requestedHeaderNames(exchange: ObservedExchange): string[] {
  const fromPreflight = exchange.preflight && getHeader(exchange.preflight.request.headers, 'access-control-request-headers');
  if (fromPreflight !== undefined)
    return fromPreflight
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean);
  return Object.entries(exchange.request.headers)
    .filter(([name, value]) => {
      const lower = name.toLowerCase();
      if (lower.startsWith(':') || NOT_REQUESTED.test(lower)) return false;
      if (lower === 'content-type') return !SAFELISTED_CONTENT_TYPES.has((value.split(';')[0] ?? '').trim().toLowerCase());
      return true;
    })
    .map(([name]) => name.toLowerCase())
    .sort();
}

export function probeTargetFor(exchange: ObservedExchange): PreflightToSend {
  const preflightHeaders = exchange.preflight?.request.headers;
  const origin = getHeader(preflightHeaders, 'origin') ?? exchange.pageOrigin ?? getHeader(exchange.request.headers, 'origin');
  if (!origin) throw new Error('cannot probe: the page origin of this request is unknown');
  const method = (getHeader(preflightHeaders, 'access-control-request-method') ?? exchange.request.method).toUpperCase();
  let url = exchange.preflight?.request.url ?? exchange.request.url;
  // declarativeNetRequest's urlFilter reserves * ^ |; S3 evaluates a preflight without looking at the query (S30).
  if (/[*^|]/.test(url)) {
    const parsed = new URL(url);
    url = parsed.origin + parsed.pathname;
  }
  return { url, origin, method, headers: requestedHeaderNames(exchange) };
}
