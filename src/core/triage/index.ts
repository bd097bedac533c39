/**
 * Triage: diagnose every S3 request of a capture (a HAR, a live session) with the same core as the panel, group
 * the requests that fail for the same cause ("37 PUTs to bucket `uploads` failed: header `x-amz-checksum-crc32` …"),
 * and summarise. Pure; the reports (src/core/report) render the result.
 */
import type { DiagnoseContext, Diagnosis, Finding, FixProposal } from '../diagnose/index.js';
import { readS3Url } from '../endpoint/index.js';
import type { ObservedExchange } from '../evidence/types.js';
import { readRequestFacts } from '../evidence/facts.js';
import { isS3Exchange, serverOf } from '../har/index.js';
import type { RuleTrace } from '../s3/types.js';
import type { BucketState } from '../s3/types.js';
import { must } from '../must.js';
import { DiagnosisMemo } from './shared-diagnosis.js';

export interface TriageOptions {
  /** What is known about the bucket a request addresses (from `--config`); undefined = unknown. */
  bucketState?: (target: { bucket: string | null; host: string }) => BucketState | undefined;
  /** Entries in the capture, S3 or not (defaults to the number of exchanges). */
  totalEntries?: number;
  /** Gaps of the whole capture (truncated file, unreadable entries). */
  gaps?: string[];
  /** Reference time for expiry checks. */
  now?: Date;
}

export interface TriagedRequest {
  id: string;
  url: string;
  method: string;
  origin: string | null;
  /** The actual response's status (0 = blocked / no response), or null when the HAR has none. */
  status: number | null;
  preflightStatus: number | null;
  /** Access-Control-Request-Headers of the preflight, lower-cased and sorted (empty without one). */
  requestedHeaders: string[];
  bucket: string | null;
  host: string;
  outcome: Diagnosis['outcome'];
  verdict: string;
  findings: Finding[];
  fix: FixProposal | null;
  trace: RuleTrace[];
  provider: Diagnosis['provider'];
  browserError: { corsError: string; failedParameter?: string; chrome: string; firefox: string } | null;
  /** What the capture could not show for this request. */
  gaps: string[];
  /** The group it belongs to, or null when it succeeded without findings. */
  group: string | null;
}

export interface CauseGroup {
  id: string;
  /** "37 PUTs to bucket `uploads` failed: …" */
  title: string;
  count: number;
  method: string;
  bucket: string | null;
  host: string;
  outcome: Diagnosis['outcome'];
  /** Finding codes shared by every request of the group (errors first). */
  codes: string[];
  rule: number | null;
  origins: string[];
  requestIds: string[];
  /** The first request's findings and fix (identical causes give identical fixes). */
  findings: Finding[];
  fix: FixProposal | null;
  trace: RuleTrace[];
  browserError: TriagedRequest['browserError'];
  /** Every distinct gap of the group's requests: what could not be determined. */
  undetermined: string[];
  exampleUrl: string;
}

export interface TriageSummary {
  /** Entries in the capture. */
  total: number;
  /** Requests to S3 or an S3-compatible store. */
  s3: number;
  /** S3 requests that were blocked or failed for a non-CORS reason. */
  failed: number;
  /** Number of S3 requests carrying each finding code. */
  byCode: Record<string, number>;
}

export interface TriageReport {
  requests: TriagedRequest[];
  groups: CauseGroup[];
  summary: TriageSummary;
  gaps: string[];
}

/**
 * Related exchanges handed to each diagnosis: the diagnosis reads them for the same resource only (a cached
 * response replayed from an earlier request without Origin; a preflight of the same URL), so only exchanges of the
 * same URL are passed — which keeps a HAR with thousands of S3 requests linear. Bounded per URL.
 */
const MAX_RELATED = 200;
const MAX_UNDETERMINED = 12;
export const NO_CONFIGURATION_GAP =
  "the bucket's CORS configuration was not provided: which rule and condition fail is inferred from the traffic, not read from the configuration";

function isFailure(outcome: Diagnosis['outcome']): boolean {
  return outcome === 'blocked' || outcome === 'failed-not-cors';
}

function severityRank(finding: Finding): number {
  return finding.severity === 'error' ? 0 : finding.severity === 'warning' ? 1 : 2;
}

function bySeverity(a: Finding, b: Finding): number {
  return severityRank(a) - severityRank(b);
}

