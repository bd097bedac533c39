/**
 * CONFIG_NOT_APPLIED — the given configuration allows the request, yet the captured answer refused it: the live
 * configuration differs (IaC drift, failed apply) or has not propagated, or a stale preflight was reused (modes 14, 23).
 */
import type { Check } from '../types.js';
import { S16_TEXT, S6_TEXT, defineCheck, finding, hasCode } from './support.js';
import { isCephFormPost } from './success-without-cors-headers.js';

const EXPLAINED_ELSEWHERE = [
  'CACHED_RESPONSE_WITHOUT_CORS',
  'CDN_NOT_FORWARDING_ORIGIN',
  'NOT_CORS_NETWORK_ERROR',
  'NOT_CORS_SIGNATURE_MISMATCH',
  'NOT_CORS_REQUEST_EXPIRED',
  'NOT_CORS_ACCESS_DENIED',
  'PREFLIGHT_REDIRECT',
  'REGION_REDIRECT',
  'PRIVATE_NETWORK_ACCESS',
  'MIXED_CONTENT',
  'PROVIDER_QUIRK',
  'BUCKET_NOT_FOUND',
  'SERVICE_ENDPOINT_NO_CORS',
  'UNSUPPORTED_ENDPOINT',
];

/** Where a provider documents a longer delay before a CORS change applies. */
const PROPAGATION: Record<string, string> = { r2: '; R2 up to 30 s', gcs: '; Google Cloud Storage up to 30 s' };

export const configNotAppliedCheck: Check = defineCheck({
  id: 'config-not-applied',
  title: 'The live configuration is not the one given',
  requires: ['config', 'model'],
  codes: {
    CONFIG_NOT_APPLIED: { headline: 'The CORS configuration has not taken effect', cause: 'cors', blocks: false, configFix: false },
  },
  evaluate(evidence, earlier) {
    // An invalid configuration (OPTIONS_IN_ALLOWED_METHODS, CONFIG_REJECTED) already says why it is not live.
    const model = evidence.model;
    if (model.browser.outcome !== 'allowed' || hasCode(earlier, ...EXPLAINED_ELSEWHERE, 'OPTIONS_IN_ALLOWED_METHODS', 'CONFIG_REJECTED')) return [];
    const s3Refused = evidence.preflightError?.message.includes(S6_TEXT) || evidence.preflightError?.message.includes(S16_TEXT);
    if (!s3Refused && !evidence.observedFailure) return [];
    // Ceph's 204 to a form POST lacks CORS headers whatever the rules say (mode 28): the configuration may well be live.
    if (!s3Refused && isCephFormPost(evidence) && (evidence.actualResponse?.status ?? 0) >= 200 && (evidence.actualResponse?.status ?? 0) < 300) return [];
    // S3 never answers `*` for a rule naming the origin (S15), but look-alikes do (s3rver): off AWS, a wildcard answer
    // to a credentialed request is that server's doing, not a sign that another configuration is live.
    const wildcardAnswer =
      /WildcardOriginNotAllowed$/.test(evidence.observedFailure?.corsError ?? '') ||
      evidence.facts.actual?.allowOrigin === '*' ||
      evidence.facts.preflight?.allowOrigin === '*';
    if (evidence.provider.id !== 'aws' && evidence.credentialsInclude && wildcardAnswer) return [];
    const { preflightError, observedFailure } = evidence;
    const refusal = preflightError
      ? `S3 answered the preflight "${preflightError.message}"`
      : observedFailure
        ? `the browser reported ${observedFailure.corsError}`
        : null;
    if (refusal === null) return [];
    return [
      finding('CONFIG_NOT_APPLIED', 'warning', {
        message: `The configuration you gave allows this request, but ${refusal}: the bucket's live configuration is not this one.`,
        detail: `Typical causes: the apply failed or went to another bucket (IaC drift, a CDK/Terraform property silently dropped), the change has not propagated yet (seconds${PROPAGATION[evidence.provider.id] ?? ''}), or the browser reused a preflight cached under the old rules (up to Access-Control-Max-Age).`,
        evidence: [refusal],
        fix: 'Read the live configuration (`aws s3api get-bucket-cors --bucket <bucket>`) and diff it with yours; re-apply; retest with the cache disabled or in a new profile.',
      }),
    ];
  },
});
