/**
 * HAR entries → observed exchanges: one per actual request, with its preflight paired in, its page origin, the
 * browser's error string, and `gaps` naming what this HAR cannot show (browser-capture.md).
 */
import type { ObservedExchange, ObservedRequest, ObservedResponse } from '../evidence/types.js';
import { getHeader, headerMap } from '../http/index.js';
import { normalizeHarEntry } from './normalize.js';
import type { HarEntry, HarPage } from './types.js';

export type HarBrowser = 'chromium' | 'firefox' | 'unknown';

export interface HarToExchangesOptions {
  /** Who wrote the HAR; guessed per entry from Chrome's underscore fields when omitted. */
  browser?: HarBrowser;
  /** `log.pages`, to read a page origin from the page an entry belongs to. */
  pages?: HarPage[];
  /** Ids for the exchanges (default `har-<index>`), e.g. the entry's position in the file. */
  ids?: string[];
  /** Gaps that apply to every exchange (a truncated file, cut strings). */
  fileGaps?: string[];
  /** Problems found per entry while reading it (same order as the entries). */
  entryProblems?: string[][];
}

/** A preflight is paired with a request that starts at most this long after it (a preflight takes ≤ a few s). */
const PAIRING_WINDOW_MS = 60_000;
/**
 * How much later than its request a preflight may start, beyond the request's own duration. Chromium's HAR dates the
 * request at the fetch() call and its preflight when it is sent: 2–10 ms later in Chromium 156, inside the request's
 * "blocked" time (test/fixtures/har/real-chromium-demo-failures.har); a failed request may report no duration.
 */
const CLOCK_TOLERANCE_MS = 500;

/** Chromium: "the page did not read the body" — a success, not a CORS failure (browser-capture.md). */
const CHROME_ABORTED = 'net::ERR_ABORTED';

interface IndexedEntry {
  index: number;
  entry: HarEntry;
  startMs: number;
}

/** Chrome marks preflights (`_resourceType: "preflight"`, `_initiator.type: "preflight"`); Firefox only by shape. */
export function isPreflightEntry(entry: HarEntry): boolean {
  if (entry.request.method !== 'OPTIONS') return false;
  if (entry._resourceType === 'preflight' || entry._initiator?.type === 'preflight') return true;
  return entry.request.headers.some((h) => h.name.toLowerCase() === 'access-control-request-method');
}

