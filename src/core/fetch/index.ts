/**
 * The browser model: the WHATWG Fetch standard's CORS protocol (https://fetch.spec.whatwg.org/#http-cors-protocol)
 * as Chromium 156 and Firefox ESR 153 implement it, with their error names and console messages.
 *
 * The default verdict is Chromium's (its error names are the DevTools `corsError` enum); every failure also
 * carries what Firefox reports for the same exchange, and `{engine: 'firefox'}` makes Firefox decide.
 * test/e2e/browser-model runs generated cases in both real browsers and asserts they agree with this model.
 */
import { getHeader, type HttpRequest, type HttpResponse } from '../http/index.js';
import {
  chromiumAccessCheck,
  chromiumPreflightCheck,
  corsErrorForFirefoxReason,
  firefoxAccessCheck,
  firefoxPreflightCheck,
  isRedirect,
  unsafeHeaderNamesOf,
  type CheckedRequest,
  type ChromiumVerdict,
} from './checks.js';
import { parseExposedHeaderNames } from './lists.js';
import { chromeConsoleMessage, describeCorsError, FIREFOX_ALLOWS, firefoxConsoleMessage, type MessageContext } from './messages.js';
import {
  effectiveAuthorHeaders,
  isCorsSafelistedMethod,
  isForbiddenMethod,
  isNoCorsSafelistedRequestHeader,
  normalizeMethod,
} from './safelist.js';
import type {
  BrowserEngine,
  BrowserModelOptions,
  BrowserOutcome,
  CorsFailure,
  FirefoxVerdict,
  HeaderMap,
  PageRequest,
  PreflightPlan,
  Responder,
} from './types.js';

export * from './types.js';
export {
  corsUnsafeRequestHeaderNames,
  isCorsSafelistedMethod,
  isCorsSafelistedRequestHeader,
  isForbiddenMethod,
  isForbiddenRequestHeader,
  normalizeMethod,
} from './safelist.js';
export { chromeConsoleMessage, firefoxConsoleMessage } from './messages.js';
export { CHROMIUM_WILDCARD_COVERS_AUTHORIZATION, FIREFOX_WILDCARD_COVERS_AUTHORIZATION } from './checks.js';

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

function engineOf(options?: BrowserModelOptions): BrowserEngine {
  return options?.engine ?? 'chromium';
}

interface ParsedUrl {
  origin: string;
  href: string;
}

/**
 * Parsed URLs by text. One fetch asks for the origin of the same URL several times (mode checks, preflight plan,
 * messages), and a diagnosis runs the model on the same URL more than once (its run, the observed exchange, the
 * fix's verification). Bounded: emptied when full; very long URLs are parsed every time.
 */
const parsedUrls = new Map<string, ParsedUrl | null>();
const PARSED_URLS_SIZE = 256;
const REMEMBERED_URL_LENGTH = 8192;

function parseUrl(url: string): ParsedUrl | null {
  const known = parsedUrls.get(url);
  if (known !== undefined) return known;
  let parsed: ParsedUrl | null;
  try {
    const whole = new URL(url);
    parsed = { origin: whole.origin, href: whole.href };
  } catch {
    parsed = null;
  }
  if (typeof url === 'string' && url.length <= REMEMBERED_URL_LENGTH) {
    if (parsedUrls.size >= PARSED_URLS_SIZE) parsedUrls.clear();
    parsedUrls.set(url, parsed);
  }
  return parsed;
}

function originOf(url: string): string | null {
  return parseUrl(url)?.origin ?? null;
}

/** The URL as browsers print it (`http://host` becomes `http://host/`); unparsable input is kept as given. */
function serializeUrl(url: string): string {
  return parseUrl(url)?.href ?? url;
}

/** A request to another origin in mode cors (the default for fetch) — the only kind the CORS protocol governs. */
function isCrossOriginCors(request: PageRequest): boolean {
  const mode = request.mode ?? 'cors';
  return mode === 'cors' && originOf(request.url) !== request.origin;
}

