/**
 * The browser model: the WHATWG Fetch standard's CORS protocol (https://fetch.spec.whatwg.org/#http-cors-protocol)
 * as Chromium and Firefox implement it, with their error names and console messages.
 * STUB — implemented in issue 3 (browser model helper). Signatures are the contract.
 */
import type { HttpResponse } from '../http/index.js';
import type { BrowserOutcome, CorsFailure, PageRequest, PreflightPlan, Responder } from './types.js';

export * from './types.js';

/** Does this request need a preflight, and what does the browser send? */
export function planPreflight(_request: PageRequest): PreflightPlan {
  throw new Error('not implemented');
}

/** The CORS-preflight fetch's checks (status ok, no redirect, CORS check, methods, headers). null = pass. */
export function checkPreflightResponse(_request: PageRequest, _response: HttpResponse & { redirected?: boolean }): CorsFailure | null {
  throw new Error('not implemented');
}

/** The CORS check on the actual response. null = pass. */
export function checkActualResponse(_request: PageRequest, _response: HttpResponse & { redirected?: boolean }): CorsFailure | null {
  throw new Error('not implemented');
}

/** Response header names script can read after a passing CORS check (safelisted + exposed). */
export function readableResponseHeaders(_request: PageRequest, _response: HttpResponse): string[] {
  throw new Error('not implemented');
}

/** The whole fetch: preflight if needed, then the actual request, each answered by `respond`. */
export function runBrowserFetch(_request: PageRequest, _respond: Responder): BrowserOutcome {
  throw new Error('not implemented');
}
