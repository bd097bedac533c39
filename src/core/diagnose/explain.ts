/**
 * `explain`: run a page request through the browser model with the S3 model answering, then diagnose what the
 * models saw, and shape it as the explain JSON of issue 3 §4.
 */
import type { ObservedExchange } from '../evidence/types.js';
import { parseS3Url } from '../endpoint/index.js';
import { runBrowserFetch } from '../fetch/index.js';
import type { BrowserOutcome, PageRequest } from '../fetch/types.js';
import type { HttpRequest, HttpResponse } from '../http/index.js';
import type { RenderFormat } from '../policy/index.js';
import type { BucketState } from '../s3/types.js';
import { consoleRules, renderFixConfig, type ConsoleRule } from '../fix/render.js';
import { actualRequestOnWire, s3ModelResponder } from './model.js';
import { headersPageMustRead } from './needs.js';
import { diagnose } from './run.js';
import type { AccessDelta, Diagnosis, FixChange, FixProposal, Severity } from './types.js';

export interface ExplainOptions {
  /** Form of `fix.rendered` (default: console JSON). */
  fixFormat?: RenderFormat;
  bucketRegion?: string;
  now?: Date;
  /** Response headers the page must read beyond what the request implies (ETag for a part upload is implied). */
  mustRead?: string[];
  /** Bucket name for the CLI / IaC renderings (default: from the URL). */
  bucketName?: string;
}

/** The explain JSON (issue 3 §4), exactly. */
export interface ExplainResult {
  outcome: 'allowed' | 'blocked';
  preflight: { needed: boolean; request: HttpRequest; response: HttpResponse } | null;
  actual: { request: HttpRequest; response: HttpResponse } | null;
  browser: { blockedAt: 'preflight' | 'actual' | null; corsError: string | null; messages: { chrome: string; firefox: string } | null };
  findings: Array<{ code: string; severity: Severity; rule: number | null; message: string; detail: string }>;
  /** `config` null with `rendered` holding the advice when the cause is not in the configuration. */
  /** `accessDelta`: what the fixed configuration newly allows (issue 10 item 2), when the fix holds a configuration. */
  fix: { config: ConsoleRule[] | null; rendered: string; changes: FixChange[]; accessDelta?: AccessDelta } | null;
}

export interface ExplainDetailed {
  result: ExplainResult;
  diagnosis: Diagnosis;
  browser: BrowserOutcome;
  fix: FixProposal | null;
}

/** What a capture of the modelled fetch would have recorded. */
function modelledExchange(request: PageRequest, outcome: BrowserOutcome): ObservedExchange {
  const exchange: ObservedExchange = {
    id: 'explain',
    source: 'cli',
    pageOrigin: request.origin,
    ...(request.credentials ? { credentials: request.credentials } : {}),
    request: outcome.actual?.request ?? actualRequestOnWire(request),
  };
  if (outcome.actual) exchange.response = outcome.actual.response;
  if (outcome.preflight) exchange.preflight = { request: outcome.preflight.request, response: outcome.preflight.response };
  if (outcome.failure) {
    exchange.corsError = { corsError: outcome.failure.corsError, ...(outcome.failure.failedParameter !== undefined ? { failedParameter: outcome.failure.failedParameter } : {}) };
  }
  return exchange;
}

function fixJson(fix: FixProposal | null, format: RenderFormat, bucketName: string | undefined): ExplainResult['fix'] {
  if (!fix || (!fix.config && !fix.changes.length && !fix.advice.length)) return null;
  if (!fix.config) return { config: null, rendered: fix.advice.join('\n'), changes: fix.changes };
  return {
    config: consoleRules(fix.config),
    rendered: renderFixConfig(fix, format, bucketName ? { bucket: bucketName } : {}) ?? '',
    changes: fix.changes,
    ...(fix.accessDelta ? { accessDelta: fix.accessDelta } : {}),
  };
}

export function explainRequestDetailed(request: PageRequest, bucket: BucketState, options: ExplainOptions = {}): ExplainDetailed {
  const simulateOptions = options.bucketRegion ? { bucketRegion: options.bucketRegion } : {};
  const browser = runBrowserFetch(request, s3ModelResponder(bucket, simulateOptions));
  const url = parseS3Url(request.url, request.method);
  const diagnosis = diagnose(modelledExchange(request, browser), {
    bucket,
    ...(options.bucketRegion ? { bucketRegion: options.bucketRegion } : {}),
    ...(options.now ? { now: options.now } : {}),
    needsReadable: headersPageMustRead(request, url, options.mustRead),
  });
  const failure = browser.failure;
  const result: ExplainResult = {
    outcome: browser.outcome,
    preflight: browser.preflight,
    actual: browser.actual,
    browser: { blockedAt: failure?.blockedAt ?? null, corsError: failure?.corsError ?? null, messages: failure?.messages ?? null },
    findings: diagnosis.findings.map(({ code, severity, rule, message, detail }) => ({ code, severity, rule, message, detail })),
    fix: fixJson(diagnosis.fix, options.fixFormat ?? 'console', options.bucketName ?? url.bucket ?? undefined),
  };
  return { result, diagnosis, browser, fix: diagnosis.fix };
}

/** The explain JSON for one request against a bucket state (issue 3 §4). */
export function explainRequest(request: PageRequest, bucket: BucketState, options: ExplainOptions = {}): ExplainResult {
  return explainRequestDetailed(request, bucket, options).result;
}
