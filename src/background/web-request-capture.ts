/**
 * Turns webRequest events into evidence. Nothing links a preflight to its request (different requestId, same tab,
 * URL and type), so they are paired by tab + URL + time + `Access-Control-Request-Method` (browser-capture.md,
 * Chromium webRequest). Either may finish first (Firefox fails both with NS_ERROR_DOM_BAD_URI), so an actual request
 * is emitted at once and re-emitted under the same id when its preflight turns up; a preflight whose request never
 * shows up is emitted on its own after `orphanDelayMs`. Requests still in flight live only in memory: a worker
 * stopped in between loses that one pairing, never stored evidence (which is in storage.session).
 */
import { getHeader, type HeaderMap } from '../core/http/index.js';
import type { ObservedExchange } from '../core/evidence/types.js';
import type { WebRequestEvent } from '../platform/web-request.js';
import { isRelevant, originOf } from '../core/evidence/relevance.js';

interface RequestRecord {
  requestId: string;
  tabId: number;
  method: string;
  url: string;
  type: string;
  startedAt: number;
  endedAt?: number;
  initiator?: string;
  documentUrl?: string;
  requestHeaders: HeaderMap;
  statusCode?: number;
  responseHeaders?: HeaderMap;
  fromCache?: boolean;
  error?: string;
  redirectUrl?: string;
  ip?: string;
}

export interface WebRequestCaptureOptions {
  /** How far apart a preflight and its request may start (ms). */
  pairingWindowMs?: number;
  orphanDelayMs?: number;
  /** Open requests kept at most (a page firing endless requests must not grow memory). */
  maxOpenRequests?: number;
  browser?: 'chromium' | 'firefox';
  /** Asked to call flushOrphans() after `delayMs` whenever a preflight starts waiting (no timer runs otherwise). */
  scheduleOrphanFlush?: (delayMs: number) => void;
}

const PREFLIGHT_ID_PREFIX = 'wr-';

function isPreflight(record: RequestRecord): boolean {
  return record.method === 'OPTIONS' && getHeader(record.requestHeaders, 'access-control-request-method') !== undefined;
}

/**
 * The request a preflight asked permission for. Only records that pass isPreflight wait as preflights, so the
 * Access-Control-Request-Method header is always there.
 */
function requestAskedBy(preflight: RequestRecord): ObservedExchange['request'] {
  const origin = getHeader(preflight.requestHeaders, 'origin');
  return {
    method: (getHeader(preflight.requestHeaders, 'access-control-request-method') ?? '').toUpperCase(),
    url: preflight.url,
    headers: origin ? { origin } : {},
  };
}

function pageOriginOf(record: RequestRecord): string | undefined {
  // Chromium: `initiator` is an origin; Firefox: originUrl/documentUrl are URLs (trailing slash) — reduce both.
  return originOf(record.initiator) ?? originOf(record.documentUrl) ?? getHeader(record.requestHeaders, 'origin');
}

export class WebRequestCapture {
  private readonly open = new Map<string, RequestRecord>();
  private readonly preflights: RequestRecord[] = [];
  private readonly recentActuals: Array<{ record: RequestRecord; exchange: ObservedExchange }> = [];
  private readonly pairingWindowMs: number;
  private readonly orphanDelayMs: number;
  private readonly maxOpen: number;
  private readonly browser: 'chromium' | 'firefox';
  private readonly scheduleOrphanFlush: (delayMs: number) => void;

  constructor(
    private readonly emit: (tabId: number, exchange: ObservedExchange) => void,
    options: WebRequestCaptureOptions = {},
  ) {
    this.pairingWindowMs = options.pairingWindowMs ?? 30_000;
    this.orphanDelayMs = options.orphanDelayMs ?? 3_000;
    this.maxOpen = options.maxOpenRequests ?? 5_000;
    this.browser = options.browser ?? 'chromium';
    this.scheduleOrphanFlush = options.scheduleOrphanFlush ?? (() => undefined);
  }

  handle(event: WebRequestEvent): void {
    // tab -1: requests of no tab, i.e. the extension's own probe and policy fetches.
    if (event.tabId < 0) return;
    const record = this.recordFor(event);
    if (event.requestHeaders) record.requestHeaders = { ...record.requestHeaders, ...event.requestHeaders };
    if (event.statusCode !== undefined) record.statusCode = event.statusCode;
    if (event.responseHeaders) record.responseHeaders = event.responseHeaders;
    if (event.fromCache !== undefined) record.fromCache = event.fromCache;
    if (event.ip) record.ip = event.ip;
    if (event.phase === 'headers-received' || event.phase === 'send-headers') return;
    if (event.phase === 'redirect') record.redirectUrl = event.redirectUrl;
    if (event.phase === 'error') record.error = event.error;
    // A redirect of an ordinary request continues under the same requestId; a preflight's redirect ends it
    // (browsers never follow one, S31), and so does every completion or error.
    if (event.phase === 'redirect' && !isPreflight(record)) return;
    record.endedAt = event.timeStamp;
    this.open.delete(record.requestId);
    if (isPreflight(record)) this.finishPreflight(record);
    else this.finishActual(record);
  }

