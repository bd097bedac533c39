/**
 * The console messages Chrome and Firefox print for a blocked request, and a plain-language sentence.
 *
 * Chrome: Blink's third_party/blink/renderer/platform/loader/cors/cors_error_string.cc (GetErrorString) for a
 * fetch() initiator. Firefox: security.properties of the installed Firefox ESR 153 (read from its omni.ja) —
 * note Firefox's typographic quotes ‘…’, and that only three reasons append "Status code: N.".
 */
import type { CorsErrorName, FirefoxCorsReason, FirefoxVerdict } from './types.js';

// Declared before the first exported name on purpose: the pattern in test/meta/core-purity.test.ts takes any
// `… from '` that follows that keyword for a module specifier.
const redirectedNote = (initialUrl: string): string => `(redirected from '${initialUrl}') `;

const PREFLIGHT_PREFIXED: ReadonlySet<CorsErrorName> = new Set<CorsErrorName>([
  'PreflightWildcardOriginNotAllowed',
  'PreflightMissingAllowOriginHeader',
  'PreflightMultipleAllowOriginValues',
  'PreflightInvalidAllowOriginValue',
  'PreflightAllowOriginMismatch',
  'PreflightInvalidAllowCredentials',
  'PreflightInvalidStatus',
  'PreflightDisallowedRedirect',
  'PreflightMissingAllowPrivateNetwork',
]);

/**
 * Measured in Chromium 156 (browser-model e2e): the "set the request's mode to 'no-cors'" advice that older
 * Blink sources append for fetch() is gone; only this sentence remains, and a missing ACAO gets no hint at all.
 */
const VALUE_HINT = ' Have the server send the header with a valid value.';

function chromeReason(error: CorsErrorName, parameter: string): string {
  switch (error) {
    case 'DisallowedByMode':
      return 'Cross origin requests are not allowed by request mode.';
    case 'InvalidResponse':
      return 'The response is invalid.';
    case 'WildcardOriginNotAllowed':
    case 'PreflightWildcardOriginNotAllowed':
      return "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.";
    case 'MissingAllowOriginHeader':
    case 'PreflightMissingAllowOriginHeader':
      return "No 'Access-Control-Allow-Origin' header is present on the requested resource.";
    case 'MultipleAllowOriginValues':
    case 'PreflightMultipleAllowOriginValues':
      return `The 'Access-Control-Allow-Origin' header contains multiple values '${parameter}', but only one is allowed.${VALUE_HINT}`;
    case 'InvalidAllowOriginValue':
    case 'PreflightInvalidAllowOriginValue':
      return `The 'Access-Control-Allow-Origin' header contains the invalid value '${parameter}'.${VALUE_HINT}`;
    case 'AllowOriginMismatch':
    case 'PreflightAllowOriginMismatch':
      return `The 'Access-Control-Allow-Origin' header has a value '${parameter}' that is not equal to the supplied origin.${VALUE_HINT}`;
    case 'InvalidAllowCredentials':
    case 'PreflightInvalidAllowCredentials':
      return `The value of the 'Access-Control-Allow-Credentials' header in the response is '${parameter}' which must be 'true' when the request's credentials mode is 'include'.`;
    case 'CorsDisabledScheme':
      // Chromium lists its registry of CORS-enabled schemes here (SchemeRegistry); the model names the web ones.
      return 'Cross origin requests are only supported for protocol schemes: http, https.';
    case 'PreflightInvalidStatus':
      return 'It does not have HTTP ok status.';
    case 'PreflightDisallowedRedirect':
      return 'Redirect is not allowed for a preflight request.';
    case 'PreflightMissingAllowPrivateNetwork':
      return "No 'Access-Control-Allow-Private-Network' header was present in the preflight response for this private network request.";
    case 'InvalidAllowMethodsPreflightResponse':
      return 'Cannot parse Access-Control-Allow-Methods response header field in preflight response.';
    case 'InvalidAllowHeadersPreflightResponse':
      return 'Cannot parse Access-Control-Allow-Headers response header field in preflight response.';
    case 'MethodDisallowedByPreflightResponse':
      return `Method ${parameter} is not allowed by Access-Control-Allow-Methods in preflight response.`;
    case 'HeaderDisallowedByPreflightResponse':
      return `Request header field ${parameter} is not allowed by Access-Control-Allow-Headers in preflight response.`;
    case 'RedirectContainsCredentials':
      return `Redirect location '${parameter}' contains a username and password, which is disallowed for cross-origin requests.`;
  }
}

