/**
 * "Generate a policy from everything captured": per bucket (a CORS configuration belongs to one bucket, and a page
 * often talks to several), the least-privilege configuration that lets every captured request pass, synthesized and
 * verified by the fix core (src/core/fix). The panel only groups and formats; a throw becomes a message.
 */
import { synthesizePolicy, type SynthesizedPolicy } from '../../core/fix/index.js';
import type { CapturedRow } from '../model.js';
import { bucketOf } from './rows.js';

export type SynthesisResult = { ok: true; policy: SynthesizedPolicy } | { ok: false; error: string };

/** Captured rows per bucket, buckets in the order first seen. */
export function rowsByBucket(rows: readonly CapturedRow[]): Map<string, CapturedRow[]> {
  const buckets = new Map<string, CapturedRow[]>();
  for (const row of rows) {
    const bucket = bucketOf(row.exchange);
    const list = buckets.get(bucket);
    if (list) list.push(row);
    else buckets.set(bucket, [row]);
  }
  return buckets;
}

export function synthesizeCapturedPolicy(rows: readonly CapturedRow[]): SynthesisResult {
  try {
    return { ok: true, policy: synthesizePolicy(rows.map((row) => row.exchange)) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
