/**
 * HAR triage speed and memory (issue 6): for generated HARs of 1 MB, 50 MB and 300 MB (many non-S3 entries, large
 * base64 bodies, a few hundred S3 CORS failures), compare in the same run:
 *   - JSON.parse: reading the file into a string and JSON.parse'ing it;
 *   - triage: streaming the file through the scanner, pairing, diagnosing and grouping (`s3-cors-doctor har`);
 *   - redaction: streaming the file through `redactHar` to /dev/null (`s3-cors-doctor redact`).
 * Each measurement runs in its own child process, so its peak RSS is its own. Two ways, both printed:
 *   - fresh process, one run: what one `s3-cors-doctor har` costs, V8 compiling and warming the code included.
 *     The modes alternate round by round (json, read, triage, redact, json, …) so a machine that slows down
 *     part-way through a run weighs on all of them alike; medians of the rounds;
 *   - warm process (1 and 50 MB): one process triages many generated files of the same make, then is measured on
 *     files it has not seen: the code warm, no answer cached from the measured file (a DevTools panel or a script
 *     triaging HAR after HAR).
 * BENCH_QUICK=1 skips the 300 MB file.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatMicros, measure, median, registerBenchmark, table } from './harness.ts';
import { GENERATOR_VERSION, generateHar } from './generate-har.ts';
import { readHarFile, redactHarFile } from '../src/cli/har-stream.ts';
import { triageExchanges } from '../src/core/triage/index.ts';
import { triageJson } from '../src/core/report/index.ts';
import type { BucketState } from '../src/core/s3/index.ts';

const MB = 1024 * 1024;
const SELF = fileURLToPath(import.meta.url);

/** The generated uploads fail on this configuration (header `x-amz-checksum-crc32` not allowed), so every
 * failure goes through the whole diagnosis: S3 model, browser model, fix synthesis and verification. */
const BENCH_BUCKET: BucketState = {
  kind: 'cors',
  config: {
    rules: [{ allowedOrigins: ['https://app.example.com'], allowedMethods: ['GET', 'PUT'], allowedHeaders: ['content-type'], exposeHeaders: ['ETag'] }],
  },
};

const S3_FAILURES = 300;

