/**
 * "Export report": the Markdown document to attach to a ticket — the same report `s3-cors-doctor har --markdown`
 * writes (src/core/report), built from the panel's rows and their diagnoses, so the same evidence gives the same
 * report: identical causes grouped as triage groups them, every captured value redacted.
 */
import type { CapturedRow, PolicyState } from '../model.js';
import { bucketOf, newestFirst } from './rows.js';
import { groupCauses, triagedRequest } from '../../core/triage/index.js';
import { findingDocsCommand, triageMarkdown } from '../../core/report/index.js';

export interface ReportInput {
  rows: readonly CapturedRow[];
  /** The configurations known: a request's diagnosis had its bucket's configuration when one is here. */
  policies: Record<string, PolicyState>;
}

export function buildMarkdownReport({ rows, policies }: ReportInput): string {
  // In capture order, as a HAR of the same requests lists them.
  const ordered = newestFirst(rows).reverse();
  const requests = ordered.map((row) => triagedRequest(row.exchange, row.diagnosis, policies[bucketOf(row.exchange)]?.policy != null));
  const report = groupCauses(requests, { totalEntries: rows.length, gaps: [] });
  return triageMarkdown(report, { fixFormat: 'console', findingPage: findingDocsCommand });
}

/** File name for the download: no bucket names or URLs, so the name itself leaks nothing. */
export function reportFileName(generatedAt: Date): string {
  return `s3-cors-report-${generatedAt.toISOString().replace(/[:.]/g, '-')}.md`;
}
