/**
 * CREDENTIALS_WITH_WILDCARD_ORIGIN — a credentialed request (cookies, withCredentials) answered
 * `Access-Control-Allow-Origin: *`; the Fetch standard's CORS check fails (S15: S3 sends `*` for a `*` rule; mode 12).
 */
import type { Check, Finding } from '../types.js';
import { usedRule } from '../rule-analysis.js';
import { ruleLabel } from '../../replay/wording.js';
import { defineCheck, finding } from './support.js';

const WILDCARD_ERRORS = new Set(['WildcardOriginNotAllowed', 'PreflightWildcardOriginNotAllowed']);

export const credentialsWithWildcardOriginCheck: Check = defineCheck({
  id: 'credentials-with-wildcard-origin',
  title: 'Credentials with a wildcard origin',
  requires: ['page'],
  codes: {
    CREDENTIALS_WITH_WILDCARD_ORIGIN: { headline: 'Credentials cannot be sent to a wildcard origin', cause: 'cors', blocks: true, configFix: true },
  },
  evaluate(evidence): Finding[] {
    if (!evidence.credentialsInclude) return [];
    const observedWildcard = evidence.facts.preflight?.allowOrigin === '*' || evidence.facts.actual?.allowOrigin === '*';
    const reportedError = evidence.observedFailure?.corsError;
    const reported = reportedError !== undefined && WILDCARD_ERRORS.has(reportedError);
    const modelled = WILDCARD_ERRORS.has(evidence.model?.browser.failure?.corsError ?? '');
    if (!observedWildcard && !reported && !modelled) return [];
    const rule = usedRule(evidence);
    // Only a rule whose matching AllowedOrigin is `*` makes S3 answer `*` (S15); a look-alike may send `*` for an
    // explicit origin (s3rver does), and then the rule is not to blame.
    const ruleSendsWildcard = rule !== null && evidence.model?.deciding.trace[rule]?.origin.by === '*';
    const origin = evidence.page.origin;
    const inferred = evidence.credentialsInferred === true;
    const inferredDetail = inferred
      ? ` The credentials mode is inferred, not recorded: the capture shows no Cookie header, but the browser failed the request (${evidence.exchange.error}) although its answer passes the CORS check for a request without credentials; a request with credentials (fetch \`credentials: "include"\`, XMLHttpRequest \`withCredentials\`) is the one that fails on it.`
      : '';
    return [
      finding('CREDENTIALS_WITH_WILDCARD_ORIGIN', 'error', {
        rule,
        message: `The request is sent with credentials, and ${ruleSendsWildcard ? `${ruleLabel(evidence.config, rule)} allows origin \`*\`, so S3 answers` : 'the response has'} \`Access-Control-Allow-Origin: *\`, which browsers refuse for credentialed requests.`,
        detail: `With credentials mode "include" the browser requires the exact origin and \`Access-Control-Allow-Credentials: true\` (Fetch standard, CORS check). S3 echoes the origin and sends Allow-Credentials only when the matching AllowedOrigin is not \`*\`.${inferredDetail}`,
        evidence: [
          inferred
            ? `credentials mode: include (inferred from ${evidence.exchange.error} on a ${evidence.actualResponse?.status ?? 0} answer)`
            : `credentials mode: include`,
          ...(observedWildcard ? ['Access-Control-Allow-Origin: *'] : []),
          ...(reported ? [`browser: ${reportedError}`] : []),
        ],
        fix: `List \`${origin}\` explicitly in a rule placed before the \`*\` rule (S3 then echoes it), or stop sending credentials — presigned URLs never need cookies.`,
      }),
    ];
  },
});
