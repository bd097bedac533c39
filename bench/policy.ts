/**
 * Policy parsing at 100 and 1000 rules in console JSON, XML and Terraform (issue 13 item 5: this replaces a timed
 * unit test). Linear parsing shows as a 1000 / 100 ratio near 10; a quadratic parser gives ~100. CPU time, median of
 * three runs.
 */
import { parsePolicy, renderPolicy } from '../src/core/policy/index.ts';
import { median, registerBenchmark, table } from './harness.ts';
import { manyRules } from '../test/core/policy/many-rules.ts';

function cpuMs(run: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = process.cpuUsage();
    for (let k = 0; k < 10; k++) run();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000 / 10);
  }
  return median(times);
}

function runPolicyBench(): string {
  const rows: string[][] = [['format', '100 rules', '1000 rules', '1000 / 100 time']];
  for (const format of ['console', 'xml', 'terraform'] as const) {
    const small = renderPolicy({ rules: manyRules(100) }, format);
    const large = renderPolicy({ rules: manyRules(1000) }, format);
    parsePolicy(small);
    const smallMs = cpuMs(() => parsePolicy(small));
    const largeMs = cpuMs(() => parsePolicy(large));
    rows.push([format, `${smallMs.toFixed(2)} ms`, `${largeMs.toFixed(2)} ms`, `${(largeMs / smallMs).toFixed(1)}×`]);
  }
  return `${table(rows)}Linear is at most 10× (fixed per-document costs make it less); quadratic parsing would approach 100×.\n`;
}

registerBenchmark({ name: 'policy parsing: linear time (issue 13)', run: runPolicyBench });
