/**
 * The whole fetch as the browser runs it: preflight when needed, the actual request, redirects followed and each
 * response CORS-checked.
 */
import { getHeader, type HttpRequest, type HttpResponse } from '../http/index.js';
import { chromiumAccessCheck, firefoxAccessCheck, isRedirect, type CheckedRequest } from './checks.js';
import { buildFailure, messageContext } from './failure.js';
import type { MessageContext } from './messages.js';
import { buildPreflightRequest, judgePreflight, planPreflight, planPreflightFrom } from './preflight.js';
import { readableResponseHeaders } from './readable-headers.js';
import { checkedRequest, engineOf, isCrossOriginCors, originOf } from './request.js';
import { effectiveAuthorHeaders, isCorsSafelistedMethod, isForbiddenMethod, isNoCorsSafelistedRequestHeader, normalizeMethod } from './safelist.js';
import type { BrowserEngine, BrowserModelOptions, BrowserOutcome, CorsFailure, HeaderMap, PageRequest, PreflightPlan, Responder } from './types.js';

function judgeActual(checked: CheckedRequest, request: PageRequest, url: string, response: HttpResponse, engine: BrowserEngine): CorsFailure | null {
  const chromium = engine !== 'firefox' ? chromiumAccessCheck(checked, response) : null;
  const firefox = engine === 'firefox' || chromium ? firefoxAccessCheck(checked, response) : null;
  if (engine === 'firefox' ? !firefox : !chromium) return null;
  const context: MessageContext = { ...messageContext(request, url, response.status), failedOnRedirect: isRedirect(response) };
  return buildFailure('actual', chromium ?? chromiumAccessCheck(checked, response), firefox, engine, context);
}

/** The CORS check on the actual response (also applied to each redirect response). null = pass. */
export function checkActualResponse(
  request: PageRequest,
  response: HttpResponse & { redirected?: boolean },
  options?: BrowserModelOptions,
): CorsFailure | null {
  if (!isCrossOriginCors(request)) return null;
  return judgeActual(checkedRequest(request), request, request.url, response, engineOf(options));
}

/** Fetch "HTTP-redirect fetch": more than 20 redirects is a network error. */
const MAX_REDIRECTS = 20;
const REQUEST_BODY_HEADER_NAMES = ['content-encoding', 'content-language', 'content-location', 'content-type'];

function resolveLocation(response: HttpResponse, base: string): string | null {
  const location = getHeader(response.headers, 'location');
  if (location === undefined) return null;
  try {
    return new URL(location, base).href;
  } catch {
    return null;
  }
}

function blocked(partial: Partial<BrowserOutcome> & Pick<BrowserOutcome, 'failure'>): BrowserOutcome {
  return { outcome: 'blocked', preflight: null, actual: null, readableHeaders: [], ...partial };
}

/**
 * The whole fetch: preflight if needed, then the actual request, each answered by `respond`; redirects of the
 * actual request are followed (redirect mode "follow"), each redirect response CORS-checked, the origin
 * tainted to `null` after a cross-origin hop, and a new preflight made for the new URL when one is needed.
 * The preflight cache is not modelled: every call starts cold.
 */
export function runBrowserFetch(request: PageRequest, respond: Responder, options?: BrowserModelOptions): BrowserOutcome {
  const engine = engineOf(options);
  const method = normalizeMethod(request.method);
  const mode = request.mode ?? 'cors';
  // fetch() rejects these before any network activity; the texts are what script sees (measured in both
  // browsers by the browser-model e2e suite, except the unparsable URL, which it does not exercise).
  if (isForbiddenMethod(method)) return blocked({ failure: null, scriptError: invalidMethodError(request.method, 'HTTP method is unsupported.', engine) });
  if (originOf(request.url) === null) {
    const scriptError =
      engine === 'firefox'
        ? `TypeError: Window.fetch: ${request.url} is not a valid URL.`
        : `TypeError: Failed to execute 'fetch' on 'Window': Failed to parse URL from ${request.url}`;
    return blocked({ failure: null, scriptError });
  }
  if (mode === 'no-cors' && !isCorsSafelistedMethod(method)) {
    return blocked({ failure: null, scriptError: invalidMethodError(method, 'is unsupported in no-cors mode.', engine) });
  }
  if (mode === 'same-origin' && originOf(request.url) !== request.origin) {
    // Blink refuses this in FetchManager before the network service sees it, so DevTools reports no corsError
    // (DisallowedByMode is the network service's name for requests that reach it).
    return blocked({ failure: null, scriptError: networkError(engine) });
  }
  if (!isCrossOriginCors(request)) return fetchWithoutCors(request, method, respond, engine);

  let current: PageRequest = { ...request, method, headers: effectiveAuthorHeaders(request.headers) };
  let origin = request.origin;
  const redirects: { request: HttpRequest; response: HttpResponse }[] = [];
  let preflight: BrowserOutcome['preflight'] = null;
  // The original request's plan matters only for Firefox after a redirect: worked out then, once.
  let firstPlan: PreflightPlan | null = null;
  for (;;) {
    const checked = checkedRequest(current, origin);
    // Firefox departs after a cross-origin redirect (measured, ESR 153): its new preflight still sends and is
    // checked against the page's own origin (only the actual request says `Origin: null`), and a request
    // whose original had unsafe headers is preflighted again even when none is left (Authorization stripped).
    const preflightChecked = engine === 'firefox' ? { ...checked, origin: request.origin } : checked;
    let plan = planPreflightFrom(preflightChecked, current, engine);
    if (engine === 'firefox' && !plan.needed && redirects.length > 0 && (firstPlan ??= planPreflight(request, options)).needed && isCrossOriginCors(current)) {
      plan = { needed: true, reasons: firstPlan.reasons, request: buildPreflightRequest(preflightChecked, current.url, engine) };
    }
    if (plan.needed && plan.request) {
      const preflightResponse = respond(plan.request);
      preflight = { needed: true, request: plan.request, response: preflightResponse };
      const failure = judgePreflight(preflightChecked, request, current.url, preflightResponse, engine);
      if (failure) return blocked({ preflight, failure, redirects, responseType: 'cors' });
    }
    const actualRequest: HttpRequest = { method: checked.method, url: current.url, headers: { ...checked.headers, origin } };
    const response = respond(actualRequest);
    const actual = { request: actualRequest, response };
    // Fetch "HTTP fetch": a CORS check on every response of a cors request, redirects included.
    const failure = judgeActual(checked, request, current.url, response, engine);
    if (failure) return blocked({ preflight, actual, failure, redirects, responseType: 'cors' });
    const location = isRedirect(response) ? resolveLocation(response, current.url) : null;
    if (location === null) {
      return {
        outcome: 'allowed',
        preflight,
        actual,
        failure: null,
        readableHeaders: readableResponseHeaders(current, response),
        responseType: 'cors',
        redirects,
      };
    }
    redirects.push(actual);
    if (redirects.length > MAX_REDIRECTS) {
      // A network error (net::ERR_TOO_MANY_REDIRECTS), not a CORS failure; script learns nothing more.
      return blocked({ preflight, actual, failure: null, redirects, scriptError: networkError(engine) });
    }
    const next = followRedirect(current, response.status, location);
    // Fetch "HTTP-redirect fetch": a cross-origin hop away from a URL that was already cross-origin to the
    // request's origin taints it — the next requests send `Origin: null`.
    if (originOf(location) !== originOf(current.url) && originOf(current.url) !== request.origin) origin = 'null';
    current = next;
  }
}

