/**
 * Which condition of which rule failed for one diagnosis, from the S3 model's per-rule trace (S8–S14); the reading of
 * rules that needs no Evidence (near misses, candidates) is in ../replay/rules.ts, shared with the fix.
 */
import type { Evidence, ModelRun } from './types.js';
import type { CorsConfiguration } from '../policy/types.js';
import { listText, ruleLabel } from '../replay/wording.js';
import { rankRuleCandidates, type RuleCandidate } from '../replay/rules.js';
import { must } from '../must.js';

export interface RuleVerdict {
  index: number;
  label: string;
  originMatched: boolean;
  methodMatched: boolean;
  method: string;
  /** Requested header names no AllowedHeader of this rule covers (S12, S13). */
  missingHeaders: string[];
  matched: boolean;
  used: boolean;
}

/** Each rule's verdict for the deciding request, worked out once per diagnosis (evidence.memo). Shared: do not modify. */
export function ruleVerdicts(evidence: Evidence): readonly RuleVerdict[] {
  return (evidence.memo.ruleVerdicts ??= computeRuleVerdicts(evidence));
}

function computeRuleVerdicts(evidence: Evidence): RuleVerdict[] {
  const { model, config } = evidence;
  if (!model || !config) return [];
  return model.deciding.trace.map((trace, index) => ({
    index,
    label: ruleLabel(config, index),
    originMatched: trace.origin.matched,
    methodMatched: trace.method.matched,
    method: trace.method.value,
    missingHeaders: trace.headers.filter((h) => !h.matched).map((h) => h.name),
    matched: trace.matched,
    used: trace.used,
  }));
}

/** The rule S3 uses for this request (S8: the first full match), or null. */
export function usedRule(evidence: Evidence): number | null {
  return evidence.model?.deciding.matchedRule ?? null;
}

/** One line per rule: which of origin, method and headers it matches ("rule 1 (ID: reads): origin ✓, method ✗ PUT ∉ [GET, HEAD], headers ✓"). */
export function ruleTraceLines(evidence: Evidence): string[] {
  const config = evidence.config;
  if (!config) return [];
  return ruleVerdicts(evidence).map((verdict) => {
    const rule = must(config.rules[verdict.index], 'a verdict indexes a rule of this configuration');
    const origin = verdict.originMatched ? 'origin ✓' : `origin ✗ (AllowedOrigins [${rule.allowedOrigins.join(', ')}])`;
    const method = verdict.methodMatched ? 'method ✓' : `method ✗ (${verdict.method} not in [${rule.allowedMethods.join(', ')}])`;
    const headers = !verdict.missingHeaders.length
      ? 'headers ✓'
      : rule.allowedHeaders.length
        ? `headers ✗ (${verdict.missingHeaders.join(', ')} not in [${rule.allowedHeaders.join(', ')}])`
        : `headers ✗ (${verdict.missingHeaders.join(', ')} requested; the rule has no AllowedHeaders)`; // S13
    return `${verdict.label}: ${origin}, ${method}, ${headers}${verdict.used ? ' — used' : verdict.matched ? ' — matches but an earlier rule wins' : ''}`;
  });
}

/** Evidence with a known configuration and the models' run of it. */
export type EvidenceWithRules = Evidence & { config: CorsConfiguration; model: ModelRun };

/** The configuration is known and S3 would use no rule for this request (S16 on a preflight, S19 on an actual request). */
export function noRuleMatches(evidence: Evidence): evidence is EvidenceWithRules {
  const deciding = evidence.model?.deciding;
  return !!evidence.config && !!deciding && deciding.trace.length > 0 && deciding.matchedRule === null && !(deciding.status >= 300 && deciding.status < 400);
}

/** The rules ranked as candidates when no rule matches; empty otherwise. Once per diagnosis (evidence.memo); shared: do not modify. */
export function ruleCandidates(evidence: Evidence): readonly RuleCandidate[] {
  return (evidence.memo.ruleCandidates ??=
    noRuleMatches(evidence) && evidence.page ? rankRuleCandidates(evidence.config, evidence.model.deciding.trace, evidence.page.origin) : []);
}

/**
 * The rule the user meant: the best candidate, when it matches the origin or nearly does (a rule for an unrelated
 * origin is not taken as meant for this page; then only the origin is reported). Null when a rule matches.
 */
export function meantRule(evidence: Evidence): RuleCandidate | null {
  const best = ruleCandidates(evidence)[0];
  return best && (best.originMatched || best.nearMiss) ? best : null;
}

function failingText(candidate: RuleCandidate): string {
  const parts: string[] = [];
  if (!candidate.originMatched) parts.push(candidate.nearMiss ? `its origin \`${candidate.nearMiss.pattern}\` nearly matches` : 'another origin');
  if (!candidate.methodMatched) parts.push(`lacks ${candidate.method}`);
  if (candidate.missingHeaders.length) parts.push(`lacks ${listText(candidate.missingHeaders)}`);
  return parts.join(', ');
}

/** One sentence on the other candidates than `chosen`, best first (up to three), or ''. */
export function otherCandidatesText(evidence: Evidence, chosen: number | null): string {
  const others = ruleCandidates(evidence)
    .filter((c) => c.index !== chosen && (c.originMatched || c.nearMiss))
    .slice(0, 3);
  if (!others.length) return '';
  return ` Other candidates: ${others.map((c) => `${c.label} (${failingText(c)}${c.widens ? `; ${c.widens}` : ''})`).join('; ')}.`;
}
