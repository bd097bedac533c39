/**
 * `explain`: run a page request through the browser model with the S3 model answering, then diagnose what the
 * models saw, and shape it as the explain JSON of issue 3 §4.
 */
import type { ObservedExchange, ObservedResponse } from '../evidence/types.js';
import { parseS3Url } from '../endpoint/index.js';
import { checkPreflightResponse, planPreflight, runBrowserFetch } from '../fetch/index.js';
import type { BrowserOutcome, PageRequest } from '../fetch/types.js';
import type { HeaderMap, HttpRequest, HttpResponse } from '../http/index.js';
import type { RenderFormat } from '../policy/index.js';
import type { BucketState } from '../s3/types.js';
import { S3_MESSAGES, errorXml } from '../s3/errors.js';
import { consoleRules, renderFixConfig, type ConsoleRule } from '../fix/render.js';
import { actualRequestOnWire, s3ModelResponder } from '../replay/model.js';
import { headersPageMustRead } from '../replay/needs.js';
import { diagnose } from './run.js';
import type { AccessDelta, Diagnosis, FixChange, FixProposal, Severity } from './types.js';

/**
 * What was actually observed of the answer to the actual request, beyond what the configuration predicts: its
 * status, its headers (a CDN's Via / X-Cache, Age, the Access-Control-* it really carried) and S3's error body.
 */
export interface ExplainObservation {
  /** The answer's status (default: the model's). */
  status?: number;
  /**
   * The answer's headers as observed, complete: when given, they replace the model's (so a missing
   * Access-Control-Allow-Origin is said by leaving it out). When omitted, the model's headers are kept: S3 adds its
   * CORS headers to error answers too when a rule matches (S22).
   */
  headers?: HeaderMap;
  /** The answer's body: S3's XML error body. */
  body?: string;
  /**
   * The failure the browser reported for the actual request (`net::ERR_FAILED`, `net::ERR_CONNECTION_REFUSED`,
   * `NS_ERROR_DOM_BAD_URI`, …). Without a status, no answer was recorded, as a capture shows a refused request.
   */
  error?: string;
}

/**
 * What was observed of the answer to the preflight: the same parts as ExplainObservation, with the same rule that
 * headers, when given, are all of them.
 */
export interface ExplainPreflightObservation {
  /** The preflight answer's status (default: the model's). */
  status?: number;
  /** The preflight answer's headers as observed, complete; when omitted, the model's are kept. */
  headers?: HeaderMap;
  /** The preflight answer's body: S3's XML error body. */
  body?: string;
}