async function benchFile(megabytes: number, variant = 0): Promise<string> {
  const dir = join(tmpdir(), 's3-cors-doctor-bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `har-${megabytes}mb-v${GENERATOR_VERSION}${variant ? `-r${variant}` : ''}.har`);
  if (!existsSync(path)) {
    await generateHar(`${path}.tmp`, megabytes * MB, megabytes <= 1 ? 20 : S3_FAILURES, variant);
    renameSync(`${path}.tmp`, path);
  }
  return path;
}

interface ChildResult {
  /** Median wall time of the measured work, ms. */
  ms: number;
  /** Median CPU time (user + system, all threads) of the measured work, ms: steadier on a shared machine. */
  cpuMs: number;

  maxRssBytes: number;
  heapPeakBytes: number;
  detail?: string;
}

/**
 * Child process: run one mode on each of `paths` in turn, measure the runs after the first `skip` (the warm-up),
 * print a ChildResult (medians) as JSON.
 */
async function child(mode: string, paths: string[], skip: number): Promise<void> {
  let heapPeak = 0;
  // process.memoryUsage() walks the heap: sampled rarely, so the sampler's own cost stays out of the figures.
  const sampler = setInterval(() => {
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }, 25);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const cpuMs = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  let detail = '';
  for (const [i, path] of paths.entries()) {
    const start = performance.now();
    const cpuStart = cpuMs();
    if (mode === 'json') {
      const text = await readFile(path, 'utf8');
      const har = JSON.parse(text) as { log: { entries: unknown[] } };
      detail = `${har.log.entries.length} entries`;
    } else if (mode === 'read') {
      const read = await readHarFile(path);
      detail = `${read.totalEntries} entries, ${read.exchanges.length} kept`;
    } else if (mode === 'cli-json' || mode === 'cli-markdown' || mode === 'cli-text') {
      // What `s3-cors-doctor har <file> [--json | --markdown]` does, its output thrown away.
      const { main } = await import('../src/cli/main.ts');
      const { Readable } = await import('node:stream');
      const out = createWriteStream('/dev/null');
      const flags = mode === 'cli-json' ? ['--json'] : mode === 'cli-markdown' ? ['--markdown'] : [];
      const code = await main(['har', path, ...flags], { stdout: out, stderr: process.stderr, stdin: Readable.from([]), env: {} });
      out.end();
      await once(out, 'finish');
      detail = `exit ${code}`;
    } else if (mode === 'triage') {
      const read = await readHarFile(path);
      const report = triageExchanges(read.exchanges, { bucketState: () => BENCH_BUCKET, totalEntries: read.totalEntries, gaps: read.gaps });
      const json = JSON.stringify(triageJson(report));
      detail = `${report.summary.total} entries, ${report.summary.s3} S3, ${report.summary.failed} failed, ${report.groups.length} groups, report ${json.length} chars`;
    } else {
      const out = createWriteStream('/dev/null');
      const result = await redactHarFile(path, out);
      out.end();
      await once(out, 'finish');
      detail = `${result.entries} entries`;
    }
    if (i >= skip) {
      times.push(performance.now() - start);
      cpuTimes.push(cpuMs() - cpuStart);
    }
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }
  clearInterval(sampler);
  const result: ChildResult = {
    ms: median(times),
    cpuMs: median(cpuTimes),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    heapPeakBytes: heapPeak,
    detail,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runChild(mode: string, paths: string[], skip = 0, nodeFlags: string[] = []): ChildResult {
  const result = spawnSync(process.execPath, [...nodeFlags, '--import', 'tsx', SELF, '--har-bench-child', mode, String(skip), ...paths], {
    cwd: resolve(fileURLToPath(import.meta.url), '../..'),
    encoding: 'utf8',
    maxBuffer: 16 * MB,
  });
  if (result.status !== 0) throw new Error(`bench child ${mode} failed: ${result.stderr.split('\n').slice(0, 3).join(' ')}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as ChildResult;
}

/** CPU time (all threads) of triageExchanges per S3 request once the code is optimised (same process, repeated). */
async function diagnosisPerRequest(path: string): Promise<{ requests: number; microsPerRequest: number }> {
  const read = await readHarFile(path);
  const options = { bucketState: () => BENCH_BUCKET, totalEntries: read.totalEntries, gaps: read.gaps };
  const requests = triageExchanges(read.exchanges, options).summary.s3;
  // V8 needs a few thousand diagnoses before the code is fully optimised; measure after them.
  for (let diagnosed = 0; diagnosed < 5000; diagnosed += requests) triageExchanges(read.exchanges, options);
  const measured = measure(() => triageExchanges(read.exchanges, options), 300);
  return { requests, microsPerRequest: measured.microsPerOp / requests };
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;
const ms = (value: number) => `${value.toFixed(0)} ms`;

const MODES = ['json', 'read', 'triage', 'redact'] as const;
type Mode = (typeof MODES)[number];

/** Each mode `rounds` times, one run per fresh process, alternating modes round by round; the median per mode. */
function freshProcessRuns(path: string, rounds: number): Record<Mode, ChildResult> {
  const results = Object.fromEntries(MODES.map((mode) => [mode, [] as ChildResult[]])) as Record<Mode, ChildResult[]>;
  for (let round = 0; round < rounds; round++) for (const mode of MODES) results[mode].push(runChild(mode, [path]));
  return Object.fromEntries(MODES.map((mode) => [mode, medianResult(results[mode])])) as Record<Mode, ChildResult>;
}

/** Median CPU and wall time (each on its own), the largest peak RSS, the detail of the last run. */
function medianResult(runs: ChildResult[]): ChildResult {
  const last = runs.at(-1);
  return {
    ms: median(runs.map((r) => r.ms)),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    maxRssBytes: Math.max(...runs.map((r) => r.maxRssBytes)),
    heapPeakBytes: Math.max(...runs.map((r) => r.heapPeakBytes)),
    ...(last?.detail ? { detail: last.detail } : {}),
  };
}

const ratio = (value: number, baseline: number) => `${(value / baseline).toFixed(2)}×`;

function ratioRow(label: string, r: Record<Mode, ChildResult>): string[] {
  const { json, read, triage, redact } = r;
  return [
    label,
    `${ms(json.cpuMs)} / ${ms(json.ms)}`,
    `${ratio(read.cpuMs, json.cpuMs)} / ${ratio(read.ms, json.ms)}`,
    `${ms(triage.cpuMs)} / ${ms(triage.ms)}`,
    `${ratio(triage.cpuMs, json.cpuMs)} / ${ratio(triage.ms, json.ms)}`,
    `${ratio(redact.cpuMs, json.cpuMs)} / ${ratio(redact.ms, json.ms)}`,
  ];
}

async function runHarBench(): Promise<string> {
  const sizes = process.env.BENCH_QUICK ? [1, 50] : [1, 50, 300];
  const header = ['file, how', 'read+JSON.parse (CPU / wall)', 'streaming read+pairing', 'triage (har --json)', 'triage ratio', 'redact ratio'];
  const rows: string[][] = [header];
  const memoryRows: string[][] = [['file', 'triage peak RSS', 'redact peak RSS', 'JSON.parse peak RSS']];
  const details: string[] = [];
  for (const size of sizes) {
    const path = await benchFile(size);
    const bytes = statSync(path).size;
    const fresh = freshProcessRuns(path, size <= 1 ? 7 : size <= 50 ? 3 : 1);
    rows.push(ratioRow(`${mb(bytes)}, fresh process`, fresh));
    if (size <= 50) {
      // Warm process, new files: after `warm` files of the same make, the median over `measured` files it has not
      // seen (same-file repeats would also find every URL reading and redacted text already cached).
      const [warm, measured] = size <= 1 ? [60, 20] : [4, 3];
      const files: string[] = [];
      for (let variant = 1; variant <= warm + measured; variant++) files.push(await benchFile(size, variant));
      const steady = Object.fromEntries(MODES.map((mode) => [mode, runChild(mode, files, warm)])) as Record<Mode, ChildResult>;
      rows.push(ratioRow(`${mb(bytes)}, warm process`, steady));
    }
    const rss = (r: ChildResult) => `${mb(r.maxRssBytes)} (${((r.maxRssBytes / bytes) * 100).toFixed(0)}% of file)`;
    memoryRows.push([mb(bytes), rss(fresh.triage), rss(fresh.redact), mb(fresh.json.maxRssBytes)]);
    details.push(`${mb(bytes)}: ${fresh.triage.detail}; triage heap peak ${mb(fresh.triage.heapPeakBytes)}`);
  }
  const perRequest = await diagnosisPerRequest(await benchFile(1));
  return [
    'Target (issue 6): triage ≤ 1.5× read+JSON.parse of the same file; triage peak RSS below the file size for 300 MB.',
    'Each cell is CPU time (user + system, all threads) / wall time; ratios are against read+JSON.parse measured the',
    'same way in the same run. "fresh process": one run per process, what one `s3-cors-doctor har` costs with V8',
    'compiling and warming the code (modes alternate round by round; medians of 7/3/1 rounds for 1/50/300 MB).',
    '"warm process": one process reads 60/4 files of the same make first, then the median over 20/3 files it has not',
    'seen (1/50 MB): the code warm, as in a DevTools panel or a script triaging HAR after HAR. "streaming read+pairing"',
    'is the HAR side alone (scan, parse kept entries, pair preflights); triage adds diagnosing every S3 request against',
    'a configuration that refuses it (S3 model, browser model, fix synthesis and verification), grouping and the',
    'redacted JSON report. The files hold 300 failed S3 uploads each (20 in the 1 MB file, which 300 would fill) among',
    'image and API entries with 100-300 KB base64 bodies. Peak RSS includes Node + tsx (about 100 MB). BENCH_QUICK=1',
    'skips 300 MB.',
    '',
    table(rows).trimEnd(),
    '',
    table(memoryRows).trimEnd(),
    '',
    ...details,
    '',
    `Diagnosis alone, at its fastest: the 1 MB file's ${perRequest.requests} failed uploads triaged over and over in one process, so the`,
    `code is optimised and every URL reading and redacted text is cached: ${formatMicros(perRequest.microsPerRequest)} µs CPU per failed S3 request.`,
    'A new request costs more (its URL is read and its texts redacted for the first time), and several times more in a',
    'fresh process, where V8 is still compiling and interpreting the code.',
    '',
  ].join('\n');
}

/**
 * Peak RSS of `har --json` by the number of S3 entries (issue 11: bounded memory whatever the S3 traffic; target
 * 1M entries under 500 MB). HARs of S3 entries only (failed uploads: a preflight and its PUT), written compact so the
 * 1M-entry file stays under the 2 GB HAR limit. Each run is capped at BENCH_HAR_HEAP_MB of V8 heap (default 1536) so
 * an unbounded run ends as "out of memory" instead of filling a shared machine. BENCH_HAR_ENTRIES (comma-separated)
 * overrides the sizes; BENCH_QUICK=1 skips 1M.
 */
/** Issue 11's target: `har` on a million S3 entries stays under this peak RSS, in every output mode. */
const S3_SCALE_TARGET_MB = 500;

async function runS3ScaleBench(): Promise<string> {
  const sizes = process.env.BENCH_HAR_ENTRIES
    ? process.env.BENCH_HAR_ENTRIES.split(',').map(Number)
    : process.env.BENCH_QUICK
      ? [10_000, 100_000]
      : [10_000, 100_000, 1_000_000];
  const heapMb = Number(process.env.BENCH_HAR_HEAP_MB ?? 1536);
  const rows: string[][] = [['S3 entries', 'file', 'mode', 'peak RSS', `vs ${S3_SCALE_TARGET_MB} MB target`, 'RSS per S3 entry', 'wall']];
  const largest = Math.max(...sizes);
  for (const entries of sizes) {
    const dir = join(tmpdir(), 's3-cors-doctor-bench');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `har-s3-${entries}-v${GENERATOR_VERSION}.har`);
    if (!existsSync(path)) {
      await generateHar(`${path}.tmp`, 0, Math.ceil(entries / 2), 0, { compact: true });
      renameSync(`${path}.tmp`, path);
    }
    const bytes = statSync(path).size;
    // --json (the per-request document, spooled) at every size; text and --markdown (groups only) at the largest.
    const modes = entries === largest ? ['cli-json', 'cli-markdown', 'cli-text'] : ['cli-json'];
    for (const mode of modes) {
      const label = mode === 'cli-json' ? '--json' : mode === 'cli-markdown' ? '--markdown' : 'text';
      try {
        const r = runChild(mode, [path], 0, [`--max-old-space-size=${heapMb}`]);
        const rssMb = r.maxRssBytes / MB;
        const verdict =
          rssMb <= S3_SCALE_TARGET_MB
            ? `under (${((rssMb / S3_SCALE_TARGET_MB) * 100).toFixed(0)}%)`
            : `OVER (${((rssMb / S3_SCALE_TARGET_MB) * 100).toFixed(0)}%)`;
        rows.push([
          entries.toLocaleString('en-US'),
          mb(bytes),
          label,
          mb(r.maxRssBytes),
          verdict,
          `${(r.maxRssBytes / entries / 1024).toFixed(2)} KB`,
          ms(r.ms),
        ]);
      } catch {
        rows.push([entries.toLocaleString('en-US'), mb(bytes), label, `out of memory (over ${heapMb} MB of heap)`, 'OVER', '', '']);
      }
    }
  }
  return [
    `Target (issue 11): the 1M-entry run under ${S3_SCALE_TARGET_MB} MB peak RSS, whatever the mode. Peak RSS includes Node + tsx (about 100 MB).`,
    'The HAR is read, diagnosed and grouped as a stream (pairing and related windows of 4096 entries, one aggregate per',
    'cause); --json spools each request to a temporary file until the groups are numbered. BENCH_HAR_ENTRIES=10000,100000',
    'picks the sizes (the 1M file is 1.4 GB and takes minutes to generate and to triage).',
    '',
    table(rows).trimEnd(),
    '',
  ].join('\n');
}

const childIndex = process.argv.indexOf('--har-bench-child');
if (childIndex !== -1) {
  const [mode, skip, ...paths] = process.argv.slice(childIndex + 1);
  await child(mode ?? '', paths, Number(skip));
} else {
  registerBenchmark({ name: 'HAR triage: streaming vs JSON.parse (issue 6)', run: runHarBench });
  registerBenchmark({ name: 'HAR memory by number of S3 entries (issue 11)', run: runS3ScaleBench });
}
