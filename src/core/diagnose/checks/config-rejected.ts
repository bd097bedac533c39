/**
 * OPTIONS_IN_ALLOWED_METHODS / CONFIG_REJECTED — PutBucketCors would refuse this configuration (spec §5, K1–K4), so
 * the apply failed and the bucket kept its previous configuration or none (failure modes 7 and 14).
 */
import { validatePolicy, type PolicyError } from '../../policy/index.js';
import type { CorsConfiguration } from '../../policy/types.js';
import type { Check, Finding } from '../types.js';
import { ruleLabel } from '../../replay/wording.js';
import { finding } from './support.js';

/**
 * validatePolicy's verdict per configuration object: a triage judges every request against the same few
 * configurations. Like the S3 model's compiled forms (src/core/s3/compile.ts), configurations are treated as
 * immutable values — the verdict is recomputed when the rules array or one of its rule objects is replaced.
 */
const verdicts = new WeakMap<CorsConfiguration, { rules: unknown; ruleObjects: unknown[]; errors: PolicyError[] }>();

function validationErrors(config: CorsConfiguration): PolicyError[] {
  if (config === null || typeof config !== 'object') return validatePolicy(config);
  const list: unknown[] = Array.isArray(config.rules) ? config.rules : [];
  const known = verdicts.get(config);
  if (known && known.rules === config.rules && known.ruleObjects.length === list.length && known.ruleObjects.every((rule, i) => rule === list[i])) return known.errors;
  const errors = validatePolicy(config);
  verdicts.set(config, { rules: config.rules, ruleObjects: [...list], errors });
  return errors;
}

export const configRejectedCheck: Check = {
  id: 'config-rejected',
  title: 'PutBucketCors would reject the configuration',
  requires: ['config'],
  codes: {
    CONFIG_REJECTED: { headline: 'S3 would refuse this CORS configuration', cause: 'cors', blocks: false, configFix: false },
    OPTIONS_IN_ALLOWED_METHODS: { headline: 'OPTIONS is listed as an allowed method', cause: 'cors', blocks: false, configFix: true },
  },
  evaluate(evidence) {
    const config = evidence.config!;
    const errors = validationErrors(config);
    const out: Finding[] = [];
    const options = errors.filter((e) => /Unsupported method is OPTIONS/i.test(e.message));
    for (const error of options) {
      out.push(
        finding('OPTIONS_IN_ALLOWED_METHODS', 'error', {
          rule: error.rule,
          message: `${error.rule !== null ? `${ruleLabel(config, error.rule)} lists` : 'The configuration lists'} OPTIONS in AllowedMethods; S3 rejects the whole configuration ("${error.message}"), so it was never applied.`,
          detail: 'Preflights are answered automatically for every allowed method; OPTIONS is not a valid AllowedMethod. In an IaC pipeline the whole CORS resource fails to apply, so the bucket keeps its old configuration or none.', // K1, failure mode 7
          evidence: [`${error.code}: ${error.message}`],
          fix: 'Remove OPTIONS from AllowedMethods and apply the configuration again.',
        }),
      );
    }
    const others = errors.filter((e) => !options.includes(e));
    if (others.length) {
      const first = others[0]!;
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
};
