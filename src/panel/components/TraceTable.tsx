/**
 * The S3 model's per-rule trace (S8–S14) as a table: one row per rule, one column per condition. The rule S3 uses
 * (the first that matches, S8) is highlighted, and every failing condition is marked ✗ and highlighted.
 */
import type { RuleTrace } from '../../core/s3/types.js';
import { describeCondition, failedConditions, nearMisses, ruleLabel, traceHeaderNames } from '../view/trace.js';

/** `by` names the pattern that matched; shown only when it says more than the value itself (a wildcard, a case). */
function Mark({ matched, by, value, label }: { matched: boolean; by?: string; value?: string | null; label: string }) {
  const pattern = by !== undefined && by !== value ? by : undefined;
  return (
    <td class={matched ? 'cond-pass' : 'cond-fail'} title={by ? `matched by ${by}` : undefined}>
      <span aria-label={`${label}: ${matched ? 'allowed' : 'not allowed'}`}>{matched ? '✓' : '✗'}</span>
      {pattern && <span class="matched-by">{pattern}</span>}
    </td>
  );
}

export function TraceTable({ trace, onOpenPolicy }: { trace: RuleTrace[]; onOpenPolicy?: () => void }) {
  const [first] = trace;
  if (first === undefined) {
    return (
      <div class="button-row">
        <span class="muted">
          No rule trace: the bucket's configuration is not known. Fetch it or paste it in the Policy tab to see which rule condition fails.
        </span>
        {onOpenPolicy && (
          <button type="button" class="button" onClick={onOpenPolicy}>
            Open the Policy tab
          </button>
        )}
      </div>
    );
  }
  const headerNames = traceHeaderNames(trace);
  const misses = new Set(nearMisses(trace).map((miss) => miss.rule.rule));
  return (
    <div class="trace">
      <table class="trace-table" aria-label="Rule trace">
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">
              Origin <span class="cell-sub">{first.origin.value ?? '(none)'}</span>
            </th>
            <th scope="col">
              Method <span class="cell-sub">{first.method.value}</span>
            </th>
            {headerNames.map((name) => (
              <th scope="col" key={name}>
                {name}
              </th>
            ))}
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {trace.map((rule) => {
            const failed = failedConditions(rule);
            const result = rule.used ? 'Used (first match)' : rule.matched ? 'Matches, but an earlier rule wins' : failed.map(describeCondition).join('; ');
            return (
              <tr key={rule.rule} class={`${rule.used ? 'rule-used' : ''}${misses.has(rule.rule) ? ' rule-near-miss' : ''}`}>
                <th scope="row" aria-label={ruleLabel(rule)}>
                  Rule {rule.rule + 1}
                  {rule.id && <span class="cell-sub">{rule.id}</span>}
                </th>
                <Mark matched={rule.origin.matched} by={rule.origin.by} value={rule.origin.value} label="origin" />
                <Mark matched={rule.method.matched} label="method" />
                {headerNames.map((name) => {
                  const header = rule.headers.find((h) => h.name === name);
                  return header ? (
                    <Mark key={name} matched={header.matched} by={header.by} value={name} label={`header ${name}`} />
                  ) : (
                    <td key={name} class="muted">
                      –
                    </td>
                  );
                })}
                <td class="trace-result">{result}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p class="legend muted">✓ allowed by the rule · ✗ the failing condition · highlighted row: the rule S3 uses</p>
    </div>
  );
}
