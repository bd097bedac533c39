/**
 * `s3-cors-doctor explain`: run one request through the browser model with the S3 model answering for the given
 * configuration, explain the verdict (failing rule and condition, browser messages) and print the minimal verified
 * fix. Exit 0 whenever the explanation was produced — allowed or blocked is the output, not an error — 1 for an
 * unreadable or invalid configuration file, 2 for bad usage.
 */
import type { Command } from '../command.js';
import { boolFlag, listFlag, parseArgs, requireFlag, stringFlag } from '../args.js';
// Synchronous read (a small, bounded file): node:fs/promises costs more to load than a small explain spends reading.
import { readFileSync } from 'node:fs';
import { EXIT_OK, InputError, UsageError, statInputFile, type CliIO } from '../io.js';
import { loadPolicyFile } from '../policy-input.js';
import { parseHeaderArg, type HeaderMap } from '../../core/http/index.js';
import {
  explainRequestDetailed,
  ruleLabel,
  s3ErrorBody,
  type ExplainDetailed,
  type ExplainObservation,
  type ExplainPreflightObservation,
} from '../../core/diagnose/index.js';
import { planPreflight, type CredentialsMode, type PageRequest } from '../../core/fetch/index.js';
import { FIX_FORMATS, renderFixDiff, renderProviderForm, type FixFormat, type FixProposal } from '../../core/fix/index.js';
import { fixFormatFor, renderPolicyWithNotes, type CorsConfiguration } from '../../core/policy/index.js';
import type { BucketState } from '../../core/s3/index.js';
import { redactHttpRequest, redactHttpResponse, redactText, redactUrl } from '../../core/redact/index.js';
import type { ExplainResult } from '../../core/diagnose/index.js';
import type { HttpRequest, HttpResponse } from '../../core/http/index.js';
import { evidenceWords, findingPointer } from '../findings-docs.js';
import { palette, printable } from '../terminal.js';

const USAGE =
  'explain --config <file|none> --url <url> --origin <origin> --method <METHOD> [--header "Name: value"]... ' +
  '[--credentials omit|same-origin|include] [--fix-format console|cli|xml|cloudformation|terraform|cdk|gcs|b2] [--json] ' +
  '[--region <bucket-region>] [--expose <Header>]... [--bucket-missing] [--new-bucket] [--cached-no-cors] ' +
  '[--status <code>] [--error-code <S3 code> [--error-message <text>] | --response-body <file>] ' +
  '[--response-header "Name: value"]... [--browser-error <net::ERR_…>] [--at <ISO time>] [--force-preflight] ' +
  '[--preflight-status <code>] [--preflight-error-code <S3 code> [--preflight-error-message <text>]] ' +
  '[--preflight-header "Name: value"]...\n' +
  '  Exit 0 when the explanation was produced (allowed or blocked), 1 for a bad configuration or body file, 2 for bad usage.\n' +
  "  --region: the bucket's region, to model region redirects. --expose: a response header the page must read.\n" +
  '  --fix-format: default console, or gcs / b2 for a configuration given as GCS CORS JSON / Backblaze B2 corsRules.\n' +
  'What the configuration cannot say:\n' +
  '  --bucket-missing: the bucket does not exist (then --config may be left out).\n' +
  '  --new-bucket: the bucket was created in the last hours, so the global endpoint still answers 307 (needs --region).\n' +
  '  --cached-no-cors: an earlier no-cors load of the same URL (an <img>, <script> or <link> without crossorigin) is\n' +
  '    in the browser cache, and the browser serves this request from it.\n' +
  '  --force-preflight: the page forced a preflight: an XHR upload with progress listeners, or a streamed body\n' +
  '    (the browser then preflights even a request whose method and headers need none).\n' +
  'What was observed of the answer to the actual request:\n' +
  "  --status: its status (e.g. 403). --error-code / --error-message: S3's error code and message (AccessDenied,\n" +
  '    SignatureDoesNotMatch, AccessDenied "Request has expired"). --response-body: a file with S3\'s XML error body.\n' +
  '  --response-header: a header it carried (Via, X-Cache, Age, Access-Control-Allow-Origin, ...), repeatable; when\n' +
  '    given, these are all its headers, so a header left out was not there. A CloudFront host (*.cloudfront.net) or\n' +
  '    "Via: ... (CloudFront)" / "X-Cache: Hit from cloudfront" tells a CDN is in front.\n' +
  '  --browser-error: the failure the browser reported (net::ERR_FAILED, net::ERR_CONNECTION_REFUSED, NS_ERROR_DOM_BAD_URI);\n' +
  '    without --status, no answer was recorded (as a capture shows a refused request).\n' +
  "  --at: the time of the request, to judge a presigned URL's expiry (without it, expiry is not judged).\n" +
  'What was observed of the answer to the preflight (the OPTIONS request the browser sent first):\n' +
  "  --preflight-status: its status (e.g. 403, 307). --preflight-error-code / --preflight-error-message: S3's error\n" +
  '    code and message (AccessForbidden, SignatureDoesNotMatch, TemporaryRedirect).\n' +
  '  --preflight-header: a header it carried (Location, Access-Control-Allow-Origin, ...), repeatable; when given,\n' +
  '    these are all its headers, so a header left out was not there.\n' +
  '    A request that needs no preflight by its method and headers takes these only with --force-preflight.\n' +
  '    After a --preflight-status outside 200-299 the browser sends no actual request: describe no answer to it.\n' +
  '  JSON "rule" fields are 0-based rule indexes; messages name rules 1-based as the S3 console does.';

