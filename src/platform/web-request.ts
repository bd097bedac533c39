/**
 * webRequest events, translated into plain `WebRequestEvent`s for the background's capture (src/background).
 * Chromium hides preflights unless some listener asks for 'extraHeaders'; Firefox throws on that value
 * ("Invalid enumeration value") — so it is feature-detected (browser-capture.md, Chromium webRequest / Firefox).
 */
import { browser } from './browser.js';
import { headerMap, type HeaderMap } from '../core/http/index.js';

export type WebRequestPhase = 'send-headers' | 'headers-received' | 'redirect' | 'completed' | 'error';

export interface WebRequestEvent {
  phase: WebRequestPhase;
  requestId: string;
  tabId: number;
  method: string;
  url: string;
  type: string;
  timeStamp: number;
  /** Chromium's `initiator` (an origin); Firefox's `originUrl`/`documentUrl` (URLs with a trailing slash or path). */
  initiator?: string;
  documentUrl?: string;
  requestHeaders?: HeaderMap;
  statusCode?: number;
  responseHeaders?: HeaderMap;
  fromCache?: boolean;
  error?: string;
  redirectUrl?: string;
  ip?: string;
}

interface RawDetails {
  requestId: string;
  tabId: number;
  method: string;
  url: string;
  type: string;
  timeStamp: number;
  initiator?: string;
  originUrl?: string;
  documentUrl?: string;
  requestHeaders?: Array<{ name: string; value?: string }>;
  responseHeaders?: Array<{ name: string; value?: string }>;
  statusCode?: number;
  fromCache?: boolean;
  error?: string;
  redirectUrl?: string;
  ip?: string;
}

function toEvent(phase: WebRequestPhase, d: RawDetails): WebRequestEvent {
  const pairs = (list?: Array<{ name: string; value?: string }>) => (list ? headerMap(list.map((h) => ({ name: h.name, value: h.value ?? '' }))) : undefined);
  return {
    phase,
    requestId: d.requestId,
    tabId: d.tabId,
    method: d.method,
    url: d.url,
    type: d.type,
    timeStamp: d.timeStamp,
    initiator: d.initiator ?? d.originUrl,
    documentUrl: d.documentUrl,
    requestHeaders: pairs(d.requestHeaders),
    statusCode: d.statusCode,
    responseHeaders: pairs(d.responseHeaders),
    fromCache: d.fromCache,
    error: d.error,
    redirectUrl: d.redirectUrl,
    ip: d.ip,
  };
}

/** True when this browser accepts 'extraHeaders' (Chromium); probed without registering anything. */
export function supportsExtraHeaders(): boolean {
  const options = (globalThis as { chrome?: { webRequest?: { OnBeforeSendHeadersOptions?: Record<string, string> } } }).chrome?.webRequest
    ?.OnBeforeSendHeadersOptions;
  return Boolean(options && 'EXTRA_HEADERS' in options);
}

/**
 * Listen to every http(s) request the granted host permissions let us see. The filter names no host and no port:
 * the browser only delivers events for granted hosts, and a ported pattern never fires in Firefox.
 * Returns the function that removes every listener (used to re-register after a permission change).
 */
export function listenToWebRequests(onEvent: (event: WebRequestEvent) => void): () => void {
  const api = browser.webRequest;
  const filter = { urls: ['http://*/*', 'https://*/*'] };
  const extra = supportsExtraHeaders() ? (['extraHeaders'] as const) : ([] as const);
  const registrations: Array<() => void> = [];

  function register<T>(event: { addListener(cb: T, filter: object, spec?: string[]): void; removeListener(cb: T): void }, cb: T, spec: string[]) {
    // Firefox's onErrorOccurred takes no extraInfoSpec: even an empty array is "Incorrect argument types".
    const add = (options: string[]) => (options.length > 0 ? event.addListener(cb, filter, options) : event.addListener(cb, filter));
    try {
      add(spec);
    } catch {
      // A value this browser's enum lacks throws synchronously; fall back to the portable options.
      add(spec.filter((s) => s !== 'extraHeaders'));
    }
    registrations.push(() => event.removeListener(cb));
  }

  const emit = (phase: WebRequestPhase) => (details: unknown) => {
    onEvent(toEvent(phase, details as RawDetails));
  };
  register(api.onSendHeaders as never, emit('send-headers'), ['requestHeaders', ...extra]);
  register(api.onHeadersReceived as never, emit('headers-received'), ['responseHeaders', ...extra]);
  register(api.onBeforeRedirect as never, emit('redirect'), ['responseHeaders', ...extra]);
  register(api.onCompleted as never, emit('completed'), ['responseHeaders', ...extra]);
  register(api.onErrorOccurred as never, emit('error'), [...extra]);
  return () => registrations.forEach((remove) => remove());
}
