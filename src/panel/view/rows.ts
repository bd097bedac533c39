/**
 * What the request list shows: ordering, the failures-only filter, URL search, and the per-row labels.
 * Pure functions of the captured rows, so the list and its tests agree on what "a failure" is.
 */
import type { CapturedRow } from '../model.js';
import type { Finding, Severity } from '../../core/diagnose/types.js';
import { bucketOfTarget, policyKey, requestTargetOf, type RequestTarget } from '../../core/evidence/bucket-key.js';
import { findingTitle } from '../../core/diagnose/finding-titles.js';
import { plainText } from './plain.js';

export { importedFrom, type RequestTarget } from '../../core/evidence/bucket-key.js';

export interface RowFilter {
  failuresOnly: boolean;
  /** Case-insensitive substring of the URL, the verdict (plain or with codes), the finding codes or the status; blank matches everything. */
  search: string;
}

/** The colour class of a row: the worst finding, or 'ok' when the browser let it through without complaint. */
export type RowTone = Severity | 'ok';

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** A row counts as a failure when the browser blocked it, S3 refused it for a non-CORS reason, or a finding is an error. */
export function isFailure(row: CapturedRow): boolean {
  const { outcome, findings } = row.diagnosis;
  return outcome === 'blocked' || outcome === 'failed-not-cors' || findings.some((f) => f.severity === 'error');
}

export function rowTone(row: CapturedRow): RowTone {
  let worst: Severity | null = null;
  for (const finding of row.diagnosis.findings) {
    if (worst === null || SEVERITY_RANK[finding.severity] < SEVERITY_RANK[worst]) worst = finding.severity;
  }
  if (worst !== null) return worst;
  if (isFailure(row)) return 'error';
  return httpError(row) ? 'warning' : 'ok';
}

/**
 * How serious a row is, lower first: blocked by the browser, then failed for a non-CORS reason, then an error
 * finding, a warning, an HTTP error status, a note, nothing. The panel opens on the most serious row.
 */
export function seriousness(row: CapturedRow): number {
  const { outcome, findings } = row.diagnosis;
  if (outcome === 'blocked') return 0;
  if (outcome === 'failed-not-cors') return 1;
  if (findings.some((f) => f.severity === 'error')) return 2;
  if (findings.some((f) => f.severity === 'warning')) return 3;
  if (httpError(row)) return 4;
  if (findings.length > 0) return 5;
  return 6;
}

/** The row the panel shows first: the most serious failure, the earliest captured among equals; null with none. */
export function mostSerious(rows: readonly CapturedRow[]): CapturedRow | null {
  let best: CapturedRow | null = null;
  let bestRank = Infinity;
  for (const row of rows) {
    if (!isFailure(row)) continue;
    const rank = seriousness(row);
    if (rank < bestRank) {
      best = row;
      bestRank = rank;
    }
  }
  return best;
}

const HTTP_REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  416: 'Range Not Satisfiable',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

/** "HTTP 404 Not Found" when the actual response is an HTTP error the page script sees; null otherwise. */
export function httpError(row: CapturedRow): string | null {
  const status = row.exchange.response?.status;
  if (status === undefined || status < 400) return null;
  return `HTTP ${status}${HTTP_REASONS[status] ? ` ${HTTP_REASONS[status]}` : ''}`;
}

/** The finding that names the row: the most important one that is not a note, else the first note. */
export function leadFinding(row: CapturedRow): Finding | null {
  const findings = findingsByImportance(row.diagnosis.findings);
  return findings.find((f) => f.severity !== 'info') ?? findings[0] ?? null;
}

function lowerFirst(text: string): string {
  return /^[A-Z](?![A-Z])/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

/**
 * The verdict in plain words, once: the CORS outcome with the lead finding's headline (its code is shown as a tag
 * beside it, not in the sentence), and an HTTP error status as such — a 404 the browser let through is not "fine".
 */
export function plainVerdict(row: CapturedRow): string {
  const { outcome } = row.diagnosis;
  const lead = leadFinding(row);
  const title = lead ? findingTitle(lead.code) : null;
  const http = httpError(row);
  switch (outcome) {
    case 'blocked':
      return `Blocked: ${title ? lowerFirst(title) : 'the browser’s CORS check failed'}`;
    case 'failed-not-cors':
      return `Failed, not a CORS problem: ${title ? lowerFirst(title) : (http ?? 'the request failed')}`;
    case 'allowed': {
      if (lead && lead.severity !== 'info') return `Allowed, but ${lowerFirst(findingTitle(lead.code))}${http ? ` (${http})` : ''}`;
      const cors = plainText(row.diagnosis.verdict.replace(/^Allowed\b/, 'CORS allowed'));
      return http ? `${http} — ${lowerFirst(cors)}` : plainText(row.diagnosis.verdict);
    }
    default:
      return title ? `Unknown: ${lowerFirst(title)}` : 'Unknown: no response and no configuration to judge from';
  }
}

/** Where a row's policy is kept (see policyKey in src/core/evidence/bucket-key.ts). */
export function policyKeyOf(exchange: CapturedRow['exchange']): string {
  return policyKey(exchange, bucketOf(exchange));
}

/** Findings, most important first: errors, then warnings, then notes; ties keep the diagnosis' own order. */
export function findingsByImportance(findings: readonly Finding[]): Finding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => SEVERITY_RANK[a.finding.severity] - SEVERITY_RANK[b.finding.severity] || a.index - b.index)
    .map(({ finding }) => finding);
}

