/** What a request asks of a CORS rule: its origin, method, and the non-safelisted header names it sends. */
import { getHeader } from '../http/index.js';
import { planPreflight } from '../fetch/index.js';
import type { PageRequest, PreflightPlan } from '../fetch/types.js';
import { requestedHeaderNames } from '../replay/page-request.js';
import { S3_CORS_METHODS } from '../policy/methods.js';

export { S3_CORS_METHODS, isS3CorsMethod } from '../policy/methods.js';

/**
 * The header names the browser lists in Access-Control-Request-Headers for this request (lower-case, sorted).
 * `plan` is planPreflight(page), when the caller already has it.
 */
export function requestedHeaders(page: PageRequest, plan: PreflightPlan = planPreflight(page)): string[] {
  return plan.needed && plan.request ? requestedHeaderNames(getHeader(plan.request.headers, 'access-control-request-headers')) : [];
}

/** Methods in S3's canonical order, deduplicated. */
export function orderedMethods(methods: Iterable<string>): string[] {
  const set = new Set([...methods].map((m) => m.toUpperCase()));
  return S3_CORS_METHODS.filter((m) => set.has(m));
}
