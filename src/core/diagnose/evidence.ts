/**
 * Build the Evidence the checks read (the Lighthouse "artifacts"): parse once, judge once, then let every check be a
 * small pure function of it.
 */
import type { HeaderMap } from '../http/index.js';
import type { ObservedExchange, ObservedRequest, ObservedResponse } from '../evidence/types.js';
import { answerFactsOf, readRequestFacts } from '../evidence/facts.js';
import { detectProvider, readS3Url } from '../endpoint/index.js';
import { parseS3Error } from '../s3/index.js';
import { checkActualResponse, checkPreflightResponse, planPreflight } from '../fetch/index.js';
import { isPreflightCorsError, recogniseConsoleMessage } from './console-messages.js';
import { runModels } from '../replay/model.js';
import { headersPageMustRead } from '../replay/needs.js';
import { isPreflightExchange, pageRequestFromExchange, readRequests } from '../replay/page-request.js';
import type { PageRequest } from '../fetch/types.js';
import type { DiagnoseContext, Evidence, S3ErrorBody } from './types.js';

/** Chromium's word for a request the browser refused (a CORS failure among others; browser-capture.md). */
const CHROMIUM_FAILED = /net::ERR_FAILED/;

function lowerCased(headers: HeaderMap | undefined): HeaderMap {
  const out: HeaderMap = {};
  if (!headers) return out;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    const key = name.toLowerCase();
    out[key] = key in out ? `${out[key]}, ${value}` : String(value);
  }
  return out;
}

function normaliseRequest(request: ObservedRequest): ObservedRequest {
  return { ...request, headers: lowerCased(request.headers) };
}

function normaliseResponse(response: ObservedResponse | undefined): ObservedResponse | undefined {
  return response ? { ...response, headers: lowerCased(response.headers) } : undefined;
}

/** Fixtures, HARs and pasted JSON may use any header case; the checks rely on lower-case names (http/index.ts). */
export function normaliseExchange(exchange: ObservedExchange): ObservedExchange {
  const normalised: ObservedExchange = { ...exchange, request: normaliseRequest(exchange.request), response: normaliseResponse(exchange.response) };
  if (exchange.preflight) {
    normalised.preflight = {
      ...exchange.preflight,
      request: normaliseRequest(exchange.preflight.request),
      response: normaliseResponse(exchange.preflight.response),
    };
  }
  // An exchange that is itself a preflight: its response is the preflight response.
  if (isPreflightExchange(normalised) && !normalised.preflight) {
    normalised.preflight = { request: normalised.request, response: normalised.response, error: normalised.error };
    normalised.response = undefined;
  }
  return normalised;
}

function s3ErrorOf(response: ObservedResponse | null): S3ErrorBody | null {
  return response?.body ? parseS3Error(response.body) : null;
}

function received(response: ObservedResponse | undefined): ObservedResponse | null {
  return response && response.status > 0 ? response : null;
}

function observedFailureOf(exchange: ObservedExchange, evidence: Pick<Evidence, 'page' | 'preflightResponse' | 'actualResponse'>): Evidence['observedFailure'] {
  if (exchange.corsError) {
    const { corsError, failedParameter } = exchange.corsError;
    return { corsError, blockedAt: isPreflightCorsError(corsError) ? 'preflight' : 'actual', ...(failedParameter !== undefined ? { failedParameter } : {}) };
  }
  const { page, preflightResponse, actualResponse } = evidence;
  if (page && page.mode !== 'no-cors') {
    const preflightFailure = preflightResponse ? checkPreflightResponse(page, preflightResponse) : null;
    const failure = preflightFailure ?? (actualResponse ? checkActualResponse(page, actualResponse) : null);
    if (failure)
      return {
        corsError: failure.corsError,
        blockedAt: failure.blockedAt,
        messages: failure.messages,
        ...(failure.failedParameter !== undefined ? { failedParameter: failure.failedParameter } : {}),
      };
    if (preflightResponse || actualResponse) return null;
  }
  const recognised = recogniseConsoleMessage(exchange.consoleMessage);
  if (recognised)
    return {
      corsError: recognised.corsError,
      blockedAt: recognised.blockedAt,
      ...(recognised.failedParameter !== undefined ? { failedParameter: recognised.failedParameter } : {}),
    };
  return null;
}

function time(value: string | undefined): number | null {
  const t = value ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? null : t;
}

/**
 * Pair a request with its preflight among the related exchanges when the source did not (webRequest: nothing
 * links them; a HAR whose reader split them; browser-capture.md): a preflight to the same URL asking for this
 * method, from the same origin, at most a minute before. The closest in time wins.
 */
