/**
 * PREFLIGHT_NOT_OBSERVED — the request needs a preflight but the capture has none: an older Chrome HAR (preflights
 * hidden since Chrome 79's out-of-blink CORS) or the browser's preflight cache (mode 23). Said, not guessed.
 */
import type { Check, Finding } from '../types.js';
import { finding, hasCode } from './support.js';

const CAPTURE_SOURCES = new Set(['har', 'devtools', 'webrequest', 'fixture']);

export const preflightNotObservedCheck: Check = {
  id: 'preflight-not-observed',
  title: 'No preflight in the capture',
  requires: ['page'],
  evaluate(evidence, earlier): Finding[] {
    const plan = evidence.plan;
    // Without any HTTP response there was nothing to pair a preflight with.
    if (hasCode(earlier, 'NOT_CORS_NETWORK_ERROR') || !plan?.needed || evidence.exchange.preflight || !CAPTURE_SOURCES.has(evidence.exchange.source)) return [];
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
};