function hostOf(url: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url);
  const authority = match?.[1] ?? '';
  return authority.slice(authority.lastIndexOf('@') + 1).toLowerCase();
}

/**
 * Requests with the same cause share outcome, method, page origin, requested headers, bucket, the (code, rule) of
 * their findings and the fix: S3's refusal does not say which of origin, method or header failed (S16), so requests
 * that differ in any of them are not known to fail for the same reason.
 */
function causeKey(request: TriagedRequest): string {
  const findings = request.findings
    .filter((f) => f.severity !== 'info')
    .map((f) => `${f.code}@${f.rule ?? '-'}`)
    .sort();
  const changes = (request.fix?.changes ?? []).map((c) => `${c.kind}:${c.rule ?? '-'}:${c.value ?? ''}`).sort();
  return JSON.stringify([
    request.outcome,
    request.method,
    request.origin,
    request.requestedHeaders,
    request.host,
    request.bucket,
    findings,
    changes,
    request.browserError?.corsError ?? null,
  ]);
}

const OUTCOME_VERB: Record<Diagnosis['outcome'], string> = {
  blocked: 'were blocked',
  'failed-not-cors': 'failed (not a CORS cause)',
  allowed: 'were allowed',
  unknown: 'could not be judged',
};

function groupTitle(count: number, request: TriagedRequest, primary: Finding | undefined): string {
  const what = `${count} ${request.method}${count === 1 ? '' : 's'}`;
  const where = request.bucket ? `to bucket \`${request.bucket}\`` : `to ${request.host}`;
  const verb = count === 1 ? OUTCOME_VERB[request.outcome].replace(/^were /, 'was ') : OUTCOME_VERB[request.outcome];
  const cause = primary ? primary.message : request.verdict;
  return `${what} ${where} ${verb}: ${cause.replace(/\.$/, '')}`;
}

function requestedHeaderNames(exchange: ObservedExchange): string[] {
  const value = exchange.preflight ? readRequestFacts(exchange.preflight.request).requestedHeaders : undefined;
  if (!value) return [];
  return [
    ...new Set(
      value
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter(Boolean),
    ),
  ].sort();
}

/** The bucket and host a request addresses (the host read from the URL text when it is not an S3 URL). */
function targetOf(exchange: ObservedExchange): { bucket: string | null; host: string } {
  const info = readS3Url(exchange.request.url, exchange.request.method);
  return { bucket: info.bucket, host: info.host || hostOf(exchange.request.url) };
}

function triageOne(exchange: ObservedExchange, related: ObservedExchange[], options: TriageOptions, memo: DiagnosisMemo): TriagedRequest {
  const target = targetOf(exchange);
  const state = options.bucketState?.(target);
  const context: DiagnoseContext = {};
  if (state) context.bucket = state;
  context.related = related;
  if (options.now) context.now = options.now;
  return requestRecord(exchange, memo.diagnose(exchange, context), target, state !== undefined);
}

/**
 * A request's triage record from a diagnosis already made (the panel's rows): what triageExchanges makes for it.
 * `configurationKnown`: whether the diagnosis was given the bucket's configuration.
 */
export function triagedRequest(exchange: ObservedExchange, diagnosis: Diagnosis, configurationKnown: boolean): TriagedRequest {
  return requestRecord(exchange, diagnosis, targetOf(exchange), configurationKnown);
}

function requestRecord(
  exchange: ObservedExchange,
  diagnosis: Diagnosis,
  target: { bucket: string | null; host: string },
  configurationKnown: boolean,
): TriagedRequest {
  const { bucket, host } = target;
  const failure = diagnosis.browser?.failure ?? null;
  const corsError = exchange.corsError ?? (failure ? { corsError: failure.corsError, failedParameter: failure.failedParameter } : null);
  let browserError: TriagedRequest['browserError'] = null;
  if (corsError && failure) {
    const { chrome, firefox } = failure.messages;
    browserError = corsError.failedParameter
      ? { corsError: corsError.corsError, failedParameter: corsError.failedParameter, chrome, firefox }
      : { corsError: corsError.corsError, chrome, firefox };
  }
  return {
    id: exchange.id,
    url: exchange.request.url,
    method: exchange.request.method,
    origin: exchange.pageOrigin ?? null,
    status: exchange.response ? exchange.response.status : null,
    preflightStatus: exchange.preflight?.response ? exchange.preflight.response.status : null,
    requestedHeaders: requestedHeaderNames(exchange),
    bucket,
    host,
    outcome: diagnosis.outcome,
    verdict: diagnosis.verdict,
    findings: diagnosis.findings.slice().sort(bySeverity),
    fix: diagnosis.fix,
    trace: diagnosis.trace,
    provider: diagnosis.provider,
    browserError,
    gaps: !configurationKnown && isFailure(diagnosis.outcome) ? [...(exchange.gaps ?? []), NO_CONFIGURATION_GAP] : (exchange.gaps ?? []),
    group: null,
  };
}