/** S3's error bodies are well under this; a larger file is not one. */
const MAX_RESPONSE_BODY_BYTES = 64 * 1024;

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

function parseHeaders(values: string[], flag = 'header'): HeaderMap {
  const headers: HeaderMap = {};
  for (const value of values) {
    const pair = parseHeaderArg(value);
    if (!pair || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(pair[0])) throw new UsageError(`--${flag} ${JSON.stringify(value)} must look like "Name: value"`);
    const name = pair[0].toLowerCase();
    headers[name] = name in headers ? `${headers[name]}, ${pair[1]}` : pair[1];
  }
  return headers;
}

/** Output never carries signatures, tokens, cookies or Authorization values, even when the input URL or headers did. */
function redactRequest(request: HttpRequest): HttpRequest {
  return redactHttpRequest(request);
}

function redactResponse(response: HttpResponse): HttpResponse {
  return redactHttpResponse(response);
}

export function redactExplainResult(result: ExplainResult): ExplainResult {
  return {
    ...result,
    preflight: result.preflight && {
      ...result.preflight,
      request: redactRequest(result.preflight.request),
      response: redactResponse(result.preflight.response),
    },
    actual: result.actual && { request: redactRequest(result.actual.request), response: redactResponse(result.actual.response) },
    browser: {
      ...result.browser,
      messages: result.browser.messages && { chrome: redactText(result.browser.messages.chrome), firefox: redactText(result.browser.messages.firefox) },
    },
    findings: result.findings.map((f) => ({ ...f, message: redactText(f.message), detail: redactText(f.detail) })),
    fix: result.fix && {
      ...result.fix,
      rendered: redactText(result.fix.rendered),
      ...(result.fix.accessDelta ? { accessDelta: { ...result.fix.accessDelta, text: redactText(result.fix.accessDelta.text) } } : {}),
    },
  };
}

function parseStatus(value: string, flag = 'status'): number {
  if (!/^\d{3}$/.test(value) || Number(value) < 100 || Number(value) > 599)
    throw new UsageError(`--${flag} ${JSON.stringify(value)} is not an HTTP status (100-599)`);
  return Number(value);
}

function parseTime(value: string): Date {
  const time = /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(time.getTime())) throw new UsageError(`--at ${JSON.stringify(value)} is not an ISO time (e.g. 2026-11-28T10:00:00Z)`);
  return time;
}

function parseErrorCode(value: string, flag = 'error-code'): string {
  if (!/^[A-Za-z][A-Za-z0-9.]{1,63}$/.test(value)) throw new UsageError(`--${flag} ${JSON.stringify(value)} is not an S3 error code (e.g. AccessDenied)`);
  return value;
}

