/// <reference types="vite/client" />
/**
 * "Generate a policy from everything captured": the least-privilege configuration that lets every captured request
 * pass, synthesized by the diagnosis core (src/core/fix). The panel only formats its answer.
 */
import type { CorsConfiguration } from '../../core/policy/index.js';
import type { CapturedRow } from '../model.js';
import type { ObservedExchange } from '../../core/evidence/types.js';

export interface SynthesizedPolicy {
  config: CorsConfiguration;
  /** Per rule, what it is for ("uploads from https://app.example.com: PUT with Content-Type"). */
  purposes: string[];
}

export type SynthesisResult = { ok: true; policy: SynthesizedPolicy } | { ok: false; error: string };

interface FixModule {
  synthesizePolicy?: (exchanges: ObservedExchange[]) => { config: CorsConfiguration; purposes?: string[]; rules?: Array<{ purpose?: string }> };
}

// The synthesizer is being written alongside the panel; until it lands the glob matches nothing and the dialog
// says so instead of failing the build.
const fixModules = import.meta.glob<FixModule>('../../core/fix/index.ts', { eager: true });

export function synthesizeCapturedPolicy(rows: readonly CapturedRow[]): SynthesisResult {
  const synthesize = Object.values(fixModules)[0]?.synthesizePolicy;
  if (!synthesize) return { ok: false, error: 'Policy synthesis is not available in this build.' };
  try {
    const result = synthesize(rows.map((row) => row.exchange));
    const purposes = result.purposes ?? result.rules?.map((rule) => rule.purpose ?? '') ?? [];
    return { ok: true, policy: { config: result.config, purposes } };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
