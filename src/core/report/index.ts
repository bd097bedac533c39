/**
 * Reports of a triage: JSON for tools, Markdown for a ticket, plain text for a terminal; and of a probe run.
 * Every report goes through the redaction on its way out — URLs, browser messages, evidence and gaps may quote
 * presigned URLs or headers, and secrets must never reach a ticket.
 */
import { renderPolicyWithNotes, type RenderFormat } from '../policy/index.js';
import { redactHeaders, redactHeaderValue, redactText, redactTextRemembered, redactUrl } from '../redact/index.js';
import { mdCode, mdFence, mdInline, mdTitle } from './markdown.js';

export { mdCode, mdFence, mdInline, mdTitle } from './markdown.js';
import { traceLines, type CauseGroup, type TriageReport, type TriagedRequest } from '../triage/index.js';
import type { ProbeRun } from '../probe/index.js';
import type { FixProposal } from '../diagnose/index.js';

export interface ReportOptions {
  /** The format the fixed configuration is printed in (default: S3 console JSON). */
  fixFormat?: RenderFormat;
  /** How to read the page that explains a finding code (the CLI: `s3-cors-doctor docs <CODE>`), shown after it. */
  findingPage?: (code: string) => string;
}

/** Where a finding code is explained: the CLI's docs command, named the same in the CLI's and the panel's reports. */
export const findingDocsCommand = (code: string): string => `s3-cors-doctor docs ${code}`;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const URL_KEY = /url$/i;

/**
 * Redacted strings of one redactDeep call, by text (plain and URL fields apart). A triage report repeats the same
 * finding messages, fixes, gaps and console texts in every request of a cause, and the redactions are pure
 * functions of the text, so each distinct string is redacted once.
 */
interface RedactedStrings {
  text: Map<string, string>;
  url: Map<string, string>;
}

function redactString(value: string, isUrl: boolean, seen: RedactedStrings): string {
  const known = isUrl ? seen.url : seen.text;
  const cached = known.get(value);
  if (cached !== undefined) return cached;
  const redacted = isUrl ? redactUrl(redactTextRemembered(value)) : redactTextRemembered(value);
  known.set(value, redacted);
  return redacted;
}

function redactValue(value: unknown, key: string, seen: RedactedStrings): Json {
  if (typeof value === 'string') return redactString(value, key !== '' && URL_KEY.test(key), seen);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean' || value === null || value === undefined) return value ?? null;
  if (Array.isArray(value)) {
    const out: Json[] = new Array<Json>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = redactValue(value[i], '', seen);
    return out;
  }
  if (typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const k of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[k];
      if (v === undefined) continue;
      // A captured `__proto__` key stays an own data property (plain assignment would set the prototype instead).
      if (k === '__proto__') Object.defineProperty(out, k, { value: redactValue(v, k, seen), enumerable: true, writable: true, configurable: true });
      else out[k] = redactValue(v, k, seen);
    }
    return out;
  }
  return null;
}

/** Deep copy with every string redacted; `url`-like fields also through the URL redaction. */
function redactDeep(value: unknown, key = ''): Json {
  return redactValue(value, key, { text: new Map(), url: new Map() });
}

type RenderedFix = { format: RenderFormat; text: string; notes: string[] };

/**
 * One report's rendered fixes, by format, bucket and configuration: the requests of one cause share one fixed
 * configuration, rendered once per report (and, in `triageJson`, one text for all of them). Made by each report
 * function, garbage with it; bounded (emptied when full) for a capture with many distinct fixes.
 */
type FixRenders = Map<string, RenderedFix>;
const FIX_RENDERS_SIZE = 256;

function renderedFix(fix: FixProposal | null, format: RenderFormat, bucket: string | null, renders: FixRenders): RenderedFix | null {
  if (!fix?.config) return null;
  const key = `${format}\n${bucket ?? ''}\n${JSON.stringify(fix.config)}`;
  const known = renders.get(key);
  if (known) return known;
  const rendered = renderPolicyWithNotes({ rules: fix.config }, format, bucket ? { bucket } : {});
  const result = { format, text: rendered.text, notes: rendered.notes };
  if (renders.size >= FIX_RENDERS_SIZE) renders.clear();
  renders.set(key, result);
  return result;
}

