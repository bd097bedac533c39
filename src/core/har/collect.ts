/**
 * Collects what the diagnosis needs from a HAR read by the streaming scanner, entry by entry: the entries that can
 * matter (S3-looking, preflights, failures), the pages, the browser. Everything else is counted and dropped, so memory
 * stays proportional to the S3 traffic, not to the file.
 */
import type { ObservedExchange } from '../evidence/types.js';
import { HarExchangeStream, harEntriesToExchanges, isPreflightEntry, type HarBrowser } from './exchanges.js';
import { browserFromCreator, normalizeHarEntry, normalizeHarPages } from './normalize.js';
import { HarJsonScanner, HarScanError, TRIAGE_SCAN_LIMITS, type HarScanEvent, type HarScanSummary } from './scanner.js';
import { hasS3QuerySignature, hasS3RequestSignals, hasS3ResponseHeaders, serverOf } from './s3-fingerprint.js';
import { isS3Url } from '../endpoint/index.js';
import { headerMap } from '../http/index.js';
import type { HarEntry, HarPage } from './types.js';

export interface HarReadResult {
  exchanges: ObservedExchange[];
  /** Entries in the file. */
  totalEntries: number;
  /** Entries that could not be read at all (not an object, no URL, invalid JSON). */
  unreadableEntries: number;
  browser: HarBrowser;
  /** What is missing from the whole file (truncated, unreadable entries). */
  gaps: string[];
}

/** An S3 mark of its own: S3's response headers, presigned parameters, S3 request headers, an S3 host. */
function looksLikeS3(entry: HarEntry): boolean {
  if (hasS3ResponseHeaders(headerMap(entry.response?.headers ?? []))) return true;
  if (hasS3QuerySignature(entry.request.url) || hasS3RequestSignals(entry.request.url, headerMap(entry.request.headers))) return true;
  return isS3Url(entry.request.url);
}

/**
 * Kept whatever the server: preflights and failures (for pairing), and a cross-origin answer without
 * Access-Control-Allow-Origin (Firefox records a blocked simple GET as a plain 200).
 */
function mayBeCorsFailure(entry: HarEntry): boolean {
  if (isPreflightEntry(entry)) return true;
  const status = entry.response?.status ?? 0;
  if (status === 0 || (entry._error && entry._error !== 'net::ERR_ABORTED')) return true;
  const origin = entry.request.headers.some((h) => h.name.toLowerCase() === 'origin');
  return origin && !(entry.response?.headers ?? []).some((h) => h.name.toLowerCase() === 'access-control-allow-origin');
}

/**
 * How many S3-relevant entries apart a preflight and its actual request may be when the collector streams (the
 * CLI). A browser sends a preflight just before its request and a HAR lists entries by start time, so the two are
 * neighbours: even a page firing hundreds of parallel uploads keeps them within a few hundred entries. 4096 leaves a
 * wide margin and holds at most about 8k entries (a few MB). A preflight farther than this from every request it
 * could belong to is diagnosed on its own, as a preflight whose request is not in the HAR — never dropped.
 */
export const STREAM_PAIRING_WINDOW = 4096;

export interface HarCollectorOptions {
  /**
   * Stream: each exchange is handed over as soon as its pairing is settled, in the entries' order, instead of being
   * kept until `finish` (which then returns no exchanges). Streamed exchanges do not carry the file's gaps (known
   * only at the end): `finish` returns them, for the consumer to add.
   */
  onExchange?: (exchange: ObservedExchange) => void;
  /** Who wrote the HAR (`--browser`); else read from `log.creator`. */
  browser?: HarBrowser;
  /** The pairing window when streaming (default STREAM_PAIRING_WINDOW). */
  window?: number;
}

export class HarCollector {
  private readonly kept: HarEntry[] = [];
  private readonly keptIds: string[] = [];
  private readonly keptProblems: string[][] = [];
  private pages: HarPage[] = [];
  /** Servers already seen answering or receiving S3 traffic: later successes to them are kept too. */
  private readonly s3Servers = new Set<string>();
  private creatorBrowser: HarBrowser | undefined;
  private total = 0;
  private unreadable = 0;
  private firstUnreadable: string | undefined;
  private readonly stream: HarExchangeStream | undefined;

  constructor(private readonly options: HarCollectorOptions = {}) {
    if (options.onExchange) {
      this.stream = new HarExchangeStream(options.onExchange, {
        ...(options.browser ? { browser: options.browser } : {}),
        window: options.window ?? STREAM_PAIRING_WINDOW,
      });
    }
  }

