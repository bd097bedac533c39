/**
 * `npm run fuzz` (issue 11, item 6): every parser of untrusted text over generated and mutated inputs — the five
 * policy formats, the HAR reader (scanner, collector and triage), S3's XML answers and URLs. Reports, per parser:
 * inputs run, crashes (a thrown error that is not the parser's own clear error, or an internal error the parser
 * wrapped into one: "could not parse the document (…)"), and the slowest input's time. A parser stuck on one input
 * for FUZZ_HANG_MS (default 10 s) is a hang: its child process is stopped and the input reported.
 *
 * Inputs are deterministic (a seeded PRNG): each parser's inputs are generated documents (rules of random shapes,
 * rendered in the parser's format) and mutations of them and of seed documents (flips, insertions of syntax
 * tokens, deep nesting, long runs, truncations, splices). FUZZ_INPUTS sets the total (default 1,000,000, spread over
 * the parsers); FUZZ_SEED another seed. Not a test: nothing here runs in CI; a crash found gets a unit test.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePolicy, renderPolicy, PolicyParseError, type RenderFormat, type PolicyFormat } from '../src/core/policy/index.ts';
import type { CorsRule } from '../src/core/policy/types.ts';
import { readHarText, HarScanError } from '../src/core/har/index.ts';
import { triageExchanges } from '../src/core/triage/index.ts';
import { parseS3Error } from '../src/core/s3/index.ts';
import { parseS3Url } from '../src/core/endpoint/index.ts';
import { getBucketCorsUrl, maySendSigned, signingEndpointOf } from '../src/core/endpoint/signing.ts';
import { prng } from './generate-har.ts';

const SELF = fileURLToPath(import.meta.url);
/** A child that has not reached its first input after this long failed to start (not a parser hang). */
const STARTUP_MS = 120_000;

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('nothing to pick from');
  return item;
};
const int = (random: Random, max: number) => Math.floor(random() * max);

const ORIGINS = ['https://app.example.com', '*', 'http://*.example.com', 'https://a.example:8443', '', 'null', 'https://*', 'https://ex*ample.com'];
const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'PATCH', 'get', ''];
const HEADERS = ['*', 'content-type', 'x-amz-*', 'Authorization', 'x-amz-checksum-crc32', '', 'a*b*c'];

function randomRule(random: Random): CorsRule {
  const list = (items: readonly string[]) => Array.from({ length: int(random, 4) }, () => pick(random, items));
  const rule: CorsRule = {
    allowedOrigins: list(ORIGINS),
    allowedMethods: list(METHODS),
    allowedHeaders: list(HEADERS),
    exposeHeaders: list(['ETag', 'x-amz-request-id', '']),
  };
  if (random() < 0.5) rule.maxAgeSeconds = pick(random, [0, 3000, -1, 2 ** 40, 1.5]);
  if (random() < 0.3) rule.id = pick(random, ['rule-1', '', 'a"b', '<x>', '${var}', 'ü'.repeat(3)]);
  return rule;
}

/** Tokens that mean something to one of the grammars (JSON, XML, YAML, HCL, URLs, HAR). */
const TOKENS = [
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '\\',
  '\\u',
  '\\ud800',
  '\n',
  '\r\n',
  '\t',
  ' ',
  '\u0000',
  '\u2028',
  '\uFEFF',
  '\uD800',
  '𝄞',
  '<',
  '>',
  '</',
  '/>',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '&amp;',
  '&#0;',
  '&#x110000;',
  '&unknown;',
  '<?xml version="1.0"?>',
  '<!DOCTYPE x [<!ENTITY a "b">]>',
  '- ',
  '? ',
  '| ',
  '>- ',
  '&anchor ',
  '*anchor',
  '!Ref ',
  '!Sub ',
  '!!binary ',
  '%YAML 1.2\n',
  '---\n',
  '...\n',
  '#',
  '~',
  'null',
  'true',
  '1e999',
  '-0',
  '0x1F',
  '${',
  '${var.x}',
  '%{',
  '<<EOF\n',
  '\nEOF\n',
  '=',
  '==',
  '/*',
  '*/',
  '//',
  'resource "aws_s3_bucket_cors_configuration" "x" {',
  'cors_rule {',
  'dynamic "cors_rule" {',
  'for_each = ',
  'https://',
  'http://',
  '%',
  '%2F',
  '%23',
  '%00',
  '@',
  '#',
  '?',
  '&',
  '[::1]',
  ':65536',
  '..',
  'xn--',
  '\\\\',
  's3.amazonaws.com',
  '.s3.us-east-1.amazonaws.com',
  '"entries": [',
  '"request": {',
  '"response": {',
  '"headers": [',
  '"_error": "net::ERR_FAILED"',
  '"method": "OPTIONS"',
  '"status": 403',
  '"content": {"text": "',
];

