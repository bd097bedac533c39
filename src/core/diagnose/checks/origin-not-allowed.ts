/**
 * ORIGIN_NOT_ALLOWED — no rule's AllowedOrigins matches the page origin (S9, S10), with near misses: scheme, port,
 * www, trailing slash, missing scheme (failure modes 2–5). Without a configuration, only a browser report that
 * names the mismatch (C8/F6) proves it.
 */
import type { Check, Finding } from '../types.js';
import { noRuleMatches, originNearMisses, ruleTraceLines, ruleVerdicts } from '../rule-analysis.js';
import { finding, hasCode } from './support.js';

export const originNotAllowedCheck: Check = {
  id: 'origin-not-allowed',
  title: 'The page origin is in no rule',
  requires: ['page'],
  evaluate(evidence, earlier): Finding[] {
    const origin = evidence.page!.origin;
    if (noRuleMatches(evidence)) {
      const verdicts = ruleVerdicts(evidence);
      if (verdicts.some((v) => v.originMatched)) return [];
      const nearMisses = originNearMisses(evidence.config!, origin);
      const nearest = nearMisses[0];
      return [
        finding('ORIGIN_NOT_ALLOWED', 'error', {
          rule: nearest?.rule ?? null,
          message: `No rule allows the origin \`${origin}\`${nearest ? `; nearest: ${nearest.text}` : ''}.`,
          detail: [
            'S3 compares the Origin literally with each AllowedOrigin (scheme, host and port; one `*` as a wildcard) and uses the first rule that matches origin, method and headers.', // S10, S8, S9
            ...(nearMisses.length > 1 ? [`Near misses: ${nearMisses.map((n) => n.text).join('; ')}.`] : []),
            `Per rule: ${ruleTraceLines(evidence).join('; ')}.`,
          ].join(' '),
          evidence: [`Origin: ${origin}`, ...evidence.config!.rules.map((r, i) => `rule ${i + 1} AllowedOrigins: [${r.allowedOrigins.join(', ')}]`)],
          fix: `Add the exact origin \`${origin}\` to the rule that has the methods and headers this request needs (not \`*\`).`,
        }),
      ];
    }
    const failure = evidence.observedFailure;
    if (!evidence.config && failure && /AllowOriginMismatch$/.test(failure.corsError) && !hasCode(earlier, 'CACHED_RESPONSE_WITHOUT_CORS', 'CDN_NOT_FORWARDING_ORIGIN')) {
      const sent = failure.failedParameter;
      return [
        finding('ORIGIN_NOT_ALLOWED', 'error', {
          message: `The response allows the origin \`${sent ?? '(another value)'}\`, not the page origin \`${origin}\`.`,
          detail: 'S3 echoes the request Origin when a rule matches; a different value comes from a cache storing another origin\'s answer, a proxy, or a server that answers one fixed origin.', // S15
          evidence: [`browser: ${failure.corsError}${sent ? ` (${sent})` : ''}`],
          fix: `Allow \`${origin}\` exactly; if a CDN is in front, put Origin in its cache key.`,
        }),
      ];
    }
    return [];
  },
};
