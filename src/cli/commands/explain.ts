/**
 * `s3-cors-doctor explain`: run one request through the browser model with the S3 model answering for the given
 * configuration, explain the verdict (failing rule and condition, browser messages) and print the minimal verified
 * fix. Exit 0 whenever the explanation was produced — allowed or blocked is the output, not an error — 1 for an
 * unreadable or invalid configuration file, 2 for bad usage.
 */
import type { Command } from '../command.js';
import { boolFlag, listFlag, parseArgs, requireFlag, stringFlag } from '../args.js';
import { EXIT_OK, UsageError, type CliIO } from '../io.js';
import { loadPolicyFile } from '../policy-input.js';
import { parseHeaderArg, type HeaderMap } from '../../core/http/index.js';
import { explainRequestDetailed, ruleLabel, type ExplainDetailed } from '../../core/diagnose/index.js';
import { planPreflight, type CredentialsMode, type PageRequest } from '../../core/fetch/index.js';
import { FIX_FORMATS, renderFixDiff, renderProviderForm, type FixFormat } from '../../core/fix/index.js';
import type { CorsConfiguration } from '../../core/policy/index.js';
import type { BucketState } from '../../core/s3/index.js';
import { redactHeaderValue, redactText, redactUrl } from '../../core/redact/index.js';
import type { ExplainResult } from '../../core/diagnose/index.js';
import type { HttpRequest, HttpResponse } from '../../core/http/index.js';
import { palette, printable, type Palette } from '../terminal.js';

const USAGE =
  'explain --config <file|none> --url <url> --origin <origin> --method <METHOD> [--header "Name: value"]... ' +
  '[--credentials omit|same-origin|include] [--fix-format console|cli|xml|cloudformation|terraform|cdk] [--json] ' +
  '[--region <bucket-region>] [--expose <Header>]...\n' +
  '  Exit 0 when the explanation was produced (allowed or blocked), 1 for a bad configuration file, 2 for bad usage.\n' +
  '  --region: the bucket\'s region, to model region redirects (S31). --expose: a response header the page must read.\n' +
  '  JSON "rule" fields are 0-based rule indexes; messages name rules 1-based as the S3 console does.';

const CREDENTIALS: readonly CredentialsMode[] = ['omit', 'same-origin', 'include'];

/** A browser Origin is a serialized origin: scheme, host, optional port — never a path or a trailing slash. */
function parseOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--origin ${JSON.stringify(value)} is not an origin (expected e.g. https://app.example.com)`);
  }
  if (url.origin === 'null' || url.origin !== value) {
    throw new UsageError(`--origin ${JSON.stringify(value)} is not a serialized origin; a browser would send ${JSON.stringify(url.origin)}`);
  }
  return value;
}

function parseTarget(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--url ${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`--url must be http:// or https://, not ${url.protocol}`);
  return value;
}

function parseMethod(value: string): string {
  if (!/^[A-Za-z]+$/.test(value)) throw new UsageError(`--method ${JSON.stringify(value)} is not an HTTP method`);
  return value.toUpperCase();
}

function parseHeaders(values: string[]): HeaderMap {
  const headers: HeaderMap = {};
  for (const value of values) {
    const pair = parseHeaderArg(value);
    if (!pair || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(pair[0])) throw new UsageError(`--header ${JSON.stringify(value)} must look like "Name: value"`);
    const name = pair[0].toLowerCase();
    headers[name] = name in headers ? `${headers[name]}, ${pair[1]}` : pair[1];
  }
  return headers;
}

/** Output never carries signatures, tokens, cookies or Authorization values, even when the input URL or headers did. */
function redactHeaders(headers: HeaderMap): HeaderMap {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, redactHeaderValue(name, value)]));
}

function redactRequest(request: HttpRequest): HttpRequest {
  return { ...request, url: redactUrl(request.url), headers: redactHeaders(request.headers) };
}

function redactResponse(response: HttpResponse): HttpResponse {
  return { ...response, headers: redactHeaders(response.headers), ...(response.body !== undefined ? { body: redactText(response.body) } : {}) };
}

