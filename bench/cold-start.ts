/**
 * CLI cold start (issue 15 item 2): how long one `s3-cors-doctor lint` / `explain` on a small input takes from
 * process start to exit, against `node -e 0` (Node's own start-up) on the same machine at the same moment.
 * Runs alternate (node -e 0, lint, explain, node -e 0, …) so a machine that slows down part-way weighs on all
 * alike; the figure is the ratio of medians of wall time (target: at most 1.3×). Needs the built CLI
 * (`npm run build` or `vite build --mode cli`). BENCH_QUICK=1 takes fewer rounds.
 *
 * The CLI keeps V8's compiled code between runs (bin/s3-cors-doctor.cjs). The bench gives it a cache directory of its
 * own, filled by the warm-up runs, so the main rows are a user's second and later runs; one more row runs `explain`
 * with the cache turned off (NODE_DISABLE_COMPILE_CACHE=1), which is what a first run costs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median, registerBenchmark, table } from './harness.ts';

const ROOT = resolve(import.meta.dirname, '..');
// BENCH_CLI_BIN: another build's bin script, to compare before/after in one run.
const BIN = process.env.BENCH_CLI_BIN ?? resolve(ROOT, 'bin/s3-cors-doctor.cjs');
const SMALL_CONFIG = resolve(ROOT, 'examples/cors.json');

const explainArgs = [
  'explain',
  '--config',
  SMALL_CONFIG,
  '--url',
  'https://bucket.s3.us-east-1.amazonaws.com/a.png',
  '--origin',
  'https://app.example.com',
  '--method',
  'PUT',
];

const CASES: Array<{ name: string; argv: string[]; env?: Record<string, string> }> = [
  { name: 'node -e 0', argv: ['-e', '0'] },
  { name: 'lint --config examples/cors.json', argv: [BIN, 'lint', '--config', SMALL_CONFIG] },
  { name: 'explain (small config, one PUT)', argv: [BIN, ...explainArgs] },
  { name: 'explain, no compile cache (a first run)', argv: [BIN, ...explainArgs], env: { NODE_DISABLE_COMPILE_CACHE: '1' } },
];
// BENCH_CLI_BASELINE_BIN: another build's bin script (e.g. an older commit's), measured in the same interleaved rounds.
const BASELINE = process.env.BENCH_CLI_BASELINE_BIN;
if (BASELINE) {
  CASES.push({ name: 'baseline: lint --config examples/cors.json', argv: [BASELINE, 'lint', '--config', SMALL_CONFIG] });
  CASES.push({ name: 'baseline: explain (small config, one PUT)', argv: [BASELINE, ...explainArgs] });
}

/**
 * CPU time (user + system) of this process's waited-for children, in ms, from /proc (Linux; clock ticks of 10 ms,
 * so only the mean over many runs is meaningful). Unlike wall time it does not count waiting for a busy machine.
 */
function childrenCpuMs(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    // After the command name: field 3 is the state, so cutime and cstime (fields 16 and 17) are at 13 and 14.
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return null;
  }
}

function runOnce(argv: string[], env: Record<string, string | undefined>): { wall: number; cpu: number | null } {
  const cpuBefore = childrenCpuMs();
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, argv, { stdio: ['ignore', 'ignore', 'pipe'], cwd: ROOT, env });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const cpuAfter = childrenCpuMs();
  if (run.status !== 0 && run.status !== 1) throw new Error(`${argv.join(' ')} exited ${run.status}: ${String(run.stderr).split('\n')[0]}`);
  return { wall, cpu: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore };
}

/** The 1-minute load average (os.loadavg() gives three). */
const loadNow = () => loadavg()[0] ?? Number.NaN;

registerBenchmark({
  name: 'CLI cold start (wall time per process, interleaved runs)',
  run() {
    if (!existsSync(resolve(BIN, '../../dist/cli'))) return 'skipped: the CLI is not built (npm run build)\n';
    const rounds = process.env.BENCH_QUICK ? 11 : 31;
    const cacheDir = mkdtempSync(join(tmpdir(), 'bench-compile-cache-'));
    const runs = CASES.map((c) => ({
      c,
      env: { ...process.env, NODE_COMPILE_CACHE: cacheDir, ...c.env },
      walls: [] as number[],
      cpus: [] as number[],
    }));
    const loadBefore = loadNow();
    try {
      for (let i = 0; i < 2; i++) for (const { c, env } of runs) runOnce(c.argv, env); // warm the file cache and the compile cache
      for (let round = 0; round < rounds; round++) {
        for (const { c, env, walls, cpus } of runs) {
          const { wall, cpu } = runOnce(c.argv, env);
          walls.push(wall);
          if (cpu !== null) cpus.push(cpu);
        }
      }
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
    /** NaN when no run reported its CPU time. */
    const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN);
    // The first case, node -e 0, is what the others are compared with.
    const base = median(runs[0]?.walls ?? []);
    const cpuBase = mean(runs[0]?.cpus ?? []);
    const rows = [['command', 'median wall ms', 'wall ratio', 'mean CPU ms', 'CPU ratio', 'target (wall)']];
    runs.forEach(({ c, walls, cpus }, k) => {
      const m = median(walls);
      const cpu = mean(cpus);
      rows.push([
        c.name,
        m.toFixed(1),
        `${(m / base).toFixed(2)}×`,
        Number.isNaN(cpu) ? '–' : cpu.toFixed(1),
        Number.isNaN(cpu) ? '–' : `${(cpu / cpuBase).toFixed(2)}×`,
        k === 0 || c.env ? '' : '≤ 1.30×',
      ]);
    });
    const load = `load average ${loadBefore.toFixed(1)} → ${loadNow().toFixed(1)} during the runs`;
    return `${rounds} interleaved rounds, ${load}; ratios to node -e 0. CPU (user + system of the child) does not count waiting for a busy machine.\n${table(rows)}`;
  },
});
