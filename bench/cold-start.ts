/**
 * CLI cold start (issue 15 item 2): how long one `s3-cors-doctor lint` / `explain` on a small input takes from
 * process start to exit, against `node -e 0` (Node's own start-up) on the same machine at the same moment.
 * Runs alternate (node -e 0, lint, explain, node -e 0, …) so a machine that slows down part-way weighs on all
 * alike; the figure is the ratio of medians of wall time (target: at most 1.3×). Needs the built CLI
 * (`npm run build` or `vite build --mode cli`). BENCH_QUICK=1 takes fewer rounds.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { registerBenchmark, table } from './harness.ts';

const ROOT = resolve(import.meta.dirname, '..');
// BENCH_CLI_BIN: another build's bin script, to compare before/after in one run.
const BIN = process.env.BENCH_CLI_BIN ?? resolve(ROOT, 'bin/s3-cors-doctor.cjs');
const SMALL_CONFIG = resolve(ROOT, 'examples/cors.json');

const explainArgs = ['explain', '--config', SMALL_CONFIG, '--url', 'https://bucket.s3.us-east-1.amazonaws.com/a.png', '--origin', 'https://app.example.com', '--method', 'PUT'];

const CASES: Array<{ name: string; argv: string[] }> = [
  { name: 'node -e 0', argv: ['-e', '0'] },
  { name: 'lint --config examples/cors.json', argv: [BIN, 'lint', '--config', SMALL_CONFIG] },
  { name: 'explain (small config, one PUT)', argv: [BIN, ...explainArgs] },
];
// BENCH_CLI_BASELINE_BIN: another build's bin script (e.g. an older commit's), measured in the same interleaved rounds.
const BASELINE = process.env.BENCH_CLI_BASELINE_BIN;
if (BASELINE) {
  CASES.push({ name: 'baseline: lint --config examples/cors.json', argv: [BASELINE, 'lint', '--config', SMALL_CONFIG] });
  CASES.push({ name: 'baseline: explain (small config, one PUT)', argv: [BASELINE, ...explainArgs] });
}

function wallMs(argv: string[]): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, argv, { stdio: ['ignore', 'ignore', 'pipe'], cwd: ROOT });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0 && run.status !== 1) throw new Error(`${argv.join(' ')} exited ${run.status}: ${String(run.stderr).split('\n')[0]}`);
  return ms;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

registerBenchmark({
  name: 'CLI cold start (wall time per process, interleaved runs)',
  run() {
    if (!existsSync(resolve(BIN, '../../dist/cli'))) return 'skipped: the CLI is not built (npm run build)\n';
    const rounds = process.env.BENCH_QUICK ? 11 : 31;
    const samples = CASES.map(() => [] as number[]);
    for (let i = 0; i < 2; i++) for (const c of CASES) wallMs(c.argv); // warm the file cache
    for (let round = 0; round < rounds; round++) CASES.forEach((c, k) => samples[k]!.push(wallMs(c.argv)));
    const base = median(samples[0]!);
    const rows = [['command', 'median ms', 'ratio to node -e 0', 'target']];
    CASES.forEach((c, k) => {
      const m = median(samples[k]!);
      rows.push([c.name, m.toFixed(1), `${(m / base).toFixed(2)}×`, k === 0 ? '' : '≤ 1.30×']);
    });
    return `${rounds} interleaved rounds.\n${table(rows)}`;
  },
});
