/**
 * NOT_CORS_ACCESS_DENIED — IAM, bucket policy, KMS or disabled ACLs refused the request (S21, failure mode 26).
 */
import type { Check } from '../types.js';
import { defineCheck, finding, hasCode } from './support.js';

const DENIAL_CODES = new Set([
  'AccessDenied',
  'AccessControlListNotSupported',
  'AllAccessDisabled',
  'InvalidAccessKeyId',
  'InvalidToken',
  'ExpiredToken',
  'AccountProblem',
]);

export const notCorsAccessDeniedCheck: Check = defineCheck({
  id: 'not-cors-access-denied',
  title: 'Permissions refused the request',
  requires: ['response'],
  codes: {
    NOT_CORS_ACCESS_DENIED: { headline: 'S3 denied access to the object', cause: 'not-cors', blocks: true, configFix: false },
  },
  evaluate(evidence, earlier) {
    if (hasCode(earlier, 'NOT_CORS_REQUEST_EXPIRED', 'NOT_CORS_SIGNATURE_MISMATCH', 'BUCKET_NOT_FOUND', 'UNSUPPORTED_ENDPOINT', 'SERVICE_ENDPOINT_NO_CORS'))
      return [];
    const explainedByProvider = earlier.some((f) => f.code === 'PROVIDER_QUIRK' && f.severity === 'error');
    const response = evidence.actualResponse;
    const error = evidence.actualError;
    const withoutCors = evidence.facts.actual.allowOrigin === undefined;
    if (error && (DENIAL_CODES.has(error.code) || error.code.startsWith('KMS.'))) {
      const acl = error.code === 'AccessControlListNotSupported';
      const sentAcl = evidence.page?.headers['x-amz-acl'] ?? evidence.url.presign?.signedHeaders.find((h) => h === 'x-amz-acl');
      return [
        finding('NOT_CORS_ACCESS_DENIED', 'error', {
          message: acl
            ? 'The bucket has ACLs disabled (Object Ownership "bucket owner enforced", the default since 2023) and the request sets an ACL; S3 refuses it (AccessControlListNotSupported).'
            : `S3 refused the request for lack of permission (${error.code}); the CORS rules are not what failed.`,
          detail: `${acl ? `The request ${sentAcl ? 'sends `x-amz-acl`' : 'sets an ACL'}. ` : ''}CORS grants and denies nothing: IAM, bucket policies, KMS key policies and ACL settings apply as usual.${withoutCors ? ' The error response carried no CORS headers, which is why the browser reported a CORS error.' : ' The error response carried CORS headers, so the page can read this error.'}`, // S21
          evidence: [`${response.status} ${error.code}: ${error.message}`],
          fix: acl
            ? 'Stop sending `x-amz-acl` (and remove ACL from the presign), or enable ACLs deliberately on the bucket.'
            : 'Fix the IAM policy, bucket policy or KMS key policy for this principal and key. Do not change the CORS configuration.',
        }),
      ];
    }
    if (
      response.status === 403 &&
      !error &&
      withoutCors &&
      !explainedByProvider &&
      evidence.exchange.request.method.toUpperCase() !== 'OPTIONS' &&
      evidence.preflightResponse?.status !== 403
    ) {
      return [
        finding('NOT_CORS_ACCESS_DENIED', 'warning', {
          message:
            'The request itself was answered 403 without CORS headers; S3 refused the operation (signature, expiry or permissions), which the browser reports as a CORS error.',
          detail:
            'On an actual request S3 never blocks for CORS reasons: it serves the normal answer and only omits CORS headers. The response body was not captured, so the exact S3 error code is unknown.', // S19
          evidence: [`${evidence.exchange.request.method} 403 without Access-Control-Allow-Origin`],
          fix: 'Read the response body (S3 names the error code), or replay the request with the CLI `probe` command.',
        }),
      ];
    }
    return [];
  },
});
