/**
 * CDN_NOT_FORWARDING_ORIGIN — CloudFront in front of S3 without forwarding Origin/Access-Control-Request-* (or
 * without OPTIONS in the behaviour): S3 never sees a CORS request and answers without CORS headers (S1, mode 20).
 */
import type { Check } from '../types.js';
import { cloudFrontSignals, defineCheck, finding } from './support.js';

export const cdnNotForwardingOriginCheck: Check = defineCheck({
  id: 'cdn-not-forwarding-origin',
  title: 'CloudFront does not forward the CORS request headers',
  requires: ['page'],
  codes: {
    CDN_NOT_FORWARDING_ORIGIN: { headline: 'The CDN does not pass the Origin header to S3', cause: 'cors', blocks: true, configFix: false },
  },
  evaluate(evidence) {
    // A no-cors load (an <img>, <link> or visit without Origin) gets no CORS headers from S3 by design (S1), through a
    // CDN or not: nothing to blame on the CDN. NOT_A_CORS_REQUEST says so, and a later CORS request replayed from its
    // stored answer is CACHED_RESPONSE_WITHOUT_CORS.
    if (evidence.page.mode === 'no-cors') return [];
    const preflight = evidence.preflightResponse;
    const actual = evidence.actualResponse;
    const preflightSignals = cloudFrontSignals(evidence.facts.preflight);
    const actualSignals = cloudFrontSignals(evidence.facts.actual);
    // CloudFront itself refused OPTIONS: the cache behaviour does not allow it.
    if (preflight && preflightSignals.length && preflight.status >= 400 && !evidence.preflightError) {
      return [
        finding('CDN_NOT_FORWARDING_ORIGIN', 'error', {
          message: `CloudFront answered the preflight ${preflight.status} itself: the cache behaviour does not allow OPTIONS or does not forward the CORS headers to S3.`,
          detail:
            "The response comes from CloudFront, not from S3's CORS evaluation (no S3 error body). S3 can answer a preflight only if CloudFront passes OPTIONS with Origin and Access-Control-Request-* through.", // failure mode 20
          evidence: preflightSignals,
          fix: 'Allow `GET, HEAD, OPTIONS` in the behaviour, cache OPTIONS, and attach the managed origin request policy `CORS-S3Origin` (or forward Origin, Access-Control-Request-Method and Access-Control-Request-Headers).',
        }),
      ];
    }
    const response = evidence.facts.actual ?? evidence.facts.preflight;
    const signals = actual ? actualSignals : preflightSignals;
    if (!response || !signals.length || response.allowOrigin !== undefined) return [];
    const fromS3 = /AmazonS3/i.test(response.server ?? '');
    const hit = /hit/i.test(response.xCache ?? '');
    return [
      finding('CDN_NOT_FORWARDING_ORIGIN', hit ? 'warning' : 'error', {
        message: `The response came through CloudFront${fromS3 ? ' from S3' : ''} without Access-Control-Allow-Origin: CloudFront is likely not forwarding the Origin header, so S3 answered as for a non-CORS request.`,
        detail: `S3 adds CORS headers only when the request carries Origin; CloudFront strips it unless the origin request policy forwards it.${hit ? ' This answer was a cache hit, so it may also be a stored non-CORS response (see CACHED_RESPONSE_WITHOUT_CORS).' : ''} Confirm by requesting the object directly from the S3 endpoint with the same Origin: if that answer has Access-Control-Allow-Origin, the bucket rules are fine.`, // S1
        evidence: [...signals, ...(fromS3 ? ['Server: AmazonS3'] : []), 'no Access-Control-Allow-Origin'],
        fix: 'Attach the managed origin request policy `CORS-S3Origin` (forwards Origin, Access-Control-Request-Method, Access-Control-Request-Headers) and include Origin in the cache key, then invalidate the cached objects.',
      }),
    ];
  },
});