function fixJson(fix: FixProposal | null, options: ReportOptions, bucket: string | null, renders: FixRenders) {
  if (!fix) return null;
  return { ...fix, rendered: renderedFix(fix, options.fixFormat ?? 'console', bucket, renders) };
}

function requestJson(request: TriagedRequest, options: ReportOptions, renders: FixRenders) {
  return {
    id: request.id,
    url: request.url,
    method: request.method,
    origin: request.origin,
    status: request.status,
    preflightStatus: request.preflightStatus,
    requestedHeaders: request.requestedHeaders,
    outcome: request.outcome,
    verdict: request.verdict,
    bucket: request.bucket,
    provider: request.provider.id,
    group: request.group,
    findings: request.findings,
    fix: fixJson(request.fix, options, request.bucket, renders),
    browserError: request.browserError,
    gaps: request.gaps,
  };
}

function groupJson(group: CauseGroup, options: ReportOptions, renders: FixRenders) {
  return {
    id: group.id,
    title: group.title,
    count: group.count,
    method: group.method,
    bucket: group.bucket,
    host: group.host,
    outcome: group.outcome,
    codes: group.codes,
    rule: group.rule,
    origins: group.origins,
    requestIds: group.requestIds,
    exampleUrl: group.exampleUrl,
    findings: group.findings,
    failingCondition: traceLines(group.trace),
    fix: fixJson(group.fix, options, group.bucket, renders),
    browserError: group.browserError,
    undetermined: group.undetermined,
  };
}

/** The `--json` document: `{requests, groups, summary, gaps}`, redacted. */
export function triageJson(report: TriageReport, options: ReportOptions = {}): Json {
  const renders: FixRenders = new Map();
  return redactDeep({
    requests: report.requests.map((r) => requestJson(r, options, renders)),
    groups: report.groups.map((g) => groupJson(g, options, renders)),
    summary: report.summary,
    gaps: report.gaps,
  });
}

/** Past this many distinct strings, the streamed document's memo starts afresh (URLs are mostly distinct). */
const STREAM_MEMO_LIMIT = 10_000;

/**
 * The `--json` document as text, piece by piece: exactly `JSON.stringify(triageJson(report), null, 2)` and a line
 * break, without building the redacted tree or the whole string (a HAR with a million S3 requests makes a
 * document of gigabytes). Each request is redacted and serialised on its own; a bounded memo of redacted strings.
 */
export function* triageJsonText(
  report: Omit<TriageReport, 'requests'> & { requests: Iterable<TriagedRequest> },
  options: ReportOptions = {},
): Generator<string> {
  const renders: FixRenders = new Map();
  let seen: RedactedStrings = { text: new Map(), url: new Map() };
  const memo = () => {
    if (seen.text.size + seen.url.size > STREAM_MEMO_LIMIT) seen = { text: new Map(), url: new Map() };
    return seen;
  };
  yield '{\n  "requests": ';
  // The requests may come one by one from a spool (the CLI): never counted or indexed up front.
  let i = 0;
  for (const request of report.requests) {
    const item = JSON.stringify(redactValue(requestJson(request, options, renders), '', memo()), null, 2);
    // An array item two levels down: JSON.stringify indents it by four spaces, every line of it.
    yield `${i++ === 0 ? '[\n' : ',\n'}    ${item.replace(/\n/g, '\n    ')}`;
  }
  yield i === 0 ? '[]' : '\n  ]';
  const rest = JSON.stringify(
    redactValue({ groups: report.groups.map((g) => groupJson(g, options, renders)), summary: report.summary, gaps: report.gaps }, '', memo()),
    null,
    2,
  );
  // `rest` is `{\n  "groups": …}`: its members follow the requests.
  yield `,${rest.slice(1)}\n`;
}

const FENCE_LANGUAGE: Partial<Record<RenderFormat, string>> = {
  console: 'json',
  'cli-json': 'json',
  'cloudformation-json': 'json',
  gcs: 'json',
  b2: 'json',
  xml: 'xml',
  cloudformation: 'yaml',
  terraform: 'hcl',
  cdk: 'ts',
  cli: 'sh',
  minio: 'sh',
};