function guessBrowser(entry: HarEntry, given: HarBrowser | undefined): HarBrowser {
  if (given) return given;
  if (entry._resourceType !== undefined || entry._initiator !== undefined || entry._priority !== undefined) return 'chromium';
  return 'unknown';
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const match = /^(https?:\/\/[^/?#\s]+)/i.exec(url);
  if (!match) return undefined;
  // Userinfo never belongs in an origin; a URL carrying it is not a page URL we trust.
  if (match[1]!.includes('@')) return undefined;
  return match[1]!.toLowerCase();
}

function toRequest(entry: HarEntry): ObservedRequest {
  return { method: entry.request.method, url: entry.request.url, headers: headerMap(entry.request.headers) };
}

/** base64 bodies are decoded only when small and textual: S3 XML errors. */
function bodyText(entry: HarEntry): string | undefined {
  const content = entry.response?.content;
  if (!content || typeof content.text !== 'string') return undefined;
  if (content.encoding !== 'base64') return content.text;
  try {
    const binary = atob(content.text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

function toResponse(entry: HarEntry): ObservedResponse | undefined {
  if (!entry.response) return undefined;
  const response: ObservedResponse = { status: entry.response.status, headers: headerMap(entry.response.headers) };
  const body = bodyText(entry);
  if (body !== undefined && body.length > 0) response.body = body;
  return response;
}

function entryError(entry: HarEntry): string | undefined {
  return entry._error ?? entry.response?._error ?? undefined;
}

function isSuccessStatus(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 400;
}

/** Fetch: GET, HEAD and POST are the only CORS-safelisted methods; any other always needs a preflight. */
function alwaysPreflighted(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'POST';
}

function pageOriginFor(entry: HarEntry, preflight: HarEntry | undefined, pages: Map<string, HarPage>): string | undefined {
  const fromHeader = getHeader(headerMap(entry.request.headers), 'origin');
  if (fromHeader && fromHeader !== 'null') return fromHeader;
  if (preflight) {
    const fromPreflight = getHeader(headerMap(preflight.request.headers), 'origin');
    if (fromPreflight && fromPreflight !== 'null') return fromPreflight;
  }
  if (entry._pageUrl) return originOf(entry._pageUrl);
  // A parser initiator's URL is the document; a script's is the script file, which may be on a CDN.
  if (entry._initiator?.type === 'parser') {
    const fromInitiator = originOf(entry._initiator.url);
    if (fromInitiator) return fromInitiator;
  }
  const page = entry.pageref ? pages.get(entry.pageref) : undefined;
  const fromPage = originOf(page?.title);
  if (fromPage) return fromPage;
  // Browsers' default referrer policy (strict-origin-when-cross-origin) sends at least the page origin.
  return originOf(getHeader(headerMap(entry.request.headers), 'referer'));
}

/**
 * Pair each actual request with the preflight sent for it: the same URL, an OPTIONS whose
 * Access-Control-Request-Method is the request's method, and the nearest in time — before the request, or during
 * it, as Chromium dates them (or linked by Chromium's `_initiator.requestId` when the exporter records request ids).
 */
function pairPreflights(actuals: IndexedEntry[], preflights: IndexedEntry[]): Map<number, IndexedEntry> {
  const byRequestId = new Map<string, IndexedEntry>();
  const byKey = new Map<string, IndexedEntry[]>();
  for (const preflight of preflights) {
    const linked = preflight.entry._initiator?.requestId;
    if (linked) byRequestId.set(linked, preflight);
    const method = getHeader(headerMap(preflight.entry.request.headers), 'access-control-request-method') ?? '';
    const key = `${method.trim()} ${preflight.entry.request.url}`;
    const list = byKey.get(key);
    if (list) list.push(preflight);
    else byKey.set(key, [preflight]);
  }
  const used = new Set<number>();
  const pairs = new Map<number, IndexedEntry>();
  for (const actual of actuals) {
    const linked = actual.entry._requestId ? byRequestId.get(actual.entry._requestId) : undefined;
    if (linked && !used.has(linked.index)) {
      used.add(linked.index);
      pairs.set(actual.index, linked);
      continue;
    }
    const candidates = byKey.get(`${actual.entry.request.method} ${actual.entry.request.url}`);
    if (!candidates) continue;
    let best: IndexedEntry | undefined;
    let bestDistance = Infinity;
    for (const candidate of candidates) {
      if (used.has(candidate.index)) continue;
      const distance = pairingDistance(candidate, actual);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    if (best) {
      used.add(best.index);
      pairs.set(actual.index, best);
    }
  }
  return pairs;
}

/**
 * How far apart a preflight and a request are (ms; entries when the HAR has no usable dates), or Infinity when the
 * preflight cannot be this request's: more than a minute before it, or after the request ended.
 */
function pairingDistance(preflight: IndexedEntry, actual: IndexedEntry): number {
  if (Number.isNaN(preflight.startMs) || Number.isNaN(actual.startMs)) return Math.abs(actual.index - preflight.index);
  const lead = actual.startMs - preflight.startMs;
  const duration = Math.max(0, actual.entry.time ?? 0);
  if (lead > PAIRING_WINDOW_MS || -lead > duration + CLOCK_TOLERANCE_MS) return Infinity;
  return Math.abs(lead);
}

function startMs(entry: HarEntry): number {
  return entry.startedDateTime ? Date.parse(entry.startedDateTime) : Number.NaN;
}

function preflightRecord(preflight: HarEntry): NonNullable<ObservedExchange['preflight']> {
  const record: NonNullable<ObservedExchange['preflight']> = { request: toRequest(preflight) };
  const response = toResponse(preflight);
  if (response) record.response = response;
  const error = entryError(preflight);
  if (error) record.error = error;
  return record;
}

function preflightGaps(preflight: HarEntry, browser: HarBrowser): string[] {
  const gaps: string[] = [];
  const status = preflight.response?.status;
  if (status !== undefined && status >= 400 && !preflight.response?.content?.text) {
    gaps.push(
      browser === 'chromium'
        ? "the preflight's response body (S3's XML error) is not in Chrome HARs"
        : "the preflight's response body (S3's XML error) is not in this HAR",
    );
  }
  return gaps;
}

/** An exchange for a preflight whose actual request is absent: method and header names come from the preflight. */
function exchangeFromLonePreflight(item: IndexedEntry, id: string, browser: HarBrowser, pages: Map<string, HarPage>): ObservedExchange {
  const preflight = item.entry;
  const preflightHeaders = headerMap(preflight.request.headers);
  const method = (getHeader(preflightHeaders, 'access-control-request-method') ?? 'GET').trim();
  const requested = (getHeader(preflightHeaders, 'access-control-request-headers') ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name.length > 0);
  const requestHeaders = headerMap(requested.map((name) => ({ name, value: '' })));
  const origin = getHeader(preflightHeaders, 'origin');
  if (origin) requestHeaders.origin = origin;
  const exchange: ObservedExchange = {
    id,
    source: 'har',
    browser,
    request: { method, url: preflight.request.url, headers: requestHeaders },
    preflight: preflightRecord(preflight),
    gaps: [
      'the actual request is not in the HAR: its method and header names come from the preflight, header values are unknown',
      ...preflightGaps(preflight, browser),
    ],
  };
  const pageOrigin = pageOriginFor(preflight, undefined, pages);
  if (pageOrigin) exchange.pageOrigin = pageOrigin;
  if (preflight.startedDateTime) exchange.startedAt = preflight.startedDateTime;
  return exchange;
}

/**
 * Turn HAR entries (Chrome or Firefox, HAR 1.2 plus Chrome's `_error`, `_fromCache`, `_resourceType`, `_initiator`)
 * into exchanges, one per actual request, each with its preflight when the HAR holds it. Entries are checked as
 * untrusted input: unusable ones are skipped, missing parts become `gaps`. Never throws.
 */
export function harEntriesToExchanges(entries: HarEntry[], options: { browser?: HarBrowser } & HarToExchangesOptions = {}): ObservedExchange[] {
  const pages = new Map((options.pages ?? []).map((page) => [page.id, page]));
  const problems: string[][] = [];
  const indexed: IndexedEntry[] = [];
  const list: unknown[] = Array.isArray(entries) ? entries : [];
  for (let index = 0; index < list.length; index++) {
    const normalized = normalizeHarEntry(list[index]);
    problems[index] = [...(options.entryProblems?.[index] ?? []), ...normalized.problems];
    if (normalized.entry) indexed.push({ index, entry: normalized.entry, startMs: startMs(normalized.entry) });
  }
  const preflights = indexed.filter((item) => isPreflightEntry(item.entry));
  const actuals = indexed.filter((item) => !isPreflightEntry(item.entry));
  const pairs = pairPreflights(actuals, preflights);
  const pairedPreflights = new Set([...pairs.values()].map((p) => p.index));
  const harHasPreflights = preflights.length > 0;
  const idFor = (index: number): string => options.ids?.[index] ?? `har-${index}`;

  const exchanges: Array<{ index: number; exchange: ObservedExchange }> = [];
  for (const item of actuals) {
    const { entry, index } = item;
    const browser = guessBrowser(entry, options.browser);
    const preflight = pairs.get(index)?.entry;
    const gaps = [...(options.fileGaps ?? []), ...problems[index]!];
    const exchange: ObservedExchange = { id: idFor(index), source: 'har', browser, request: toRequest(entry) };
    const response = toResponse(entry);
    if (response) exchange.response = response;
    const pageOrigin = pageOriginFor(entry, preflight, pages);
    if (pageOrigin) exchange.pageOrigin = pageOrigin;
    else gaps.push('the page origin is not recorded (no Origin header, initiator or page URL)');
    if (entry.startedDateTime) exchange.startedAt = entry.startedDateTime;
    if (entry._resourceType) exchange.resourceType = entry._resourceType;
    if (entry.serverIPAddress) exchange.serverIPAddress = entry.serverIPAddress;
    if (entry._fromCache === 'memory' || entry._fromCache === 'disk') exchange.fromCache = entry._fromCache;
    // Cookies reach a cross-origin request only in credentials mode "include".
    if (getHeader(exchange.request.headers, 'cookie') !== undefined) exchange.credentials = 'include';

    const error = entryError(entry);
    if (error === CHROME_ABORTED && isSuccessStatus(entry.response?.status)) {
      gaps.push('Chrome reported net::ERR_ABORTED with a successful status: the page stopped reading the body (not a failure)');
    } else if (error) {
      exchange.error = error;
    }
    if (preflight) {
      exchange.preflight = preflightRecord(preflight);
      gaps.push(...preflightGaps(preflight, browser));
    } else if (alwaysPreflighted(entry.request.method)) {
      gaps.push(
        harHasPreflights
          ? `no preflight for this ${entry.request.method} is in the HAR (answered from the browser's preflight cache, or not captured)`
          : 'this HAR has no preflight entries (older Chrome versions and some exporters leave them out): the preflight answer is unknown',
      );
    }
    if (browser === 'chromium' && entry.response?.status === 0 && !getHeader(exchange.request.headers, 'origin')) {
      gaps.push('Chrome recorded only provisional request headers for this failed request (no Origin, no cookies)');
    }
    if (browser === 'firefox' && entry.response?.status === 0) {
      gaps.push('Firefox HARs record a blocked request and a network failure alike (status 0, no reason)');
    }
    if (gaps.length > 0) exchange.gaps = gaps;
    exchanges.push({ index, exchange });
  }
  for (const item of preflights) {
    if (pairedPreflights.has(item.index)) continue;
    const exchange = exchangeFromLonePreflight(item, idFor(item.index), guessBrowser(item.entry, options.browser), pages);
    exchange.gaps = [...(options.fileGaps ?? []), ...problems[item.index]!, ...(exchange.gaps ?? [])];
    exchanges.push({ index: item.index, exchange });
  }
  exchanges.sort((a, b) => a.index - b.index);
  return exchanges.map((e) => e.exchange);
}
