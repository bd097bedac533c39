/**
 * RULE_SHADOWED — the first matching rule wins (S8); a later rule that would give what the request needs (ETag
 * exposed, an echoed origin for credentials) is never used (failure mode 13).
 */
import { matchOrigin } from '../../s3/index.js';
import type { Check, Finding } from '../types.js';
import { usedRule, ruleVerdicts } from '../rule-analysis.js';
import { listText, ruleLabel } from '../../replay/wording.js';
import { defineCheck, finding } from './support.js';
import { must } from '../../must.js';

export const ruleShadowedCheck: Check = defineCheck({
  id: 'rule-shadowed',
  title: 'An earlier rule shadows the one that would work',
  requires: ['page', 'config', 'model'],
  codes: {
    RULE_SHADOWED: { headline: 'An earlier rule hides a later one', cause: 'cors', blocks: false, configFix: true },
  },
  evaluate(evidence): Finding[] {
    const config = evidence.config;
    const used = usedRule(evidence);
    if (used === null) return [];
    const origin = evidence.page.origin;
    const usedRuleValue = must(config.rules[used], 'the model matched a rule of this configuration');
    const usedExposes = new Set(usedRuleValue.exposeHeaders.map((h) => h.toLowerCase()));
    const missingExpose = evidence.needsReadable.filter((h) => !usedExposes.has(h.toLowerCase()));
    const matchingOrigin = usedRuleValue.allowedOrigins.find((pattern) => matchOrigin(pattern, origin));
    const wildcardForCredentials = evidence.credentialsInclude && matchingOrigin === '*';
    if (!missingExpose.length && !wildcardForCredentials) return [];
    for (const later of ruleVerdicts(evidence)) {
      if (later.index <= used || !later.matched) continue;
      const rule = must(config.rules[later.index], 'a verdict indexes a rule of this configuration');
      const exposes = new Set(rule.exposeHeaders.map((h) => h.toLowerCase()));
      const givesExpose = missingExpose.length > 0 && missingExpose.every((h) => exposes.has(h.toLowerCase()));
      const givesExactOrigin = wildcardForCredentials && rule.allowedOrigins.some((pattern) => pattern !== '*' && matchOrigin(pattern, origin));
      if (!givesExpose && !givesExactOrigin) continue;
      const what = givesExpose ? `exposes ${listText(missingExpose)}` : `lists \`${origin}\` explicitly, so S3 would echo it for credentials`;
      return [
        finding('RULE_SHADOWED', 'error', {
          rule: later.index,
          message: `${ruleLabel(config, used)} matches first and wins; ${later.label} would also match and ${what}, but it is never used.`, // S8
          detail:
            'S3 uses the first rule that matches origin, method and headers, and that rule alone supplies every response header; later rules are never merged in.', // S8
          evidence: [`used: ${ruleLabel(config, used)}`, `shadowed: ${later.label}`],
          fix: `Move ${later.label} before ${ruleLabel(config, used)} (specific rules before broad ones).`,
        }),
      ];
    }
    return [];
  },
});
