/**
 * METHOD_NOT_ALLOWED — the rules that match the origin do not list the method (S11; failure mode 6, including the
 * multipart POST/PUT pair).
 */
import type { Check, Finding } from '../types.js';
import { multipartCompanionMethods } from '../../replay/needs.js';
import { meantRule, noRuleMatches, otherCandidatesText, ruleTraceLines, ruleVerdicts } from '../rule-analysis.js';
import { otherOriginsServed } from '../../replay/rules.js';
import { bracketList } from '../../replay/wording.js';
import { B2_NATIVE_OPERATIONS, B2_OPERATION_OF_METHOD } from '../../policy/formats/b2-json.js';
import { defineCheck, finding } from './support.js';
import { must } from '../../must.js';

export const methodNotAllowedCheck: Check = defineCheck({
  id: 'method-not-allowed',
  title: 'The method is in no rule for this origin',
  requires: ['page'],
  codes: {
    METHOD_NOT_ALLOWED: { headline: 'The request method is not allowed', cause: 'cors', blocks: true, configFix: true },
  },
  evaluate(evidence): Finding[] {
    const page = evidence.page;
    const method = page.method;
    const multipart = multipartCompanionMethods(evidence.url);
    const multipartNote = multipart.length ? ` This is part of a multipart upload, which needs ${multipart.join(' and ')} (and DELETE to abort).` : '';
    if (noRuleMatches(evidence)) {
      // Reported for the rule the user meant (issue 10 item 1), beside any other failing condition of it.
      const meant = meantRule(evidence);
      if (!meant || meant.methodMatched) return [];
      const config = evidence.config;
      const rule = must(config.rules[meant.index], 'a candidate indexes a rule of this configuration');
      const asked = meant.method;
      const others = meant.sharedOrigins ? otherOriginsServed(rule.allowedOrigins, page.origin) : null;
      // A Backblaze B2 rule names operations: its native-API ones never allow a request through the S3-compatible API.
      const b2 = rule.provider?.form === 'b2' ? rule.provider : undefined;
      const operation = b2 ? B2_OPERATION_OF_METHOD[asked] : undefined;
      const native = b2?.otherOperations.filter((op) => B2_NATIVE_OPERATIONS.includes(op)) ?? [];
      const listed = b2 ? `allowedOperations ${bracketList(b2.operations)}` : `AllowedMethods ${bracketList(rule.allowedMethods)}`;
      const nativeNote = native.length
        ? ` ${native.join(', ')} ${native.length === 1 ? 'is a' : 'are'} B2 native API operation${native.length === 1 ? '' : 's'}: ${native.length === 1 ? 'it applies' : 'they apply'} to B2's own API only, never to a request through the S3-compatible API such as this one${operation ? `, which needs ${operation}` : ''}.`
        : '';
      return [
        finding('METHOD_NOT_ALLOWED', 'error', {
          rule: meant.index,
          message: `${meant.label} ${meant.originMatched ? 'matches the origin' : 'is the rule meant for this origin'}; ${asked}${operation ? ` (${operation})` : ''} is not in its ${listed}.`,
          detail: `No rule that matches the origin allows ${asked}${asked !== method ? ` (S3 evaluates Access-Control-Request-Method)` : ''}.${nativeNote}${multipartNote}${others ? ` ${meant.label} also serves ${others}, so ${asked} is not added to it: that would let ${others} use ${asked} too.` : ''} Per rule: ${ruleTraceLines(evidence).join('; ')}.${otherCandidatesText(evidence, meant.index)}`,
          evidence: ruleVerdicts(evidence)
            .filter((v) => v.originMatched || v.index === meant.index)
            .map(
              (v) => `${v.label} AllowedMethods: ${bracketList(must(config.rules[v.index], 'a verdict indexes a rule of this configuration').allowedMethods)}`,
            ),
          fix: others
            ? `Add a rule for the exact origin \`${page.origin}\` allowing ${operation ?? asked} (not ${operation ?? asked} on ${meant.label}, which ${others} may use).`
            : operation
              ? `Add ${operation} to the allowedOperations of ${meant.label}.`
              : `Add ${asked} to the AllowedMethods of ${meant.label}.`,
        }),
      ];
    }
    const failure = evidence.observedFailure;
    if (!evidence.config && failure?.corsError === 'MethodDisallowedByPreflightResponse') {
      return [
        finding('METHOD_NOT_ALLOWED', 'error', {
          message: `The preflight answer does not list ${failure.failedParameter ?? method} in Access-Control-Allow-Methods.`,
          detail: `S3 itself refuses such a preflight with 403; a 200 that omits the method comes from a proxy, CDN or emulator writing its own CORS headers.${multipartNote}`, // S16
          evidence: [`browser: MethodDisallowedByPreflightResponse${failure.failedParameter ? ` (${failure.failedParameter})` : ''}`],
          fix: `Allow ${method} for this origin in the bucket rule (and in whatever answers the preflight).`,
        }),
      ];
    }
    return [];
  },
});
