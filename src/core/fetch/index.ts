/**
 * The browser model: the WHATWG Fetch standard's CORS protocol (https://fetch.spec.whatwg.org/#http-cors-protocol)
 * as Chromium 156 and Firefox ESR 153 implement it, with their error names and console messages.
 *
 * The default verdict is Chromium's (its error names are the DevTools `corsError` enum); every failure also
 * carries what Firefox reports for the same exchange, and `{engine: 'firefox'}` makes Firefox decide.
 * test/e2e/browser-model runs generated cases in both real browsers and asserts they agree with this model.
 */
import { describeCorsError } from './messages.js';
import type { CorsFailure } from './types.js';

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
export { planPreflight, checkPreflightResponse } from './preflight.js';
export { checkActualResponse, runBrowserFetch } from './run.js';
export { CORS_SAFELISTED_RESPONSE_HEADER_NAMES, readableResponseHeaders } from './readable-headers.js';

/** A one-sentence explanation of a failure for people (not a browser's wording — see `messages` for those). */
export function describeCorsFailure(failure: CorsFailure, origin: string): string {
  return describeCorsError(failure.corsError, failure.failedParameter ?? '', origin);
}