export interface MessageContext {
  /** The URL whose response failed. */
  url: string;
  /** The URL the page asked for, when a redirect led to `url`. */
  initialUrl?: string;
  /** The page's origin (Chrome prints the page origin even when the request's origin was tainted to `null`). */
  origin: string;
  /** The HTTP status of the failing response, for the Firefox reasons that print it. */
  status?: number;
  /** The failing response was a redirect (Firefox then prints a follow-up line, as after a failed preflight). */
  failedOnRedirect?: boolean;
}

/** Chrome's console line for a fetch() blocked with `error` (the DevTools `failedParameter` fills the quotes). */
export function chromeConsoleMessage(error: CorsErrorName, parameter: string, context: MessageContext): string {
  const redirected = context.initialUrl && context.initialUrl !== context.url ? redirectedNote(context.initialUrl) : '';
  const preflight = PREFLIGHT_PREFIXED.has(error) ? "Response to preflight request doesn't pass access control check: " : '';
  return `Access to fetch at '${context.url}' ${redirected}from origin '${context.origin}' has been blocked by CORS policy: ${preflight}${chromeReason(error, parameter)}`;
}

const FIREFOX_PREFIX = 'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at';

function firefoxReasonText(reason: FirefoxCorsReason, parameter: string): string {
  switch (reason) {
    case 'CORSDisabled':
      return 'CORS disabled';
    case 'CORSDidNotSucceed2':
      return 'CORS request did not succeed';
    case 'CORSExternalRedirectNotAllowed':
      return 'CORS request external redirect not allowed';
    case 'CORSMissingAllowOrigin2':
      return 'CORS header ‘Access-Control-Allow-Origin’ missing';
    case 'CORSMultipleAllowOriginNotAllowed':
      return 'Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed';
    case 'CORSAllowOriginNotMatchingOrigin':
      return `CORS header ‘Access-Control-Allow-Origin’ does not match ‘${parameter}’`;
    case 'CORSNotSupportingCredentials':
      return 'Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’';
    case 'CORSMethodNotFound':
      return 'Did not find method in CORS header ‘Access-Control-Allow-Methods’';
    case 'CORSMissingAllowCredentials':
      return 'expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’';
    case 'CORSPreflightDidNotSucceed3':
      return 'CORS preflight response did not succeed';
    case 'CORSInvalidAllowMethod':
      return `invalid token ‘${parameter}’ in CORS header ‘Access-Control-Allow-Methods’`;
    case 'CORSInvalidAllowHeader':
      return `invalid token ‘${parameter}’ in CORS header ‘Access-Control-Allow-Headers’`;
    case 'CORSMissingAllowHeaderFromPreflight2':
      return `header ‘${parameter}’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response`;
  }
}

/** The reasons whose message ends in "Status code: N." (the `%2$S` is the HTTP status, "(null)" without one). */
const WITH_STATUS: ReadonlySet<FirefoxCorsReason> = new Set<FirefoxCorsReason>([
  'CORSDidNotSucceed2',
  'CORSMissingAllowOrigin2',
  'CORSPreflightDidNotSucceed3',
]);

/** Firefox's console line for `verdict`. */
export function firefoxConsoleMessage(verdict: FirefoxVerdict, context: MessageContext): string {
  // CORSNotSupportingCredentials is the one key that quotes the URL (‘%1$S’).
  const url = verdict.reason === 'CORSNotSupportingCredentials' ? `‘${context.url}’` : context.url;
  const reason = firefoxReasonText(verdict.reason, verdict.parameter ?? '');
  const status = WITH_STATUS.has(verdict.reason) ? ` Status code: ${verdict.parameter ?? context.status ?? '(null)'}.` : '';
  return `${FIREFOX_PREFIX} ${url}. (Reason: ${reason}).${status}`;
}

