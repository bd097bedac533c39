/**
 * ORIGIN_NOT_ALLOWED — no rule's AllowedOrigins matches the page origin (S9, S10), with near misses: scheme, port,
 * www, trailing slash, missing scheme (failure modes 2–5). Without a configuration, only a browser report that
 * names the mismatch (C8/F6) proves it.
 */
import type { Check, Finding } from '../types.js';
import { meantRule, noRuleMatches, otherCandidatesText, ruleCandidates, ruleTraceLines } from '../rule-analysis.js';
import { originNearMisses, originNeverMatches } from '../../replay/rules.js';
import { defineCheck, finding, hasCode } from './support.js';

export const originNotAllowedCheck: Check = defineCheck({
  id: 'origin-not-allowed',
  title: 'The page origin is in no rule',
  requires: ['page'],
  codes: {
    ORIGIN_NOT_ALLOWED: { headline: 'The page’s origin is not allowed', cause: 'cors', blocks: true, configFix: true },
  },
  evaluate(evidence, earlier): Finding[] {
    const origin = evidence.page.origin;
    if (noRuleMatches(evidence)) {
      // The rule the user meant (issue 10 item 1): the best candidate. When it matches the origin, the origin is not
      // what failed; when no rule matches or nearly matches the origin, no rule is taken as meant.
      const best = ruleCandidates(evidence)[0];
      if (!best || best.originMatched) return [];
      const meant = meantRule(evidence);
      const nearMisses = originNearMisses(evidence.config, origin);
      const nearest = meant?.nearMiss ? { rule: meant.index, text: `${meant.label}: ${meant.nearMiss.text}` } : null;
      const others = nearMisses.filter((n) => n.text !== nearest?.text);
      const replace = meant?.nearMiss && originNeverMatches(meant.nearMiss.pattern);
      return [
        finding('ORIGIN_NOT_ALLOWED', 'error', {
          rule: nearest?.rule ?? null,
          message: `No rule allows the origin \`${origin}\`${nearest ? `; nearest: ${nearest.text}` : ''}.`,
          detail: [
            'S3 compares the Origin literally with each AllowedOrigin (scheme, host and port; one `*` as a wildcard) and uses the first rule that matches origin, method and headers.', // S8, S9, S10
            ...(others.length ? [`Other near misses: ${others.map((n) => n.text).join('; ')}.`] : []),
            ...(meant
              ? [
                  `${meant.label} is taken as the rule meant for this page${meant.failing.length > 1 ? `; it also fails on ${meant.failing.filter((c) => c !== 'origin').join(' and ')} (reported separately)` : ''}.`,
                ]
              : []),
            `Per rule: ${ruleTraceLines(evidence).join('; ')}.${otherCandidatesText(evidence, meant?.index ?? null)}`,
          ].join(' '),
          evidence: [`Origin: ${origin}`, ...evidence.config.rules.map((r, i) => `rule ${i + 1} AllowedOrigins: [${r.allowedOrigins.join(', ')}]`)],
          fix: meant?.nearMiss
            ? replace
              ? `Correct \`${meant.nearMiss.pattern}\` to \`${origin}\` in ${meant.label}.`
              : `Add the exact origin \`${origin}\` to ${meant.label}, beside \`${meant.nearMiss.pattern}\`.`
            : `Add a rule for the exact origin \`${origin}\` with only the method and headers this request needs (not \`*\`).`,
        }),
      ];
    }
    const failure = evidence.observedFailure;
    if (
      !evidence.config &&
      failure &&
      /AllowOriginMismatch$/.test(failure.corsError) &&
      !hasCode(earlier, 'CACHED_RESPONSE_WITHOUT_CORS', 'CDN_NOT_FORWARDING_ORIGIN')
    ) {
      const sent = failure.failedParameter;
      return [
        finding('ORIGIN_NOT_ALLOWED', 'error', {
          message: `The response allows the origin \`${sent ?? '(another value)'}\`, not the page origin \`${origin}\`.`,
          detail:
            "S3 echoes the request Origin when a rule matches; a different value comes from a cache storing another origin's answer, a proxy, or a server that answers one fixed origin.", // S15
          evidence: [`browser: ${failure.corsError}${sent ? ` (${sent})` : ''}`],
          fix: `Allow \`${origin}\` exactly; if a CDN is in front, put Origin in its cache key.`,
        }),
      ];
    }
    return [];
  },
});
