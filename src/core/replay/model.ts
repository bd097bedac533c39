/**
 * Running a page request through both judges: the browser model (Fetch standard) with the S3 model answering.
 * Used by the diagnosis (what the known configuration does) and by the fix (proof that a proposal works).
 */
import type { HttpRequest, HttpResponse } from '../http/index.js';
import { simulateS3, type SimulateOptions } from '../s3/index.js';
import type { BucketState, S3Response } from '../s3/types.js';
import { planPreflight, runBrowserFetch } from '../fetch/index.js';
import type { BrowserOutcome, PageRequest, PreflightPlan, Responder } from '../fetch/types.js';
import type { ModelRun } from './types.js';

/** A placeholder entity tag: S3 returns one on every successful GET, HEAD and PUT, and the browser model must see it. */
const MODEL_ETAG = '"00000000000000000000000000000000"';

/** The S3 model's answer as the browser model receives it (see s3ModelResponder). */
const ETAG_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT']);

function responderAnswer(method: string, answer: S3Response): HttpResponse {
  const withEtag = answer.status >= 200 && answer.status < 300 && ETAG_METHODS.has(method.toUpperCase());
  return { status: answer.status, headers: withEtag ? { etag: MODEL_ETAG, ...answer.headers } : { ...answer.headers }, body: answer.body };
}

/**
 * The S3 model as a Responder. For a non-OPTIONS request the model gives S3's status and only the CORS headers it
 * adds (S18), so the object headers S3 always sends on success are added here.
 */
export function s3ModelResponder(bucket: BucketState, options: SimulateOptions = {}): Responder {
  return (request: HttpRequest) => responderAnswer(request.method, simulateS3(bucket, request, options));
}

/**
 * Same method, URL and headers (names and values): the S3 model reads nothing else of a request, and it is
 * deterministic, so two such requests get the same answer.
 */
function sameRequest(a: HttpRequest, b: HttpRequest): boolean {
  if (a.method !== b.method || a.url !== b.url) return false;
  const names = Object.keys(a.headers);
  if (names.length !== Object.keys(b.headers).length) return false;
  for (const name of names) {
    if (!Object.prototype.hasOwnProperty.call(b.headers, name) || a.headers[name] !== b.headers[name]) return false;
  }
  return true;
}

/**
 * The S3 model as a Responder that answers requests it has already simulated from those answers: the browser
 * model sends the same preflight (and often the same actual request) that runModels has just put to the S3 model.
 */
function reusingResponder(bucket: BucketState, options: SimulateOptions, known: ReadonlyArray<{ request: HttpRequest; answer: S3Response }>): Responder {
  return (request: HttpRequest) => {
    const same = known.find((entry) => sameRequest(entry.request, request));
    return responderAnswer(request.method, same ? same.answer : simulateS3(bucket, request, options));
  };
}

/** The actual request as S3 receives it: the page's headers plus the Origin the browser adds in cors mode. */
export function actualRequestOnWire(page: PageRequest): HttpRequest {
  return { method: page.method, url: page.url, headers: { ...page.headers, origin: page.origin } };
}

/**
 * Both models over one request: S3's answers (with rule traces) and the browser's verdict. `plan` is
 * planPreflight(page), when the caller already has it.
 */
export function runModels(page: PageRequest, bucket: BucketState, options: SimulateOptions = {}, plan: PreflightPlan = planPreflight(page)): ModelRun {
  const known: Array<{ request: HttpRequest; answer: S3Response }> = [];
  const preflightRequest = plan.needed && plan.request ? plan.request : null;
  const preflight = preflightRequest ? simulateS3(bucket, preflightRequest, options) : null;
  if (preflightRequest && preflight) known.push({ request: preflightRequest, answer: preflight });
  const actualRequest = actualRequestOnWire(page);
  const actual = simulateS3(bucket, actualRequest, options);
  known.push({ request: actualRequest, answer: actual });
  const browser: BrowserOutcome = runBrowserFetch(page, reusingResponder(bucket, options, known));
  return { preflight, actual, deciding: preflight ?? actual, browser };
}

/**
 * The S3 answer that decides (runModels(...).deciding) alone: the preflight's when one is needed (S8), else the
 * actual request's — without running the browser model.
 */
export function decidingAnswer(page: PageRequest, bucket: BucketState, options: SimulateOptions = {}, plan: PreflightPlan = planPreflight(page)): S3Response {
  return plan.needed && plan.request ? simulateS3(bucket, plan.request, options) : simulateS3(bucket, actualRequestOnWire(page), options);
}

/** Does the browser's outcome let the page use the response, with every header it must read readable? */
export function browserPasses(browser: BrowserOutcome, mustRead: readonly string[]): boolean {
  const readable = new Set(browser.readableHeaders.map((h) => h.toLowerCase()));
  return browser.outcome === 'allowed' && mustRead.every((h) => readable.has(h.toLowerCase()));
}

/** Does the request pass both judges, with every header the page must read readable? */
export function passesModels(
  page: PageRequest,
  bucket: BucketState,
  mustRead: readonly string[],
  options: SimulateOptions = {},
): { passes: boolean; browser: BrowserOutcome } {
  const browser = runBrowserFetch(page, s3ModelResponder(bucket, options));
  return { passes: browserPasses(browser, mustRead), browser };
}
