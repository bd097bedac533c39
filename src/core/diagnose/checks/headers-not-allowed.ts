/**
 * HEADERS_NOT_ALLOWED — a rule matches origin and method, but a requested header is not in its AllowedHeaders
 * (S12, S13; failure modes 8–10), naming each header and flagging AWS SDK auto-headers.
 */
import type { Check, Finding } from '../types.js';
import { noRuleMatches, ruleTraceLines, ruleVerdicts } from '../rule-analysis.js';
import { bracketList, listText, plural } from '../wording.js';
import { finding } from './support.js';

/** Headers the AWS SDK for JavaScript v3 adds by itself (failure mode 9). */
const SDK_AUTO_HEADERS = new Set(['amz-sdk-invocation-id', 'amz-sdk-request', 'x-amz-user-agent', 'x-amz-content-sha256', 'x-amz-date', 'authorization', 'x-amz-security-token']);

function sdkNote(headers: string[]): string {
  const auto = headers.filter((h) => SDK_AUTO_HEADERS.has(h));
  return auto.length ? ` ${listText(auto)} ${plural(auto.length, 'is', 'are')} added by the AWS SDK itself; for SDK uploads allow \`authorization\`, \`content-type\`, \`x-amz-*\`, \`amz-sdk-invocation-id\` and \`amz-sdk-request\`.` : '';
}

export const headersNotAllowedCheck: Check = {
  id: 'headers-not-allowed',
  title: 'A requested header is not allowed',
  requires: ['page'],
  evaluate(evidence): Finding[] {
    if (noRuleMatches(evidence)) {
      const verdicts = ruleVerdicts(evidence);
      const candidates = verdicts.filter((v) => v.originMatched && v.methodMatched);
      if (!candidates.length) return [];
      const first = candidates[0]!;
      const rule = evidence.config!.rules[first.index]!;
      const missing = first.missingHeaders;
      return [
        finding('HEADERS_NOT_ALLOWED', 'error', {
          rule: first.index,
          message: `${first.label} matches origin and method; ${plural(missing.length, 'header', 'headers')} ${listText(missing)} ${plural(missing.length, 'is', 'are')} not in its AllowedHeaders ${bracketList(rule.allowedHeaders)}.`,
          detail: `Every name in Access-Control-Request-Headers must match an AllowedHeader of the same rule (case-insensitive, \`*\` as a wildcard); one unmatched name fails the rule, and S3's 403 does not say which.${sdkNote(missing)}${candidates.length > 1 ? ` Other rules matching origin and method: ${candidates.slice(1).map((c) => `${c.label} lacks ${listText(c.missingHeaders)}`).join('; ')}.` : ''} Per rule: ${ruleTraceLines(evidence).join('; ')}.`, // S12, S16
          evidence: [`Access-Control-Request-Headers: ${evidence.plan?.request?.headers['access-control-request-headers'] ?? ''}`, `${first.label} AllowedHeaders: ${bracketList(rule.allowedHeaders)}`],
          fix: `Add ${listText(missing)} to the AllowedHeaders of ${first.label}.`,
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
};