/** A response body file: bounded before it is read whole, UTF-8 text. */
async function readResponseBody(path: string): Promise<string> {
  const info = await statInputFile(path, 'a response body file');
  const tooBig = () => new InputError(`${path}: larger than ${MAX_RESPONSE_BODY_BYTES} bytes; an S3 error body is far smaller`);
  if (info.size > MAX_RESPONSE_BODY_BYTES) throw tooBig();
  const bytes = readFileSync(path);
  if (bytes.length > MAX_RESPONSE_BODY_BYTES) throw tooBig();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${path}: not UTF-8 text`);
  }
}

/** What the user observed of the answer to the actual request, or undefined when nothing was given. */
async function observationFrom(args: ReturnType<typeof parseArgs>): Promise<ExplainObservation | undefined> {
  const status = stringFlag(args, 'status');
  const errorCode = stringFlag(args, 'error-code');
  const errorMessage = stringFlag(args, 'error-message');
  const bodyFile = stringFlag(args, 'response-body');
  const headers = listFlag(args, 'response-header');
  const browserError = stringFlag(args, 'browser-error');
  if (
    browserError !== undefined &&
    !/^(net::ERR_[A-Z0-9_]+|NS_ERROR_[A-Z0-9_]+|(SEC|SSL)_ERROR_[A-Z0-9_]+|MOZILLA_PKIX_ERROR_[A-Z0-9_]+)$/.test(browserError)
  ) {
    throw new UsageError(`--browser-error ${JSON.stringify(browserError)} is not a browser error string (e.g. net::ERR_FAILED, NS_ERROR_DOM_BAD_URI)`);
  }
  if (errorMessage !== undefined && errorCode === undefined) throw new UsageError('--error-message needs --error-code');
  if (bodyFile !== undefined && errorCode !== undefined) throw new UsageError('give either --error-code or --response-body, not both');
  if (status === undefined && errorCode === undefined && bodyFile === undefined && headers.length === 0 && browserError === undefined) return undefined;
  const observation: ExplainObservation = {};
  if (browserError !== undefined) observation.error = browserError;
  if (status !== undefined) observation.status = parseStatus(status);
  if (errorCode !== undefined) observation.body = s3ErrorBody(parseErrorCode(errorCode), errorMessage);
  if (bodyFile !== undefined) observation.body = await readResponseBody(bodyFile);
  if (headers.length) observation.headers = parseHeaders(headers, 'response-header');
  return observation;
}

/** What the user observed of the answer to the preflight, or undefined when nothing was given. */
function preflightObservationFrom(args: ReturnType<typeof parseArgs>): ExplainPreflightObservation | undefined {
  const status = stringFlag(args, 'preflight-status');
  const errorCode = stringFlag(args, 'preflight-error-code');
  const errorMessage = stringFlag(args, 'preflight-error-message');
  const headers = listFlag(args, 'preflight-header');
  if (errorMessage !== undefined && errorCode === undefined) throw new UsageError('--preflight-error-message needs --preflight-error-code');
  if (status === undefined && errorCode === undefined && headers.length === 0) return undefined;
  const observation: ExplainPreflightObservation = {};
  if (status !== undefined) observation.status = parseStatus(status, 'preflight-status');
  if (errorCode !== undefined) observation.body = s3ErrorBody(parseErrorCode(errorCode, 'preflight-error-code'), errorMessage);
  if (headers.length) observation.headers = parseHeaders(headers, 'preflight-header');
  return observation;
}

/** The first preflight-observation flag given, to name in an error. */
function firstPreflightFlag(args: ReturnType<typeof parseArgs>): string {
  const given = ['preflight-status', 'preflight-error-code', 'preflight-header'].find((flag) =>
    flag === 'preflight-header' ? listFlag(args, flag).length > 0 : stringFlag(args, flag) !== undefined,
  );
  return `--${given ?? 'preflight-status'}`;
}

/** The observation describes an answer to the actual request (a browser error alone describes none). */
function actualAnswerGiven(observed: ExplainObservation): boolean {
  return observed.status !== undefined || observed.headers !== undefined || observed.body !== undefined;
}

/** The first flag given about the actual request's answer, to name in an error. */
function firstActualAnswerFlag(args: ReturnType<typeof parseArgs>): string {
  const given = ['status', 'error-code', 'response-body', 'response-header'].find((flag) =>
    flag === 'response-header' ? listFlag(args, flag).length > 0 : stringFlag(args, flag) !== undefined,
  );
  return `--${given ?? 'status'}`;
}

/** What the fix's form cannot express of rules read from GCS JSON or B2 corsRules (B2 native operations in an S3 form, …). */
function renderedNotes(fix: FixProposal, format: FixFormat): string[] {
  if (!fix.config || !fix.config.some((rule) => rule.provider !== undefined)) return [];
  return renderPolicyWithNotes({ rules: fix.config }, format).notes;
}

function mark(ok: boolean): string {
  return ok ? '✓' : '✗';
}

function formatText(explained: ExplainDetailed, request: PageRequest, config: CorsConfiguration | null, format: FixFormat, io: CliIO): string {
  const c = palette(io);
  const { result, diagnosis, fix } = explained;
  const lines: string[] = [];
  // S3 refused the request itself (observed status and error body): CORS let the answer through, the request failed.
  const verdict =
    diagnosis.outcome === 'failed-not-cors' && result.outcome === 'allowed'
      ? c.red('FAILED, NOT BY CORS')
      : result.outcome === 'allowed'
        ? diagnosis.findings.some((f) => f.severity === 'error')
          ? c.yellow('ALLOWED, WITH A PROBLEM')
          : c.green('ALLOWED')
        : c.red('BLOCKED');
  lines.push(`${c.bold(verdict)}  ${request.method} ${printable(redactUrl(request.url))} from ${printable(request.origin)}`);
  lines.push(printable(diagnosis.verdict));
  lines.push('');
  const plan = planPreflight(request);
  if (result.preflight) {
    const response = result.preflight.response;
    lines.push(
      `Preflight: needed (${printable(plan.reasons.join(', '))}) → ${response.status}${explained.browser.failure?.blockedAt === 'preflight' ? ` — blocked (${explained.browser.failure.corsError})` : ''}`,
    );
  } else {
    lines.push('Preflight: not needed (CORS-safelisted method and headers)');
  }
  if (result.actual)
    lines.push(
      `Actual request: ${result.actual.response.status}${explained.browser.failure?.blockedAt === 'actual' ? ` — blocked (${explained.browser.failure.corsError})` : ''}`,
    );
  else if (result.browser.blockedAt === 'actual' && diagnosis.findings.some((f) => f.answerLacksCors))
    lines.push(`Actual request: refused by the store (below), with an answer without CORS headers — blocked (${result.browser.corsError})`);
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
      lines.push(`      ${c.dim(findingPointer(f.code))}`);
    }
  }
  if (config && diagnosis.trace.length) {
    lines.push('', c.bold('Rule trace (S3 uses the first rule matching origin, method and every header):')); // S8
    diagnosis.trace.forEach((t, index) => {
      const headers = t.headers.length ? t.headers.map((h) => `${mark(h.matched)} ${h.name}`).join(' ') : '✓ (none requested)';
      const state = t.used ? c.green('  ← used') : t.matched ? c.dim('  (matches, but an earlier rule wins)') : '';
      lines.push(
        `  ${printable(ruleLabel(config, index))}: origin ${mark(t.origin.matched)}  method ${mark(t.method.matched)} ${t.method.value}  headers ${printable(headers)}${state}`,
      );
    });
  }
  if (diagnosis.modelNotes?.length) {
    lines.push('', c.bold("Model notes (S3 behaviour that is not recorded; the model's choice, not S3's word):"));
    for (const note of diagnosis.modelNotes) lines.push(`  ${printable(note.note)} (${evidenceWords(note.evidence)})`); // note.behaviour: the spec id, in --json only
  }
  if (fix) {
    lines.push('');
    if (fix.config) {
      lines.push(
        c.bold(
          fix.verified
            ? 'Fix (verified: the request passes the S3 and browser models with it):'
            : 'Fix (NOT verified: the request still fails in the models with it):',
        ),
      );
      for (const change of fix.changes) lines.push(`  + ${printable(change.description)}`);
      if (fix.accessDelta) lines.push(`  Access it adds: ${printable(redactText(fix.accessDelta.text))}`);
      lines.push('', printable(result.fix?.rendered ?? '').trimEnd());
      const providerForm = renderProviderForm(fix, diagnosis.provider.id as Parameters<typeof renderProviderForm>[1]);
      // What this form cannot express of rules read from GCS/B2 (the provider's section below says it for its own form).
      if (providerForm?.format !== format) for (const note of renderedNotes(fix, format)) lines.push(`  note: ${printable(note)}`);
      // The diff in the fix's own form where that is a JSON document of rules (GCS, B2), else in console JSON.
      const diffFormat = format === 'gcs' || format === 'b2' ? format : 'console';
      const diff = renderFixDiff(config, fix, diffFormat);
      if (diff && format !== diffFormat) lines.push('', c.bold('Diff (console JSON):'), printable(diff).trimEnd());
      else if (diff) lines.push('', c.bold('Diff:'), printable(diff).trimEnd());
      if (providerForm) {
        // Already printed above when the fix is in this provider's form: only what it cannot express is added.
        const shown = providerForm.format === format;
        lines.push('', c.bold(`${diagnosis.provider.name}${shown ? ' (the form above)' : ''}:`));
        if (providerForm.rendered && !shown) lines.push(printable(providerForm.rendered).trimEnd());
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
      'bucket-missing': {},
      'new-bucket': {},
      'cached-no-cors': {},
      status: { value: true },
      'error-code': { value: true },
      'error-message': { value: true },
      'response-body': { value: true },
      'response-header': { value: true, repeat: true },
      'browser-error': { value: true },
      at: { value: true },
      'force-preflight': {},
      'preflight-status': { value: true },
      'preflight-error-code': { value: true },
      'preflight-error-message': { value: true },
      'preflight-header': { value: true, repeat: true },
    });
    if (args.positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
    const bucketMissing = boolFlag(args, 'bucket-missing');
    const configSpec = bucketMissing ? (stringFlag(args, 'config') ?? 'none') : requireFlag(args, 'config');
    if (bucketMissing && configSpec !== 'none')
      throw new UsageError('--bucket-missing: a bucket that does not exist has no configuration; leave out --config (or give --config none)');
    const url = parseTarget(requireFlag(args, 'url'));
    const origin = parseOrigin(requireFlag(args, 'origin'));
    const method = parseMethod(requireFlag(args, 'method'));
    const headers = parseHeaders(listFlag(args, 'header'));
    const credentials = stringFlag(args, 'credentials') ?? 'same-origin';
    if (!CREDENTIALS.includes(credentials as CredentialsMode)) throw new UsageError(`--credentials must be one of ${CREDENTIALS.join(', ')}`);
    const fixFormatFlag = stringFlag(args, 'fix-format');
    if (fixFormatFlag !== undefined && !(FIX_FORMATS as readonly string[]).includes(fixFormatFlag))
      throw new UsageError(`--fix-format must be one of ${FIX_FORMATS.join(', ')}`);
    const region = stringFlag(args, 'region');
    if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new UsageError(`--region ${JSON.stringify(region)} is not an AWS region name`);
    const newBucket = boolFlag(args, 'new-bucket');
    if (newBucket && region === undefined) throw new UsageError('--new-bucket needs --region (the region the bucket was created in)');
    if (newBucket && bucketMissing) throw new UsageError('--new-bucket and --bucket-missing contradict each other');
    const at = stringFlag(args, 'at');
    const now = at !== undefined ? parseTime(at) : undefined;
    const observed = await observationFrom(args);
    const observedPreflight = preflightObservationFrom(args);
    const forcePreflight = boolFlag(args, 'force-preflight');

    const policy = await loadPolicyFile(configSpec, io);
    // A configuration given in a provider's own form (GCS JSON, B2 corsRules) gets its fix in that form by default.
    const fixFormat = (fixFormatFlag ?? fixFormatFor(policy === 'none' ? null : policy.format)) as FixFormat;
    // An empty GCS or B2 list is how those providers say "no CORS configuration".
    const noRules = policy !== 'none' && policy.config.rules.length === 0 && (policy.format === 'gcs-json' || policy.format === 'b2-json');
    const bucket: BucketState = bucketMissing
      ? { kind: 'missing' }
      : policy === 'none' || noRules
        ? { kind: 'no-cors' }
        : { kind: 'cors', config: policy.config };
    const request: PageRequest = {
      origin,
      method,
      url,
      headers,
      mode: 'cors',
      credentials: credentials as CredentialsMode,
      ...(forcePreflight ? { useCorsPreflight: true } : {}),
    };
    // Fetch: a preflight answered with a status outside 200-299 fails, and the actual request is never sent.
    const preflightStatus = observedPreflight?.status;
    if (preflightStatus !== undefined && (preflightStatus < 200 || preflightStatus > 299) && observed && actualAnswerGiven(observed)) {
      throw new UsageError(
        `${firstActualAnswerFlag(args)}: the browser sends no actual request after a preflight answered ${preflightStatus}, so it has no answer to describe; ` +
          'drop the flags about the actual answer, or correct --preflight-status',
      );
    }
    if (observedPreflight && !planPreflight(request).needed) {
      throw new UsageError(
        `${firstPreflightFlag(args)}: the browser sends no preflight for this request (same-origin, or CORS-safelisted method and headers); ` +
          'if the page forced one (an XHR upload with progress listeners, a streamed body), add --force-preflight',
      );
    }
    const explained = explainRequestDetailed(request, bucket, {
      fixFormat,
      mustRead: listFlag(args, 'expose'),
      ...(region ? { bucketRegion: region } : {}),
      ...(newBucket ? { bucketCreatedRecently: true } : {}),
      ...(boolFlag(args, 'cached-no-cors') ? { cachedNoCors: true } : {}),
      ...(now ? { now } : {}),
      ...(observed ? { observed } : {}),
      ...(observedPreflight ? { observedPreflight } : {}),
    });
    if (boolFlag(args, 'json')) {
      io.stdout.write(`${JSON.stringify(redactExplainResult(explained.result), null, 2)}\n`);
    } else {
      io.stdout.write(redactText(formatText(explained, request, policy === 'none' ? null : policy.config, fixFormat, io)));
    }
    return EXIT_OK;
  },
};