/** A ticket-ready report: summary, then per cause the evidence, failing rule condition, fix and unknowns. */
export function triageMarkdown(report: TriageReport, options: ReportOptions = {}): string {
  const renders: FixRenders = new Map();
  const format = options.fixFormat ?? 'console';
  const { summary } = report;
  const lines: string[] = ['# S3 CORS triage', ''];
  lines.push(`- **Requests in capture:** ${summary.total}`);
  lines.push(`- **S3 requests:** ${summary.s3}`);
  lines.push(`- **Failed:** ${summary.failed}`);
  const codes = Object.entries(summary.byCode).sort((a, b) => b[1] - a[1]);
  if (codes.length > 0) lines.push(`- **Findings:** ${codes.map(([code, n]) => `${mdCode(code)} × ${n}`).join(', ')}`);
  if (report.gaps.length > 0) {
    lines.push('', '**About this capture:**', ...report.gaps.map((g) => `- ${mdInline(g)}`));
  }
  if (report.groups.length === 0) {
    lines.push('', summary.s3 === 0 ? 'No S3 request was found in this capture.' : 'No S3 request failed.');
  }
  report.groups.forEach((group, index) => {
    lines.push('', `## ${index + 1}. ${mdTitle(group.title)}`, '');
    lines.push(`- **Requests:** ${group.count} (${group.requestIds.slice(0, 10).map(mdCode).join(', ')}${group.count > 10 ? ', …' : ''})`);
    lines.push(`- **Example:** ${mdCode(`${group.method} ${redactUrl(group.exampleUrl)}`)}`);
    if (group.origins.length > 0) lines.push(`- **Page origin${group.origins.length > 1 ? 's' : ''}:** ${group.origins.map(mdCode).join(', ')}`);
    if (group.browserError)
      lines.push(
        `- **Browser:** ${mdCode(group.browserError.corsError)}${group.browserError.failedParameter ? ` (${mdCode(group.browserError.failedParameter)})` : ''} — ${mdInline(group.browserError.chrome)}`,
      );
    for (const finding of group.findings) {
      lines.push('', `### ${mdCode(finding.code)} (${finding.severity}) — ${mdTitle(finding.message)}`, '', mdTitle(finding.detail));
      if (finding.evidence.length > 0) lines.push('', '**Evidence**', ...finding.evidence.map((e) => `- ${mdInline(e)}`));
      if (finding.fix) lines.push('', `**What to do:** ${mdTitle(finding.fix)}`);
      if (options.findingPage) lines.push('', `**More:** ${mdCode(options.findingPage(finding.code))}`);
    }
    const condition = traceLines(group.trace);
    if (condition.length > 0) lines.push('', '**Failing rule condition**', ...condition.map((c) => `- ${mdInline(c)}`));
    const fix = group.fix;
    if (fix) {
      if (fix.changes.length > 0) lines.push('', '**Fix**', ...fix.changes.map((c) => `- ${mdTitle(c.description)}`));
      if (fix.accessDelta) lines.push('', `**Access it adds:** ${mdTitle(redactText(fix.accessDelta.text))}`);
      const rendered = renderedFix(fix, format, group.bucket, renders);
      if (rendered) {
        lines.push(
          '',
          `Fixed configuration (${format}${fix.verified ? ', verified against the S3 and browser models' : ', not verified'}):`,
          '',
          mdFence(redactText(rendered.text).trimEnd(), FENCE_LANGUAGE[format] ?? ''),
        );
        lines.push(...rendered.notes.map((n) => `> ${mdInline(n)}`));
      }
      if (fix.advice.length > 0) lines.push('', '**Advice**', ...fix.advice.map((a) => `- ${mdTitle(a)}`));
    }
    if (group.undetermined.length > 0) lines.push('', '**Could not be determined from this capture**', ...group.undetermined.map((g) => `- ${mdInline(g)}`));
  });
  return `${lines.map(printable).join('\n')}\n`;
}

