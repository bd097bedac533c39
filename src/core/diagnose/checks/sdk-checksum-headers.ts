/**
 * SDK_CHECKSUM_HEADERS — the 2025 AWS SDK default integrity checksums (SDK for JS v3.729.0+, boto3 1.36+): new
 * request headers the bucket does not allow, an empty-body CRC baked into presigned URLs, and stores that reject
 * the headers (failure mode 10).
 */
import type { Check, Evidence } from '../types.js';
import { finding, hasCode } from './support.js';
import { must } from '../../must.js';

/** CRC32 of zero bytes, base64: what a presigner computes when it signs before it has the body. */
const EMPTY_BODY_CRC32 = 'AAAAAA==';

function isChecksumHeader(name: string): boolean {
  return name.startsWith('x-amz-checksum-') || name === 'x-amz-sdk-checksum-algorithm';
}

/**
 * The store's rejection of the mismatched checksum is predicted, not seen, and the store is one whose error answers
 * carry no CORS headers, so the browser refuses the rejection as a CORS failure (a network error to script).
 * Cloudflare R2 only: its CORS headers come only on requests that pass its CORS evaluation, which a rejected upload
 * does not (the R2 provider note; the R2 threads of an empty-body CRC and of an over-long expiry show the browser
 * reporting a CORS/network error). AWS adds its CORS headers to error answers when a rule matches, so the page sees
 * the BadDigest there; other S3-compatible stores "often" omit them, which is not certain enough to say blocked.
 * An error answer actually seen decides instead, on any store: without Access-Control-Allow-Origin the browser's
 * check refuses it; with it, the page sees the error.
 */
function rejectionLacksCors(evidence: Evidence): boolean {
  const answer = evidence.actualResponse;
  if (answer && answer.status >= 400) return evidence.facts.actual?.allowOrigin === undefined;
  return evidence.provider.id === 'r2';
}

export const sdkChecksumHeadersCheck: Check = {
  id: 'sdk-checksum-headers',
  title: 'AWS SDK default checksum headers',
  requires: [],
  codes: {
    SDK_CHECKSUM_HEADERS: { headline: 'The SDK adds checksum headers the bucket does not allow', cause: 'not-cors', blocks: true, configFix: false },
  },
  evaluate(evidence, earlier) {
    const out = [];
    const checksumParams = evidence.url.presign?.checksum ?? {};
    const emptyCrc = Object.entries(checksumParams).find(
      ([name, value]) => name.toLowerCase() === 'x-amz-checksum-crc32' && (value === EMPTY_BODY_CRC32 || value.toUpperCase() === 'AAAAAA%3D%3D'),
    );
    const error = evidence.actualError;
    const badDigest = error?.code === 'BadDigest' || error?.code === 'InvalidDigest' || error?.code === 'XAmzContentChecksumMismatch';
    const notImplemented =
      (error?.code === 'NotImplemented' || evidence.actualResponse?.status === 501) &&
      /checksum/i.test(`${error?.message ?? ''} ${Object.keys(evidence.page?.headers ?? {}).join(' ')} ${Object.keys(checksumParams).join(' ')}`);
    if (emptyCrc || badDigest) {
      out.push({
        ...finding('SDK_CHECKSUM_HEADERS', 'error', {
          message: emptyCrc
            ? 'The presigned URL carries `x-amz-checksum-crc32=AAAAAA==`, the CRC32 of an empty body, computed when the URL was signed; the real upload cannot match it.'
            : `S3 rejected the body's checksum (${must(error, 'a bad digest is an error body').code}); with SDK default checksums this usually means the checksum was computed for different bytes.`,
          detail:
            'Since January 2025 the AWS SDKs add a CRC32 checksum to put-type calls by default. A presigner has no body, so it signs the empty-body CRC; the upload then fails with BadDigest on AWS or an opaque error on S3-compatible stores whose error responses lack CORS headers.',
          evidence: [
            ...(emptyCrc ? [`URL query x-amz-checksum-crc32=${emptyCrc[1]}`] : []),
            ...(checksumParams['x-amz-sdk-checksum-algorithm'] ? [`x-amz-sdk-checksum-algorithm=${checksumParams['x-amz-sdk-checksum-algorithm']}`] : []),
            ...(badDigest ? [`${evidence.actualResponse?.status ?? ''} ${error.code}`.trim()] : []),
          ],
          fix: 'On the client that presigns, set `requestChecksumCalculation: "WHEN_REQUIRED"` (and `responseChecksumValidation: "WHEN_REQUIRED"`), or sign the real checksum of the file.',
        }),
        ...(emptyCrc && rejectionLacksCors(evidence) ? { answerLacksCors: true as const } : {}),
      });
    }
    if (notImplemented) {
      out.push(
        finding('SDK_CHECKSUM_HEADERS', 'error', {
          message: `${evidence.provider.name} does not implement the SDK's checksum headers and answered 501 NotImplemented.`,
          detail:
            'Several S3-compatible stores (Cloudflare R2, Backblaze B2, OVH) reject `x-amz-checksum-*` / `x-amz-sdk-checksum-algorithm`, which the AWS SDKs send by default since 2025.',
          evidence: [`${evidence.actualResponse?.status ?? 501} ${error?.code ?? 'NotImplemented'}${error?.message ? `: ${error.message}` : ''}`],
          fix: 'Set `requestChecksumCalculation: "WHEN_REQUIRED"` on the S3 client, or pin the SDK below 3.729.0 for this store.',
        }),
      );
    }
    const sent = Object.keys(evidence.page?.headers ?? {}).filter(isChecksumHeader);
    if (sent.length && !emptyCrc && !notImplemented && !badDigest) {
      const refused = earlier.some((f) => f.code === 'HEADERS_NOT_ALLOWED' && sent.some((h) => f.message.includes(h)));
      const blockedUnexplained = !hasCode(earlier, 'HEADERS_NOT_ALLOWED') && evidence.observedFailure !== null;
      if (refused || blockedUnexplained) {
        out.push(
          finding('SDK_CHECKSUM_HEADERS', 'warning', {
            message: `The request carries the AWS SDK's default checksum headers (${sent.join(', ')}), which older CORS rules do not allow.`,
            detail:
              'AWS SDK for JavaScript v3.729.0 and later (and boto3 1.36+) add `x-amz-checksum-crc32` and `x-amz-sdk-checksum-algorithm` to uploads by default; a bucket rule written before 2025 typically lists only `content-type`.',
            evidence: sent.map((h) => `request header ${h}`),
            fix: 'Either allow the headers (`x-amz-checksum-*`, `x-amz-sdk-checksum-algorithm`) in the rule, or set `requestChecksumCalculation: "WHEN_REQUIRED"` on the browser S3 client.',
          }),
        );
      }
    }
    return out;
  },
};
