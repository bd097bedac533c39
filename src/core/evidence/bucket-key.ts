/**
 * Which bucket a captured request addresses, and the key the panel keeps that bucket's policy under. The panel's
 * view and its controller must agree on both, so they are decided here, once; each caller caches per exchange.
 */
import type { ObservedExchange } from './types.js';
import { parseS3Url } from '../endpoint/index.js';

export interface RequestTarget {
  host: string;
  bucket: string;
  key: string;
}

/**
 * Bucket and key for display. The endpoint model knows every S3 URL style; if it cannot say (an unrecognised
 * host, or it throws on a malformed URL), the host and path are shown as they are rather than guessed.
 */
export function requestTargetOf(url: string): RequestTarget {
  try {
    const info = parseS3Url(url);
    return { host: info.host, bucket: info.bucket ?? '', key: info.key ?? '' };
  } catch {
    return fallbackTarget(url);
  }
}

function fallbackTarget(url: string): RequestTarget {
  try {
    const parsed = new URL(url);
    return { host: parsed.host, bucket: '', key: decodeURIComponent(parsed.pathname.replace(/^\//, '')) };
  } catch {
    return { host: '', bucket: '', key: url };
  }
}

/** The bucket a policy belongs to: the endpoint model's bucket, else the host (custom domains name one bucket). */
export function bucketOfTarget(target: RequestTarget): string {
  return target.bucket || target.host;
}

/** Imported rows carry the HAR's file name in their id (`file.har#3`); live rows have none. */
export function importedFrom(exchange: ObservedExchange): string | null {
  if (exchange.source !== 'har') return null;
  const hash = exchange.id.lastIndexOf('#');
  return hash > 0 ? exchange.id.slice(0, hash) : null;
}

/**
 * Where a row's policy is kept: per bucket for live rows; per HAR file and bucket for imported rows, so a HAR is
 * judged against the policy given with it, never against the panel's current policy for a same-named bucket.
 * `bucket` is the exchange's bucket (bucketOfTarget), passed in so the caller's per-exchange cache serves it.
 */
export function policyKey(exchange: ObservedExchange, bucket: string): string {
  const file = importedFrom(exchange);
  return file === null ? bucket : `${file} › ${bucket}`;
}

/** The bucket named by a policy key (see policyKey). */
export function bucketOfPolicyKey(key: string): string {
  const at = key.lastIndexOf(' › ');
  return at < 0 ? key : key.slice(at + 3);
}
