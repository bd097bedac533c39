/**
 * Redaction on hostile input (issue 11): the shapes that made the old regular expressions super-linear, at 64 KB,
 * 256 KB and 1 MB. Linear time shows as a 1 MB / 64 KB ratio near 16 (a quadratic redactor gives ~256). CPU time,
 * median of three runs; the test suite asserts the same linearity by counting steps, never by timing.
 */
import { redactBody, redactText, redactWork } from '../src/core/redact/index.ts';
import { median, registerBenchmark, table } from './harness.ts';

const SHAPES: Array<[string, (bytes: number) => string]> = [
  ['multipart field heads, no closing boundary', (n) => redactBody('name="a"\r\nx\r\n\r\n'.repeat(Math.ceil(n / 15)), 'multipart/form-data; boundary=XB')],
  ['JSON secret keys, unterminated', (n) => redactText('"token":"'.repeat(Math.ceil(n / 9)))],
  ['nested percent-encoding', (n) => redactText('a=%25'.repeat(Math.ceil(n / 5)))],
  ['URL schemes without hosts', (n) => redactText('https://'.repeat(Math.ceil(n / 8)))],
  ['XML secret elements, never closed', (n) => redactText('<Token>'.repeat(Math.ceil(n / 7)))],
  ['header name, 1 MB of blanks', (n) => redactText(`Authorization:${' '.repeat(n)}x`)],
];
const SIZES = [64 * 1024, 256 * 1024, 1024 * 1024];
/** The figure at the largest size over the one at the smallest. */
const growth = (values: number[]) => `${((values.at(-1) ?? Number.NaN) / (values[0] ?? Number.NaN)).toFixed(1)}×`;

function cpuMs(run: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  return median(times);
}

function runRedactBench(): string {
  const rows: string[][] = [['input shape', '64 KB', '256 KB', '1 MB', '1 MB / 64 KB time', '1 MB / 64 KB steps']];
  for (const [name, run] of SHAPES) {
    const ms = SIZES.map((size) => cpuMs(() => run(size)));
    const steps = SIZES.map((size) => redactWork(() => run(size)));
    rows.push([name, ...ms.map((m) => `${m.toFixed(0)} ms`), growth(ms), growth(steps)]);
  }
  return `${table(rows)}Linear is 16×; the multipart regular expression this replaced took 8.7 s on 225 KB and about 3 minutes on 1 MB.\n`;
}

registerBenchmark({ name: 'redaction on hostile input: linear time (issue 11)', run: runRedactBench });
