/**
 * Running a page request through both judges: the browser model (Fetch standard) with the S3 model answering.
 * Used by the diagnosis (what the known configuration does) and by the fix (proof that a proposal works).
 */
import type { HttpRequest } from '../http/index.js';
import { simulateS3, type SimulateOptions } from '../s3/index.js';
import type { BucketState } from '../s3/types.js';
import { planPreflight, runBrowserFetch } from '../fetch/index.js';
import type { BrowserOutcome, PageRequest, Responder } from '../fetch/types.js';
import type { ModelRun } from './types.js';

/** A placeholder entity tag: S3 returns one on every successful GET, HEAD and PUT, and the browser model must see it. */
const MODEL_ETAG = '"00000000000000000000000000000000"';

/**
 * The S3 model as a Responder. For a non-OPTIONS request the model gives S3's status and only the CORS headers it
 * adds (S18), so the object headers S3 always sends on success are added here.
 */
export function s3ModelResponder(bucket: BucketState, options: SimulateOptions = {}): Responder {
  return (request: HttpRequest) => {
    const answer = simulateS3(bucket, request, options);
    const method = request.method.toUpperCase();
    const objectHeaders: Record<string, string> =
      method !== 'OPTIONS' && answer.status >= 200 && answer.status < 300 && ['GET', 'HEAD', 'PUT'].includes(method) ? { etag: MODEL_ETAG } : {};
    return { status: answer.status, headers: { ...objectHeaders, ...answer.headers }, body: answer.body };
  };
}

/** The actual request as S3 receives it: the page's headers plus the Origin the browser adds in cors mode. */
export function actualRequestOnWire(page: PageRequest): HttpRequest {
  return { method: page.method, url: page.url, headers: { ...page.headers, origin: page.origin } };
}

/** Both models over one request: S3's answers (with rule traces) and the browser's verdict. */
export function runModels(page: PageRequest, bucket: BucketState, options: SimulateOptions = {}): ModelRun {
  const plan = planPreflight(page);
  const preflight = plan.needed && plan.request ? simulateS3(bucket, plan.request, options) : null;
  const actual = simulateS3(bucket, actualRequestOnWire(page), options);
  const browser: BrowserOutcome = runBrowserFetch(page, s3ModelResponder(bucket, options));
  return { preflight, actual, deciding: preflight ?? actual, browser };
}

/** Does the request pass both judges, with every header the page must read readable? */
export function passesModels(page: PageRequest, bucket: BucketState, mustRead: readonly string[], options: SimulateOptions = {}): { passes: boolean; browser: BrowserOutcome } {
  const browser = runBrowserFetch(page, s3ModelResponder(bucket, options));
  const readable = new Set(browser.readableHeaders.map((h) => h.toLowerCase()));
  return { passes: browser.outcome === 'allowed' && mustRead.every((h) => readable.has(h.toLowerCase())), browser };
}