/** A request's effective author headers, with the cache of their CORS-unsafe names (see CheckedRequest). */
interface AuthorHeaders {
  headers: HeaderMap;
  unsafeNames: NonNullable<CheckedRequest['unsafeNames']>;
}

/**
 * Author headers by their exact names and values. A capture's requests carry a handful of distinct header sets,
 * and one diagnosis prepares the same set several times (plan, model run, observed exchange, fix verification).
 * The shared objects are never modified: the model copies headers before adding Origin or dropping any.
 * Bounded: emptied when full; long header sets are prepared every time.
 */
const authorHeaderSets = new Map<string, AuthorHeaders>();
const AUTHOR_HEADER_SETS_SIZE = 256;
const REMEMBERED_HEADERS_LENGTH = 4096;
/** The prepared sets by their own (never modified) headers object: a fetch checks its current request again. */
const preparedByHeaders = new WeakMap<HeaderMap, AuthorHeaders>();

function prepare(headers: HeaderMap): AuthorHeaders {
  const prepared: AuthorHeaders = { headers: effectiveAuthorHeaders(headers), unsafeNames: {} };
  preparedByHeaders.set(prepared.headers, prepared);
  return prepared;
}

function authorHeadersOf(headers: HeaderMap): AuthorHeaders {
  const own = preparedByHeaders.get(headers);
  if (own) return own;
  let key = '';
  const names = Object.keys(headers);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const value = headers[name];
    if (typeof value !== 'string') return prepare(headers);
    // Each part prefixed with its length, so no name or value can pass for a separator.
    key += `${name.length}:${name}${value.length}:${value}`;
  }
  if (key.length > REMEMBERED_HEADERS_LENGTH) return prepare(headers);
  const known = authorHeaderSets.get(key);
  if (known) return known;
  const prepared = prepare(headers);
  if (authorHeaderSets.size >= AUTHOR_HEADER_SETS_SIZE) authorHeaderSets.clear();
  authorHeaderSets.set(key, prepared);
  return prepared;
}

function checkedRequest(request: PageRequest, origin: string = request.origin): CheckedRequest {
  const author = authorHeadersOf(request.headers);
  return {
    origin,
    method: normalizeMethod(request.method),
    headers: author.headers,
    credentials: request.credentials ?? 'same-origin',
    unsafeNames: author.unsafeNames,
  };
}