function invalidMethodError(method: string, chromiumReason: string, engine: BrowserEngine): string {
  return engine === 'firefox'
    ? `TypeError: Window.fetch: Invalid request method ${method}.`
    : `TypeError: Failed to execute 'fetch' on 'Window': '${method}' ${chromiumReason}`;
}

/** What script sees for every blocked fetch: no reason at all (browser-capture.md). */
function networkError(engine: BrowserEngine): string {
  return engine === 'firefox' ? 'TypeError: NetworkError when attempting to fetch resource.' : 'TypeError: Failed to fetch';
}

function followRedirect(current: PageRequest, status: number, location: string): PageRequest {
  let method = current.method;
  let headers = { ...current.headers };
  // Fetch "HTTP-redirect fetch": 301/302 turn POST into GET; 303 turns everything but GET/HEAD into GET, and
  // the request-body headers go with the body.
  if (((status === 301 || status === 302) && method === 'POST') || (status === 303 && method !== 'GET' && method !== 'HEAD')) {
    method = 'GET';
    for (const name of REQUEST_BODY_HEADER_NAMES) delete headers[name];
  }
  // Same algorithm: a cross-origin redirect drops `Authorization` (the CORS non-wildcard request-header name).
  if (originOf(location) !== originOf(current.url)) {
    headers = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'authorization'));
  }
  return { ...current, method, url: location, headers };
}

/** Same-origin and no-cors requests: no CORS checks; a no-cors response is opaque (nothing readable). */
function fetchWithoutCors(request: PageRequest, method: string, respond: Responder, engine: BrowserEngine): BrowserOutcome {
  const noCors = (request.mode ?? 'cors') === 'no-cors' && originOf(request.url) !== request.origin;
  // Headers guard "request-no-cors": anything but a no-CORS-safelisted request-header is silently dropped.
  const headers: HeaderMap = Object.fromEntries(
    Object.entries(effectiveAuthorHeaders(request.headers)).filter(([name, value]) => !noCors || isNoCorsSafelistedRequestHeader(name, value)),
  );
  // Fetch "append a request `Origin` header": outside cors tainting, only for methods other than GET and HEAD.
  if (method !== 'GET' && method !== 'HEAD') headers['origin'] = request.origin;
  let actualRequest: HttpRequest = { method, url: request.url, headers };
  let response = respond(actualRequest);
  const redirects: { request: HttpRequest; response: HttpResponse }[] = [];
  for (let location = isRedirect(response) ? resolveLocation(response, actualRequest.url) : null; location !== null; ) {
    redirects.push({ request: actualRequest, response });
    if (redirects.length > MAX_REDIRECTS) {
      return blocked({ failure: null, redirects, scriptError: networkError(engine) });
    }
    const next = followRedirect(
      { ...request, method: actualRequest.method, url: actualRequest.url, headers: actualRequest.headers },
      response.status,
      location,
    );
    actualRequest = { method: next.method, url: next.url, headers: next.headers };
    response = respond(actualRequest);
    location = isRedirect(response) ? resolveLocation(response, actualRequest.url) : null;
  }
  return {
    outcome: 'allowed',
    preflight: null,
    actual: { request: actualRequest, response },
    failure: null,
    readableHeaders: noCors ? [] : readableResponseHeaders({ ...request, url: actualRequest.url }, response),
    responseType: noCors ? 'opaque' : 'basic',
    redirects,
  };
}
