/**
 * The CORS checks on a response, once per engine, each in that engine's order.
 *
 * Chromium: services/network/public/cpp/cors/cors.cc CheckAccess, services/network/cors/preflight_controller.cc
 * (CheckPreflightAccess, CreatePreflightResult, CheckPreflightResult) and preflight_result.cc.
 * Firefox: netwerk/protocol/http/nsCORSListenerProxy.cpp (CheckRequestApproved, and
 * nsCORSPreflightListener::CheckPreflightRequestApproved for the preflight).
 */
import { getHeader, type HttpResponse } from '../http/index.js';
import { parseTokenList } from './lists.js';
import { corsUnsafeNamesOfAuthorHeaders, corsUnsafeRequestHeaderNames, isCorsSafelistedMethod } from './safelist.js';
import type { BrowserEngine, CorsErrorName, CredentialsMode, FirefoxVerdict, HeaderMap } from './types.js';

export interface ChromiumVerdict {
  corsError: CorsErrorName;
  /** CDP's failedParameter; '' when Chromium gives none. */
  failedParameter: string;
  /** For HeaderDisallowedByPreflightResponse: every request header the preflight response does not allow. */
  disallowedHeaders?: string[];
}

/** What the checks need to know about the request whose response is judged. */
export interface CheckedRequest {
  /** The request's serialized origin as sent in `Origin` (`null` after a cross-origin redirect). */
  origin: string;
  method: string;
  /** Author headers as fetch() keeps them. */
  headers: HeaderMap;
  credentials: CredentialsMode;
  /**
   * Present when `headers` already are effective author headers (effectiveAuthorHeaders): each engine's
   * CORS-unsafe names, worked out on first use. A fetch asks for them up to four times (plan, preflight request,
   * both engines' preflight checks) and the headers never change. Shared by every request with the same headers.
   */
  unsafeNames?: Partial<Record<BrowserEngine, readonly string[]>>;
}

