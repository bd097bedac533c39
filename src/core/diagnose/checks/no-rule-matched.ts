/**
 * NO_RULE_MATCHED — without the configuration: S3 proves a configuration exists but no rule matched (S16), or served
 * an actual request without CORS headers (S19/S20). It never says which condition failed, so this finding lists
 * exactly what the rules must cover and what to check.
 */
import { requestedHeaders } from '../../fix/request-shape.js';
import type { Check, Finding } from '../types.js';
import { listText } from '../../replay/wording.js';
import { S16_TEXT, S6_TEXT, defineCheck, finding, hasCode, storeName } from './support.js';

const EXPLAINED_ELSEWHERE = [
  'NO_CORS_CONFIG',
  'BUCKET_NOT_FOUND',
  'ORIGIN_NOT_ALLOWED',
  'METHOD_NOT_ALLOWED',
  'HEADERS_NOT_ALLOWED',
  'CACHED_RESPONSE_WITHOUT_CORS',
  'CDN_NOT_FORWARDING_ORIGIN',
  'PREFLIGHT_REDIRECT',
  'REGION_REDIRECT',
  'SERVICE_ENDPOINT_NO_CORS',
  'UNSUPPORTED_ENDPOINT',
  'NOT_CORS_NETWORK_ERROR',
  'PRIVATE_NETWORK_ACCESS',
  'MIXED_CONTENT',
  'NOT_CORS_SIGNATURE_MISMATCH',
  'NOT_CORS_REQUEST_EXPIRED',
  'NOT_CORS_ACCESS_DENIED',
];

export const noRuleMatchedCheck: Check = defineCheck({
  id: 'no-rule-matched',
  title: 'S3 found no matching rule (configuration unknown)',
  requires: ['page'],
  codes: {
    NO_RULE_MATCHED: { headline: 'No CORS rule matches this request', cause: 'cors', blocks: true, configFix: true },
  },
  evaluate(evidence, earlier): Finding[] {
    // A provider or checksum warning says how things differ, not which condition failed; the error variants explain it.
    if (
      evidence.config ||
      hasCode(earlier, ...EXPLAINED_ELSEWHERE) ||
      earlier.some((f) => (f.code === 'PROVIDER_QUIRK' || f.code === 'SDK_CHECKSUM_HEADERS') && f.severity === 'error')
    )
      return [];
    const page = evidence.page;
    const requested = evidence.plan ? requestedHeaders(page, evidence.plan) : [];
    const conditions = `origin \`${page.origin}\`, method ${page.method}${requested.length ? ` and ${requested.length === 1 ? 'header' : 'headers'} ${listText(requested)}` : ''}`;
    const toCheck = `Check that one single rule lists ${conditions}: the origin exactly (scheme, host, port, no trailing slash), the method, and every header (or \`*\`).`;
    const preflight = evidence.preflightResponse;
    if (preflight && evidence.preflightError?.message.includes(S16_TEXT)) {
      const echoedMethod = evidence.preflightError.fields.Method;
      return [
        finding('NO_RULE_MATCHED', 'error', {
          message: `The bucket has a CORS configuration, but no rule matches ${conditions}; S3 does not say which condition failed.`,
          detail: `S3's 403 "This CORS request is not allowed…" proves a configuration exists and that no single rule matched origin, method and every requested header together. It is the same text whether the origin, the method or a header failed.${echoedMethod ? ` S3 echoed <Method>${echoedMethod}</Method>.` : ''} Give the configuration (\`--config\`, or let the extension read it) to name the failing rule and condition. ${toCheck}`, // S16
          evidence: [`preflight 403 AccessForbidden: ${evidence.preflightError.message}`],
          fix: toCheck,
        }),
      ];
    }
    if (
      preflight &&
      preflight.status === 403 &&
      !evidence.preflightError &&
      evidence.facts.preflight?.allowOrigin === undefined &&
      (evidence.url.isS3 || evidence.url.bucket !== null || /AmazonS3/i.test(evidence.facts.preflight?.server ?? ''))
    ) {
      return [
        finding('NO_RULE_MATCHED', 'error', {
          message: `${storeName(evidence)} refused the preflight (403) for ${conditions}: either the bucket has no CORS configuration or no rule matches.`,
          detail: `The 403 body was not captured (DevTools cannot read preflight bodies), so "${S6_TEXT}" and "${S16_TEXT}" cannot be told apart. ${toCheck}`, // S16, S6
          evidence: ['preflight 403 without Access-Control-Allow-Origin, body not captured'],
          fix: `Read the bucket's configuration (\`aws s3api get-bucket-cors --bucket ${evidence.url.bucket ?? '<bucket>'}\`). ${toCheck}`,
        }),
      ];
    }
    const actual = evidence.actualResponse;
    const isS3 = evidence.provider.id === 'aws' || evidence.facts.actual?.requestId !== undefined;
    if (!evidence.exchange.preflight && actual && isS3 && evidence.facts.actual?.allowOrigin === undefined && page.mode !== 'no-cors' && actual.status < 500) {
      return [
        finding('NO_RULE_MATCHED', 'error', {
          message: `${storeName(evidence)} served the ${page.method} (${actual.status}) without CORS headers: the bucket has no CORS configuration, or no rule matches origin \`${page.origin}\` and method ${page.method}.`,
          detail: `On an actual request S3 never blocks: with no matching rule or no configuration it answers normally without Access-Control-Allow-Origin and without Vary, and the browser blocks the read. ${toCheck}`, // S19, S20
          evidence: [`${page.method} ${actual.status} without Access-Control-Allow-Origin`],
          fix: `Read the bucket's configuration (\`aws s3api get-bucket-cors --bucket ${evidence.url.bucket ?? '<bucket>'}\`) and add a rule for \`${page.origin}\` allowing ${page.method}.`,
        }),
      ];
    }
    return [];
  },
});
