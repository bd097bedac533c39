/**
 * PREFLIGHT_NOT_OBSERVED — the request needs a preflight but the capture has none: an older Chrome HAR (preflights
 * hidden since Chrome 79's out-of-blink CORS) or the browser's preflight cache (mode 23). Said, not guessed.
 */
import type { Check, Finding } from '../types.js';
import { defineCheck, finding, hasCode } from './support.js';

/** The browser's word for a refused request whose answer it did not record (browser-capture.md). */
const REFUSED_WITHOUT_ANSWER = /ERR_FAILED|NS_ERROR_DOM_BAD_URI/;

const CAPTURE_SOURCES = new Set(['har', 'devtools', 'webrequest', 'fixture']);

export const preflightNotObservedCheck: Check = defineCheck({
  id: 'preflight-not-observed',
  title: 'No preflight in the capture',
  requires: ['page'],
  codes: {
    PREFLIGHT_NOT_OBSERVED: { headline: 'The preflight request was not captured', cause: 'cors', blocks: true, configFix: false },
  },
  evaluate(evidence, earlier): Finding[] {
    const plan = evidence.plan;
    // Without any HTTP response there was nothing to pair a preflight with.
    if (hasCode(earlier, 'NOT_CORS_NETWORK_ERROR') || !plan?.needed || evidence.exchange.preflight || !CAPTURE_SOURCES.has(evidence.exchange.source)) return [];
    // Refused with no answer recorded and nothing else to blame: the browser stopped at the preflight (a preflighted
    // request is sent only after its preflight passes), and that refusal is the cause this capture can name.
    const refusedAtPreflight =
      evidence.actualResponse === null && REFUSED_WITHOUT_ANSWER.test(evidence.exchange.error ?? '') && !earlier.some((f) => f.severity === 'error');
    if (refusedAtPreflight) {
      return [
        finding('PREFLIGHT_NOT_OBSERVED', 'error', {
          message: `The browser refused this request at its preflight (needed: ${plan.reasons.join(', ')}), and the preflight is not in the capture, so which condition failed is unknown.`,
          detail: `A request that needs a preflight is sent only after its preflight passes; this one ended with ${evidence.exchange.error} and no answer, so the preflight was refused. Usually S3 found no rule allowing this origin, method and these headers, or the bucket has no CORS configuration; a redirect (wrong region) or a refused signature are rarer. The capture omits preflights (HARs from some Chrome versions, webRequest without extraHeaders) or the browser reused a cached one.`,
          evidence: [`${evidence.exchange.request.method} ${evidence.exchange.error} with no answer`, 'no OPTIONS entry paired with this request'],
          fix: 'Capture again with DevTools open and "Disable cache" on so the preflight is recorded, replay the preflight with the CLI `probe` command, or give the bucket\'s CORS configuration to `explain`.',
        }),
      ];
    }
    return [
      finding('PREFLIGHT_NOT_OBSERVED', 'info', {
        message: `This request needs a preflight (${plan.reasons.join(', ')}) but none was captured, so S3's answer to it is unknown.`,
        detail:
          'Either the browser reused a preflight cached for up to Access-Control-Max-Age (then the verdict can reflect an earlier configuration — retest with the cache disabled), or the capture omits preflights (HARs from some Chrome versions, webRequest without extraHeaders).',
        evidence: ['no OPTIONS entry paired with this request'],
        fix: 'Capture again with DevTools open and "Disable cache" on, or replay the preflight with the CLI `probe` command.',
      }),
    ];
  },
});
