import type { HeaderMap, HttpRequest, HttpResponse } from '../http/index.js';

export type RequestMode = 'cors' | 'no-cors' | 'same-origin' | 'navigate';
export type CredentialsMode = 'omit' | 'same-origin' | 'include';

/** A request as the page script made it (before the browser adds anything). */
export interface PageRequest {
  /** The page's origin, serialized (`https://app.example.com`). */
  origin: string;
  method: string;
  url: string;
  /** Author request headers, lower-case names. */
  headers: HeaderMap;
  mode?: RequestMode;
  credentials?: CredentialsMode;
  /**
   * Fetch's "use-CORS-preflight flag": the browser preflights this request even when its method and headers are
   * CORS-safelisted. XHR sets it for an upload with progress listeners (`xhr.upload.onprogress`), fetch() for a
   * streamed (ReadableStream) body.
   */
  useCorsPreflight?: boolean;
}

/**
 * Chromium's `network::mojom::CorsError` names as DevTools reports them
 * (`Network.loadingFailed.corsErrorStatus.corsError`).
 */
export type CorsErrorName =
  | 'DisallowedByMode'
  | 'InvalidResponse'
  | 'WildcardOriginNotAllowed'
  | 'MissingAllowOriginHeader'
  | 'MultipleAllowOriginValues'
  | 'InvalidAllowOriginValue'
  | 'AllowOriginMismatch'
  | 'InvalidAllowCredentials'
  | 'CorsDisabledScheme'
  | 'PreflightInvalidStatus'
  | 'PreflightDisallowedRedirect'
  | 'PreflightWildcardOriginNotAllowed'
  | 'PreflightMissingAllowOriginHeader'
  | 'PreflightMultipleAllowOriginValues'
  | 'PreflightInvalidAllowOriginValue'
  | 'PreflightAllowOriginMismatch'
  | 'PreflightInvalidAllowCredentials'
  | 'PreflightMissingAllowPrivateNetwork'
  | 'InvalidAllowMethodsPreflightResponse'
  | 'InvalidAllowHeadersPreflightResponse'
  | 'MethodDisallowedByPreflightResponse'
  | 'HeaderDisallowedByPreflightResponse'
  | 'RedirectContainsCredentials';

/**
 * Firefox's console message keys (dom/locales/en-US/chrome/security/security.properties, read from the
 * installed Firefox ESR 153 omni.ja) — the blocking reasons `nsCORSListenerProxy` logs.
 */
export type FirefoxCorsReason =
  | 'CORSDisabled'
  | 'CORSDidNotSucceed2'
  | 'CORSExternalRedirectNotAllowed'
  | 'CORSMissingAllowOrigin2'
  | 'CORSMultipleAllowOriginNotAllowed'
  | 'CORSAllowOriginNotMatchingOrigin'
  | 'CORSNotSupportingCredentials'
  | 'CORSMethodNotFound'
  | 'CORSMissingAllowCredentials'
  | 'CORSPreflightDidNotSucceed3'
  | 'CORSInvalidAllowMethod'
  | 'CORSInvalidAllowHeader'
  | 'CORSMissingAllowHeaderFromPreflight2';

/** What Firefox reports for the same exchange; it checks in another order, so it may name another cause. */
export interface FirefoxVerdict {
  reason: FirefoxCorsReason;
  /** The `%2$S` of the message: a header name, a token, the ACAO value or the HTTP status. */
  parameter?: string;
}

export interface CorsFailure {
  blockedAt: 'preflight' | 'actual';
  corsError: CorsErrorName;
  /** The header, method or origin value that failed (CDP's failedParameter). */
  failedParameter?: string;
  /**
   * HeaderDisallowedByPreflightResponse: every request header name the preflight does not allow. Chromium
   * names only one of them, chosen by its internal header order (not predictable); `failedParameter` is the
   * first in sorted order.
   */
  disallowedHeaders?: string[];
  /**
   * The console lines. `firefoxFollowUp`: after a failed preflight Firefox prints a second line for the actual
   * request ("CORS request did not succeed). Status code: (null).") — measured in Firefox ESR 153.
   */
  messages: { chrome: string; firefox: string; firefoxFollowUp?: string };
  /**
   * Firefox's own verdict on the same exchange. null when Firefox would let this exchange pass
   * (a real divergence, e.g. Chromium-only safelisted client-hint headers); then `messages.firefox` says so.
   */
  firefox?: FirefoxVerdict | null;
  /** The URL the failing response came from (differs from the page request's URL after a redirect). */
  url?: string;
}

/** Which engine's verdict decides (the other engine's report is still given in `CorsFailure.firefox`/messages). */
export type BrowserEngine = 'chromium' | 'firefox';

export interface BrowserModelOptions {
  /** Default `chromium`: the verdict, error names and precedence of Chromium 156. */
  engine?: BrowserEngine;
}

export interface PreflightPlan {
  needed: boolean;
  /** Why a preflight is needed: the non-safelisted method and/or header names. */
  reasons: string[];
  /** The OPTIONS request the browser sends (Origin, Access-Control-Request-Method, sorted -Headers). */
  request: HttpRequest | null;
}

/** The whole browser-side story of one fetch. */
export interface BrowserOutcome {
  outcome: 'allowed' | 'blocked';
  preflight: { needed: boolean; request: HttpRequest; response: HttpResponse } | null;
  actual: { request: HttpRequest; response: HttpResponse } | null;
  failure: CorsFailure | null;
  /** Response header names script can read (lower-case), when the actual response passed. */
  readableHeaders: string[];
  /** Fetch's response type: `cors` for a CORS-checked response, `opaque` for no-cors, `basic` for same-origin. */
  responseType?: 'basic' | 'cors' | 'opaque';
  /** Redirect responses followed before the final one (actual request only; a preflight may not redirect). */
  redirects?: { request: HttpRequest; response: HttpResponse }[];
  /** fetch() rejected before any network activity (e.g. a forbidden method): the TypeError text. */
  scriptError?: string;
}

/** Something that answers HTTP requests — the S3 model, a recorded exchange, or a real server. */
export type Responder = (request: HttpRequest) => HttpResponse & { redirected?: boolean };

export type { HeaderMap };
