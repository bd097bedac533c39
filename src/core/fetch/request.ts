/** The page's request as the browser model reads it: its origin, whether CORS governs it, its author headers. */
import type { CheckedRequest } from './checks.js';
import { effectiveAuthorHeaders, normalizeMethod } from './safelist.js';
import type { BrowserEngine, BrowserModelOptions, PageRequest } from './types.js';

export function engineOf(options?: BrowserModelOptions): BrowserEngine {
  return options?.engine ?? 'chromium';
}

/** The URL's origin; null when it does not parse. */
export function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The URL as browsers print it (`http://host` becomes `http://host/`); unparsable input is kept as given. */
export function serializeUrl(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

/** A request to another origin in mode cors (the default for fetch) — the only kind the CORS protocol governs. */
export function isCrossOriginCors(request: PageRequest): boolean {
  const mode = request.mode ?? 'cors';
  return mode === 'cors' && originOf(request.url) !== request.origin;
}

/** The request with its effective author headers, as the checks read it (`origin`: after tainting, 'null'). */
export function checkedRequest(request: PageRequest, origin: string = request.origin): CheckedRequest {
  return {
    origin,
    method: normalizeMethod(request.method),
    headers: effectiveAuthorHeaders(request.headers),
    credentials: request.credentials ?? 'same-origin',
    unsafeNames: {},
  };
}
