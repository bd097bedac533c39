/**
 * NOT_CORS_SIGNATURE_MISMATCH — the signature does not cover what the browser sent (Content-Type, x-amz-acl,
 * x-amz-meta-*, host, region). S21/S30: CORS grants and denies nothing here (failure mode 24).
 */
import type { Check, Evidence } from '../types.js';
import { finding } from './support.js';

const SIGNATURE_CODES = new Set(['SignatureDoesNotMatch', 'AuthorizationQueryParametersError', 'AuthorizationHeaderMalformed']);

/** Headers the browser sent that S3 requires to be signed but the presigned URL does not sign. */
function unsignedHeaders(evidence: Evidence): string[] {
  const presign = evidence.url.presign;
  if (!presign || presign.version !== 'v4' || !evidence.page) return [];
  const signed = new Set(presign.signedHeaders.map((h) => h.toLowerCase()));
  return Object.keys(evidence.page.headers).filter(
    (h) => h.startsWith('x-amz-') && !h.startsWith('x-amz-checksum-') && h !== 'x-amz-sdk-checksum-algorithm' && !signed.has(h),
  );
}

export const notCorsSignatureMismatchCheck: Check = {
  id: 'not-cors-signature-mismatch',
  title: 'Signature does not match the request',
  requires: [],
  codes: {
    NOT_CORS_SIGNATURE_MISMATCH: { headline: 'The request signature does not match', cause: 'not-cors', blocks: true, configFix: false },
  },
  evaluate(evidence) {
    const error = evidence.actualError;
    const headersNotSigned = error?.code === 'AccessDenied' && /headers present in the request which were not signed/i.test(error.message);
    if (!error || (!SIGNATURE_CODES.has(error.code) && !headersNotSigned)) return [];
    const lines = [`${evidence.actualResponse?.status ?? ''} ${error.code}: ${error.message}`.trim()];
    const unsigned = unsignedHeaders(evidence);
    const named = error.fields.HeadersNotSigned;
    const details: string[] = ['S3 checked the signature and refused it; CORS rules were not involved.']; // S21
    if (named || unsigned.length) details.push(`Sent but not signed: ${named ?? unsigned.join(', ')}.`);
    const presign = evidence.url.presign;
    if (presign?.signedHeaders.length) details.push(`The URL signs: ${presign.signedHeaders.join(', ')}.`);
    const contentType = evidence.page?.headers['content-type'];
    if (presign && contentType !== undefined && presign.signedHeaders.includes('content-type'))
      details.push(`The browser sent Content-Type \`${contentType}\`; it must equal the value used when signing.`);
    if (presign?.region && evidence.url.region && presign.region !== evidence.url.region)
      details.push(`The URL is signed for region \`${presign.region}\` but sent to \`${evidence.url.region}\`.`);
    if (error.fields.StringToSign) details.push("S3 returned its StringToSign; compare it with the signer's.");
    return [
      finding('NOT_CORS_SIGNATURE_MISMATCH', 'error', {
        message: headersNotSigned
          ? `S3 refused the request because it carried headers the signature does not cover${named ? ` (${named})` : ''}; this is a signing problem, not CORS.`
          : `S3 refused the signature (${error.code}): what the browser sent differs from what was signed; this is not a CORS problem.`,
        detail: details.join(' '),
        evidence: lines,
        fix: 'Sign exactly what the browser sends (Content-Type, x-amz-acl, x-amz-meta-*, region) or send exactly what was signed. Do not change the CORS configuration.',
      }),
    ];
  },
};
