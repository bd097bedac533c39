/**
 * A fix's access delta — what the fixed configuration newly allows (`fix.accessDelta`, issue 10 item 2) — as the
 * Fix tab shows it: the core's sentence, and the grants as JSON for whoever wants the exact combinations.
 */
import type { FixProposal } from '../../core/diagnose/index.js';

export interface AccessDeltaView {
  words: string;
  json: string;
}

export function accessDeltaOf(fix: FixProposal): AccessDeltaView | null {
  const delta = fix.accessDelta;
  if (!delta) return null;
  const { allows, exposes, withinRequest } = delta;
  return { words: delta.text, json: JSON.stringify({ allows, exposes, withinRequest }, null, 2) };
}