function mutate(random: Random, text: string, seeds: readonly string[]): string {
  let out = text;
  const rounds = 1 + int(random, 4);
  for (let r = 0; r < rounds; r++) {
    const at = int(random, out.length + 1);
    switch (int(random, 9)) {
      case 0: // flip one character
        out = out.slice(0, at) + String.fromCharCode(int(random, 0x80)) + out.slice(at + 1);
        break;
      case 1:
      case 2: // insert a grammar token
        out = out.slice(0, at) + pick(random, TOKENS) + out.slice(at);
        break;
      case 3: // delete a range
        out = out.slice(0, at) + out.slice(at + int(random, 64));
        break;
      case 4: // duplicate a range
        out = out.slice(0, at) + out.slice(at, at + int(random, 200)) + out.slice(at);
        break;
      case 5: // truncate
        out = out.slice(0, at);
        break;
      case 6: // splice with another seed
        out = out.slice(0, at) + pick(random, seeds).slice(int(random, 400));
        break;
      case 7: // deep nesting or a long run (stack depth, backtracking)
        out =
          out.slice(0, at) + pick(random, ['[', '{"a":', '<a>', '- ', '  ', 'a', '\\', '"', '${', '(', '%25']).repeat(1 + int(random, 20_000)) + out.slice(at);
        break;
      default: // a random unicode character
        out = out.slice(0, at) + String.fromCodePoint(int(random, 0x110000)) + out.slice(at);
    }
  }
  return out.length > 2_000_000 ? out.slice(0, 2_000_000) : out;
}

// ---------------------------------------------------------------------------------------------------- the parsers

interface Target {
  name: string;
  seeds(random: Random): string[];
  /** Generate one well-formed input (before mutation). */
  generate(random: Random): string;
  /** Run the parser; return normally or throw. */
  run(input: string): unknown;
  /** Whether a thrown error is the parser's own clear error. */
  domain(error: unknown): boolean;
}

