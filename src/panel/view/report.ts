/**
 * "Export report": a Markdown document to attach to a ticket. Identical causes are grouped (one worked example
 * each, with a count), and every URL, header and free-text line passes through redaction first — the report is
 * meant to be shared, and presigned URLs carry live credentials.
 */
import type { CapturedRow, PolicyState } from '../model.js';
import type { HeaderMap } from '../../core/http/index.js';
import { findingsByImportance, isFailure, newestFirst, requestTarget, bucketOf, statusLabel } from './rows.js';
import { failedConditions, ruleLabel, describeCondition } from './trace.js';
import { renderFix } from './fix.js';
import { redactHeaders, redactText, redactUrl } from './redaction.js';
import { mdCode, mdInline, mdTitle } from '../../core/report/markdown.js';

export interface ReportInput {
  rows: readonly CapturedRow[];
  policies: Record<string, PolicyState>;
  /** When the report was made (passed in so the builder stays pure). */
  generatedAt: Date;
}

/** Inline code, redacted, that no backtick in the value closes early (the CLI's Markdown escaping, src/core/report). */
const code = mdCode;

function fenced(body: string, language = ''): string {
  const longestRun = Math.max(2, ...(body.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${language}\n${body}\n${fence}`;
}

/** A captured value outside code: redacted, escaped so it opens no link, image, HTML or table cell. */
const cell = mdInline;

function headerBlock(headers: HeaderMap | undefined): string {
  if (!headers || Object.keys(headers).length === 0) return '(no headers captured)';
  return Object.entries(redactHeaders(headers))
    .map(([name, value]) => `${name}: ${redactText(value)}`)
    .join('\n');
}

/** Rows with the same verdict and finding codes on the same bucket and method are the same cause. */
function causeKey(row: CapturedRow): string {
  const codes = row.diagnosis.findings.map((f) => f.code).join(',');
  return [bucketOf(row.exchange), row.exchange.request.method, row.diagnosis.verdict, codes].join('\u0000');
}

function groupByCause(rows: readonly CapturedRow[]): CapturedRow[][] {
  const groups = new Map<string, CapturedRow[]>();
  for (const row of rows) {
    const key = causeKey(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()];
}

function describeRequest(row: CapturedRow): string {
  const target = requestTarget(row.exchange);
  const where = target.bucket ? `${target.bucket}/${target.key}` : `${target.host}/${target.key}`;
  return `${row.exchange.request.method} ${where}`;
}

function section(row: CapturedRow, count: number, index: number, policies: Record<string, PolicyState>): string[] {
  const { exchange, diagnosis } = row;
  const lines: string[] = [];
  lines.push(`## ${index}. ${mdInline(describeRequest(row))} — ${mdTitle(diagnosis.verdict)}`, '');
  if (count > 1) lines.push(`${count} captured requests share this cause; the most recent is shown.`, '');
  lines.push(`- URL: ${code(redactUrl(exchange.request.url))}`);
  if (exchange.pageOrigin) lines.push(`- Page origin: ${code(exchange.pageOrigin)}`);
  lines.push(`- Status: ${statusLabel(row)} · outcome: ${diagnosis.outcome}`);
  if (exchange.error) lines.push(`- Browser error: ${code(exchange.error)}`);
  lines.push(`- Provider: ${diagnosis.provider.name}`, `- Captured from: ${exchange.source}${exchange.browser ? ` (${exchange.browser})` : ''}`, '');

  const messages = diagnosis.browser?.failure?.messages;
  if (messages) {
    lines.push('### Console message', '', `Chrome: ${mdInline(messages.chrome)}`, '', `Firefox: ${mdInline(messages.firefox)}`, '');
    if (messages.firefoxFollowUp) lines.push(`Firefox (next line): ${mdInline(messages.firefoxFollowUp)}`, '');
  }

  lines.push('### Findings', '');
  const findings = findingsByImportance(diagnosis.findings);
  if (findings.length === 0) lines.push('No findings.', '');
  for (const finding of findings) {
    lines.push(`- **${finding.severity.toUpperCase()} ${finding.code}**: ${mdTitle(finding.message)}`);
    if (finding.detail) lines.push(`  ${mdTitle(finding.detail)}`);
    for (const evidence of finding.evidence) lines.push(`  - Evidence: ${mdInline(evidence)}`);
    if (finding.fix) lines.push(`  - Fix: ${mdTitle(finding.fix)}`);
  }
  lines.push('');

  if (diagnosis.trace.length > 0) {
    lines.push('### Rule trace', '', '| Rule | Result |', '| --- | --- |');
    for (const rule of diagnosis.trace) {
      const failed = failedConditions(rule);
      const result = rule.used ? 'used (first match)' : rule.matched ? 'matches, but an earlier rule wins' : failed.map(describeCondition).join('; ');
      lines.push(`| ${cell(ruleLabel(rule))} | ${cell(result)} |`);
    }
    lines.push('');
  }

  if (exchange.preflight) {
    lines.push('### Preflight', '', fenced(`OPTIONS ${redactUrl(exchange.preflight.request.url)}\n${headerBlock(exchange.preflight.request.headers)}`));
    const response = exchange.preflight.response;
    lines.push('', fenced(response ? `HTTP ${response.status}\n${headerBlock(response.headers)}` : `(no response${exchange.preflight.error ? `: ${redactText(exchange.preflight.error)}` : ''})`), '');
  }
  lines.push('### Request', '', fenced(`${exchange.request.method} ${redactUrl(exchange.request.url)}\n${headerBlock(exchange.request.headers)}`));
  if (exchange.response) {
    const { status, headers } = exchange.response;
    lines.push('', fenced(status === 0 ? 'No response: the browser blocked it or the network failed' : `HTTP ${status}\n${headerBlock(headers)}`));
  }
  lines.push('');

  const fix = diagnosis.fix;
  if (fix) {
    lines.push(`### Proposed fix (${fix.verified ? 'verified against the S3 and browser models' : 'not verified'})`, '');
    if (fix.partial) {
      lines.push("The bucket's configuration was not known: these are the rules to add, to be merged into it before any broader rule.", '');
    }
    for (const change of fix.changes) lines.push(`- ${mdTitle(change.description)}`);
    for (const advice of fix.advice) lines.push(`- ${mdTitle(advice)}`);
    if (fix.config) {
      const bucket = bucketOf(exchange);
      const rendered = renderFix({ rules: fix.config, view: 'console', bucket, current: policies[bucket]?.policy?.config ?? null });
      lines.push('', fenced(rendered.ok ? rendered.text.trimEnd() : JSON.stringify(fix.config, null, 2), 'json'));
    }
    lines.push('');
  }

  const notes = diagnosis.provider.notes;
  if (notes.length > 0) lines.push(`### ${mdInline(diagnosis.provider.name)} notes`, '', ...notes.map((n) => `- ${mdTitle(n)}`), '');
  const gaps = exchange.gaps ?? [];
  lines.push('### What could not be determined', '', ...(gaps.length > 0 ? gaps.map((g) => `- ${mdInline(g)}`) : ['- Nothing recorded.']), '');
  return lines;
}

export function buildMarkdownReport({ rows, policies, generatedAt }: ReportInput): string {
  const ordered = newestFirst(rows);
  const failures = ordered.filter(isFailure);
  const reported = failures.length > 0 ? failures : ordered;
  const groups = groupByCause(reported);
  const lines = [
    '# S3 CORS Doctor report',
    '',
    `Generated ${generatedAt.toISOString()}. ${rows.length} S3 request(s) captured, ${failures.length} failed.`,
    'Presigned-URL credentials, Authorization, cookies and session tokens are redacted.',
    '',
  ];
  if (groups.length === 0) return [...lines, 'No requests captured.', ''].join('\n');
  lines.push('| # | Requests | Method | Target | Status | Verdict |', '| --- | --- | --- | --- | --- | --- |');
  groups.forEach((group, i) => {
    const row = group[0]!;
    const target = requestTarget(row.exchange);
    lines.push(
      `| ${i + 1} | ${group.length} | ${cell(row.exchange.request.method)} | ${cell(target.bucket || target.host)} | ${statusLabel(row)} | ${mdTitle(row.diagnosis.verdict)} |`,
    );
  });
  lines.push('');
  groups.forEach((group, i) => lines.push(...section(group[0]!, group.length, i + 1, policies)));
  for (const policy of Object.values(policies)) {
    if (!policy.lint || policy.lint.warnings.length + policy.lint.errors.length === 0) continue;
    lines.push(`## Configuration of ${code(policy.bucket)} (${policy.source})`, '');
    for (const error of policy.lint.errors) lines.push(`- Error ${error.code}: ${error.message}`);
    for (const warning of policy.lint.warnings) lines.push(`- Warning ${warning.code}: ${warning.message}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** File name for the download: no bucket names or URLs, so the name itself leaks nothing. */
export function reportFileName(generatedAt: Date): string {
  return `s3-cors-report-${generatedAt.toISOString().replace(/[:.]/g, '-')}.md`;
}
