/**
 * Triage: diagnose every S3 request of a capture (a HAR, a live session) with the same core as the panel, group
 * the requests that fail for the same cause ("37 PUTs to bucket `uploads` failed: header `x-amz-checksum-crc32` …"),
 * and summarise. Pure; the reports (src/core/report) render the result.
 */
import { diagnose, type DiagnoseContext, type Diagnosis, type Finding, type FixProposal } from '../diagnose/index.js';
import { readS3Url } from '../endpoint/index.js';
import type { ObservedExchange } from '../evidence/types.js';
import { getHeader } from '../http/index.js';
import { selectS3Exchanges } from '../har/index.js';
import type { RuleTrace } from '../s3/types.js';
import type { BucketState } from '../s3/types.js';


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
  const authority = match ? match[1]! : '';
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
  const value = exchange.preflight ? getHeader(exchange.preflight.request.headers, 'access-control-request-headers') : undefined;
  if (!value) return [];
  return [...new Set(value.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean))].sort();
}

/** The bucket and host a request addresses (the host read from the URL text when it is not an S3 URL). */
function targetOf(exchange: ObservedExchange): { bucket: string | null; host: string } {
  const info = readS3Url(exchange.request.url, exchange.request.method);
  return { bucket: info.bucket, host: info.host || hostOf(exchange.request.url) };
}

function triageOne(exchange: ObservedExchange, related: ObservedExchange[], options: TriageOptions): TriagedRequest {
  const target = targetOf(exchange);
  const state = options.bucketState?.(target);
  const context: DiagnoseContext = {};
  if (state) context.bucket = state;
  context.related = related;
  if (options.now) context.now = options.now;
  return requestRecord(exchange, diagnose(exchange, context), target, state !== undefined);
}

/**
 * A request's triage record from a diagnosis already made (the panel's rows): what triageExchanges makes for it.
 * `configurationKnown`: whether the diagnosis was given the bucket's configuration.
 */
export function triagedRequest(exchange: ObservedExchange, diagnosis: Diagnosis, configurationKnown: boolean): TriagedRequest {
  return requestRecord(exchange, diagnosis, targetOf(exchange), configurationKnown);
}

function requestRecord(exchange: ObservedExchange, diagnosis: Diagnosis, target: { bucket: string | null; host: string }, configurationKnown: boolean): TriagedRequest {
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

/** Diagnose every S3 exchange, group identical causes, summarise. Non-S3 exchanges are only counted. */
export function triageExchanges(exchanges: ObservedExchange[], options: TriageOptions = {}): TriageReport {
  const s3 = selectS3Exchanges(exchanges);
  const byResource = new Map<string, ObservedExchange[]>();
  for (const exchange of exchanges) {
    const resource = resourceOf(exchange);
    const list = byResource.get(resource);
    if (!list) byResource.set(resource, [exchange]);
    else if (list.length < MAX_RELATED) list.push(exchange);
  }
  const requests = s3.map((exchange) => triageOne(exchange, byResource.get(resourceOf(exchange)) ?? [], options));

  return groupCauses(requests, { totalEntries: options.totalEntries ?? exchanges.length, gaps: options.gaps ?? [] });
}

/**
 * Group triaged requests by cause and summarise: the one report the CLI (`har`) and the panel's Export report
 * render, so the same evidence gives the same report. `totalEntries`: entries in the capture, S3 or not.
 */
export function groupCauses(requests: TriagedRequest[], capture: { totalEntries: number; gaps: string[] }): TriageReport {
  const groups = new Map<string, TriagedRequest[]>();
  for (const request of requests) {
    if (request.outcome === 'allowed' && request.findings.every((f) => f.severity === 'info')) continue;
    const key = causeKey(request);
    const members = groups.get(key);
    if (members) members.push(request);
    else groups.set(key, [request]);
  }
  const causeGroups: CauseGroup[] = [...groups.values()]
    .sort((a, b) => Number(isFailure(b[0]!.outcome)) - Number(isFailure(a[0]!.outcome)) || b.length - a.length)
    .map((members, index) => {
      const first = members[0]!;
      const id = `cause-${index + 1}`;
      for (const member of members) member.group = id;
      const primary = first.findings[0];
      const undetermined = [...new Set(members.flatMap((m) => m.gaps))];
      return {
        id,
        title: groupTitle(members.length, first, primary),
        count: members.length,
        method: first.method,
        bucket: first.bucket,
        host: first.host,
        outcome: first.outcome,
        codes: [...new Set(first.findings.map((f) => f.code))],
        rule: primary?.rule ?? null,
        origins: [...new Set(members.map((m) => m.origin).filter((o): o is string => o !== null))],
        requestIds: members.map((m) => m.id),
        findings: first.findings,
        fix: first.fix,
        trace: first.trace,
        browserError: first.browserError,
        undetermined: undetermined.length > MAX_UNDETERMINED ? [...undetermined.slice(0, MAX_UNDETERMINED), `… and ${undetermined.length - MAX_UNDETERMINED} more`] : undetermined,
        exampleUrl: first.url,
      };
    });

  const byCode: Record<string, number> = {};
  for (const request of requests) {
    for (const code of new Set(request.findings.map((f) => f.code))) byCode[code] = (byCode[code] ?? 0) + 1;
  }
  return {
    requests,
    groups: causeGroups,
    summary: { total: capture.totalEntries, s3: requests.length, failed: requests.filter((r) => isFailure(r.outcome)).length, byCode },
    gaps: capture.gaps,
  };
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