export function redactExplainResult(result: ExplainResult): ExplainResult {
  return {
    ...result,
    preflight: result.preflight && { ...result.preflight, request: redactRequest(result.preflight.request), response: redactResponse(result.preflight.response) },
    actual: result.actual && { request: redactRequest(result.actual.request), response: redactResponse(result.actual.response) },
    browser: { ...result.browser, messages: result.browser.messages && { chrome: redactText(result.browser.messages.chrome), firefox: redactText(result.browser.messages.firefox) } },
    findings: result.findings.map((f) => ({ ...f, message: redactText(f.message), detail: redactText(f.detail) })),
    fix: result.fix && {
      ...result.fix,
      rendered: redactText(result.fix.rendered),
      ...(result.fix.accessDelta ? { accessDelta: { ...result.fix.accessDelta, text: redactText(result.fix.accessDelta.text) } } : {}),
    },
  };
}

function mark(ok: boolean): string {
  return ok ? '✓' : '✗';
}

function formatText(explained: ExplainDetailed, request: PageRequest, config: CorsConfiguration | null, format: FixFormat, io: CliIO): string {
  const c = palette(io);
  const { result, diagnosis, fix } = explained;
  const lines: string[] = [];
  const verdict = result.outcome === 'allowed' ? (diagnosis.findings.some((f) => f.severity === 'error') ? c.yellow('ALLOWED, WITH A PROBLEM') : c.green('ALLOWED')) : c.red('BLOCKED');
  lines.push(`${c.bold(verdict)}  ${request.method} ${printable(redactUrl(request.url))} from ${printable(request.origin)}`);
  lines.push(printable(diagnosis.verdict));
  lines.push('');
  const plan = planPreflight(request);
  if (result.preflight) {
    const response = result.preflight.response;
    lines.push(`Preflight: needed (${printable(plan.reasons.join(', '))}) → ${response.status}${explained.browser.failure?.blockedAt === 'preflight' ? ` — blocked (${explained.browser.failure.corsError})` : ''}`);
  } else {
    lines.push('Preflight: not needed (CORS-safelisted method and headers)');
  }
  if (result.actual) lines.push(`Actual request: ${result.actual.response.status}${explained.browser.failure?.blockedAt === 'actual' ? ` — blocked (${explained.browser.failure.corsError})` : ''}`);
  if (diagnosis.provider.id !== 'aws') {
    lines.push(`Provider: ${printable(diagnosis.provider.name)} — the model answers as AWS S3 does; where this store differs:`);
    for (const note of diagnosis.provider.notes) lines.push(`  ${c.dim(printable(note))}`);
  }
  if (result.browser.messages) {
    lines.push(`Chrome:  ${printable(result.browser.messages.chrome)}`);
    lines.push(`Firefox: ${printable(result.browser.messages.firefox)}`);
  }
  if (diagnosis.findings.length) {
    lines.push('', c.bold('Findings:'));
    for (const f of diagnosis.findings) {
      const tag = f.severity === 'error' ? c.red('✗ error  ') : f.severity === 'warning' ? c.yellow('! warning') : c.dim('i info   ');
      lines.push(`  ${tag} ${c.bold(f.code)}`);
      lines.push(`      ${printable(f.message)}`);
      lines.push(`      ${c.dim(printable(f.detail))}`);
    }
  }
  if (config && diagnosis.trace.length) {
    lines.push('', c.bold('Rule trace (S3 uses the first rule matching origin, method and every header — S8):'));
    diagnosis.trace.forEach((t, index) => {
      const headers = t.headers.length ? t.headers.map((h) => `${mark(h.matched)} ${h.name}`).join(' ') : '✓ (none requested)';
      const state = t.used ? c.green('  ← used') : t.matched ? c.dim('  (matches, but an earlier rule wins)') : '';
      lines.push(`  ${printable(ruleLabel(config, index))}: origin ${mark(t.origin.matched)}  method ${mark(t.method.matched)} ${t.method.value}  headers ${printable(headers)}${state}`);
    });
  }
  if (diagnosis.modelNotes?.length) {
    lines.push('', c.bold('Model notes (S3 behaviour that is not recorded; the model\'s choice, not S3\'s word):'));
    for (const note of diagnosis.modelNotes) lines.push(`  ${note.behaviour} (${note.evidence}): ${printable(note.note)}`);
  }
  if (fix) {
    lines.push('');
    if (fix.config) {
      lines.push(c.bold(fix.verified ? 'Fix (verified: the request passes the S3 and browser models with it):' : 'Fix (NOT verified: the request still fails in the models with it):'));
      for (const change of fix.changes) lines.push(`  + ${printable(change.description)}`);
      if (fix.accessDelta) lines.push(`  Access it adds: ${printable(redactText(fix.accessDelta.text))}`);
      lines.push('', printable(result.fix?.rendered ?? '').trimEnd());
      const diff = renderFixDiff(config, fix);
      if (diff && format !== 'console') lines.push('', c.bold('Diff (console JSON):'), printable(diff).trimEnd());
      else if (diff) lines.push('', c.bold('Diff:'), printable(diff).trimEnd());
      const providerForm = renderProviderForm(fix, diagnosis.provider.id as Parameters<typeof renderProviderForm>[1]);
      if (providerForm) {
        lines.push('', c.bold(`${diagnosis.provider.name}:`));
        if (providerForm.rendered) lines.push(printable(providerForm.rendered).trimEnd());
        for (const limit of providerForm.limits) lines.push(`  note: ${printable(limit)}`);
      }
      if (fix.advice.length) lines.push('', c.bold('Also:'));
    } else {
      lines.push(c.bold('What to change (not the CORS configuration):'));
    }
    for (const advice of fix.advice) lines.push(`  - ${printable(advice)}`);
  }
  lines.push('');
  return lines.join('\n');
}

