/** MIXED_CONTENT — an HTTPS page fetching an http:// URL is blocked before CORS (failure mode 17). */
import type { Check } from '../types.js';
import { defineCheck, finding } from './support.js';
import { isPrivateAddress } from './private-network-access.js';

export const mixedContentCheck: Check = defineCheck({
  id: 'mixed-content',
  title: 'HTTPS page calling an HTTP endpoint',
  requires: ['page'],
  codes: {
    MIXED_CONTENT: { headline: 'An HTTPS page requested an HTTP URL', cause: 'not-cors', blocks: true, configFix: false },
  },
  evaluate(evidence) {
    const page = evidence.page;
    if (!page.origin.startsWith('https://') || evidence.url.scheme !== 'http') return [];
    // Browsers treat http://localhost and 127.0.0.1 as potentially trustworthy, so they are not mixed content.
    if (isPrivateAddress(evidence.url.host.toLowerCase()) && /^(localhost|127\.|\[::1\])/.test(evidence.url.host)) return [];
    const website = evidence.url.style === 'website';
    return [
      finding('MIXED_CONTENT', 'error', {
        message: `The HTTPS page \`${page.origin}\` requests \`${evidence.url.url}\` over plain HTTP; the browser blocks it as mixed content before any CORS check.`,
        detail: website
          ? "S3 website endpoints are HTTP-only; they cannot serve an HTTPS page's API calls." // S28
          : 'Active mixed content (fetch/XHR) is always blocked in current browsers.',
        evidence: [`page ${page.origin}`, `request ${evidence.url.url}`],
        fix: website
          ? `Use the REST endpoint over HTTPS (\`https://${evidence.url.bucket ?? '<bucket>'}.s3.${evidence.url.region ?? '<region>'}.amazonaws.com\`) or CloudFront.`
          : 'Use the https:// URL of the endpoint.',
      }),
    ];
  },
});
