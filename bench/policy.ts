/**
 * Policy parsing at 100 and 1000 rules in console JSON, XML and Terraform (issue 13 item 5: this replaces a timed
 * unit test). Linear parsing shows as a 1000 / 100 ratio near 10; a quadratic parser gives ~100. CPU time, median of
 * three runs.
 */
import { parsePolicy, renderPolicy } from '../src/core/policy/index.ts';
import { registerBenchmark, table } from './harness.ts';

function rulesOf(count: number) {
  return Array.from({ length: count }, (_, k) => ({
    id: `rule-${k}`,
    allowedOrigins: [`https://app${k}.example.com`, `https://*.site${k}.example.com`],
    allowedMethods: ['GET', 'PUT', 'POST'],
    allowedHeaders: ['content-type', 'x-amz-*', 'authorization'],
    exposeHeaders: ['ETag'],
    maxAgeSeconds: 3000,
  }));
}

function cpuMs(run: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = process.cpuUsage();
    for (let k = 0; k < 10; k++) run();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000 / 10);
  }
  return times.sort((a, b) => a - b)[1]!;
}

function runPolicyBench(): string {
  const rows: string[][] = [['format', '100 rules', '1000 rules', '1000 / 100 time']];
  for (const format of ['console', 'xml', 'terraform'] as const) {
    const [small, large] = [100, 1000].map((n) => renderPolicy({ rules: rulesOf(n) }, format));
    parsePolicy(small!);
    const ms = [small!, large!].map((text) => cpuMs(() => parsePolicy(text)));
    rows.push([format, `${ms[0]!.toFixed(2)} ms`, `${ms[1]!.toFixed(2)} ms`, `${(ms[1]! / ms[0]!).toFixed(1)}×`]);
  }
  return `${table(rows)}Linear is at most 10× (fixed per-document costs make it less); quadratic parsing would approach 100×.\n`;
}

registerBenchmark({ name: 'policy parsing: linear time (issue 13)', run: runPolicyBench });