/** parsePolicy wraps anything unexpected as "could not parse the document (…)": that is a bug found, not a clear error. */
const policyDomain = (error: unknown) => error instanceof PolicyParseError && !/could not parse the document \(/.test(error.message);

function policyTarget(name: string, format: PolicyFormat, render: RenderFormat): Target {
  return {
    name,
    seeds: (random) =>
      Array.from({ length: 20 }, () =>
        renderPolicy({ rules: Array.from({ length: 1 + int(random, 4) }, () => randomRule(random)) }, render, { bucket: 'uploads' }),
      ),
    generate: (random) =>
      renderPolicy({ rules: Array.from({ length: int(random, 6) }, () => randomRule(random)) }, render, random() < 0.5 ? { bucket: 'uploads' } : {}),
    run: (input) => parsePolicy(input, random01(input) ? { format } : {}),
    domain: policyDomain,
  };
}

/** Half the inputs name their format, half are detected: a cheap deterministic coin from the input. */
function random01(input: string): boolean {
  return (input.length & 1) === 0;
}

function harEntry(random: Random, i: number): object {
  const url = pick(random, [
    `https://uploads.s3.eu-west-1.amazonaws.com/k${i}?X-Amz-Signature=abc`,
    `https://s3.amazonaws.com/b${i}/k`,
    'http://127.0.0.1:4568/demo-uploads/photo.json',
    'https://storage.googleapis.com/b/k',
    'https://example.com/app.js',
  ]);
  const preflight = random() < 0.5;
  return {
    startedDateTime: '2026-11-28T08:00:00.000Z',
    time: 10,
    _resourceType: preflight ? 'preflight' : 'fetch',
    request: {
      method: preflight ? 'OPTIONS' : pick(random, METHODS),
      url,
      headers: [
        { name: 'Origin', value: pick(random, ORIGINS) },
        ...(preflight
          ? [
              { name: 'Access-Control-Request-Method', value: 'PUT' },
              { name: 'Access-Control-Request-Headers', value: pick(random, HEADERS) },
            ]
          : []),
      ],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: pick(random, [0, 200, 403, 301, 404, 500]),
      statusText: '',
      headers:
        random() < 0.5
          ? [
              { name: 'Access-Control-Allow-Origin', value: pick(random, ORIGINS) },
              { name: 'Server', value: 'AmazonS3' },
            ]
          : [],
      content: {
        size: 0,
        mimeType: 'application/xml',
        ...(random() < 0.3 ? { text: '<Error><Code>AccessForbidden</Code><Message>CORSResponse: This CORS request is not allowed.</Message></Error>' } : {}),
      },
      ...(random() < 0.3 ? { _error: 'net::ERR_FAILED' } : {}),
      redirectURL: '',
      headersSize: -1,
      bodySize: 0,
    },
    timings: { send: 0, wait: 1, receive: 0 },
  };
}

const harTarget: Target = {
  name: 'HAR (scanner, collector, triage)',
  seeds: (random) =>
    Array.from({ length: 10 }, () =>
      JSON.stringify(
        { log: { version: '1.2', creator: { name: 'WebInspector' }, entries: Array.from({ length: 1 + int(random, 6) }, (_, i) => harEntry(random, i)) } },
        null,
        random() < 0.5 ? 2 : 0,
      ),
    ),
  generate: (random) =>
    JSON.stringify({
      log: {
        version: '1.2',
        creator: { name: pick(random, ['WebInspector', 'Firefox']) },
        entries: Array.from({ length: int(random, 5) }, (_, i) => harEntry(random, i)),
      },
    }),
  run: (input) => {
    const read = readHarText(input);
    return triageExchanges(read.exchanges, { totalEntries: read.totalEntries, gaps: read.gaps });
  },
  domain: (error) => error instanceof HarScanError,
};

const S3_ANSWERS = [
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessForbidden</Code><Message>CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource\'s CORS spec.</Message><Method>PUT</Method><ResourceType>OBJECT</ResourceType><RequestId>X</RequestId><HostId>Y</HostId></Error>',
  '<Error><Code>NoSuchCORSConfiguration</Code><Message>The CORS configuration does not exist</Message><BucketName>b</BucketName></Error>',
  '<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message><Endpoint>b.s3.eu-west-1.amazonaws.com</Endpoint></Error>',
  '<html><body><h1>403 Forbidden</h1><ul><li>Code: AccessForbidden</li></ul></body></html>',
];

const s3XmlTarget: Target = {
  name: 'S3 XML answers (parseS3Error)',
  seeds: () => S3_ANSWERS,
  generate: (random) =>
    `<Error>${Array.from({ length: int(random, 6) }, () => `<${pick(random, ['Code', 'Message', 'RequestId', 'X'])}>${pick(random, ['AccessDenied', 'a&amp;b', '', '<![CDATA[x]]>', 'ü'])}</${pick(random, ['Code', 'Message', 'X'])}>`).join('')}</Error>`,
  run: (input) => parseS3Error(input),
  domain: () => false,
};

const URLS = [
  'https://uploads.s3.eu-west-1.amazonaws.com/k?X-Amz-Credential=AKIA%2F20261128%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Signature=ab',
  'https://s3.us-east-1.amazonaws.com/1249767490%23/key',
  'https://b.s3-accelerate.dualstack.amazonaws.com/k?partNumber=1&uploadId=x',
  'http://127.0.0.1:4568/demo-uploads/photo.json',
  'https://acct.r2.cloudflarestorage.com/b/k',
  'https://storage.googleapis.com/b/k?X-Goog-Signature=x',
  'https://user:pass@[::1]:9000/b/k#frag',
];

const urlTarget: Target = {
  name: 'URLs (parseS3Url, signing checks)',
  seeds: () => URLS,
  generate: (random) =>
    `${pick(random, ['https://', 'http://', '', 'ftp://', '//'])}${pick(random, ['', 'bucket.', 'a.b.', '%23', 'x:y@'])}${pick(random, ['s3', 's3-us-west-2', 's3.dualstack.eu-west-1', 'storage.googleapis', '127.0.0.1', '[::1]'])}${pick(random, ['.amazonaws.com', '.com', ':4568', ''])}/${pick(random, ['', 'b/k', 'b%2Fk', '%E2%82%AC', '..%2F'])}${pick(random, ['', '?cors', '?uploads', '?X-Amz-Signature=a&X-Amz-Credential=b'])}`,
  run: (input) => {
    const info = parseS3Url(input, 'PUT');
    const endpoint = signingEndpointOf(input);
    if (endpoint) {
      maySendSigned(input, endpoint);
      if (info.bucket) getBucketCorsUrl({ bucket: info.bucket, region: info.region ?? 'us-east-1', endpoint });
    }
    return info;
  },
  domain: () => false,
};

const TARGETS: Target[] = [
  policyTarget('policy: S3 console JSON', 'console-json', 'console'),
  policyTarget('policy: aws s3api JSON', 'cli-json', 'cli-json'),
  policyTarget('policy: XML', 'xml', 'xml'),
  policyTarget('policy: CloudFormation YAML/JSON', 'cloudformation', 'cloudformation'),
  policyTarget('policy: Terraform HCL', 'terraform', 'terraform'),
  policyTarget('policy: GCS CORS JSON', 'gcs-json', 'gcs'),
  policyTarget('policy: Backblaze B2 corsRules', 'b2-json', 'b2'),
  harTarget,
  s3XmlTarget,
  urlTarget,
];

// ---------------------------------------------------------------------------------------------------- running

interface TargetResult {
  name: string;
  inputs: number;
  domainErrors: number;
  crashes: Array<{ index: number; error: string; input: string }>;
  crashCount: number;
  slowestMs: number;
  slowestInput: string;
  hang?: { index: number; input: string };
}

function inputAt(target: Target, seed: number, index: number, seeds: string[]): string {
  const random = prng(seed * 1_000_003 + index);
  const roll = random();
  if (roll < 0.15) return target.generate(random);
  const base = roll < 0.55 ? pick(random, seeds) : target.generate(random);
  return mutate(random, base, seeds);
}

const preview = (input: string) => JSON.stringify(input.length > 160 ? `${input.slice(0, 160)}… (${input.length} chars)` : input);

function runTarget(target: Target, seed: number, count: number, progress: (index: number) => void): TargetResult {
  const seeds = target.seeds(prng(seed));
  const result: TargetResult = { name: target.name, inputs: 0, domainErrors: 0, crashes: [], crashCount: 0, slowestMs: 0, slowestInput: '' };
  for (let i = 0; i < count; i++) {
    progress(i);
    const input = inputAt(target, seed, i, seeds);
    const start = performance.now();
    try {
      target.run(input);
    } catch (error) {
      if (target.domain(error)) result.domainErrors++;
      else {
        result.crashCount++;
        if (result.crashes.length < 5)
          result.crashes.push({
            index: i,
            error: error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error),
            input: preview(input),
          });
      }
    }
    const ms = performance.now() - start;
    if (ms > result.slowestMs) {
      result.slowestMs = ms;
      result.slowestInput = preview(input);
    }
    result.inputs++;
  }
  return result;
}

