import { availableParallelism, loadavg } from 'node:os';

/**
 * A small benchmark harness for `npm run bench`: modules register benchmarks on import (bench/index.ts imports
 * them), each measures with `measure` and prints its own table with `table`. Not a test: nothing here asserts
 * timings.
 */

export interface Benchmark {
  name: string;
  run(): Promise<string> | string;
}

const benchmarks: Benchmark[] = [];

export function registerBenchmark(benchmark: Benchmark): void {
  benchmarks.push(benchmark);
}

/** `only`: run just the benchmarks whose name contains one of these words (case-insensitive); all when empty. */
export async function runRegisteredBenchmarks(write: (text: string) => void, only: string[] = []): Promise<void> {
  const [load1 = 0] = loadavg();
  const load = load1.toFixed(1);
  write(`Node ${process.version} on ${process.platform}/${process.arch}, ${availableParallelism()} CPUs, load average ${load} when started.\n`);
  for (const benchmark of benchmarks) {
    if (only.length > 0 && !only.some((word) => benchmark.name.toLowerCase().includes(word.toLowerCase()))) continue;
    write(`\n== ${benchmark.name} ==\n`);
    write(await benchmark.run());
  }
}

export interface Measurement {
  microsPerOp: number;
  opsPerSecond: number;
}

const SAMPLES = 7;

/** CPU time of this process in µs: unlike wall time, it does not count the time other processes hold the CPUs. */
function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/**
 * Time `operation` (which should return something derived from its work so it cannot be optimised away):
 * warm up, then take SAMPLES samples of about `sampleMs` of CPU time each and report the median CPU time per
 * operation. On a shared machine this is far steadier than wall time.
 */
export function measure(operation: () => unknown, sampleMs = 150): Measurement {
  let sink: unknown;
  let batch = 1;
  // Warm-up and batch sizing: grow the batch until one batch takes about a tenth of a sample.
  for (;;) {
    const start = cpuMicros();
    for (let i = 0; i < batch; i++) sink = operation();
    if (cpuMicros() - start >= (sampleMs * 1000) / 10) break;
    batch *= 2;
  }
  const samples: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    let ops = 0;
    const start = cpuMicros();
    let elapsed = 0;
    while (elapsed < sampleMs * 1000) {
      for (let i = 0; i < batch; i++) sink = operation();
      ops += batch;
      elapsed = cpuMicros() - start;
    }
    samples.push(elapsed / ops);
  }
  if (sink === Symbol.for('never')) throw new Error('unreachable');
  const microsPerOp = median(samples);
  return { microsPerOp, opsPerSecond: 1e6 / microsPerOp };
}

/** The middle value (the upper middle of an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (middle === undefined) throw new Error('median of no values');
  return middle;
}

/** A plain-text table: first row is the header; columns after the first are right-aligned. */
export function table(rows: string[][]): string {
  const [header = [], ...body] = rows;
  const widths = header.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return `${[line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n')}\n`;
}

export const formatMicros = (m: number) => (m >= 100 ? m.toFixed(0) : m >= 10 ? m.toFixed(1) : m.toFixed(2));
export const formatRate = (ops: number) => Math.round(ops).toLocaleString('en-US');
