/**
 * OPTIONS_IN_ALLOWED_METHODS / CONFIG_REJECTED — PutBucketCors would refuse this configuration (spec §5, K1–K4), so
 * the apply failed and the bucket kept its previous configuration or none (failure modes 7 and 14).
 */
import { validatePolicy } from '../../policy/index.js';
import type { Check, Finding } from '../types.js';
import { ruleLabel } from '../../replay/wording.js';
import { defineCheck, finding } from './support.js';

export const configRejectedCheck: Check = defineCheck({
  id: 'config-rejected',
  title: 'PutBucketCors would reject the configuration',
  requires: ['config'],
  codes: {
    CONFIG_REJECTED: { headline: 'S3 would refuse this CORS configuration', cause: 'cors', blocks: false, configFix: false },
    OPTIONS_IN_ALLOWED_METHODS: { headline: 'OPTIONS is listed as an allowed method', cause: 'cors', blocks: false, configFix: true },
  },
  evaluate(evidence) {
    const config = evidence.config;
    const errors = validatePolicy(config);
    const out: Finding[] = [];
    const options = errors.filter((e) => /Unsupported method is OPTIONS/i.test(e.message));
    // Older s3rver releases stored and applied a configuration listing OPTIONS (s3rver issue 346, 2018: its rules
    // answered the preflight); current ones refuse it when the configuration is loaded, with AWS's message
    // (lib/models/config.js, also for configureBuckets), so a bucket answering with these rules had it accepted.
    // Which release introduced the check is not recorded here. Only an informational note
    // there: OPTIONS is still to be removed before the configuration goes to AWS. The store is s3rver only as
    // detectProvider says: by s3rver's default ports (4568, or 4569 under serverless-s3-local) on a loopback host,
    // which is a guess the server's own headers overrule; AWS and unrecognised hosts keep the error.
    const acceptedHere = evidence.provider.id === 's3rver';
    for (const error of options) {
      if (acceptedHere) {
        out.push(
          finding('OPTIONS_IN_ALLOWED_METHODS', 'info', {
            rule: error.rule,
            message: `${error.rule !== null ? `${ruleLabel(config, error.rule)} lists` : 'The configuration lists'} OPTIONS in AllowedMethods; older s3rver releases accept that, but AWS (and current s3rver) reject the whole configuration ("${error.message}").`,
            detail:
              'The endpoint looks like s3rver (a local address on its default port, 4568 or 4569). Preflights are answered for every allowed method; OPTIONS is not a valid AllowedMethod on AWS, so this configuration would not apply there.',
            evidence: [`${error.code}: ${error.message}`, `endpoint identified as ${evidence.provider.name}`],
            fix: 'Remove OPTIONS from AllowedMethods before using this configuration on AWS.',
          }),
        );
        continue;
      }
      out.push(
        finding('OPTIONS_IN_ALLOWED_METHODS', 'error', {
          rule: error.rule,
          message: `${error.rule !== null ? `${ruleLabel(config, error.rule)} lists` : 'The configuration lists'} OPTIONS in AllowedMethods; S3 rejects the whole configuration ("${error.message}"), so it was never applied.`,
          detail:
            'Preflights are answered automatically for every allowed method; OPTIONS is not a valid AllowedMethod. In an IaC pipeline the whole CORS resource fails to apply, so the bucket keeps its old configuration or none.', // K1, failure mode 7
          evidence: [`${error.code}: ${error.message}`],
          fix: 'Remove OPTIONS from AllowedMethods and apply the configuration again.',
        }),
      );
    }
    const others = errors.filter((e) => !options.includes(e));
    const [first] = others;
    if (first) {
      out.push(
        finding('CONFIG_REJECTED', 'error', {
          rule: first.rule,
          message: `PutBucketCors would reject this configuration (${first.code}: ${first.message}), so it cannot be what the bucket has.`,
          detail: `${others.map((e) => `${e.rule !== null ? `${ruleLabel(config, e.rule)}: ` : ''}${e.code} ${e.message}${e.evidence !== 'recorded' ? ` (${e.evidence})` : ''}`).join('; ')}. A failed apply leaves the previous configuration in place.`, // failure mode 14
          evidence: others.map((e) => `${e.code}: ${e.message}`),
          fix: 'Fix the configuration (see `s3-cors-doctor lint`), apply it, and read it back with `aws s3api get-bucket-cors`.',
        }),
      );
    }
    return out;
  },
});
