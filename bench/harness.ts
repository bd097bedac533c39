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

export async function runRegisteredBenchmarks(write: (text: string) => void): Promise<void> {
  write(`Node ${process.version} on ${process.platform}/${process.arch}; timings are medians of ${SAMPLES} samples and vary with machine load.\n`);
  for (const benchmark of benchmarks) {
    write(`\n== ${benchmark.name} ==\n`);
    write(await benchmark.run());
  }
}

export interface Measurement {
  microsPerOp: number;
  opsPerSecond: number;
}

const SAMPLES = 7;

/**
 * Time `operation` (which should return something derived from its work so it cannot be optimised away):
 * warm up, then take SAMPLES samples of about `sampleMs` each and report the median.
 */
export function measure(operation: () => unknown, sampleMs = 150): Measurement {
  let sink: unknown;
  let batch = 1;
  // Warm-up and batch sizing: grow the batch until one batch takes about a tenth of a sample.
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < batch; i++) sink = operation();
    const elapsed = performance.now() - start;
    if (elapsed >= sampleMs / 10) break;
    batch *= 2;
  }
  const samples: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    let ops = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < sampleMs) {
      for (let i = 0; i < batch; i++) sink = operation();
      ops += batch;
      elapsed = performance.now() - start;
    }
    samples.push((elapsed * 1000) / ops);
  }
  if (sink === Symbol.for('never')) throw new Error('unreachable');
  samples.sort((a, b) => a - b);
  const microsPerOp = samples[Math.floor(samples.length / 2)]!;
  return { microsPerOp, opsPerSecond: 1e6 / microsPerOp };
}

/** A plain-text table: first row is the header; columns after the first are right-aligned. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return `${[line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n')}\n`;
}

export const formatMicros = (m: number) => (m >= 100 ? m.toFixed(0) : m >= 10 ? m.toFixed(1) : m.toFixed(2));
export const formatRate = (ops: number) => Math.round(ops).toLocaleString('en-US');
