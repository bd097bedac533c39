/**
 * HEADERS_NOT_ALLOWED — a rule matches origin and method, but a requested header is not in its AllowedHeaders
 * (S12, S13; failure modes 8–10), naming each header and flagging AWS SDK auto-headers.
 */
import type { Check, Finding } from '../types.js';
import { meantRule, noRuleMatches, otherCandidatesText, ruleCandidates, ruleTraceLines } from '../rule-analysis.js';
import { otherOriginsServed } from '../../replay/rules.js';
import { bracketList, listText, plural } from '../../replay/wording.js';
import { defineCheck, finding } from './support.js';
import { must } from '../../must.js';

/** Headers the AWS SDK for JavaScript v3 adds by itself (failure mode 9). */
const SDK_AUTO_HEADERS = new Set([
  'amz-sdk-invocation-id',
  'amz-sdk-request',
  'x-amz-user-agent',
  'x-amz-content-sha256',
  'x-amz-date',
  'authorization',
  'x-amz-security-token',
]);

function sdkNote(headers: string[]): string {
  const auto = headers.filter((h) => SDK_AUTO_HEADERS.has(h));
  return auto.length
    ? ` ${listText(auto)} ${plural(auto.length, 'is', 'are')} added by the AWS SDK itself; for SDK uploads allow \`authorization\`, \`content-type\`, \`x-amz-*\`, \`amz-sdk-invocation-id\` and \`amz-sdk-request\`.`
    : '';
}

export const headersNotAllowedCheck: Check = defineCheck({
  id: 'headers-not-allowed',
  title: 'A requested header is not allowed',
  requires: ['page'],
  codes: {
    HEADERS_NOT_ALLOWED: { headline: 'A request header is not allowed', cause: 'cors', blocks: true, configFix: true },
  },
  evaluate(evidence): Finding[] {
    if (noRuleMatches(evidence)) {
      // Reported for the rule the user meant (issue 10 item 1), beside any other failing condition of it.
      const meant = meantRule(evidence);
      if (!meant || !meant.missingHeaders.length) return [];
      const rule = must(evidence.config.rules[meant.index], 'a candidate indexes a rule of this configuration');
      const origin = evidence.page.origin;
      const missing = meant.missingHeaders;
      const others = meant.sharedOrigins ? otherOriginsServed(rule.allowedOrigins, origin) : null;
      const also = ruleCandidates(evidence).filter((c) => c.index !== meant.index && c.originMatched && c.methodMatched && c.missingHeaders.length);
      return [
        finding('HEADERS_NOT_ALLOWED', 'error', {
          rule: meant.index,
          message: `${meant.label} ${meant.originMatched ? (meant.methodMatched ? 'matches origin and method' : 'matches the origin') : 'is the rule meant for this origin'}; ${plural(missing.length, 'header', 'headers')} ${listText(missing)} ${plural(missing.length, 'is', 'are')} not in its AllowedHeaders ${bracketList(rule.allowedHeaders)}.`,
          detail: `Every name in Access-Control-Request-Headers must match an AllowedHeader of the same rule (case-insensitive, \`*\` as a wildcard); one unmatched name fails the rule, and S3's 403 does not say which.${sdkNote(missing)}${others ? ` ${meant.label} also serves ${others}, so the ${plural(missing.length, 'header is', 'headers are')} not added to it.` : ''}${also.length ? ` Other rules matching origin and method: ${also.map((c) => `${c.label} lacks ${listText(c.missingHeaders)}`).join('; ')}.` : ''} Per rule: ${ruleTraceLines(evidence).join('; ')}.${otherCandidatesText(evidence, meant.index)}`,
          evidence: [
            `Access-Control-Request-Headers: ${evidence.plan?.request?.headers['access-control-request-headers'] ?? ''}`,
            `${meant.label} AllowedHeaders: ${bracketList(rule.allowedHeaders)}`,
          ],
          fix: others
            ? `Add a rule for the exact origin \`${origin}\` allowing ${listText(missing)} (not on ${meant.label}, which ${others} may use).`
            : `Add ${listText(missing)} to the AllowedHeaders of ${meant.label}.`,
        }),
      ];
    }
    const failure = evidence.observedFailure;
    if (!evidence.config && failure?.corsError === 'HeaderDisallowedByPreflightResponse') {
      const name = (failure.failedParameter ?? '').toLowerCase();
      return [
        finding('HEADERS_NOT_ALLOWED', 'error', {
          message: `The preflight answer does not allow the request header \`${name || '(unnamed)'}\`.`,
          detail: `The browser names the header. S3 itself answers such a preflight 403 without naming it; a 200 that omits the header comes from a proxy, CDN or emulator.${sdkNote(name ? [name] : [])}`, // C5, F3, S16
          evidence: [`browser: HeaderDisallowedByPreflightResponse${name ? ` (${name})` : ''}`],
          fix: `Add \`${name || 'the header'}\` to the AllowedHeaders of the rule for this origin and method.`,
        }),
      ];
    }
    return [];
  },
});
