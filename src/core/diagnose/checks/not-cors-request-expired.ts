/**
 * NOT_CORS_REQUEST_EXPIRED — a presigned URL used after X-Amz-Date + X-Amz-Expires (or SigV2 Expires), or signed for
 * longer than S3's 7-day maximum (failure mode 25).
 */
import type { PresignInfo } from '../../endpoint/index.js';
import type { Check } from '../types.js';
import { finding, storeName } from './support.js';

/** SigV4 presigned URLs may be valid for at most 7 days. */
export const MAX_PRESIGN_SECONDS = 604800;

/** Whether a presigned URL's expiry (X-Amz-Date + X-Amz-Expires, or SigV2 Expires) is before `now`. */
export function presignPastExpiry(presign: Readonly<PresignInfo> | null | undefined, now: Date | null): boolean {
  const expiresAt = presign?.expiresAt ? new Date(presign.expiresAt) : null;
  return expiresAt !== null && now !== null && !Number.isNaN(expiresAt.getTime()) && now.getTime() > expiresAt.getTime();
}

export const notCorsRequestExpiredCheck: Check = {
  id: 'not-cors-request-expired',
  title: 'Presigned URL expired',
  requires: [],
  codes: {
    NOT_CORS_REQUEST_EXPIRED: { headline: 'The presigned URL has expired', cause: 'not-cors', blocks: true, configFix: false },
  },
  evaluate(evidence) {
    const presign = evidence.url.presign;
    const error = evidence.actualError;
    const s3SaysExpired =
      (error?.code === 'AccessDenied' && /expired/i.test(error.message)) || error?.code === 'ExpiredRequest' || error?.code === 'RequestTimeTooSkewed';
    const expiresAt = presign?.expiresAt ? new Date(presign.expiresAt) : null;
    const now = evidence.now;
    const pastExpiry = presignPastExpiry(presign, now);
    const tooLong = presign?.version === 'v4' && (presign.expiresSeconds ?? 0) > MAX_PRESIGN_SECONDS;
    if (!s3SaysExpired && !pastExpiry && !tooLong) return [];
    const lines: string[] = [];
    if (presign?.signedAt) lines.push(`signed at ${presign.signedAt}`);
    if (presign?.expiresSeconds !== undefined) lines.push(`X-Amz-Expires=${presign.expiresSeconds}`);
    if (expiresAt) lines.push(`expired at ${expiresAt.toISOString()}`);
    if (now) lines.push(`request at ${now.toISOString()}`);
    if (error) lines.push(`${evidence.actualResponse?.status ?? ''} ${error.code}: ${error.message}`.trim());
    if (tooLong && !pastExpiry && !s3SaysExpired) {
      return [
        finding('NOT_CORS_REQUEST_EXPIRED', 'error', {
          message: `The presigned URL asks for X-Amz-Expires=${presign.expiresSeconds} seconds, more than the 604800 (7 days) S3 accepts; the request is refused whatever the CORS rules say.`,
          detail: `${evidence.provider.id === 'r2' ? 'R2 rejects SigV4 presigned URLs valid for more than a week ("X-Amz-Expires must be less than a week")' : `${storeName(evidence)} rejects SigV4 presigned URLs valid for more than a week`}. An error response without CORS headers looks like a CORS failure in the browser.`,
          evidence: lines,
          fix: 'Presign with an expiry of at most 7 days (shorter is better), close to the time of use.',
        }),
      ];
    }
    const skew = error?.code === 'RequestTimeTooSkewed';
    return [
      finding('NOT_CORS_REQUEST_EXPIRED', 'error', {
        message: skew
          ? "S3 refused the request because the signing clock differs too much from S3's (RequestTimeTooSkewed); it is not a CORS problem."
          : `The presigned URL had expired${expiresAt ? ` at ${expiresAt.toISOString()}` : ''} when the request was made; S3 refuses it and CORS has nothing to do with it.`,
        detail: pastExpiry
          ? 'X-Amz-Date + X-Amz-Expires is earlier than the request time. When the error response lacks CORS headers (common on S3-compatible stores) the browser reports a CORS error.'
          : "S3's error body says the request has expired.", // failure mode 25
        evidence: lines,
        fix: skew
          ? 'Fix the clock of the machine that signs (NTP) and regenerate the URL.'
          : "Regenerate the presigned URL closer to its use (and check the signer's clock); keep expiries short and at most 7 days.",
      }),
    ];
  },
};
