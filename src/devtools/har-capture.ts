/**
 * The DevTools-side capture: HAR entries of the inspected tab (getHAR() on open, then onRequestFinished, and getHAR()
 * after a preflight where onRequestFinished misses its blocked request — Firefox) → exchanges through the core's HAR pairing →
 * the background's per-tab store. Needs no host permission.
 */
import { harEntriesToExchanges, isPreflightEntry, type HarEntry } from '../core/har/index.js';
import type { ObservedExchange } from '../core/evidence/types.js';
import type { Bridge } from '../messages.js';
import { isRelevantExchange } from '../core/evidence/relevance.js';

export interface HarCaptureOptions {
  browser: 'chromium' | 'firefox';
  /** Entries kept for pairing (a preflight and its request may arrive in different batches). */
  maxEntries?: number;
  /** A lone preflight younger than this may still get its request; wait before reporting it alone. */
  pairingGraceMs?: number;
  /** How long a preflight's actual request is looked for in getHAR() (Firefox lists a blocked one nowhere else). */
  actualRequestWaitMs?: number;
  now?: () => number;
}

/** A stable id per request, so re-sending an updated view of it updates one stored exchange. */
export function entryKey(entry: HarEntry): string {
  const text = `${entry.startedDateTime ?? ''} ${entry.request.method} ${entry.request.url}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return `dt-${(hash >>> 0).toString(36)}-${entry.startedDateTime ?? ''}`;
}

/**
 * Firefox: when to read getHAR() again while a preflight waits for its request (ms, by reads made so far). Reading
 * costs the capture: Firefox's getHAR() builds the HAR from its network monitor's store with that store's updates
 * switched off (HarExporter.buildHarData: `connector.enableActions(false)` while it awaits each entry's details),
 * so a request or a response that DevTools records meanwhile is lost for good — to getHAR() and to
 * onRequestFinished alike. Polling every second lost preflight responses, whole requests and a successful fetch
 * (measured under CPU starvation: 6 of 16 requests incomplete). So getHAR() is read only when something is known to
 * be missing from onRequestFinished — a finished preflight whose request has not appeared — and never on a timer.
 */
const LONGEST_HAR_READ_DELAY_MS = 8_000;
export const HAR_READ_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000, LONGEST_HAR_READ_DELAY_MS] as const;

/** The delay before read number `readsSoFar`; every read past the last step waits the longest. */
export function harReadDelayMs(readsSoFar: number): number {
  return HAR_READ_DELAYS_MS[Math.max(0, readsSoFar)] ?? LONGEST_HAR_READ_DELAY_MS;
}

/** How far before its preflight a request may be timestamped and still be the one it asked for (Firefox: a few ms). */
const ACTUAL_BEFORE_PREFLIGHT_MS = 5_000;

function headerValue(entry: HarEntry, name: string): string | undefined {
  return entry.request.headers?.find((h) => h.name.toLowerCase() === name)?.value;
}

/**
 * Whether a finished entry's body is worth asking for: a cross-origin request (it sent Origin) answered with an
 * error status and no body in the entry — S3's XML error. Firefox gives onRequestFinished entries without bodies;
 * getHAR() has them, but is read only after preflights (HAR_READ_DELAYS_MS), so a blocked simple GET's body is
 * asked for with getContent(), which costs the capture nothing.
 */
export function wantsResponseBody(entry: HarEntry): boolean {
  if (isPreflightEntry(entry) || (entry.response?.status ?? 0) < 400) return false;
  if (typeof entry.response?.content?.text === 'string' && entry.response.content.text !== '') return false;
  return headerValue(entry, 'origin') !== undefined;
}

/** The entry with `text` as its response body. */
export function withResponseBody(entry: HarEntry, text: string): HarEntry {
  return { ...entry, response: { ...entry.response, content: { ...entry.response?.content, text } } } as HarEntry;
}

function sameView(a: HarEntry, b: HarEntry): boolean {
  return JSON.stringify(a.response) === JSON.stringify(b.response) && JSON.stringify(a.request?.headers) === JSON.stringify(b.request?.headers);
}

export class HarCapture {
  /** In arrival order (a Map keeps it): `seq` orders a report as the requests were captured. */
  private readonly entries = new Map<string, { entry: HarEntry; seenAt: number; seq: number }>();
  /** URL → keys of its entries, so a report reads the changed URLs' entries without a pass over all of them. */
  private readonly keysByUrl = new Map<string, Set<string>>();
  private seq = 0;
  private readonly sent = new Map<string, string>();
  /**
   * URLs with new or changed entries since the last report, with a generation number. A preflight and its request
   * share their URL, so converting only these entries keeps each report proportional to what changed, not to the
   * 4,000 entries kept.
   */
  private readonly dirtyUrls = new Map<string, number>();
  private generation = 0;
  /** Preflights (by entry key) whose actual request has not appeared in the capture yet. */
  private readonly lonePreflights = new Map<string, { url: string; method: string; startedMs: number; seenAt: number }>();
  private pageUrl: string | undefined;
  private readonly maxEntries: number;
  private readonly pairingGraceMs: number;
  private readonly actualRequestWaitMs: number;
  private readonly now: () => number;

  constructor(
    private readonly tabId: number,
    private readonly bridge: Bridge,
    private readonly options: HarCaptureOptions,
  ) {
    this.maxEntries = options.maxEntries ?? 4_000;
    this.pairingGraceMs = options.pairingGraceMs ?? 1_500;
    this.actualRequestWaitMs = options.actualRequestWaitMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  setPageUrl(url: string): void {
    this.pageUrl = url;
  }

  /** Add entries (duplicates from getHAR and onRequestFinished collapse by key). Returns whether any was new or changed. */
  addEntries(entries: HarEntry[]): boolean {
    let changed = false;
    for (const entry of entries) {
      if (!entry?.request?.url || !/^https?:/.test(entry.request.url)) continue;
      const key = entryKey(entry);
      const known = this.entries.get(key);
      const withPage = entry._pageUrl || !this.pageUrl ? entry : { ...entry, _pageUrl: this.pageUrl };
      // Firefox fills an entry in as its parts arrive (a poll may list the response before the request headers):
      // a view that differs in its request headers or its response is newer; an identical one is a duplicate.
      if (known && sameView(known.entry, withPage)) continue;
      // Firefox's getHAR() can still list a request as unfinished (status 0) after onRequestFinished reported
      // its response; a poll must not turn a finished request back into a blocked-looking one.
      if (known && (known.entry.response?.status ?? 0) > 0 && !((withPage.response?.status ?? 0) > 0)) continue;
      this.entries.set(key, { entry: withPage, seenAt: known?.seenAt ?? this.now(), seq: known?.seq ?? this.seq++ });
      const keys = this.keysByUrl.get(entry.request.url);
      if (keys) keys.add(key);
      else this.keysByUrl.set(entry.request.url, new Set([key]));
      this.dirtyUrls.set(entry.request.url, ++this.generation);
      if (!known) this.trackPreflightPairing(key, entry);
      changed = true;
    }
    // The oldest go first (a Map iterates in insertion order): O(dropped), not a copy of every entry per call.
    for (const [key, { entry }] of this.entries) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(key);
      this.lonePreflights.delete(key);
      const keys = this.keysByUrl.get(entry.request.url);
      keys?.delete(key);
      if (keys?.size === 0) this.keysByUrl.delete(entry.request.url);
    }
    return changed;
  }

  /**
   * Whether a preflight is still waiting for its actual request (seen less than `actualRequestWaitMs` ago): Firefox
   * reports a blocked non-simple request only in getHAR(), so the devtools page reads it while this holds.
   */
  awaitingActualRequest(): boolean {
    return this.awaitingUrls().length > 0;
  }

  /** The URLs of the preflights still waiting for their actual request (see awaitingActualRequest). */
  awaitingUrls(): string[] {
    const now = this.now();
    for (const [key, { seenAt }] of this.lonePreflights) if (now - seenAt >= this.actualRequestWaitMs) this.lonePreflights.delete(key);
    return [...new Set([...this.lonePreflights.values()].map(({ url }) => url))];
  }

  /** Stops waiting for these URLs' actual requests: another source reports them (the background's webRequest capture). */
  stopAwaiting(urls: readonly string[]): void {
    for (const [key, { url }] of this.lonePreflights) if (urls.includes(url)) this.lonePreflights.delete(key);
  }

  /** A new preflight waits for its request unless that is already in; a new request ends its preflight's wait. */
  private trackPreflightPairing(key: string, entry: HarEntry): void {
    const url = entry.request.url;
    const startedMs = Date.parse(entry.startedDateTime ?? '');
    const answers = (method: string, preflightStartedMs: number, actual: HarEntry) =>
      actual.request.method.toUpperCase() === method &&
      !isPreflightEntry(actual) &&
      !(Date.parse(actual.startedDateTime ?? '') < preflightStartedMs - ACTUAL_BEFORE_PREFLIGHT_MS);
    if (isPreflightEntry(entry)) {
      const method = headerValue(entry, 'access-control-request-method')?.toUpperCase();
      if (!method) return;
      const keys = this.keysByUrl.get(url) ?? new Set<string>();
      const found = [...keys].some((other) => {
        const known = other === key ? undefined : this.entries.get(other);
        return known !== undefined && answers(method, startedMs, known.entry);
      });
      if (!found) this.lonePreflights.set(key, { url, method, startedMs, seenAt: this.now() });
      return;
    }
    for (const [preflightKey, waiting] of this.lonePreflights) {
      if (waiting.url === url && answers(waiting.method, waiting.startedMs, entry)) this.lonePreflights.delete(preflightKey);
    }
  }

  /** The page navigated: its entries were already reported; start afresh for the new page. */
  navigated(url: string): void {
    this.lonePreflights.clear();
    this.entries.clear();
    this.keysByUrl.clear();
    this.dirtyUrls.clear();
    this.pageUrl = url;
  }

  /** Exchanges not yet reported (or changed since), relevant ones only; lone young preflights wait. */
  pendingExchanges(): { exchanges: ObservedExchange[]; waiting: boolean; waitingUrls: Set<string> } {
    const items = [...this.dirtyUrls.keys()]
      .flatMap((url) => [...(this.keysByUrl.get(url) ?? [])].flatMap((key) => this.entries.get(key) ?? []))
      .sort((a, b) => a.seq - b.seq);
    const ids = items.map(({ entry }) => entryKey(entry));
    const converted = harEntriesToExchanges(
      items.map(({ entry }) => entry),
      { browser: this.options.browser, ids },
    );
    const young = new Map(
      items
        .filter(({ entry, seenAt }) => isPreflightEntry(entry) && this.now() - seenAt < this.pairingGraceMs)
        .map(({ entry }) => [entryKey(entry), entry.request.url]),
    );
    const waitingUrls = new Set<string>();
    const out: ObservedExchange[] = [];
    for (const exchange of converted) {
      const youngUrl = young.get(exchange.id);
      if (youngUrl !== undefined) {
        waitingUrls.add(youngUrl);
        continue;
      }
      const devtoolsExchange: ObservedExchange = { ...exchange, source: 'devtools' };
      if (!isRelevantExchange(devtoolsExchange)) continue;
      const fingerprint = JSON.stringify(devtoolsExchange);
      if (this.sent.get(exchange.id) === fingerprint) continue;
      out.push(devtoolsExchange);
    }
    return { exchanges: out, waiting: waitingUrls.size > 0, waitingUrls };
  }

  /** Report pending exchanges to the background; returns whether a lone preflight is still waiting for its request. */
  async flush(): Promise<boolean> {
    const reported = new Map(this.dirtyUrls);
    const { exchanges, waiting, waitingUrls } = this.pendingExchanges();
    if (exchanges.length > 0) {
      await this.bridge.send({ type: 'evidence/add', tabId: this.tabId, exchanges });
      for (const exchange of exchanges) this.sent.set(exchange.id, JSON.stringify(exchange));
      if (this.sent.size > 2 * this.maxEntries) for (const id of [...this.sent.keys()].slice(0, this.maxEntries)) this.sent.delete(id);
    }
    // Clean unless a lone preflight still waits there, or an entry arrived for the URL while we were sending.
    for (const [url, generation] of reported) if (!waitingUrls.has(url) && this.dirtyUrls.get(url) === generation) this.dirtyUrls.delete(url);
    return waiting;
  }
}
