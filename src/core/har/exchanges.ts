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
  const origin = /^(https?:\/\/[^/?#\s]+)/i.exec(url)?.[1];
  if (origin === undefined) return undefined;
  // Userinfo never belongs in an origin; a URL carrying it is not a page URL we trust.
  if (origin.includes('@')) return undefined;
  return origin.toLowerCase();
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

/** One S3-relevant entry in the pairing window: its position among the entries given, its id and reading problems. */
interface WindowEntry extends IndexedEntry {
  id: string;
  problems: string[];
  preflight: boolean;
  /** An actual request: its preflight once paired. A preflight: true once an actual request took it. */
  paired: HarEntry | boolean | undefined;
  processed: boolean;
}

export interface HarExchangeStreamOptions {
  /** Who wrote the HAR; guessed per entry from Chrome's underscore fields when omitted. */
  browser?: HarBrowser;
  /** `log.pages`, to read a page origin from the page an entry belongs to. */
  pages?: HarPage[];
  /** Gaps that apply to every exchange (a truncated file, cut strings); known up front only for a file in memory. */
  fileGaps?: string[];
  /** How many entries apart a preflight and its actual request may be (default: unbounded — the whole capture). */
  window?: number;
}

/**
 * HAR entries → exchanges, one entry at a time, in bounded memory. A preflight is paired with an actual request at
 * most `window` entries away from it (counting only the entries given, i.e. those that can matter): an actual
 * request is paired once the `window` entries after it have arrived, and a preflight that no actual request within
 * `window` entries took becomes an exchange of its own (as a preflight whose request is not in the HAR: never lost).
 * Exchanges come out in the entries' order; at most about 2 × `window` entries are held. With an unbounded window
 * (a file held in memory) every entry waits for the end and the pairing is the whole capture's.
 */
export class HarExchangeStream {
  private readonly pending: WindowEntry[] = [];
  /** Index in `pending` of the first entry not yet emitted (those before it are cut off in batches). */
  private head = 0;
  /** Index in `pending` of the first actual request not yet paired. */
  private nextActual = 0;
  private readonly byKey = new Map<string, WindowEntry[]>();
  private readonly byRequestId = new Map<string, WindowEntry>();
  private pages: Map<string, HarPage>;
  private count = 0;
  private preflightsSeen = 0;
  private readonly window: number;
  private browser: HarBrowser | undefined;

  constructor(
    private readonly emit: (exchange: ObservedExchange) => void,
    private readonly options: HarExchangeStreamOptions = {},
  ) {
    this.pages = new Map((options.pages ?? []).map((page) => [page.id, page]));
    this.window = options.window ?? Infinity;
    this.browser = options.browser;
  }

  /** `log.pages` read after the stream started (they reach the entries not yet turned into exchanges). */
  setPages(pages: HarPage[]): void {
    this.pages = new Map(pages.map((page) => [page.id, page]));
  }

  /** The browser read from `log.creator` after the stream started (it reaches the entries not yet turned into exchanges). */
  setBrowser(browser: HarBrowser | undefined): void {
    if (browser) this.browser = browser;
  }

  /** Entries held right now (at most about 2 × window + 1). */
  get retained(): number {
    return this.pending.length - this.head;
  }

  /** Add one entry (checked as untrusted input: an unusable one is skipped). */
  push(raw: unknown, id?: string, problems: string[] = []): void {
    const index = this.count++;
    const normalized = normalizeHarEntry(raw);
    if (!normalized.entry) return;
    const entry = normalized.entry;
    const preflight = isPreflightEntry(entry);
    const item: WindowEntry = {
      index,
      entry,
      startMs: startMs(entry),
      id: id ?? `har-${index}`,
      problems: [...problems, ...normalized.problems],
      preflight,
      paired: undefined,
      processed: preflight,
    };
    this.pending.push(item);
    if (preflight) {
      this.preflightsSeen++;
      const linked = entry._initiator?.requestId;
      if (linked) this.byRequestId.set(linked, item);
      const method = getHeader(headerMap(entry.request.headers), 'access-control-request-method') ?? '';
      const key = `${method.trim()} ${entry.request.url}`;
      const list = this.byKey.get(key);
      if (list) list.push(item);
      else this.byKey.set(key, [item]);
    }
    this.advance(index - this.window);
  }

  /** Pair and emit everything left. */
  end(): void {
    this.advance(Infinity);
  }

  /** Pair every actual request up to entry `upTo`, then emit the entries that nothing can change any more. */
  private advance(upTo: number): void {
    const pending = this.pending;
    for (; this.nextActual < pending.length; this.nextActual++) {
      const item = pending[this.nextActual];
      if (item === undefined || item.index > upTo) break;
      if (!item.processed) this.pair(item);
    }
    let emitted = this.head;
    while (emitted < pending.length) {
      const item = pending[emitted];
      if (item === undefined) break;
      if (!item.preflight) {
        if (!item.processed) break;
        this.emit(this.exchangeFromActual(item));
      } else if (item.paired !== true) {
        // A preflight is left alone once every actual request within the window of it has been paired.
        if (item.index + this.window > upTo) break;
        this.forget(item);
        const exchange = exchangeFromLonePreflight(item, item.id, guessBrowser(item.entry, this.browser), this.pages);
        exchange.gaps = [...(this.options.fileGaps ?? []), ...item.problems, ...(exchange.gaps ?? [])];
        this.emit(exchange);
      }
      emitted++;
    }
    this.head = emitted;
    // Emitted entries are cut off in batches: one splice per entry would move the whole window each time.
    if (this.head > 0 && this.head * 2 >= pending.length) {
      pending.splice(0, this.head);
      this.nextActual -= this.head;
      this.head = 0;
    }
  }

  private forget(preflight: WindowEntry): void {
    const linked = preflight.entry._initiator?.requestId;
    if (linked && this.byRequestId.get(linked) === preflight) this.byRequestId.delete(linked);
    const method = getHeader(headerMap(preflight.entry.request.headers), 'access-control-request-method') ?? '';
    const key = `${method.trim()} ${preflight.entry.request.url}`;
    const list = this.byKey.get(key);
    if (!list) return;
    const at = list.indexOf(preflight);
    if (at !== -1) list.splice(at, 1);
    if (list.length === 0) this.byKey.delete(key);
  }

  /**
   * Pair an actual request with the preflight sent for it: the same URL, an OPTIONS whose
   * Access-Control-Request-Method is the request's method, and the nearest in time — before the request, or during
   * it, as Chromium dates them (or linked by Chromium's `_initiator.requestId` when the exporter records request ids).
   */
  private pair(actual: WindowEntry): void {
    actual.processed = true;
    const linked = actual.entry._requestId ? this.byRequestId.get(actual.entry._requestId) : undefined;
    let best: WindowEntry | undefined = linked && linked.paired !== true ? linked : undefined;
    if (!best) {
      const candidates = this.byKey.get(`${actual.entry.request.method} ${actual.entry.request.url}`);
      let bestDistance = Infinity;
      for (const candidate of candidates ?? []) {
        const distance = pairingDistance(candidate, actual);
        if (distance < bestDistance) {
          best = candidate;
          bestDistance = distance;
        }
      }
    }
    if (!best) return;
    best.paired = true;
    this.forget(best);
    actual.paired = best.entry;
  }

  private exchangeFromActual(item: WindowEntry): ObservedExchange {
    const { entry } = item;
    const browser = guessBrowser(entry, this.browser);
    const preflight = item.paired instanceof Object ? item.paired : undefined;
    const gaps = [...(this.options.fileGaps ?? []), ...item.problems];
    const exchange: ObservedExchange = { id: item.id, source: 'har', browser, request: toRequest(entry) };
    const response = toResponse(entry);
    if (response) exchange.response = response;
    const pageOrigin = pageOriginFor(entry, preflight, this.pages);
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
      // With a bounded window, "has preflights" means: among the entries read so far (up to `window` after this one).
      gaps.push(
        this.preflightsSeen > 0
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
    return exchange;
  }
}

/**
 * Turn HAR entries (Chrome or Firefox, HAR 1.2 plus Chrome's `_error`, `_fromCache`, `_resourceType`, `_initiator`)
 * into exchanges, one per actual request, each with its preflight when the HAR holds it. Entries are checked as
 * untrusted input: unusable ones are skipped, missing parts become `gaps`. Never throws.
 */
export function harEntriesToExchanges(entries: HarEntry[], options: { browser?: HarBrowser } & HarToExchangesOptions = {}): ObservedExchange[] {
  const exchanges: ObservedExchange[] = [];
  const stream = new HarExchangeStream((exchange) => exchanges.push(exchange), {
    ...(options.browser ? { browser: options.browser } : {}),
    ...(options.pages ? { pages: options.pages } : {}),
    ...(options.fileGaps ? { fileGaps: options.fileGaps } : {}),
  });
  const list: unknown[] = Array.isArray(entries) ? entries : [];
  for (let index = 0; index < list.length; index++) stream.push(list[index], options.ids?.[index] ?? `har-${index}`, options.entryProblems?.[index] ?? []);
  stream.end();
  return exchanges;
}