/**
 * Newest first (the export's order). Capture order is the reliable clock (rows arrive as requests finish), but an imported HAR or a
 * restored store may deliver them out of order, so when every row carries a start time that decides; with any
 * row lacking one, mixing the two orders would not be consistent, so capture order is used.
 */
export function newestFirst(rows: readonly CapturedRow[]): CapturedRow[] {
  const times = rows.map((row) => Date.parse(row.exchange.startedAt ?? ''));
  const allTimed = times.every((t) => !Number.isNaN(t));
  // The usual case, rows already in start order, needs no sort: this runs on every update of a 10,000-row list.
  const inStartOrder =
    allTimed &&
    times.every((t, i) => {
      const previous = times[i - 1];
      return previous === undefined || previous <= t;
    });
  if (rows.length > 0 && allTimed && !inStartOrder) {
    return rows
      .map((row, index) => ({ row, index, time: times[index] ?? Number.NaN }))
      .sort((a, b) => b.time - a.time || b.index - a.index)
      .map(({ row }) => row);
  }
  return rows.slice().reverse();
}

const searchTexts = new WeakMap<CapturedRow, string>();

/** What the filter box searches in a row: URL, both verdict wordings, finding codes, status, method. */
function searchText(row: CapturedRow): string {
  let text = searchTexts.get(row);
  if (text === undefined) {
    text = [
      row.exchange.request.url,
      row.exchange.request.method,
      plainVerdict(row),
      row.diagnosis.verdict,
      row.diagnosis.outcome,
      statusLabel(row),
      ...row.diagnosis.findings.map((f) => f.code),
    ]
      .join('\n')
      .toLowerCase();
    searchTexts.set(row, text);
  }
  return text;
}

export function filterRows(rows: readonly CapturedRow[], filter: RowFilter): CapturedRow[] {
  const needle = filter.search.trim().toLowerCase();
  return rows.filter((row) => (!filter.failuresOnly || isFailure(row)) && (needle === '' || searchText(row).includes(needle)));
}

/** The list's order and filter in one step: capture order, as DevTools' Network panel (new rows at the bottom). */
export function visibleRows(rows: readonly CapturedRow[], filter: RowFilter): CapturedRow[] {
  return filterRows(rows, filter);
}

/** Status as the list shows it: a browser that saw no response (blocked non-simple request) reports 0. */
export function statusLabel(row: CapturedRow): string {
  const status = row.exchange.response?.status;
  if (status === undefined) return row.exchange.preflight?.response ? `${row.exchange.preflight.response.status} (preflight)` : '—';
  return status === 0 ? 'blocked' : String(status);
}

const targets = new WeakMap<CapturedRow['exchange'], RequestTarget>();

/** Bucket and key for display (requestTargetOf), once per exchange. */
export function requestTarget(exchange: CapturedRow['exchange']): RequestTarget {
  let target = targets.get(exchange);
  if (target === undefined) {
    target = requestTargetOf(exchange.request.url);
    targets.set(exchange, target);
  }
  return target;
}

/** The bucket a policy belongs to (bucketOfTarget). */
export function bucketOf(exchange: CapturedRow['exchange']): string {
  return bucketOfTarget(requestTarget(exchange));
}

/**
 * An object key split before its last "/": in a narrow column the folder may be elided, the object's own name is
 * what tells the user which upload this row is.
 */
export function splitKey(key: string): { folder: string; name: string } {
  // A trailing slash (a folder object) belongs to the name.
  const slash = key.slice(0, -1).lastIndexOf('/');
  return slash < 0 ? { folder: '', name: key } : { folder: key.slice(0, slash + 1), name: key.slice(slash + 1) };
}

/**
 * The object's file name as the list shows it first: upload code often prefixes a timestamp or UUID
 * ("1796311525807-photo.json"), which makes every row start alike; the readable part leads, the prefix follows.
 */
export function displayName(key: string): { name: string; prefix: string } {
  const { name } = splitKey(key);
  const match = /^(\d{10,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})([-_.])(.+)$/i.exec(name);
  return match ? { name: match[3] ?? '', prefix: `${match[1]}${match[2]}` } : { name, prefix: '' };
}