function pairedPreflight(exchange: ObservedExchange, related: readonly ObservedExchange[]): ObservedExchange['preflight'] | undefined {
  const method = exchange.request.method.toUpperCase();
  const url = exchange.request.url.split('#')[0];
  const origin = exchange.pageOrigin ?? readRequestFacts(exchange.request).origin;
  const started = time(exchange.startedAt);
  let best: { candidate: ObservedExchange; distance: number } | null = null;
  for (const raw of related) {
    if (raw.id === exchange.id || raw.request.url.split('#')[0] !== url) continue;
    // A preflight entry of its own, or an exchange a HAR reader built around a preflight whose actual request it did not see.
    const preflightOnly = raw.request.method.toUpperCase() === 'OPTIONS' || (raw.preflight !== undefined && !(raw.response && raw.response.status > 0));
    if (!preflightOnly) continue;
    const candidate = normaliseExchange(raw);
    const request = readRequestFacts(candidate.preflight?.request ?? candidate.request);
    if ((request.requestedMethod ?? '').toUpperCase() !== method) continue;
    const candidateOrigin = candidate.pageOrigin ?? request.origin;
    if (origin && candidateOrigin && origin !== candidateOrigin) continue;
    const at = time(candidate.startedAt);
    const distance = started !== null && at !== null ? started - at : 0;
    if (distance < -1000 || distance > 60_000) continue;
    if (!best || Math.abs(distance) < Math.abs(best.distance)) best = { candidate, distance };
  }
  if (!best) return undefined;
  const preflight = best.candidate.preflight ?? { request: best.candidate.request, response: best.candidate.response };
  return { ...preflight, ...(best.candidate.error ? { error: best.candidate.error } : {}) };
}

/**
 * A capture records the credentials mode only through a Cookie header, and Chromium records none when the browser
 * had no cookie to send. When Chromium failed a request (net::ERR_FAILED) whose recorded answer passes the CORS
 * check without credentials but fails it with them (`Access-Control-Allow-Origin: *`, or no
 * `Access-Control-Allow-Credentials: true`), credentials mode "include" is the one reading that explains the
 * failure (browser-capture.md, scenario e). Returns the page request with it, or null when nothing is inferred.
 */
function inferredCredentialedRequest(
  exchange: ObservedExchange,
  page: PageRequest | null,
  preflight: ObservedResponse | null,
  actual: ObservedResponse | null,
): PageRequest | null {
  if (!page || !actual || page.mode === 'no-cors' || page.credentials === 'include' || exchange.credentials || exchange.corsError) return null;
  if (!CHROMIUM_FAILED.test(exchange.error ?? '')) return null;
  if ((preflight && checkPreflightResponse(page, preflight)) || checkActualResponse(page, actual)) return null;
  const credentialed: PageRequest = { ...page, credentials: 'include' };
  const fails = (preflight && checkPreflightResponse(credentialed, preflight)) || checkActualResponse(credentialed, actual);
  return fails ? credentialed : null;
}

function withoutBucket(context: DiagnoseContext): DiagnoseContext {
  if (context.bucket === undefined && context.bucketRegion === undefined && context.bucketCreatedRecently === undefined) return context;
  const { bucket: _bucket, bucketRegion: _region, bucketCreatedRecently: _recent, ...rest } = context;
  return rest;
}

export function buildEvidence(rawExchange: ObservedExchange, givenContext: DiagnoseContext): Evidence {
  const normalised = normaliseExchange(rawExchange);
  const paired =
    !normalised.preflight && !isPreflightExchange(normalised) && givenContext.related ? pairedPreflight(normalised, givenContext.related) : undefined;
  const exchange = paired ? { ...normalised, preflight: paired } : normalised;
  const preflightResponse = received(exchange.preflight?.response);
  const actualResponse = received(exchange.response);
  const read = readRequests(exchange);
  const recorded = pageRequestFromExchange(exchange, read);
  const inferred = inferredCredentialedRequest(exchange, recorded, preflightResponse, actualResponse);
  const page = inferred ?? recorded;
  const url = readS3Url(exchange.request.url, page?.method ?? exchange.request.method);
  const provider = detectProvider(exchange.request.url, actualResponse?.headers ?? preflightResponse?.headers);
  // The service endpoint (ListBuckets and other account-level calls) addresses no bucket, so no bucket's state or
  // configuration applies to it (S27): the checks see the bucket as unknown and propose no bucket fix.
  const context = url.style === 'service' ? withoutBucket(givenContext) : givenContext;
  const bucket = context.bucket;
  const config = bucket?.kind === 'cors' ? bucket.config : null;
  const simulateOptions = {
    ...(context.bucketRegion ? { bucketRegion: context.bucketRegion } : {}),
    ...(context.bucketCreatedRecently ? { bucketCreatedRecently: true } : {}),
  };
  const plan = page ? planPreflight(page) : null;
  const model = page && plan && bucket && page.mode !== 'no-cors' ? runModels(page, bucket, simulateOptions, plan) : null;
  const startedAt = exchange.startedAt ? new Date(exchange.startedAt) : null;
  const now = context.now ?? (startedAt && !Number.isNaN(startedAt.getTime()) ? startedAt : null);
  const partial = { page, preflightResponse, actualResponse };
  return {
    exchange,
    context,
    now,
    page,
    url,
    provider,
    plan,
    preflightResponse,
    actualResponse,
    preflightError: s3ErrorOf(preflightResponse),
    actualError: s3ErrorOf(actualResponse),
    observedFailure: observedFailureOf(exchange, partial),
    config,
    model,
    needsReadable: page ? headersPageMustRead(page, url, context.needsReadable) : [],
    credentialsInclude: page?.credentials === 'include',
    ...(inferred ? { credentialsInferred: true } : {}),
    facts: {
      ...read,
      preflight: answerFactsOf(preflightResponse),
      actual: answerFactsOf(actualResponse),
    },
    memo: {},
  };
}