/** Terminal output must not let a captured value move the cursor or recolour the screen: control characters are escaped. */
export function printable(line: string): string {
  return line.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The terminal default: one block per cause, then the summary. */
export function triageText(report: TriageReport, options: ReportOptions = {}): string {
  const renders: FixRenders = new Map();
  const format = options.fixFormat ?? 'console';
  const { summary } = report;
  const lines: string[] = [];
  lines.push(`${summary.total} requests, ${summary.s3} to S3, ${summary.failed} failed`);
  for (const gap of report.gaps) lines.push(`  note: ${redactText(gap)}`);
  for (const group of report.groups) {
    lines.push('', redactText(group.title));
    lines.push(`  e.g. ${group.method} ${redactUrl(redactText(group.exampleUrl))}`);
    for (const finding of group.findings) {
      lines.push(`  ${finding.severity} ${finding.code}: ${redactText(finding.message)}`);
      if (finding.fix) lines.push(`    fix: ${redactText(finding.fix)}`);
      if (options.findingPage) lines.push(`    more: ${options.findingPage(finding.code)}`);
    }
    for (const line of traceLines(group.trace)) lines.push(`  ${redactText(line)}`);
    const rendered = renderedFix(group.fix, format, group.bucket, renders);
    if (group.fix?.accessDelta) lines.push(`  access it adds: ${redactText(group.fix.accessDelta.text)}`);
    if (rendered) {
      lines.push(`  fixed configuration (${format}${group.fix?.verified ? ', verified' : ', not verified'}):`);
      lines.push(
        ...redactText(rendered.text)
          .trimEnd()
          .split('\n')
          .map((l) => `    ${l}`),
      );
    }
    for (const advice of group.fix?.advice ?? []) lines.push(`  advice: ${redactText(advice)}`);
    for (const gap of group.undetermined) lines.push(`  unknown: ${redactText(gap)}`);
  }
  if (report.groups.length === 0) lines.push(summary.s3 === 0 ? 'No S3 request was found.' : 'No S3 request failed.');
  return `${lines.map(printable).join('\n')}\n`;
}

/** The probe's `--json` document, redacted. */
export function probeJson(run: ProbeRun): Json {
  return redactDeep({
    target: run.target,
    status: run.status,
    summary: run.summary,
    firstVerdict: run.firstVerdict,
    refused: run.refused,
    headersOnlyTogether: run.headersOnlyTogether,
    untestedHeaders: run.untestedHeaders,
    requests: run.steps.length,
    steps: run.steps.map((step) => ({
      description: step.description,
      request: step.preflight,
      status: step.answer?.status ?? null,
      headers: step.answer ? redactHeaders(step.answer.headers) : null,
      s3Error: step.s3Error,
      verdict: step.verdict,
      error: step.error ?? null,
    })),
  });
}

const CORS_RESPONSE_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-max-age',
  'access-control-expose-headers',
  'vary',
  'location',
  'x-amz-bucket-region',
  'server',
];

export function probeText(run: ProbeRun): string {
  const lines: string[] = [];
  run.steps.forEach((step, index) => {
    lines.push(`${index + 1}. ${redactText(step.description)}`);
    if (step.error) {
      lines.push(`   error: ${redactText(step.error)}`);
      return;
    }
    if (!step.answer) return;
    lines.push(
      `   → ${step.answer.status} ${step.verdict ?? ''}${step.s3Error ? ` — ${step.s3Error.code}: ${redactText(step.s3Error.message)}` : ''}`.trimEnd(),
    );
    for (const name of CORS_RESPONSE_HEADERS) {
      const value = step.answer.headers[name];
      if (value !== undefined) lines.push(`     ${name}: ${redactHeaderValue(name, value)}`);
    }
  });
  lines.push('', redactText(run.summary));
  if (run.untestedHeaders.length > 0)
    lines.push(`not tested (the ${run.refused.origin ? 'origin' : 'method'} failed first): ${run.untestedHeaders.join(', ')}`);
  lines.push(`${run.steps.length} preflight${run.steps.length === 1 ? '' : 's'} sent`);
  return `${lines.map(printable).join('\n')}\n`;
}