  /** Emit preflights that waited `orphanDelayMs` without their request. */
  flushOrphans(now: number): void {
    for (let i = this.preflights.length - 1; i >= 0; i--) {
      const preflight = this.preflights[i];
      if (preflight === undefined) continue;
      if (now - (preflight.endedAt ?? preflight.startedAt) < this.orphanDelayMs) continue;
      this.preflights.splice(i, 1);
      const exchange = this.exchangeFrom(undefined, preflight);
      if (exchange) this.emit(preflight.tabId, exchange);
    }
  }

  private recordFor(event: WebRequestEvent): RequestRecord {
    let record = this.open.get(event.requestId);
    if (!record) {
      record = {
        requestId: event.requestId,
        tabId: event.tabId,
        method: event.method.toUpperCase(),
        url: event.url,
        type: event.type,
        startedAt: event.timeStamp,
        initiator: event.initiator,
        documentUrl: event.documentUrl,
        requestHeaders: {},
      };
      if (this.open.size >= this.maxOpen) this.open.delete(this.open.keys().next().value as string);
      this.open.set(event.requestId, record);
    }
    return record;
  }

  private matches(preflight: RequestRecord, actual: RequestRecord): boolean {
    const requested = getHeader(preflight.requestHeaders, 'access-control-request-method')?.toUpperCase();
    return (
      preflight.tabId === actual.tabId &&
      preflight.url === actual.url &&
      requested === actual.method &&
      Math.abs(preflight.startedAt - actual.startedAt) <= this.pairingWindowMs
    );
  }

  private finishPreflight(preflight: RequestRecord): void {
    const waiting = this.recentActuals.findIndex(({ record, exchange }) => !exchange.preflight && this.matches(preflight, record));
    const match = waiting >= 0 ? this.recentActuals[waiting] : undefined;
    if (match) {
      const { record } = match;
      this.recentActuals.splice(waiting, 1);
      const exchange = this.exchangeFrom(record, preflight);
      if (exchange) this.emit(record.tabId, exchange);
      return;
    }
    this.preflights.push(preflight);
    if (this.preflights.length > 500) this.preflights.shift();
    this.scheduleOrphanFlush(this.orphanDelayMs);
  }

  private finishActual(actual: RequestRecord): void {
    let best = -1;
    let bestDistance = 0;
    for (const [i, candidate] of this.preflights.entries()) {
      if (!this.matches(candidate, actual)) continue;
      const distance = Math.abs(candidate.startedAt - actual.startedAt);
      if (best < 0 || distance < bestDistance) {
        best = i;
        bestDistance = distance;
      }
    }
    const preflight = best >= 0 ? this.preflights.splice(best, 1)[0] : undefined;
    const exchange = this.exchangeFrom(actual, preflight);
    if (!exchange) return;
    this.emit(actual.tabId, exchange);
    if (!preflight) {
      this.recentActuals.push({ record: actual, exchange });
      if (this.recentActuals.length > 200) this.recentActuals.shift();
    }
  }

  /** At least one of the two was seen: the actual request, or (alone or with it) its preflight. */
  private exchangeFrom(
    ...[actual, preflight]: [actual: RequestRecord, preflight: RequestRecord | undefined] | [actual: undefined, preflight: RequestRecord]
  ): ObservedExchange | null {
    const main = actual === undefined ? preflight : actual;
    const pageOrigin = pageOriginOf(main) ?? (preflight ? pageOriginOf(preflight) : undefined);
    const relevant = isRelevant({
      url: main.url,
      pageOrigin,
      requestHeaders: main.requestHeaders,
      responseHeaders: actual?.responseHeaders,
      preflightResponseHeaders: preflight?.responseHeaders,
      status: actual?.statusCode ?? 0,
      error: actual?.error ?? preflight?.error,
      hasPreflight: Boolean(preflight),
    });
    if (!relevant) return null;
    const gaps = ['webRequest never shows response bodies: the S3 error XML needs the DevTools capture or a probe'];
    const exchange: ObservedExchange = {
      id: `${PREFLIGHT_ID_PREFIX}${main.requestId}`,
      source: 'webrequest',
      browser: this.browser,
      pageOrigin,
      startedAt: new Date(Math.min(main.startedAt, preflight?.startedAt ?? Infinity)).toISOString(),
      resourceType: actual ? main.type : 'preflight',
      request: actual
        ? { method: actual.method, url: actual.url, headers: actual.requestHeaders }
        : // Only the preflight was seen: the request it asked for is all we know of the actual one.
          requestAskedBy(preflight),
      gaps: actual ? gaps : [...gaps, 'the actual request was never seen (the browser did not send it after the preflight)'],
    };
    if (actual) {
      const blocked = Boolean(actual.error) && actual.statusCode === undefined;
      exchange.response = { status: blocked ? 0 : (actual.statusCode ?? 0), headers: actual.responseHeaders ?? {} };
      if (actual.error) exchange.error = actual.error;
      if (actual.fromCache !== undefined) exchange.fromCache = actual.fromCache;
      if (actual.ip) exchange.serverIPAddress = actual.ip;
    } else if (preflight?.error) {
      exchange.error = preflight.error;
    }
    if (preflight) {
      exchange.preflight = {
        request: { method: 'OPTIONS', url: preflight.url, headers: preflight.requestHeaders },
        response: preflight.statusCode !== undefined ? { status: preflight.statusCode, headers: preflight.responseHeaders ?? {} } : undefined,
        error: preflight.error ?? (preflight.redirectUrl ? `redirected to ${preflight.redirectUrl}` : undefined),
      };
    }
    return exchange;
  }
}