/** Stated when the model's Firefox check passes an exchange Chromium blocks (a modelled divergence). */
export const FIREFOX_ALLOWS = 'Firefox does not block this exchange (modelled divergence from Chromium).';

/** A plain sentence for people: what the browser objected to, in S3 terms where it helps. */
export function describeCorsError(error: CorsErrorName, parameter: string, origin: string): string {
  switch (error) {
    case 'DisallowedByMode':
      return "The page asked for mode 'same-origin', so the browser refuses any cross-origin URL.";
    case 'InvalidResponse':
      return 'The browser judged the response invalid before any CORS header was looked at.';
    case 'WildcardOriginNotAllowed':
      return "The response allows any origin ('*'), but the request carries credentials; with credentials the server must name the origin exactly.";
    case 'PreflightWildcardOriginNotAllowed':
      return "The preflight response allows any origin ('*'), but the request carries credentials; with credentials the server must name the origin exactly.";
    case 'MissingAllowOriginHeader':
      return `The response has no Access-Control-Allow-Origin header, so the page at ${origin} may not read it (for S3: no CORS rule matched this origin and method, or the request reached S3 without an Origin header).`;
    case 'PreflightMissingAllowOriginHeader':
      return `The preflight (OPTIONS) response has no Access-Control-Allow-Origin header, so the browser never sent the real request (for S3: no CORS rule matched the origin, method and headers, or the bucket has no CORS configuration).`;
    case 'MultipleAllowOriginValues':
    case 'PreflightMultipleAllowOriginValues':
      return `The Access-Control-Allow-Origin header holds more than one value ('${parameter}'); something between the page and the bucket (a CDN or proxy) is adding a second one.`;
    case 'InvalidAllowOriginValue':
    case 'PreflightInvalidAllowOriginValue':
      return `The Access-Control-Allow-Origin header holds '${parameter}', which is not an origin at all.`;
    case 'AllowOriginMismatch':
    case 'PreflightAllowOriginMismatch':
      return `The server allows origin '${parameter}', but the page's origin is ${origin}; the two must match byte for byte (scheme, host and port, no trailing slash).`;
    case 'InvalidAllowCredentials':
    case 'PreflightInvalidAllowCredentials':
      return `The request carries credentials, so Access-Control-Allow-Credentials must be exactly 'true'; it is '${parameter}'.`;
    case 'CorsDisabledScheme':
      return 'The URL scheme does not support CORS (only http and https do).';
    case 'PreflightInvalidStatus':
      return 'The preflight (OPTIONS) response does not have a 2xx status, so the browser never sent the real request.';
    case 'PreflightDisallowedRedirect':
      return "The preflight (OPTIONS) request was answered with a redirect, which browsers never follow for a preflight (for S3: use the bucket's regional endpoint).";
    case 'PreflightMissingAllowPrivateNetwork':
      return 'The preflight response lacks Access-Control-Allow-Private-Network for a request into a more private network.';
    case 'InvalidAllowMethodsPreflightResponse':
      return 'The Access-Control-Allow-Methods header of the preflight response is not a valid comma-separated list of methods.';
    case 'InvalidAllowHeadersPreflightResponse':
      return 'The Access-Control-Allow-Headers header of the preflight response is not a valid comma-separated list of header names.';
    case 'MethodDisallowedByPreflightResponse':
      return `The preflight response does not allow method ${parameter} (for S3: add it to the rule's AllowedMethods).`;
    case 'HeaderDisallowedByPreflightResponse':
      return `The preflight response does not allow request header '${parameter}' (for S3: add it to the rule's AllowedHeaders).`;
    case 'RedirectContainsCredentials':
      return `A redirect pointed to '${parameter}', a URL with a user name and password, which cross-origin requests may not follow.`;
  }
}
