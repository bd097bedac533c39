import type { HeaderMap } from '../http/index.js';
import type { CredentialsMode } from '../fetch/types.js';

/**
 * Evidence: what was observed of one cross-origin exchange, from whatever source (DevTools network
 * entries, webRequest events, a HAR, the CLI, a probe). Everything is optional except the request,
 * because each source sees a different part (see shared spec browser-capture.md).
 */
export interface ObservedRequest {
  method: string;
  url: string;
  headers: HeaderMap;
}

export interface ObservedResponse {
  /** 0 when the browser reports no response (blocked non-simple request, network failure). */
  status: number;
  headers: HeaderMap;
  body?: string;
}

export interface ObservedExchange {
  id: string;
  source: 'devtools' | 'webrequest' | 'har' | 'cli' | 'probe' | 'fixture';
  browser?: 'chromium' | 'firefox' | 'unknown';
  /** The page's origin (from initiator / originUrl / the Origin header). */
  pageOrigin?: string;
  /** ISO time the request started (HAR startedDateTime). */
  startedAt?: string;
  /** Resource type as reported (`xhr`, `fetch`, `image`, `preflight`, …). */
  resourceType?: string;
  credentials?: CredentialsMode;
  request: ObservedRequest;
  /** The actual response if one was seen; status 0 when blocked. */
  response?: ObservedResponse;
  /** The paired preflight, if one was seen. */
  preflight?: { request: ObservedRequest; response?: ObservedResponse; error?: string };
  /** Browser error string: `net::ERR_FAILED`, `NS_ERROR_DOM_BAD_URI`, `net::ERR_CERT_COMMON_NAME_INVALID`, … */
  error?: string;
  /** Chromium's exact reason when known (CDP `corsErrorStatus`). */
  corsError?: { corsError: string; failedParameter?: string };
  /** Served from a cache (`memory`, `disk`, or true when the source says only "yes"). */
  fromCache?: 'memory' | 'disk' | boolean;
  /** Console text the user pasted or the capture saw, matched against known browser messages. */
  consoleMessage?: string;
  serverIPAddress?: string;
  /** Free-form notes on what this source could not see (e.g. "HAR has no preflight entries"). */
  gaps?: string[];
}
