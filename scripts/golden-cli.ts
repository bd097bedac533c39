/**
 * Records what the built CLI prints on every fixture input, so a refactor can be checked byte for byte
 * (issue "one-way layers": behaviour stays identical). Usage:
 *
 *   npm run build && node --import tsx scripts/golden-cli.ts <out-dir> [extra.har ...]
 *   diff -r <before-dir> <after-dir>
 *
 * Inputs: the HAR fixtures (har text/JSON/Markdown and redact), the lint repositories (every --format), each corpus
 * case's configuration (lint, simulate, and explain in text and JSON with every --fix-format) and any extra HAR
 * given (e.g. one written by the benchmark's generator). Temporary paths are written as <tmp> so runs compare.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/s3-cors-doctor.cjs');
const out = resolve(process.argv[2] ?? 'golden');
const extraHars = process.argv.slice(3).map((p) => resolve(p));
mkdirSync(out, { recursive: true });
const tmp = mkdtempSync(join(tmpdir(), 'golden-'));

let runs = 0;
function run(name: string, args: string[], stdin?: string): void {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    input: stdin,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  const clean = (s: string) => s.split(tmp).join('<tmp>').split(ROOT).join('<root>');
  writeFileSync(join(out, `${name}.txt`), `exit ${r.status}\n--- stdout\n${clean(r.stdout)}\n--- stderr\n${clean(r.stderr)}`);
  runs++;
}

// HAR fixtures and extra HARs.
const hars = readdirSync(join(ROOT, 'test/fixtures/har'))
  .filter((f) => f.endsWith('.har'))
  .map((f) => join(ROOT, 'test/fixtures/har', f));
for (const har of [...hars, ...extraHars]) {
  const id = `har-${basename(har)}`;
  run(`${id}.text`, ['har', har]);
  run(`${id}.json`, ['har', har, '--json']);
  run(`${id}.markdown`, ['har', har, '--markdown']);
  run(`${id}.firefox`, ['har', har, '--browser', 'firefox']);
  const redacted = join(tmp, `${basename(har)}.redacted`);
  run(`${id}.redact`, ['redact', har, '-o', redacted]);
  writeFileSync(join(out, `${id}.redacted.har`), readFileSync(redacted, 'utf8'));
}
const firefoxXml = join(ROOT, 'test/fixtures/har/real-firefox-demo-failures.cors.xml');
run('har-firefox-with-config.text', ['har', join(ROOT, 'test/fixtures/har/real-firefox-demo-failures.har'), '--config', firefoxXml]);
run('har-firefox-with-config.json', ['har', join(ROOT, 'test/fixtures/har/real-firefox-demo-failures.har'), '--config', firefoxXml, '--json']);
for (const format of ['console', 'cli', 'cli-json', 'xml', 'cloudformation', 'cloudformation-json', 'terraform', 'cdk', 'gcs', 'b2', 'minio']) {
  run(`har-firefox-with-config.fix-${format}`, [
    'har',
    join(ROOT, 'test/fixtures/har/real-firefox-demo-failures.har'),
    '--config',
    firefoxXml,
    '--fix-format',
    format,
  ]);
}

// Lint repositories, every output format.
for (const repo of readdirSync(join(ROOT, 'test/fixtures/lint-repos'))) {
  for (const format of ['text', 'json', 'sarif', 'github'])
    run(`lint-repo-${repo}.${format}`, ['lint', join(ROOT, 'test/fixtures/lint-repos', repo), '--format', format]);
}

// Corpus cases: their configuration through lint, simulate and explain.
interface CaseFile {
  config?: string;
  request: {
    url: string;
    method: string;
    origin: string;
    headers?: Record<string, string>;
    credentials?: string;
    expose?: string[];
    bucketRegion?: string;
    time?: string;
  };
}
for (const file of readdirSync(join(ROOT, 'test/corpus/cases')).sort()) {
  const c = JSON.parse(readFileSync(join(ROOT, 'test/corpus/cases', file), 'utf8')) as CaseFile;
  const id = `case-${file.replace(/\.json$/, '')}`;
  const config = join(tmp, `${id}.config`);
  writeFileSync(config, c.config ?? '');
  if (c.config) {
    run(`${id}.lint`, ['lint', '--config', config]);
    run(`${id}.lint-json`, ['lint', '--config', config, '--json']);
  }
  const r = c.request;
  const headers = Object.entries(r.headers ?? {}).flatMap(([n, v]) => ['--header', `${n}: ${v}`]);
  const base = ['--config', c.config ? config : 'none', '--url', r.url, '--origin', r.origin, '--method', r.method, ...headers];
  if (r.credentials) base.push('--credentials', r.credentials);
  for (const e of r.expose ?? []) base.push('--expose', e);
  if (r.bucketRegion) base.push('--region', r.bucketRegion);
  if (r.time) base.push('--at', r.time);
  run(`${id}.explain`, ['explain', ...base]);
  run(`${id}.explain-json`, ['explain', ...base, '--json']);
  for (const format of ['cli', 'xml', 'cloudformation', 'terraform', 'cdk']) run(`${id}.explain-fix-${format}`, ['explain', ...base, '--fix-format', format]);
  const simHeaders = ['--header', `Origin: ${r.origin}`, '--header', `Access-Control-Request-Method: ${r.method}`];
  run(`${id}.simulate-preflight`, ['simulate', '--config', c.config ? config : 'none', '--url', r.url, '--method', 'OPTIONS', ...simHeaders]);
  run(`${id}.simulate-json`, [
    'simulate',
    '--config',
    c.config ? config : 'none',
    '--url',
    r.url,
    '--method',
    r.method,
    '--header',
    `Origin: ${r.origin}`,
    '--json',
  ]);
}

// Bad input: clear errors.
run('bad.lint-missing', ['lint', join(tmp, 'missing.json')]);
run('bad.unknown-command', ['frobnicate']);
run('bad.explain-no-url', ['explain', '--config', 'none']);

rmSync(tmp, { recursive: true, force: true });
console.log(`${runs} runs written to ${out}`);
