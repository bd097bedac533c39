/**
 * SUCCESS_WITHOUT_CORS_HEADERS — a write answered 2xx without Access-Control-Allow-Origin: CORS blocks reading the
 * response, not sending the request, so the object was most likely written (failure mode 28).
 */
import type { Check, Evidence, Finding } from '../types.js';
import { defineCheck, finding } from './support.js';

const WRITE_METHODS = new Set(['PUT', 'POST', 'DELETE']);

/**
 * Ceph RGW's 204 to a presigned form POST, which it sends without CORS headers although a rule matches: said only
 * where the URL or the Server header identifies Ceph.
 */
export function isCephFormPost(evidence: Evidence): boolean {
  const page = evidence.page;
  return evidence.provider.id === 'ceph' && page?.method === 'POST' && /multipart\/form-data/i.test(page.headers['content-type'] ?? '');
}

export const successWithoutCorsHeadersCheck: Check = defineCheck({
  id: 'success-without-cors-headers',
  title: 'A write succeeded but the page cannot see it',
  requires: ['page', 'response'],
  codes: {
    SUCCESS_WITHOUT_CORS_HEADERS: { headline: 'The response has no CORS headers', cause: 'cors', blocks: true, configFix: false },
  },
  evaluate(evidence): Finding[] {
    const page = evidence.page;
    const response = evidence.actualResponse;
    if (
      !WRITE_METHODS.has(page.method) ||
      response.status < 200 ||
      response.status >= 300 ||
      evidence.facts.actual.allowOrigin !== undefined ||
      page.mode === 'no-cors'
    )
      return [];
    const formPost = isCephFormPost(evidence);
    return [
      finding('SUCCESS_WITHOUT_CORS_HEADERS', 'warning', {
        message: `The ${page.method} returned ${response.status}, so the ${page.method === 'DELETE' ? 'object was most likely deleted' : 'object was most likely written'}, but the response lacks Access-Control-Allow-Origin and the page sees a failure.`,
        detail: `CORS stops the page from reading a response; the request itself reached the server and was executed.${formPost ? ' Ceph RGW (Hetzner) answers a presigned POST with 204 without CORS headers; `success_action_status=201` makes it answer with CORS headers.' : ''} Retrying blindly can duplicate work.`,
        evidence: [`${page.method} ${response.status} without Access-Control-Allow-Origin`],
        fix: `${formPost ? 'Add `success_action_status=201` to the POST policy and form. ' : ''}Fix the CORS rule or provider setting so the write response carries CORS headers; verify with a HEAD on the key; make uploads idempotent.`,
      }),
    ];
  },
});
