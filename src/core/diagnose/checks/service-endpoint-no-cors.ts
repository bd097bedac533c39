/** SERVICE_ENDPOINT_NO_CORS — account-level calls (ListBuckets, …) to the S3 service endpoint never get CORS (S27). */
import type { Check } from '../types.js';
import { finding } from './support.js';

export const serviceEndpointNoCorsCheck: Check = {
  id: 'service-endpoint-no-cors',
  title: 'Account-level S3 call from a browser',
  requires: [],
  codes: {
    SERVICE_ENDPOINT_NO_CORS: { headline: 'This S3 endpoint never answers with CORS headers', cause: 'not-cors', blocks: true, configFix: false },
  },
  evaluate(evidence) {
    if (evidence.url.style !== 'service') return [];
    return [
      finding('SERVICE_ENDPOINT_NO_CORS', 'error', {
        message: `\`${evidence.url.host}\` is the S3 service endpoint (no bucket in host or path); it answers no request with CORS headers, so no bucket rule can make this work.`,
        detail:
          'ListBuckets, CreateBucket and other account-level operations are not bucket resources; S3 applies no CORS configuration to them. The preflight fails with 403 whatever any bucket says.', // S27, failure mode 18
        evidence: [`URL ${evidence.url.url}`, ...(evidence.preflightResponse ? [`preflight ${evidence.preflightResponse.status}`] : [])],
        fix: 'Make the call from a backend (an API or a Lambda function) and give the browser only bucket-level URLs. This is not fixable by CORS.',
      }),
    ];
  },
};
