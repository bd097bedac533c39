/** NO_CORS_CONFIG — the bucket has no CORS configuration at all (S6 on a preflight, S20 on actual requests; mode 1). */
import type { Check } from '../types.js';
import { S6_TEXT, finding } from './support.js';

export const noCorsConfigCheck: Check = {
  id: 'no-cors-config',
  title: 'The bucket has no CORS configuration',
  requires: [],
  codes: {
    NO_CORS_CONFIG: { headline: 'The bucket has no CORS configuration', cause: 'cors', blocks: true, configFix: true },
  },
  evaluate(evidence) {
    const preflightError = evidence.preflightError;
    const wireSays = preflightError !== null && preflightError.message.includes(S6_TEXT);
    const known = evidence.context.bucket?.kind === 'no-cors' && evidence.page !== null;
    if (!wireSays && !known) return [];
    const origin = evidence.page?.origin ?? '<your page origin>';
    const method = evidence.page?.method ?? evidence.exchange.request.method;
    const copiedByOthers = evidence.provider.id !== 'aws' && evidence.provider.id !== 'unknown';
    return [
      finding('NO_CORS_CONFIG', 'error', {
        message: `The bucket \`${evidence.url.bucket ?? evidence.url.host}\` has no CORS configuration, so ${evidence.provider.id === 'aws' || evidence.provider.id === 'unknown' ? 'S3' : evidence.provider.name} refuses every cross-origin request to it.`,
        detail: wireSays
          ? `S3's preflight answer "CORSResponse: CORS is not enabled for this bucket." (403 AccessForbidden) proves it.${copiedByOthers ? ` ${evidence.provider.name} copies this AWS text; check its own CORS setting.` : ''} If you did configure CORS, the apply failed or went to another bucket (an invalid rule such as OPTIONS in AllowedMethods makes the whole PutBucketCors fail).` // S6
          : 'The bucket was given as having no CORS configuration; S3 answers preflights 403 and actual requests without CORS headers.', // S20, S6
        evidence: wireSays ? [`preflight 403 AccessForbidden: ${preflightError.message}`] : ['bucket state: no CORS configuration'],
        fix: `Add a rule for \`${origin}\` allowing ${method} (the proposed configuration below is the smallest that passes). If you do not own the bucket, make the request CORS-simple (plain GET, no custom headers) or proxy it.`,
      }),
    ];
  },
};