function buildPreflightRequest(checked: CheckedRequest, url: string, engine: BrowserEngine): HttpRequest {
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

function preflightReasons(checked: CheckedRequest, engine: BrowserEngine): string[] {
  const unsafeNames = unsafeHeaderNamesOf(checked, engine);
  return isCorsSafelistedMethod(checked.method) ? [...unsafeNames] : [checked.method, ...unsafeNames];
}

/** Does this request need a preflight, and what does the browser send? */
export function planPreflight(request: PageRequest, options?: BrowserModelOptions): PreflightPlan {
  return planPreflightFrom(checkedRequest(request), request, engineOf(options));
}

function planPreflightFrom(checked: CheckedRequest, request: PageRequest, engine: BrowserEngine): PreflightPlan {
  // fetch() throws for a forbidden method: nothing is sent at all.
  if (!isCrossOriginCors(request) || isForbiddenMethod(checked.method)) return { needed: false, reasons: [], request: null };
  const reasons = preflightReasons(checked, engine);
  if (reasons.length === 0) return { needed: false, reasons: [], request: null };
  return { needed: true, reasons, request: buildPreflightRequest(checked, request.url, engine) };
}

/** Fetch "CORS-safelisted method" and no CORS-unsafe request-header: no preflight (for a cross-origin cors request). */
export function isSimpleRequest(request: PageRequest, options?: BrowserModelOptions): boolean {
  return preflightReasons(checkedRequest(request), engineOf(options)).length === 0;
}

type Stage = 'preflight' | 'actual';

/** Both browsers' console lines for a failure, built once (the message context is built once per failure too). */
function failureMessages(stage: Stage, chromium: ChromiumVerdict | null, firefox: FirefoxVerdict | null, context: MessageContext): CorsFailure['messages'] {
  const messages: CorsFailure['messages'] = {
    chrome: chromium ? chromeConsoleMessage(chromium.corsError, chromium.failedParameter, context) : 'Chrome does not block this exchange (modelled divergence from Firefox).',
    firefox: firefox ? firefoxConsoleMessage(firefox, context) : FIREFOX_ALLOWS,
  };
  if (firefox && (stage === 'preflight' || context.failedOnRedirect)) {
    messages.firefoxFollowUp = firefoxConsoleMessage({ reason: 'CORSDidNotSucceed2', parameter: '(null)' }, context);
  }
  return messages;
}

function buildFailure(
  stage: Stage,
  chromium: ChromiumVerdict | null,
  firefox: FirefoxVerdict | null,
  engine: BrowserEngine,
  context: MessageContext,
): CorsFailure | null {
  const deciding = engine === 'firefox' ? firefox : chromium;
  if (!deciding) return null;
  const corsError = chromium?.corsError ?? corsErrorForFirefoxReason(firefox!, stage === 'preflight');
  const failedParameter = chromium ? chromium.failedParameter : (firefox?.parameter ?? '');
  const failure: CorsFailure = {
    blockedAt: stage,
    corsError,
    messages: failureMessages(stage, chromium, firefox, context),
    firefox,
    url: context.url,
  };
  if (failedParameter !== '') failure.failedParameter = failedParameter;
  if (chromium?.disallowedHeaders) failure.disallowedHeaders = chromium.disallowedHeaders;
  return failure;
}

function messageContext(request: PageRequest, url: string, status: number): MessageContext {
  const context: MessageContext = { url: serializeUrl(url), origin: request.origin, status };
  const initial = serializeUrl(request.url);
  if (initial !== context.url) context.initialUrl = initial;
  return context;
}

function judgePreflight(
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

function judgeActual(checked: CheckedRequest, request: PageRequest, url: string, response: HttpResponse, engine: BrowserEngine): CorsFailure | null {
  const chromium = engine !== 'firefox' ? chromiumAccessCheck(checked, response) : null;
  const firefox = engine === 'firefox' || chromium ? firefoxAccessCheck(checked, response) : null;
  if (engine === 'firefox' ? !firefox : !chromium) return null;
  const context: MessageContext = { ...messageContext(request, url, response.status), failedOnRedirect: isRedirect(response) };
  return buildFailure('actual', chromium ?? chromiumAccessCheck(checked, response), firefox, engine, context);
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

/** The CORS check on the actual response (also applied to each redirect response). null = pass. */
export function checkActualResponse(
  request: PageRequest,
  response: HttpResponse & { redirected?: boolean },
  options?: BrowserModelOptions,
): CorsFailure | null {
  if (!isCrossOriginCors(request)) return null;
  return judgeActual(checkedRequest(request), request, request.url, response, engineOf(options));
}

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

/** A one-sentence explanation of a failure for people (not a browser's wording — see `messages` for those). */
export function describeCorsFailure(failure: CorsFailure, origin: string): string {
  return describeCorsError(failure.corsError, failure.failedParameter ?? '', origin);
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
    const scriptError = engine === 'firefox' ? `TypeError: Window.fetch: ${request.url} is not a valid URL.` : `TypeError: Failed to execute 'fetch' on 'Window': Failed to parse URL from ${request.url}`;
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

  let current: PageRequest = { ...request, method, headers: authorHeadersOf(request.headers).headers };
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
      return { outcome: 'allowed', preflight, actual, failure: null, readableHeaders: readableResponseHeaders(current, response), responseType: 'cors', redirects };
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
  return engine === 'firefox' ? `TypeError: Window.fetch: Invalid request method ${method}.` : `TypeError: Failed to execute 'fetch' on 'Window': '${method}' ${chromiumReason}`;
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
    const next = followRedirect({ ...request, method: actualRequest.method, url: actualRequest.url, headers: actualRequest.headers }, response.status, location);
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
