/**
 * Loading the evidence fixtures in test/fixtures/evidence: an ObservedExchange plus, optionally, the bucket's
 * configuration (console JSON rules, "none" or "missing"), context fields, and what the diagnosis must say.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ObservedExchange } from '../../../src/core/evidence/types.js';
import type { DiagnoseContext } from '../../../src/core/diagnose/index.js';
import { parsePolicy } from '../../../src/core/policy/index.js';
import type { BucketState } from '../../../src/core/s3/index.js';

export const EVIDENCE_DIR = resolve(import.meta.dirname, '../../fixtures/evidence');

export interface FixtureExpectation {
  /** Codes the findings must include. */
  codes: string[];
  /** Codes the findings must not include. */
  absentCodes?: string[];
  outcome?: 'allowed' | 'blocked' | 'failed-not-cors' | 'unknown';
  /** The 0-based rule index of the finding named by the file. */
  rule?: number;
  /** Text the message of the finding named by the file must contain. */
  messageIncludes?: string;
  detailIncludes?: string;
  /** The proposed fix must be (or not be) verified by the models. */
  fixVerified?: boolean;
  /** The first change of the fix has this kind. */
  fixChange?: string;
}

export interface EvidenceFixture {
  file: string;
  /** The code the file is named after (`HEADERS_NOT_ALLOWED.sdk-auto.json` → HEADERS_NOT_ALLOWED). */
  code: string;
  description: string;
  exchange: ObservedExchange;
  context: DiagnoseContext;
  expect: FixtureExpectation;
}

type RawFixture = ObservedExchange & {
  description: string;
  config?: unknown;
  bucketRegion?: string;
  now?: string;
  related?: ObservedExchange[];
  expect: FixtureExpectation;
};

function bucketFrom(config: unknown, file: string): BucketState | undefined {
  if (config === undefined) return undefined;
  if (config === 'none') return { kind: 'no-cors' };
  if (config === 'missing') return { kind: 'missing' };
  return { kind: 'cors', config: parsePolicy(JSON.stringify(config), { file }).config };
}

export function loadEvidenceFixtures(): EvidenceFixture[] {
  return readdirSync(EVIDENCE_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => {
      const raw = JSON.parse(readFileSync(join(EVIDENCE_DIR, file), 'utf8')) as RawFixture;
      const { description, config, bucketRegion, now, related, expect, ...exchange } = raw;
      const bucket = bucketFrom(config, file);
      const context: DiagnoseContext = {
        ...(bucket ? { bucket } : {}),
        ...(bucketRegion ? { bucketRegion } : {}),
        ...(now ? { now: new Date(now) } : {}),
        ...(related ? { related } : {}),
      };
      return { file, code: file.split('.')[0]!, description, exchange, context, expect };
    });
}
