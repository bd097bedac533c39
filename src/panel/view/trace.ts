/**
 * Views of the S3 model's per-rule trace (S8–S14): the header columns of the trace table and the near misses —
 * rules that fail on exactly one condition, which is usually where the user meant the request to match.
 */
import type { RuleTrace } from '../../core/s3/types.js';

/** Requested header names in the order the trace lists them, across every rule (each rule sees the same request). */
export function traceHeaderNames(trace: readonly RuleTrace[]): string[] {
  const names: string[] = [];
  for (const rule of trace) for (const header of rule.headers) if (!names.includes(header.name)) names.push(header.name);
  return names;
}

export type FailedCondition = { kind: 'origin'; value: string | null } | { kind: 'method'; value: string } | { kind: 'header'; value: string };

export function failedConditions(rule: RuleTrace): FailedCondition[] {
  const failed: FailedCondition[] = [];
  if (!rule.origin.matched) failed.push({ kind: 'origin', value: rule.origin.value });
  if (!rule.method.matched) failed.push({ kind: 'method', value: rule.method.value });
  for (const header of rule.headers) if (!header.matched) failed.push({ kind: 'header', value: header.name });
  return failed;
}

export interface NearMiss {
  rule: RuleTrace;
  failed: FailedCondition;
}

export function nearMisses(trace: readonly RuleTrace[]): NearMiss[] {
  const misses: NearMiss[] = [];
  for (const rule of trace) {
    if (rule.matched) continue;
    const failed = failedConditions(rule);
    const [only] = failed;
    if (failed.length === 1 && only !== undefined) misses.push({ rule, failed: only });
  }
  return misses;
}

/** "rule 2 (ID: uploads)": 1-based, as the S3 console numbers rules. */
export function ruleLabel(rule: Pick<RuleTrace, 'rule' | 'id'>): string {
  return rule.id ? `rule ${rule.rule + 1} (ID: ${rule.id})` : `rule ${rule.rule + 1}`;
}

export function describeCondition(condition: FailedCondition): string {
  switch (condition.kind) {
    case 'origin':
      return condition.value === null ? 'the request has no Origin' : `origin ${condition.value} is not in AllowedOrigin`;
    case 'method':
      return `method ${condition.value} is not in AllowedMethod`;
    case 'header':
      return `header ${condition.value} is not in AllowedHeader`;
  }
}