export const explainCommand: Command = {
  name: 'explain',
  summary: 'explain why a cross-origin request to S3 is allowed or blocked, and print the minimal verified fix',
  usage: `s3-cors-doctor ${USAGE}`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, {
      config: { value: true, short: 'c' },
      url: { value: true },
      origin: { value: true },
      method: { value: true, short: 'X' },
      header: { value: true, repeat: true, short: 'H' },
      credentials: { value: true },
      'fix-format': { value: true },
      json: {},
      region: { value: true },
      expose: { value: true, repeat: true },
    });
    if (args.positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
    const configSpec = requireFlag(args, 'config');
    const url = parseTarget(requireFlag(args, 'url'));
    const origin = parseOrigin(requireFlag(args, 'origin'));
    const method = parseMethod(requireFlag(args, 'method'));
    const headers = parseHeaders(listFlag(args, 'header'));
    const credentials = stringFlag(args, 'credentials') ?? 'same-origin';
    if (!CREDENTIALS.includes(credentials as CredentialsMode)) throw new UsageError(`--credentials must be one of ${CREDENTIALS.join(', ')}`);
    const fixFormat = stringFlag(args, 'fix-format') ?? 'console';
    if (!(FIX_FORMATS as readonly string[]).includes(fixFormat)) throw new UsageError(`--fix-format must be one of ${FIX_FORMATS.join(', ')}`);
    const region = stringFlag(args, 'region');
    if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new UsageError(`--region ${JSON.stringify(region)} is not an AWS region name`);

    const policy = await loadPolicyFile(configSpec, io);
    const bucket: BucketState = policy === 'none' ? { kind: 'no-cors' } : { kind: 'cors', config: policy.config };
    const request: PageRequest = { origin, method, url, headers, mode: 'cors', credentials: credentials as CredentialsMode };
    const explained = explainRequestDetailed(request, bucket, {
      fixFormat: fixFormat as FixFormat,
      mustRead: listFlag(args, 'expose'),
      ...(region ? { bucketRegion: region } : {}),
    });
    if (boolFlag(args, 'json')) {
      io.stdout.write(`${JSON.stringify(redactExplainResult(explained.result), null, 2)}\n`);
    } else {
      io.stdout.write(redactText(formatText(explained, request, policy === 'none' ? null : policy.config, fixFormat as FixFormat, io)));
    }
    return EXIT_OK;
  },
};