export interface ExplainOptions {
  /** Form of `fix.rendered` (default: console JSON). */
  fixFormat?: RenderFormat;
  bucketRegion?: string;
  /** The bucket was created in the last hours: its legacy global endpoint answers 307 TemporaryRedirect (S31). */
  bucketCreatedRecently?: boolean;
  /** The time of the request (presigned URL expiry). */
  now?: Date;
  /** The answer the browser actually got to the actual request, when known (see ExplainObservation). */
  observed?: ExplainObservation;
  /**
   * The answer the browser got to the preflight, when known. A request that needs no preflight by its method and
   * headers was then preflighted because the page forced it (the use-CORS-preflight flag), as a capture that records
   * such a preflight is read.
   */
  observedPreflight?: ExplainPreflightObservation;
  /**
   * An earlier no-cors request of the same URL (an <img>, <script> or <link> without `crossorigin`) got a
   * cacheable answer, which S3 sends without CORS headers and without `Vary: Origin` (S1, S19); the browser serves
   * this request from that cache entry.
   */
  cachedNoCors?: boolean;
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
    exchange.corsError = {
      corsError: outcome.failure.corsError,
      ...(outcome.failure.failedParameter !== undefined ? { failedParameter: outcome.failure.failedParameter } : {}),
    };
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

/** The messages S3 writes with its common refusal codes (an explicit message wins). */
const S3_ERROR_MESSAGES: Record<string, string> = {
  AccessDenied: 'Access Denied',
  SignatureDoesNotMatch: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  NoSuchBucket: S3_MESSAGES.noSuchBucket,
  InvalidAccessKeyId: 'The AWS Access Key Id you provided does not exist in our records.',
  ExpiredToken: 'The provided token has expired.',
  RequestTimeTooSkewed: 'The difference between the request time and the current time is too large.',
  PermanentRedirect: S3_MESSAGES.permanentRedirect,
  TemporaryRedirect: S3_MESSAGES.temporaryRedirect,
};

/**
 * S3's XML error body for a code (and message) the user read off a response, e.g. AccessDenied "Request has
 * expired" for an expired presigned URL.
 */
export function s3ErrorBody(code: string, message?: string): string {
  return errorXml([
    ['Code', code],
    ['Message', message ?? S3_ERROR_MESSAGES[code] ?? code],
  ]);
}

/** How long before the request the earlier no-cors load is dated, when the request's time is known. */
const CACHE_FILL_LEAD_MS = 60_000;

/**
 * The earlier no-cors load whose stored answer the browser reuses, as a capture records it (an <img> of the URL:
 * `Sec-Fetch-Mode: no-cors`, no Origin) with the answer S3 gives such a request: no CORS headers, no Vary (S1, S19).
 */
function cacheFillExchange(request: PageRequest, options: ExplainOptions): ObservedExchange & { response: ObservedResponse } {
  // Undated without --at: the diagnosis then takes it as earlier (a capture's order is all it would have).
  const at = options.now ? new Date(options.now.getTime() - CACHE_FILL_LEAD_MS) : null;
  const date = (at ?? new Date(Date.UTC(2026, 0, 1))).toUTCString();
  return {
    id: 'earlier-no-cors-load',
    source: 'cli',
    resourceType: 'image',
    ...(at ? { startedAt: at.toISOString() } : {}),
    request: { method: 'GET', url: request.url, headers: { referer: `${request.origin}/`, 'sec-fetch-mode': 'no-cors' } },
    response: {
      status: 200,
      headers: {
        'last-modified': date,
        etag: '"cached-no-cors-answer"',
        date,
        server: 'AmazonS3',
        'x-amz-request-id': 'EARLIERNOCORSLOAD',
      },
    },
  };
}

/** An observed answer laid over the modelled one: status and body as given, headers as given (all of them) or the model's. */
function overlaid(base: ObservedResponse, observed: ExplainPreflightObservation): ObservedResponse {
  const response: ObservedResponse = { status: observed.status ?? base.status, headers: observed.headers ? { ...observed.headers } : { ...base.headers } };
  if (observed.body !== undefined) response.body = observed.body;
  else if (base.body !== undefined && observed.status === undefined) response.body = base.body;
  return response;
}

/** The modelled exchange with what was observed laid over it; null when nothing was. */
function observedExchange(
  modelled: ObservedExchange,
  request: PageRequest,
  options: ExplainOptions,
  fill: (ObservedExchange & { response: ObservedResponse }) | null,
  answerActual: () => ObservedResponse,
): ObservedExchange | null {
  const observed = options.observed;
  const observedPreflight = options.observedPreflight;
  if (!observed && !observedPreflight && !fill) return null;
  const { corsError: _modelVerdict, ...exchange } = modelled;
  if (observedPreflight && exchange.preflight) {
    const response = overlaid(exchange.preflight.response ?? { status: 200, headers: {} }, observedPreflight);
    exchange.preflight = { request: exchange.preflight.request, response };
    // The browser sends the actual request only after a preflight answer that passes its checks.
    if (checkPreflightResponse(request, response)) delete exchange.response;
    else if (!exchange.response) exchange.response = answerActual();
  }
  if (options.now) exchange.startedAt = options.now.toISOString();
  if (fill) {
    // Served from the cache entry of the no-cors load: its answer, as stored.
    exchange.response = { status: fill.response.status, headers: { ...fill.response.headers } };
    exchange.fromCache = 'disk';
  }
  if (observed?.error !== undefined) {
    exchange.error = observed.error;
    if (observed.status === undefined && !fill) delete exchange.response;
  }
  if (observed && (observed.status !== undefined || observed.headers !== undefined || observed.body !== undefined)) {
    exchange.response = overlaid(exchange.response ?? { status: 200, headers: {} }, observed);
  }
  return exchange;
}

export function explainRequestDetailed(givenRequest: PageRequest, bucket: BucketState, options: ExplainOptions = {}): ExplainDetailed {
  // An observed preflight of a request that needs none by its method and headers: the page forced it.
  const request =
    options.observedPreflight && !planPreflight(givenRequest).needed && planPreflight({ ...givenRequest, useCorsPreflight: true }).needed
      ? { ...givenRequest, useCorsPreflight: true }
      : givenRequest;
  const simulateOptions = {
    ...(options.bucketRegion ? { bucketRegion: options.bucketRegion } : {}),
    ...(options.bucketCreatedRecently ? { bucketCreatedRecently: true } : {}),
  };
  const responder = s3ModelResponder(bucket, simulateOptions);
  const modelBrowser = runBrowserFetch(request, responder);
  const url = parseS3Url(request.url, request.method);
  const modelled = modelledExchange(request, modelBrowser);
  const fill = options.cachedNoCors ? cacheFillExchange(request, options) : null;
  const observed = observedExchange(modelled, request, options, fill, () => responder(actualRequestOnWire(request)));
  const diagnosis = diagnose(observed ?? modelled, {
    bucket,
    ...(options.bucketRegion ? { bucketRegion: options.bucketRegion } : {}),
    ...(options.bucketCreatedRecently ? { bucketCreatedRecently: true } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(fill ? { related: [fill] } : {}),
    needsReadable: headersPageMustRead(request, url, options.mustRead),
  });
  // With observations, the browser's verdict is the one on what was observed, not on the model's answer.
  const browser = observed && diagnosis.browser ? diagnosis.browser : modelBrowser;
  // The store refuses the request for a cause outside CORS and answers without CORS headers (Finding.answerLacksCors):
  // the browser fails that answer's CORS check for a missing Access-Control-Allow-Origin. The answer itself (status,
  // error code) is not modelled, so no actual answer and no console lines are given.
  const refused = browser.outcome === 'allowed' && diagnosis.outcome === 'blocked' && diagnosis.findings.some((f) => f.answerLacksCors);
  const failure = refused ? { blockedAt: 'actual' as const, corsError: 'MissingAllowOriginHeader' as const, messages: null } : browser.failure;
  const result: ExplainResult = {
    // A refusal the browser reported without an answer (`--browser-error`) is blocked whatever the model says.
    outcome: (observed || refused) && diagnosis.outcome === 'blocked' ? 'blocked' : browser.outcome,
    preflight: browser.preflight,
    actual: (observed && !observed.response) || refused ? null : browser.actual,
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
