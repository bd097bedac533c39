/**
 * UNSUPPORTED_ENDPOINT — S3 surfaces without a usable CORS path: directory buckets, Object Lambda, Multi-Region
 * Access Points, website endpoints for writes (S28, S29, failure modes 17 and 19).
 */
import type { Check } from '../types.js';
import { finding } from './support.js';

export const unsupportedEndpointCheck: Check = {
  id: 'unsupported-endpoint',
  title: 'Endpoint that cannot serve this cross-origin request',
  requires: [],
  codes: {
    UNSUPPORTED_ENDPOINT: { headline: 'This endpoint’s CORS behaviour is not known', cause: 'not-cors', blocks: true, configFix: false },
  },
  evaluate(evidence) {
    const { url } = evidence;
    const method = (evidence.page?.method ?? evidence.exchange.request.method).toUpperCase();
    const evidenceLines = [`host ${url.host} (${url.style})`];
    switch (url.style) {
      case 'directory-bucket':
        return [
          finding('UNSUPPORTED_ENDPOINT', 'error', {
            message: `\`${url.bucket ?? url.host}\` is a directory bucket (S3 Express One Zone), which does not support a CORS configuration; no rule can be added.`, // S29
            detail:
              'PutBucketCors and GetBucketCors are documented as not supported for directory buckets, so browser access through the `s3express-*` endpoints has no CORS path.', // failure mode 19
            evidence: evidenceLines,
            fix: 'Route browser traffic through CloudFront or a general-purpose bucket in the same region.',
          }),
        ];
      case 'mrap':
        return [
          finding('UNSUPPORTED_ENDPOINT', 'error', {
            message:
              'Multi-Region Access Points need SigV4A signing and do not accept anonymous requests, and a browser preflight is always anonymous; treat CORS through an MRAP as unsupported.',
            detail: 'This is an inference from the documented restrictions (anonymous requests unsupported), not a recorded S3 answer.', // S29, failure mode 19
            evidence: evidenceLines,
            fix: 'Use a regional bucket endpoint (or CloudFront) for browser traffic.',
          }),
        ];
      case 'object-lambda':
        return [
          finding('UNSUPPORTED_ENDPOINT', 'warning', {
            message:
              'S3 Object Lambda access points take their CORS configuration through the Object Lambda alias, and the service no longer accepts new customers (since 2025-11-07).',
            detail: 'Which configuration governs a preflight to an Object Lambda host is not recorded.', // S29, failure mode 19
            evidence: evidenceLines,
            fix: 'Check the CORS configuration on the Object Lambda alias, or serve the transformed objects through CloudFront.',
          }),
        ];
      case 'access-point':
        return [
          finding('UNSUPPORTED_ENDPOINT', 'info', {
            message:
              "The request goes to an S3 access point; how S3 evaluates preflights to access-point hosts is not recorded, so this diagnosis assumes the bucket's rules apply.",
            detail: "GetBucketCors works through an access-point alias; the model treats the alias's configuration as the one that decides.", // S29
            evidence: evidenceLines,
            fix: 'Read the configuration through the access-point alias (`aws s3api get-bucket-cors --bucket <alias>`).',
          }),
        ];
      case 'website':
        if (method === 'GET' || method === 'HEAD') return [];
        return [
          finding('UNSUPPORTED_ENDPOINT', 'error', {
            message: `\`${url.host}\` is an S3 website endpoint, which serves only GET and HEAD; a ${method} there fails (405) whatever the CORS rules say.`, // S28
            detail: 'Website endpoints are for page hosting: HTTP only, HTML errors, no API operations.', // failure mode 17
            evidence: [...evidenceLines, `method ${method}`, ...(evidence.actualResponse ? [`status ${evidence.actualResponse.status}`] : [])],
            fix: `Send uploads and SDK calls to the REST endpoint \`https://${url.bucket ?? '<bucket>'}.s3.${url.region ?? '<region>'}.amazonaws.com\`; keep the website endpoint for pages.`,
          }),
        ];
      default:
        return [];
    }
  },
};