  /** Entries held right now (streaming: bounded by the pairing window; else every kept entry). */
  get retained(): number {
    return this.stream ? this.stream.retained : this.kept.length;
  }

  /** Feed one scanner event. Never throws. */
  readonly add = (event: HarScanEvent): void => {
    if (event.kind === 'member') {
      if (event.parent !== 'log') return;
      if (event.key === 'pages') {
        this.pages = normalizeHarPages(parseOrUndefined(event.json));
        this.stream?.setPages(this.pages);
      } else if (event.key === 'creator' || event.key === 'browser') {
        this.creatorBrowser ??= browserFromCreator(parseOrUndefined(event.json));
        if (!this.options.browser) this.stream?.setBrowser(this.creatorBrowser);
      }
      return;
    }
    this.total++;
    const value = event.value !== undefined ? event.value : parseOrUndefined(event.json);
    const { entry, problems } = normalizeHarEntry(value);
    if (!entry) {
      this.unreadable++;
      this.firstUnreadable ??= `entry ${event.index}: ${value === undefined ? 'not valid JSON' : problems[0]}`;
      return;
    }
    const server = serverOf(entry.request.url);
    if (looksLikeS3(entry)) this.s3Servers.add(server);
    else if (!mayBeCorsFailure(entry) && !this.s3Servers.has(server)) return;
    if (this.stream) {
      this.stream.push(entry, `har-${event.index}`, problems);
      return;
    }
    this.kept.push(entry);
    this.keptIds.push(`har-${event.index}`);
    this.keptProblems.push(problems);
  };

  finish(summary: HarScanSummary, options: { browser?: HarBrowser } = {}): HarReadResult {
    if (!summary.sawLog) throw new HarScanError('not a HAR: there is no "log" object', summary.length);
    if (!summary.sawEntries) throw new HarScanError('not a HAR: "log" has no "entries" array', summary.length);
    const gaps: string[] = [];
    if (summary.truncated) gaps.push(`the HAR file is truncated: ${this.total} complete entries were read, the rest is lost`);
    if (this.unreadable > 0) gaps.push(`${this.unreadable} HAR entries could not be read (first: ${this.firstUnreadable})`);
    const browser = options.browser ?? this.options.browser ?? this.creatorBrowser;
    if (this.stream) {
      this.stream.end();
      return { exchanges: [], totalEntries: this.total, unreadableEntries: this.unreadable, browser: browser ?? 'unknown', gaps };
    }
    const exchanges = harEntriesToExchanges(this.kept, {
      ...(browser ? { browser } : {}),
      pages: this.pages,
      ids: this.keptIds,
      fileGaps: gaps,
      entryProblems: this.keptProblems,
    });
    return { exchanges, totalEntries: this.total, unreadableEntries: this.unreadable, browser: browser ?? 'unknown', gaps };
  }
}

function parseOrUndefined(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

/** Read a whole HAR held in memory (the panel's dropped file, tests). Throws HarScanError when it is not a HAR. */
export function readHarText(text: string, options: { browser?: HarBrowser } = {}): HarReadResult {
  return readHarBytes(new TextEncoder().encode(text), options);
}

/** Read a whole HAR held in memory as UTF-8 bytes. Throws HarScanError (with line and column) when it is not a HAR. */
export function readHarBytes(bytes: Uint8Array, options: { browser?: HarBrowser } = {}): HarReadResult {
  const collector = new HarCollector();
  const scanner = new HarJsonScanner(collector.add, TRIAGE_SCAN_LIMITS);
  const chunk = 1 << 20;
  try {
    for (let i = 0; i < bytes.length; i += chunk) scanner.write(bytes.subarray(i, i + chunk));
    return collector.finish(scanner.end(), options);
  } catch (err) {
    if (!(err instanceof HarScanError) || err.offset >= bytes.length) throw err;
    const { line, column } = lineAndColumn(bytes, err.offset);
    throw new HarScanError(`line ${line}, column ${column}: ${err.message}`, err.offset);
  }
}

/** 1-based line and column (in characters) of a byte offset in UTF-8 text (error messages only). */
export function lineAndColumn(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = bytes.indexOf(10); i !== -1 && i < offset; i = bytes.indexOf(10, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: new TextDecoder().decode(bytes.subarray(lineStart, offset)).length + 1 };
}
