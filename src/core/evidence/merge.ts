/**
 * One request seen by both sources becomes one exchange: the DevTools side has the HAR view (bodies in Firefox,
 * `_error`, the preflight as its own entry), the webRequest side has what DevTools hides in Chromium (the `Origin`
 * the browser added, error strings of the actual request). Same method and URL, starts within `windowMs`.
 */
import type { ObservedExchange, ObservedRequest, ObservedResponse } from './types.js';

export const SAME_REQUEST_WINDOW_MS = 2_000;

export function isSameRequest(a: ObservedExchange, b: ObservedExchange, windowMs = SAME_REQUEST_WINDOW_MS): boolean {
  if (a.source === b.source) return false;
  if (a.request.method.toUpperCase() !== b.request.method.toUpperCase() || a.request.url !== b.request.url) return false;
  if (!a.startedAt || !b.startedAt) return false;
  return Math.abs(Date.parse(a.startedAt) - Date.parse(b.startedAt)) <= windowMs;
}

function mergeRequest(base: ObservedRequest, other: ObservedRequest): ObservedRequest {
  return { ...base, headers: { ...other.headers, ...base.headers } };
}

function mergeResponse(base: ObservedResponse | undefined, other: ObservedResponse | undefined): ObservedResponse | undefined {
  if (!base) return other;
  if (!other) return base;
  // A status 0 says "nothing seen"; the other side's real status wins over it.
  const status = base.status === 0 ? other.status : base.status;
  return { ...base, status, headers: { ...other.headers, ...base.headers }, body: base.body ?? other.body };
}

/** `base` keeps its id and source; the other side fills in what base did not see. */
export function mergeEvidence(base: ObservedExchange, other: ObservedExchange): ObservedExchange {
  const merged: ObservedExchange = {
    ...other,
    ...base,
    request: mergeRequest(base.request, other.request),
    response: mergeResponse(base.response, other.response),
    pageOrigin: base.pageOrigin ?? other.pageOrigin,
    error: base.error ?? other.error,
    fromCache: base.fromCache ?? other.fromCache,
    corsError: base.corsError ?? other.corsError,
  };
  const a = base.preflight ?? other.preflight;
  if (a) {
    const b = base.preflight ? other.preflight : undefined;
    merged.preflight = b ? { request: mergeRequest(a.request, b.request), response: mergeResponse(a.response, b.response), error: a.error ?? b.error } : a;
  }
  // What one side could not see is no longer missing when the other saw it; keep only the base's gaps.
  const gaps = base.gaps ?? [];
  if (gaps.length > 0) merged.gaps = gaps;
  else delete merged.gaps;
  return merged;
}
