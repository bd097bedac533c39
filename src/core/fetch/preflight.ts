/** The CORS-preflight fetch: whether a request needs one, what the browser sends, and the checks on its answer. */
import type { HttpRequest, HttpResponse } from '../http/index.js';
import { chromiumPreflightCheck, firefoxPreflightCheck, unsafeHeaderNamesOf, type CheckedRequest } from './checks.js';
import { buildFailure, messageContext } from './failure.js';
import { checkedRequest, engineOf, isCrossOriginCors } from './request.js';
import { isCorsSafelistedMethod, isForbiddenMethod } from './safelist.js';
import type { BrowserEngine, BrowserModelOptions, CorsFailure, HeaderMap, PageRequest, PreflightPlan } from './types.js';

export function buildPreflightRequest(checked: CheckedRequest, url: string, engine: BrowserEngine): HttpRequest {
  const unsafeNames = unsafeHeaderNamesOf(checked, engine);
  const headers: HeaderMap = {
    // Fetch "CORS-preflight fetch" steps 1-4: Accept */*, the method, the sorted names (no space after ",").
    accept: '*/*',
    'access-control-request-method': checked.method,
    origin: checked.origin,
  };
  if (unsafeNames.length > 0) headers['access-control-request-headers'] = unsafeNames.join(',');
  return { method: 'OPTIONS', url, headers };
}

/** Said as the reason when only the page's use-CORS-preflight flag asks for a preflight. */
export const FORCED_PREFLIGHT_REASON = 'forced by the page: an upload with progress listeners or a streamed body';

function preflightReasons(checked: CheckedRequest, request: PageRequest, engine: BrowserEngine): string[] {
  const unsafeNames = unsafeHeaderNamesOf(checked, engine);
  const reasons = isCorsSafelistedMethod(checked.method) ? [...unsafeNames] : [checked.method, ...unsafeNames];
  // Fetch "main fetch": a CORS-preflight fetch is made when the use-CORS-preflight flag is set, or the method or
  // the headers are not safelisted. The flag adds no Access-Control-Request-Headers of its own.
  return reasons.length === 0 && request.useCorsPreflight ? [FORCED_PREFLIGHT_REASON] : reasons;
}

/** Does this request need a preflight, and what does the browser send? */
export function planPreflight(request: PageRequest, options?: BrowserModelOptions): PreflightPlan {
  return planPreflightFrom(checkedRequest(request), request, engineOf(options));
}

export function planPreflightFrom(checked: CheckedRequest, request: PageRequest, engine: BrowserEngine): PreflightPlan {
  // fetch() throws for a forbidden method: nothing is sent at all.
  if (!isCrossOriginCors(request) || isForbiddenMethod(checked.method)) return { needed: false, reasons: [], request: null };
  const reasons = preflightReasons(checked, request, engine);
  if (reasons.length === 0) return { needed: false, reasons: [], request: null };
  return { needed: true, reasons, request: buildPreflightRequest(checked, request.url, engine) };
}

export function judgePreflight(
  checked: CheckedRequest,
  request: PageRequest,
  url: string,
  response: HttpResponse & { redirected?: boolean },
  engine: BrowserEngine,
): CorsFailure | null {
  // The other engine's verdict only describes a failure: when the deciding engine passes, it is not needed.
  const chromium = engine !== 'firefox' ? chromiumPreflightCheck(checked, response) : null;
  const firefox = engine === 'firefox' || chromium ? firefoxPreflightCheck(checked, response) : null;
  if (engine === 'firefox' ? !firefox : !chromium) return null;
  return buildFailure('preflight', chromium ?? chromiumPreflightCheck(checked, response), firefox, engine, messageContext(request, url, response.status));
}

/**
 * The CORS-preflight fetch's checks on `response` for `request`'s preflight. null = pass. Chromium's order:
 * redirect, CORS check (origin, credentials), ok status, Allow-Methods/-Headers syntax, method, headers;
 * Firefox's verdict (in `failure.firefox`) follows its own order (see checks.ts).
 */
export function checkPreflightResponse(
  request: PageRequest,
  response: HttpResponse & { redirected?: boolean },
  options?: BrowserModelOptions,
): CorsFailure | null {
  return judgePreflight(checkedRequest(request), request, request.url, response, engineOf(options));
}
