/** BUCKET_NOT_FOUND — S5 ("CORSResponse: Bucket not found") or NoSuchBucket: the name or endpoint is wrong. */
import type { Check } from '../types.js';
import { S5_TEXT, finding } from './support.js';

export const bucketNotFoundCheck: Check = {
  id: 'bucket-not-found',
  title: 'The bucket does not exist',
  requires: [],
  codes: {
    BUCKET_NOT_FOUND: { headline: 'The bucket does not exist', cause: 'not-cors', blocks: true, configFix: false },
  },
  evaluate(evidence) {
    // The service endpoint has no bucket; S3's "Bucket not found" there means no bucket was addressed (S27).
    if (evidence.url.style === 'service') return [];
    const preflightError = evidence.preflightError;
    const preflightSays = preflightError !== null && preflightError.message.includes(S5_TEXT);
    const actualSays = evidence.actualError?.code === 'NoSuchBucket';
    const known = evidence.context.bucket?.kind === 'missing';
    if (!preflightSays && !actualSays && !known) return [];
    const bucket = evidence.url.bucket ?? evidence.actualError?.fields.BucketName ?? '(unknown)';
    return [
      finding('BUCKET_NOT_FOUND', 'error', {
        message: `The bucket \`${bucket}\` does not exist at \`${evidence.url.host}\`, so there is no CORS configuration to match.`,
        detail: preflightSays
          ? 'S3 answered the preflight 403 AccessForbidden "CORSResponse: Bucket not found".' // S5
          : actualSays
            ? 'S3 answered NoSuchBucket; a nonexistent bucket never carries CORS headers.' // S22
            : 'The bucket was given as missing.',
        evidence: preflightSays ? [`preflight 403 AccessForbidden: ${preflightError.message}`] : actualSays ? ['NoSuchBucket'] : ['bucket state: missing'],
        fix: 'Check the bucket name (not its ARN), the endpoint and the account; create the bucket if it should exist.',
      }),
    ];
  },
};