/** One parser in a child process (its own heap; stoppable when it hangs): the input it is on, in a small file. */
async function runChild(targetIndex: number, target: Target, seed: number, count: number, hangMs: number): Promise<TargetResult> {
  const progressFile = join(mkdtempSync(join(tmpdir(), 's3cd-fuzz-')), 'progress');
  // -1 until the child runs its first input: starting (tsx compiling the parsers) is not a hang.
  const initial = Buffer.alloc(4);
  initial.writeInt32LE(-1, 0);
  writeFileSync(progressFile, initial);
  const child = spawn(process.execPath, ['--import', 'tsx', SELF, '--fuzz-child', String(targetIndex), String(seed), String(count), progressFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const current = () => readFileSync(progressFile).readInt32LE(0);
  try {
    return await new Promise<TargetResult>((resolve, reject) => {
      let last = -1;
      let lastChange = performance.now();
      const watchdog = setInterval(() => {
        const now = current();
        if (now !== last) {
          last = now;
          lastChange = performance.now();
        } else if (now === -1 ? performance.now() - lastChange > STARTUP_MS : performance.now() - lastChange > hangMs) {
          clearInterval(watchdog);
          child.kill('SIGKILL');
          if (now === -1) return reject(new Error(`fuzz child for ${target.name} did not start within ${STARTUP_MS} ms`));
          resolve({
            name: target.name,
            inputs: now,
            domainErrors: 0,
            crashes: [],
            crashCount: 0,
            slowestMs: hangMs,
            slowestInput: '',
            hang: { index: now, input: preview(inputAt(target, seed, now, target.seeds(prng(seed)))) },
          });
        }
      }, 250);
      child.once('exit', (code) => {
        clearInterval(watchdog);
        if (code === 0) resolve(JSON.parse(output.trim().split('\n').pop() ?? '') as TargetResult);
        else if (code !== null) reject(new Error(`fuzz child for ${target.name} exited with ${code}`));
      });
    });
  } finally {
    rmSync(dirname(progressFile), { recursive: true, force: true });
  }
}

const childAt = process.argv.indexOf('--fuzz-child');
if (childAt !== -1) {
  const [targetIndex, seed, count, progressFile] = process.argv.slice(childAt + 1);
  const target = TARGETS[Number(targetIndex)];
  if (target === undefined || progressFile === undefined) throw new Error('usage: --fuzz-child <target index> <seed> <count> <progress file>');
  const fd = openSync(progressFile, 'r+');
  const slot = Buffer.alloc(4);
  const progress = (index: number) => {
    slot.writeInt32LE(index, 0);
    writeSync(fd, slot, 0, 4, 0);
  };
  process.stdout.write(`${JSON.stringify(runTarget(target, Number(seed), Number(count), progress))}\n`);
} else {
  const total = Number(process.env.FUZZ_INPUTS ?? 1_000_000);
  const seed = Number(process.env.FUZZ_SEED ?? 11);
  const hangMs = Number(process.env.FUZZ_HANG_MS ?? 10_000);
  const perTarget = Math.ceil(total / TARGETS.length);
  const results: TargetResult[] = [];
  const started = performance.now();
  // FUZZ_TARGETS=<text>: only the parsers whose name contains it (e.g. "XML").
  const only = process.env.FUZZ_TARGETS?.toLowerCase();
  for (const [t, target] of TARGETS.entries()) {
    if (only && !target.name.toLowerCase().includes(only)) continue;
    const result = await runChild(t, target, seed, perTarget, hangMs);
    results.push(result);
    process.stdout.write(
      `${result.name}: ${result.inputs} inputs, ${result.crashCount} crashes${result.hang ? ', HANG' : ''}, slowest ${result.slowestMs.toFixed(1)} ms\n`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const inputs = results.reduce((n, r) => n + r.inputs, 0);
  const crashes = results.reduce((n, r) => n + r.crashCount + (r.hang ? 1 : 0), 0);
  process.stdout.write(`\n${inputs.toLocaleString('en-US')} inputs in ${seconds.toFixed(0)} s (seed ${seed}); crashes and hangs: ${crashes}\n\n`);
  const width = Math.max(...results.map((r) => r.name.length));
  process.stdout.write(`${'parser'.padEnd(width)}  ${'inputs'.padStart(9)}  ${'clear errors'.padStart(12)}  ${'crashes'.padStart(7)}  slowest input\n`);
  for (const r of results) {
    process.stdout.write(
      `${r.name.padEnd(width)}  ${String(r.inputs).padStart(9)}  ${String(r.domainErrors).padStart(12)}  ${String(r.crashCount + (r.hang ? 1 : 0)).padStart(7)}  ${r.slowestMs.toFixed(1)} ms\n`,
    );
  }
  for (const r of results) {
    for (const c of r.crashes) process.stdout.write(`\nCRASH ${r.name} #${c.index}: ${c.error}\n  input: ${c.input}\n`);
    if (r.hang) process.stdout.write(`\nHANG ${r.name} #${r.hang.index} (no answer within ${hangMs} ms)\n  input: ${r.hang.input}\n`);
    if (process.env.FUZZ_VERBOSE) process.stdout.write(`\nslowest ${r.name}: ${r.slowestInput}\n`);
  }
  process.exitCode = crashes > 0 ? 1 : 0;
}
