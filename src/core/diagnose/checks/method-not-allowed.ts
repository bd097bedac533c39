/**
 * METHOD_NOT_ALLOWED — the rules that match the origin do not list the method (S11; failure mode 6, including the
 * multipart POST/PUT pair).
 */
import type { Check, Finding } from '../types.js';
import { multipartCompanionMethods } from '../needs.js';
import { noRuleMatches, ruleTraceLines, ruleVerdicts } from '../rule-analysis.js';
import { bracketList } from '../wording.js';
import { finding } from './support.js';

export const methodNotAllowedCheck: Check = {
  id: 'method-not-allowed',
  title: 'The method is in no rule for this origin',
  requires: ['page'],
  evaluate(evidence): Finding[] {
    const method = evidence.page!.method;
    const multipart = multipartCompanionMethods(evidence.url);
    const multipartNote = multipart.length ? ` This is part of a multipart upload, which needs ${multipart.join(' and ')} (and DELETE to abort).` : '';
    if (noRuleMatches(evidence)) {
      const verdicts = ruleVerdicts(evidence);
      const originRules = verdicts.filter((v) => v.originMatched);
      if (!originRules.length || originRules.some((v) => v.methodMatched)) return [];
      const first = originRules[0]!;
      const methods = evidence.config!.rules[first.index]!.allowedMethods;
      const asked = first.method;
      return [
        finding('METHOD_NOT_ALLOWED', 'error', {
          rule: first.index,
          message: `${first.label} matches the origin; ${asked} is not in its AllowedMethods ${bracketList(methods)}.`,
          detail: `No rule that matches the origin allows ${asked}${asked !== method ? ` (S3 evaluates Access-Control-Request-Method)` : ''}.${multipartNote} Per rule: ${ruleTraceLines(evidence).join('; ')}.`, // S11
          evidence: originRules.map((v) => `${v.label} AllowedMethods: ${bracketList(evidence.config!.rules[v.index]!.allowedMethods)}`),
          fix: `Add ${asked} to the AllowedMethods of ${first.label}.`,
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
};
