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

export interface CorsFailure {
  blockedAt: 'preflight' | 'actual';
  corsError: CorsErrorName;
  /** The header, method or origin value that failed (CDP's failedParameter). */
  failedParameter?: string;
  messages: { chrome: string; firefox: string };
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
}

/** Something that answers HTTP requests — the S3 model, a recorded exchange, or a real server. */
export type Responder = (request: HttpRequest) => HttpResponse & { redirected?: boolean };

export type { HeaderMap };
