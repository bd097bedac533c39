/** NOT_A_CORS_REQUEST — no Origin (S1) or a no-cors element load: S3 adds no CORS headers, by design. */
import type { Check, Finding } from '../types.js';
import { finding } from './support.js';

export const notACorsRequestCheck: Check = {
  id: 'not-a-cors-request',
  title: 'Not a CORS request',
  requires: [],
  codes: {
    NOT_A_CORS_REQUEST: { headline: 'This is not a cross-origin request', cause: 'cors', blocks: true, configFix: false },
  },
  evaluate(evidence): Finding[] {
    if (evidence.page && evidence.page.mode !== 'no-cors') return [];
    return [
      finding('NOT_A_CORS_REQUEST', 'info', {
        message: 'This request carried no Origin header, so S3 treats it as a non-CORS request and sends no CORS headers and no Vary.', // S1
        detail:
          'An <img>, <script> or <link> without the crossorigin attribute loads in no-cors mode. Its response is fine for that element, but a cache can store it and later replay it to a fetch() or canvas read of the same URL.', // failure mode 22
        evidence: [`${evidence.exchange.resourceType ?? 'request'} without Origin`],
        fix: 'Nothing to fix for this request; if the same URL is also fetched with CORS, add `crossorigin="anonymous"` here so both use the same (CORS) response.',
      }),
    ];
  },
};
