/**
 * What the request list shows: ordering, the failures-only filter, URL search, and the per-row labels.
 * Pure functions of the captured rows, so the list and its tests agree on what "a failure" is.
 */
import type { CapturedRow } from '../model.js';
import type { Finding, Severity } from '../../core/diagnose/types.js';
import { parseS3Url } from '../../core/endpoint/index.js';

export interface RowFilter {
  failuresOnly: boolean;
  /** Case-insensitive substring of the request URL; blank matches everything. */
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
  return isFailure(row) ? 'error' : 'ok';
}

/** Findings, most important first: errors, then warnings, then notes; ties keep the diagnosis' own order. */
export function findingsByImportance(findings: readonly Finding[]): Finding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => SEVERITY_RANK[a.finding.severity] - SEVERITY_RANK[b.finding.severity] || a.index - b.index)
    .map(({ finding }) => finding);
}

/**
 * Newest first. Capture order is the reliable clock (rows arrive as requests finish), but an imported HAR or a
 * restored store may deliver them out of order, so when every row carries a start time that decides; with any
 * row lacking one, mixing the two orders would not be consistent, so capture order is used.
 */
export function newestFirst(rows: readonly CapturedRow[]): CapturedRow[] {
  const times = rows.map((row) => Date.parse(row.exchange.startedAt ?? ''));
  const allTimed = times.every((t) => !Number.isNaN(t));
  // The usual case, rows already in start order, needs no sort: this runs on every update of a 10,000-row list.
  const inStartOrder = allTimed && times.every((t, i) => i === 0 || times[i - 1]! <= t);
  if (rows.length > 0 && allTimed && !inStartOrder) {
    return rows
      .map((row, index) => ({ row, index, time: times[index]! }))
      .sort((a, b) => b.time - a.time || b.index - a.index)
      .map(({ row }) => row);
  }
  return rows.slice().reverse();
}

export function filterRows(rows: readonly CapturedRow[], filter: RowFilter): CapturedRow[] {
  const needle = filter.search.trim().toLowerCase();
  return rows.filter(
    (row) => (!filter.failuresOnly || isFailure(row)) && (needle === '' || row.exchange.request.url.toLowerCase().includes(needle)),
  );
}

/** The list's order and filter in one step. */
export function visibleRows(rows: readonly CapturedRow[], filter: RowFilter): CapturedRow[] {
  return filterRows(newestFirst(rows), filter);
}

/** Status as the list shows it: a browser that saw no response (blocked non-simple request) reports 0. */
export function statusLabel(row: CapturedRow): string {
  const status = row.exchange.response?.status;
  if (status === undefined) return row.exchange.preflight?.response ? `${row.exchange.preflight.response.status} (preflight)` : '—';
  return status === 0 ? 'blocked' : String(status);
}

export interface RequestTarget {
  host: string;
  bucket: string;
  key: string;
}

const targets = new WeakMap<CapturedRow['exchange'], RequestTarget>();

/**
 * Bucket and key for display. The endpoint model knows every S3 URL style; if it cannot say (an unrecognised
 * host, or it throws on a malformed URL), the host and path are shown as they are rather than guessed.
 */
export function requestTarget(exchange: CapturedRow['exchange']): RequestTarget {
  const cached = targets.get(exchange);
  if (cached) return cached;
  let target: RequestTarget;
  try {
    const info = parseS3Url(exchange.request.url);
    target = { host: info.host, bucket: info.bucket ?? '', key: info.key ?? '' };
  } catch {
    target = fallbackTarget(exchange.request.url);
  }
  targets.set(exchange, target);
  return target;
}

function fallbackTarget(url: string): RequestTarget {
  try {
    const parsed = new URL(url);
    return { host: parsed.host, bucket: '', key: decodeURIComponent(parsed.pathname.replace(/^\//, '')) };
  } catch {
    return { host: '', bucket: '', key: url };
  }
}

/** The bucket a policy belongs to: the endpoint model's bucket, else the host (custom domains name one bucket). */
export function bucketOf(exchange: CapturedRow['exchange']): string {
  const target = requestTarget(exchange);
  return target.bucket || target.host;
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