/** The URL without its fragment (the resource both a request and its preflight address). */
function resourceOf(exchange: ObservedExchange): string {
  const url = exchange.request.url;
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

/**
 * How many exchanges around a request its related list is drawn from when triage streams (the CLI): the diagnosis
 * reads the same URL's exchanges for a cache fill or a replay (a no-cors request made just before) and an unpaired
 * preflight, all neighbours of the request in a capture. 4096 on each side holds at most ~8k exchanges (a few MB).
 * An exchange of the same URL farther away is not consulted; an unrecognised request to a server first recognised as
 * S3 farther than this after it is counted as non-S3 (as the HAR reader already treats entries before it).
 */
export const TRIAGE_RELATED_WINDOW = 4096;

/** Markdown lists a group's first request ids; JSON lists them all. */
const LISTED_REQUEST_IDS = 10;

/** Request ids in order, 4 bytes each for a HAR's `har-<n>` ids (the only per-request memory a group keeps). */
class RequestIds {
  private numbers = new Uint32Array(16);
  private strings: string[] | null = null;
  length = 0;

  constructor(private readonly limit: number) {}

  push(id: string): void {
    if (this.length >= this.limit) return;
    const n = this.strings === null && id.startsWith('har-') ? Number(id.slice(4)) : NaN;
    if (this.strings === null && Number.isInteger(n) && n >= 0 && n < 2 ** 32 && `har-${n}` === id) {
      if (this.length === this.numbers.length) {
        const grown = new Uint32Array(this.numbers.length * 2);
        grown.set(this.numbers);
        this.numbers = grown;
      }
      this.numbers[this.length++] = n;
      return;
    }
    this.strings ??= this.toArray();
    this.strings.push(id);
    this.length++;
  }

  toArray(): string[] {
    if (this.strings) return this.strings.slice();
    const out = new Array<string>(this.length);
    for (const [i, n] of this.numbers.subarray(0, this.length).entries()) out[i] = `har-${n}`;
    return out;
  }
}

/** One cause: its first request (whose findings and fix the group shows) and what the group sums up. */
interface CauseAggregate {
  first: TriagedRequest;
  count: number;
  origins: Set<string>;
  gaps: Set<string>;
  ids: RequestIds;
}

export interface TriageStreamOptions extends TriageOptions {
  /**
   * Each diagnosed S3 request, in order, with the number of its cause (`causeIds[cause]` after `finish`; -1 when it
   * belongs to none). The request's gaps do not include the file gaps given to `finish`.
   */
  onRequest?: (request: TriagedRequest, cause: number) => void;
  /** Keep every request id of a group (the JSON report lists them), else the first 10. Default true. */
  allRequestIds?: boolean;
  /** Exchanges on each side a request's related list is drawn from (default: unbounded — the whole capture). */
  window?: number;
}

export interface TriageStreamResult {
  groups: CauseGroup[];
  summary: TriageSummary;
  /** The group id of each cause number handed to `onRequest`. */
  causeIds: string[];
  /** The distinct buckets of the S3 requests, in order of appearance. */
  buckets: string[];
}

interface Pending {
  exchange: ObservedExchange;
  resource: string;
  recognised: boolean;
}

/**
 * Triage one exchange at a time in bounded memory: each S3 exchange is diagnosed once the `window` exchanges after
 * it have arrived, against the related exchanges of its URL within `window` on either side, handed to `onRequest`
 * and then dropped; groups keep one aggregate per cause (its first request, counts, origins, gaps, request ids).
 */
export class TriageStream {
  private readonly pending: Pending[] = [];
  /** Index in `pending` of the first exchange still held (those before it are cut off in batches). */
  private head = 0;
  /** Index in `pending` of the next exchange to diagnose. */
  private next = 0;
  private readonly byResource = new Map<string, ObservedExchange[]>();
  private readonly servers = new Set<string>();
  /** Each cause key's number (its index in `aggregates`) and aggregate. */
  private readonly causes = new Map<string, { cause: number; aggregate: CauseAggregate }>();
  private readonly aggregates: CauseAggregate[] = [];
  private readonly byCode: Record<string, number> = {};
  private readonly buckets = new Set<string>();
  private readonly window: number;
  /** Requests with the same deciding facts share one diagnosis (shared-diagnosis.ts). */
  private readonly memo = new DiagnosisMemo();
  private exchanges = 0;
  private s3 = 0;
  private failed = 0;

  constructor(private readonly options: TriageStreamOptions = {}) {
    this.window = options.window ?? Infinity;
  }

  /** Exchanges held right now (at most about 2 × window + 1). */
  get retained(): number {
    return this.pending.length - this.head;
  }

  /** Causes found so far (one aggregate each, whatever the number of requests). */
  get causeCount(): number {
    return this.aggregates.length;
  }

  add(exchange: ObservedExchange): void {
    const recognised = isS3Exchange(exchange);
    if (recognised) {
      const server = serverOf(exchange.request.url);
      if (server !== '') this.servers.add(server);
    }
    const resource = resourceOf(exchange);
    this.pending.push({ exchange, resource, recognised });
    const list = this.byResource.get(resource);
    if (list) list.push(exchange);
    else this.byResource.set(resource, [exchange]);
    this.exchanges++;
    this.advance(this.pending.length - 1 - this.window);
  }

  /** Diagnose what is left and group. `fileGaps` (a truncated file…) belong to every request, before its own. */
  finish(fileGaps: string[] = []): TriageStreamResult {
    this.advance(Infinity);
    this.pending.length = 0;
    this.head = 0;
    this.next = 0;
    this.byResource.clear();
    const order = this.aggregates
      .map((aggregate, cause) => ({ aggregate, cause }))
      .sort((a, b) => Number(isFailure(b.aggregate.first.outcome)) - Number(isFailure(a.aggregate.first.outcome)) || b.aggregate.count - a.aggregate.count);
    const causeIds = new Array<string>(this.aggregates.length);
    const groups = order.map(({ aggregate, cause }, index): CauseGroup => {
      const { first, count } = aggregate;
      const id = `cause-${index + 1}`;
      causeIds[cause] = id;
      const primary = first.findings[0];
      const undetermined = [...new Set([...fileGaps, ...aggregate.gaps])];
      return {
        id,
        title: groupTitle(count, first, primary),
        count,
        method: first.method,
        bucket: first.bucket,
        host: first.host,
        outcome: first.outcome,
        codes: [...new Set(first.findings.map((f) => f.code))],
        rule: primary?.rule ?? null,
        origins: [...aggregate.origins],
        requestIds: aggregate.ids.toArray(),
        findings: first.findings,
        fix: first.fix,
        trace: first.trace,
        browserError: first.browserError,
        undetermined:
          undetermined.length > MAX_UNDETERMINED
            ? [...undetermined.slice(0, MAX_UNDETERMINED), `… and ${undetermined.length - MAX_UNDETERMINED} more`]
            : undetermined,
        exampleUrl: first.url,
      };
    });
    return {
      groups,
      summary: { total: this.options.totalEntries ?? this.exchanges, s3: this.s3, failed: this.failed, byCode: this.byCode },
      causeIds,
      buckets: [...this.buckets],
    };
  }

  /** Diagnose the exchanges up to `upTo` (an index in `pending`), then drop those no later one can relate to. */
  private advance(upTo: number): void {
    const pending = this.pending;
    for (; this.next < pending.length && this.next <= upTo; this.next++) {
      const item = pending[this.next];
      if (item === undefined) break;
      if (!item.recognised && !this.servers.has(serverOf(item.exchange.request.url))) continue;
      const related = this.byResource.get(item.resource) ?? [];
      this.record(triageOne(item.exchange, related.length > MAX_RELATED ? related.slice(0, MAX_RELATED) : related, this.options, this.memo));
    }
    const drop = Math.min(this.next, this.next - this.window);
    for (; this.head < drop; this.head++) {
      const item = pending[this.head];
      if (item === undefined) break;
      const list = must(this.byResource.get(item.resource), 'a pending exchange is listed under its resource');
      list.shift();
      if (list.length === 0) this.byResource.delete(item.resource);
    }
    // Dropped exchanges are cut off in batches: one splice per exchange would move the whole window each time.
    if (this.head > 0 && this.head * 2 >= pending.length) {
      pending.splice(0, this.head);
      this.next -= this.head;
      this.head = 0;
    }
  }

  /** Group a request already triaged (the panel diagnoses its rows itself), as if its exchange had been added. */
  addTriaged(request: TriagedRequest): void {
    this.exchanges++;
    this.record(request);
  }

  private record(request: TriagedRequest): void {
    this.s3++;
    if (isFailure(request.outcome)) this.failed++;
    if (request.bucket !== null) this.buckets.add(request.bucket);
    for (const code of new Set(request.findings.map((f) => f.code))) this.byCode[code] = (this.byCode[code] ?? 0) + 1;
    let cause = -1;
    if (!(request.outcome === 'allowed' && request.findings.every((f) => f.severity === 'info'))) {
      const key = causeKey(request);
      let known = this.causes.get(key);
      if (known === undefined) {
        known = {
          cause: this.aggregates.length,
          aggregate: {
            first: request,
            count: 0,
            origins: new Set(),
            gaps: new Set(),
            ids: new RequestIds(this.options.allRequestIds === false ? LISTED_REQUEST_IDS : Infinity),
          },
        };
        this.causes.set(key, known);
        this.aggregates.push(known.aggregate);
      }
      cause = known.cause;
      const { aggregate } = known;
      aggregate.count++;
      if (request.origin !== null) aggregate.origins.add(request.origin);
      for (const gap of request.gaps) aggregate.gaps.add(gap);
      aggregate.ids.push(request.id);
    }
    this.options.onRequest?.(request, cause);
  }
}

/** Diagnose every S3 exchange, group identical causes, summarise. Non-S3 exchanges are only counted. */
export function triageExchanges(exchanges: ObservedExchange[], options: TriageOptions = {}): TriageReport {
  return grouped(options, { totalEntries: options.totalEntries ?? exchanges.length, gaps: options.gaps ?? [] }, (stream) => {
    for (const exchange of exchanges) stream.add(exchange);
  });
}

/**
 * Group triaged requests by cause and summarise: the one report the CLI (`har`) and the panel's Export report
 * render, so the same evidence gives the same report. `totalEntries`: entries in the capture, S3 or not.
 */
export function groupCauses(requests: TriagedRequest[], capture: { totalEntries: number; gaps: string[] }): TriageReport {
  return grouped({}, capture, (stream) => {
    for (const request of requests) stream.addTriaged(request);
  });
}

/** The whole report from one unbounded stream: every request kept, each marked with its group. */
function grouped(options: TriageOptions, capture: { totalEntries: number; gaps: string[] }, feed: (stream: TriageStream) => void): TriageReport {
  const marked: Array<{ request: TriagedRequest; cause: number }> = [];
  const stream = new TriageStream({
    ...options,
    onRequest: (request, cause) => {
      marked.push({ request, cause });
    },
  });
  feed(stream);
  const result = stream.finish();
  const requests = marked.map(({ request, cause }) => {
    request.group = cause === -1 ? null : must(result.causeIds[cause], 'finish gives every cause an id');
    return request;
  });
  return { requests, groups: result.groups, summary: { ...result.summary, total: capture.totalEntries }, gaps: capture.gaps };
}

/** The failing rule condition per rule, from the S3 model's trace ("rule 1: origin ✓, method ✓, headers ✗ (x-amz-…)"). */
export function traceLines(trace: RuleTrace[]): string[] {
  return trace.map((rule) => {
    const label = `rule ${rule.rule + 1}${rule.id ? ` (${rule.id})` : ''}`;
    const origin = rule.origin.matched ? 'origin ✓' : `origin ✗ (${rule.origin.value ?? 'no Origin'})`;
    const method = rule.method.matched ? 'method ✓' : `method ✗ (${rule.method.value})`;
    const refused = rule.headers.filter((h) => !h.matched).map((h) => h.name);
    const headers = refused.length === 0 ? 'headers ✓' : `headers ✗ (${refused.join(', ')})`;
    const use = rule.used ? ' — used' : rule.matched ? ' — matches, but an earlier rule wins' : '';
    return `${label}: ${origin}, ${method}, ${headers}${use}`;
  });
}
