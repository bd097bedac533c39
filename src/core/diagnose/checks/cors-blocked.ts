/**
 * CORS_BLOCKED — the browser blocked the response for a reason no more specific check explains (a proxy doubling
 * Access-Control-Allow-Origin, an invalid Allow-Credentials, …): report the browser's own reason and words.
 */
import type { Check, Finding } from '../types.js';
import { finding } from './support.js';

export const corsBlockedCheck: Check = {
  id: 'cors-blocked',
  title: 'Blocked by the browser\'s CORS check',
  requires: [],
  evaluate(evidence, earlier): Finding[] {
    // Any earlier error or warning already explains the block better than the browser's bare reason.
    if (earlier.some((f) => f.severity !== 'info')) return [];
    const failure = evidence.observedFailure ?? evidence.model?.browser.failure ?? null;
    if (!failure) return [];
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
