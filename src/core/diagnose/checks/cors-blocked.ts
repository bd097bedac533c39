/**
 * CORS_BLOCKED — the browser blocked the response for a reason no more specific check explains (a proxy doubling
 * Access-Control-Allow-Origin, an invalid Allow-Credentials, …): report the browser's own reason and words.
 */
import type { Check, Evidence, Finding } from '../types.js';
import { finding } from './support.js';

/** Chromium's and Firefox's words for a request the browser refused (browser-capture.md). */
const REFUSED = /ERR_FAILED|NS_ERROR_DOM_BAD_URI/;

export const corsBlockedCheck: Check = {
  id: 'cors-blocked',
  title: "Blocked by the browser's CORS check",
  requires: [],
  codes: {
    CORS_BLOCKED: { headline: 'The browser blocked the response', cause: 'cors', blocks: true, configFix: false },
  },
  evaluate(evidence, earlier): Finding[] {
    // Any earlier error or warning already explains the block better than the browser's bare reason.
    if (earlier.some((f) => f.severity !== 'info')) return [];
    const failure = evidence.observedFailure ?? evidence.model?.browser.failure ?? null;
    if (!failure) return refusedWithoutReason(evidence);
    const messages = failure.messages;
    return [
      finding('CORS_BLOCKED', 'error', {
        message: `The browser blocked the ${failure.blockedAt === 'preflight' ? 'preflight' : 'response'} with ${failure.corsError}${failure.failedParameter ? ` (${failure.failedParameter})` : ''}.`,
        detail: `${messages ? `Chrome: "${messages.chrome}" Firefox: "${messages.firefox}". ` : ''}No more specific cause was found in this evidence; compare the response's Access-Control-* headers with what S3 sends — a proxy, CDN or emulator may be writing its own.`, // S15, S18
        evidence: [`browser: ${failure.corsError}`],
        fix: 'Capture the preflight and response headers (DevTools, with cache disabled) and give the bucket configuration to narrow it down.',
      }),
    ];
  },
};

/**
 * The browser refused a CORS request (net::ERR_FAILED) and nothing in the capture says why: no reason, an answer
 * that passes the CORS check as recorded, or no answer at all. The refusal itself is the cause this evidence names.
 */
function refusedWithoutReason(evidence: Evidence): Finding[] {
  const error = evidence.exchange.error ?? '';
  if (!REFUSED.test(error) || evidence.page?.mode === 'no-cors') return [];
  const answer = evidence.actualResponse;
  return [
    finding('CORS_BLOCKED', 'error', {
      message: answer
        ? `The browser refused this request (${error}) although the answer it recorded (${answer.status}) passes the CORS check as far as this capture shows.`
        : `The browser refused this request (${error}) and recorded no answer, so this capture does not show which check failed.`,
      detail: answer
        ? 'The capture leaves out what decided it: the credentials mode (no Cookie header is recorded when the browser had none to send), or a response header a proxy changed after the capture point.'
        : 'For a request that needs no preflight, the usual causes are an answer the browser reused from its cache (an earlier load of the URL without CORS, outside this capture), a redirect, or an answer without Access-Control-Allow-Origin the browser did not record.',
      evidence: [`${evidence.exchange.request.method} ${answer ? answer.status : 'no answer'}, ${error}`],
      fix: 'Capture again with DevTools open and "Disable cache" on, or run the request through the CLI `probe` command; the browser console names the failing check.',
    }),
  ];
}