/** corsUnsafeRequestHeaderNames(request.headers, engine), once per request and engine. Do not modify the result. */
export function unsafeHeaderNamesOf(request: CheckedRequest, engine: BrowserEngine): readonly string[] {
  const known = request.unsafeNames;
  if (!known) return corsUnsafeRequestHeaderNames(request.headers, engine);
  return (known[engine] ??= corsUnsafeNamesOfAuthorHeaders(request.headers, engine));
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Fetch "redirect status" with a Location header — or a responder that says it redirected. An empty Location
 * is no redirect (net's HttpResponseHeaders::IsRedirect): measured, a preflight answered 307 with an empty
 * Location fails in Chromium as PreflightInvalidStatus / PreflightMissingAllowOriginHeader, not as a redirect.
 */
export function isRedirect(response: HttpResponse & { redirected?: boolean }): boolean {
  if (response.redirected) return true;
  return REDIRECT_STATUSES.has(response.status) && (getHeader(response.headers, 'location') ?? '') !== '';
}

/** Fetch "ok status": 200 to 299. */
function isOkStatus(status: number): boolean {
  return status >= 200 && status <= 299;
}

/**
 * Chromium CheckAccess (Fetch "CORS check"). Order: `*` (fails only with credentials) → missing →
 * not byte-equal to the origin, classified as multiple (contains space or comma) / `null` (mismatch) /
 * unparsable (invalid value) / mismatch → with credentials, Access-Control-Allow-Credentials must be `true`.
 */
export function chromiumAccessCheck(request: CheckedRequest, response: HttpResponse): ChromiumVerdict | null {
  const allowOrigin = getHeader(response.headers, 'access-control-allow-origin');
  const include = request.credentials === 'include';
  if (allowOrigin === '*') {
    if (!include) return null;
    return { corsError: 'WildcardOriginNotAllowed', failedParameter: '' };
  }
  if (allowOrigin === undefined) return { corsError: 'MissingAllowOriginHeader', failedParameter: '' };
  if (allowOrigin !== request.origin) {
    if (/[ ,]/.test(allowOrigin)) return { corsError: 'MultipleAllowOriginValues', failedParameter: allowOrigin };
    if (allowOrigin === 'null') return { corsError: 'AllowOriginMismatch', failedParameter: allowOrigin };
    // Chromium asks GURL whether the value parses as a URL; the WHATWG URL parser is the closest pure stand-in.
    if (!canParseUrl(allowOrigin)) return { corsError: 'InvalidAllowOriginValue', failedParameter: allowOrigin };
    return { corsError: 'AllowOriginMismatch', failedParameter: allowOrigin };
  }
  if (include) {
    const allowCredentials = getHeader(response.headers, 'access-control-allow-credentials');
    if (allowCredentials !== 'true') return { corsError: 'InvalidAllowCredentials', failedParameter: allowCredentials ?? '' };
  }
  return null;
}

function canParseUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Firefox CheckRequestApproved: more than one ACAO header line → missing → `*` with credentials → not equal
 * to the origin → with credentials, ACAC must be `true`. A HeaderMap has already joined repeated lines with
 * ", ", so a comma in the value is taken as "several lines" (the usual cause: a CDN adding a second header).
 * A single line holding "a b" is a plain mismatch in Firefox, while Chromium calls it MultipleAllowOriginValues.
 */
export function firefoxAccessCheck(request: CheckedRequest, response: HttpResponse): FirefoxVerdict | null {
  const allowOrigin = getHeader(response.headers, 'access-control-allow-origin');
  const include = request.credentials === 'include';
  if (allowOrigin !== undefined && allowOrigin.includes(',')) return { reason: 'CORSMultipleAllowOriginNotAllowed' };
  if (allowOrigin === undefined) return { reason: 'CORSMissingAllowOrigin2', parameter: String(response.status) };
  if (include && allowOrigin === '*') return { reason: 'CORSNotSupportingCredentials' };
  if ((include || allowOrigin !== '*') && allowOrigin !== request.origin) {
    return { reason: 'CORSAllowOriginNotMatchingOrigin', parameter: allowOrigin };
  }
  if (include && getHeader(response.headers, 'access-control-allow-credentials') !== 'true') {
    return { reason: 'CORSMissingAllowCredentials' };
  }
  return null;
}

const PREFLIGHT_VARIANT: Partial<Record<CorsErrorName, CorsErrorName>> = {
  WildcardOriginNotAllowed: 'PreflightWildcardOriginNotAllowed',
  MissingAllowOriginHeader: 'PreflightMissingAllowOriginHeader',
  MultipleAllowOriginValues: 'PreflightMultipleAllowOriginValues',
  InvalidAllowOriginValue: 'PreflightInvalidAllowOriginValue',
  AllowOriginMismatch: 'PreflightAllowOriginMismatch',
  InvalidAllowCredentials: 'PreflightInvalidAllowCredentials',
};

/**
 * Chromium's preflight verdict. Chromium departs from the standard's step order: it runs the CORS check
 * BEFORE the status check (preflight_controller.cc CheckPreflightAccess), so a 403 without ACAO is
 * PreflightMissingAllowOriginHeader — measured in browser-capture.md scenario (b). Then it parses
 * Allow-Methods and Allow-Headers (either failing to parse fails the preflight, with no failedParameter),
 * then checks the method, then the headers.
 */
export function chromiumPreflightCheck(request: CheckedRequest, response: HttpResponse & { redirected?: boolean }): ChromiumVerdict | null {
  // Fetch "CORS-preflight fetch": the preflight uses redirect mode "error"; Chromium fails on the redirect itself.
  if (isRedirect(response)) return { corsError: 'PreflightDisallowedRedirect', failedParameter: '' };
  const access = chromiumAccessCheck(request, response);
  if (access) return { corsError: PREFLIGHT_VARIANT[access.corsError] ?? access.corsError, failedParameter: access.failedParameter };
  if (!isOkStatus(response.status)) return { corsError: 'PreflightInvalidStatus', failedParameter: '' };

  const methods = parseTokenList(getHeader(response.headers, 'access-control-allow-methods'));
  if (!methods.ok) return { corsError: 'InvalidAllowMethodsPreflightResponse', failedParameter: '' };
  const headers = parseTokenList(getHeader(response.headers, 'access-control-allow-headers'));
  if (!headers.ok) return { corsError: 'InvalidAllowHeadersPreflightResponse', failedParameter: '' };

  const include = request.credentials === 'include';
  // Fetch: a method is allowed if listed byte-exactly, if CORS-safelisted, or by `*` without credentials.
  // Chromium 156 compares byte-exactly (its old upper-casing, crbug.com/1228178, is off): measured, a `patch`
  // request is refused by `Allow-Methods: PATCH`.
  const methodAllowed = methods.values.includes(request.method) || isCorsSafelistedMethod(request.method) || (!include && methods.values.includes('*'));
  if (!methodAllowed) return { corsError: 'MethodDisallowedByPreflightResponse', failedParameter: request.method };

  const allowedHeaders = new Set(headers.values.map((name) => name.toLowerCase()));
  const wildcard = !include && allowedHeaders.has('*');
  // The Fetch standard never lets `*` cover `authorization` (CORS non-wildcard request-header name), but
  // Chromium 156 still does — it only records a deprecation issue (preflight_result.cc,
  // NonWildcardRequestHeadersSupport off). Measured: a signed GET against `Allow-Headers: *` passes.
  const disallowed = unsafeHeaderNamesOf(request, 'chromium').filter(
    (name) => !allowedHeaders.has(name) && !(wildcard && (name !== 'authorization' || CHROMIUM_WILDCARD_COVERS_AUTHORIZATION)),
  );
  const [first] = disallowed;
  if (first === undefined) return null;
  // Which of several disallowed names Chromium reports depends on the order of Blink's header map (a hash
  // table): measured, {x-zeta, x-alpha} reports x-zeta and {authorization, x-amz-content-sha256, x-amz-date}
  // reports x-amz-content-sha256. Not predictable from outside, so the model names the first in sorted order
  // and lists them all in `disallowedHeaders`.
  return { corsError: 'HeaderDisallowedByPreflightResponse', failedParameter: first, disallowedHeaders: disallowed };
}

/** Chromium 156 lets `Access-Control-Allow-Headers: *` cover `authorization` (against the standard); measured. */
export const CHROMIUM_WILDCARD_COVERS_AUTHORIZATION = true;

/**
 * Whether Firefox lets `Access-Control-Allow-Headers: *` cover `authorization`. Firefox keeps the pref
 * network.cors_preflight.authorization_covered_by_wildcard and, while it is on, only warns
 * (CORSAllowHeaderFromPreflightDeprecation: "will disallow … soon"). Measured in Firefox ESR 153 by the
 * browser-model e2e suite.
 */
export const FIREFOX_WILDCARD_COVERS_AUTHORIZATION = true;

/**
 * Firefox's preflight verdict. The preflight channel is wrapped by nsCORSListenerProxy too, whose
 * CheckRequestApproved (the origin/credentials check) runs first — on a redirect response as well, in
 * AsyncOnChannelRedirect — before the preflight listener's own checks: redirect (CORSExternalRedirectNotAllowed)
 * → status (2xx) → Allow-Methods (token by token: an invalid token fails at once) → Allow-Headers (same) →
 * each unsafe header name in sorted order. So, against the claim in failure-modes.md F2, a 403 preflight
 * without ACAO is reported as "CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 403." —
 * measured in Firefox ESR 153 (browser-model e2e), as is that a 3xx with an empty Location still counts as a
 * redirect there (unlike Chromium).
 */
export function firefoxPreflightCheck(request: CheckedRequest, response: HttpResponse & { redirected?: boolean }): FirefoxVerdict | null {
  const access = firefoxAccessCheck(request, response);
  if (access) return access;
  const redirect = response.redirected || (REDIRECT_STATUSES.has(response.status) && getHeader(response.headers, 'location') !== undefined);
  if (redirect) return { reason: 'CORSExternalRedirectNotAllowed' };
  if (!isOkStatus(response.status)) return { reason: 'CORSPreflightDidNotSucceed3', parameter: String(response.status) };

  const include = request.credentials === 'include';
  const methods = parseTokenList(getHeader(response.headers, 'access-control-allow-methods'));
  if (!methods.ok) return { reason: 'CORSInvalidAllowMethod', parameter: methods.invalidToken };
  const methodFound = isCorsSafelistedMethod(request.method) || methods.values.some((method) => (method === '*' && !include) || method === request.method);
  if (!methodFound) return { reason: 'CORSMethodNotFound' };

  const headers = parseTokenList(getHeader(response.headers, 'access-control-allow-headers'));
  if (!headers.ok) return { reason: 'CORSInvalidAllowHeader', parameter: headers.invalidToken };
  const wildcard = !include && headers.values.includes('*');
  const listed = new Set(headers.values.filter((name) => !(name === '*' && !include)).map((name) => name.toLowerCase()));
  const unsafeNames = unsafeHeaderNamesOf(request, 'firefox');
  for (const name of unsafeNames) {
    if (wildcard && (name !== 'authorization' || FIREFOX_WILDCARD_COVERS_AUTHORIZATION)) continue;
    if (!listed.has(name)) return { reason: 'CORSMissingAllowHeaderFromPreflight2', parameter: name };
  }
  return null;
}

/** The Chromium name closest to a Firefox reason, for when Firefox decides (engine `firefox`). */
export function corsErrorForFirefoxReason(verdict: FirefoxVerdict, atPreflight: boolean): CorsErrorName {
  const pick = (actual: CorsErrorName, preflight: CorsErrorName): CorsErrorName => (atPreflight ? preflight : actual);
  switch (verdict.reason) {
    case 'CORSMissingAllowOrigin2':
      return pick('MissingAllowOriginHeader', 'PreflightMissingAllowOriginHeader');
    case 'CORSMultipleAllowOriginNotAllowed':
      return pick('MultipleAllowOriginValues', 'PreflightMultipleAllowOriginValues');
    case 'CORSAllowOriginNotMatchingOrigin':
      return pick('AllowOriginMismatch', 'PreflightAllowOriginMismatch');
    case 'CORSNotSupportingCredentials':
      return pick('WildcardOriginNotAllowed', 'PreflightWildcardOriginNotAllowed');
    case 'CORSMissingAllowCredentials':
      return pick('InvalidAllowCredentials', 'PreflightInvalidAllowCredentials');
    case 'CORSPreflightDidNotSucceed3':
      return 'PreflightInvalidStatus';
    case 'CORSExternalRedirectNotAllowed':
      return 'PreflightDisallowedRedirect';
    case 'CORSMethodNotFound':
      return 'MethodDisallowedByPreflightResponse';
    case 'CORSInvalidAllowMethod':
      return 'InvalidAllowMethodsPreflightResponse';
    case 'CORSInvalidAllowHeader':
      return 'InvalidAllowHeadersPreflightResponse';
    case 'CORSMissingAllowHeaderFromPreflight2':
      return 'HeaderDisallowedByPreflightResponse';
    case 'CORSDisabled':
    case 'CORSDidNotSucceed2':
      return 'InvalidResponse';
  }
}
