/**
 * One plain-language headline per finding code: what a first-time user reads before anything else (the panel's
 * list and detail, the CLI's summary line). The code itself stays visible as a small tag for searching and
 * support; these sentences carry no internal references (spec sections, failure-mode numbers).
 */
import { CHECKS } from './checks/index.js';
import type { FindingCode } from './types.js';

/** Each code's headline, as its check declares it (CodeEffect.headline). */
export const FINDING_TITLES: Readonly<Record<string, string>> = Object.fromEntries(
  CHECKS.flatMap((check) => Object.entries(check.codes).map(([code, effect]) => [code, effect.headline])),
);

/** The headline for a code; a code this build does not know gets a neutral sentence rather than nothing. */
export function findingTitle(code: FindingCode): string {
  return FINDING_TITLES[code] ?? 'A problem with this request';
}
