/**
 * `s3-cors-doctor simulate`: what S3 answers for a CORS configuration and one request, with the per-rule trace
 * (issue 2, "The command line"). The answer comes from the pure S3 model (src/core/s3).
 */
import type { Command } from '../command.js';
import { boolFlag, listFlag, parseArgs, requireFlag, stringFlag } from '../args.js';
import { EXIT_OK, UsageError, type CliIO } from '../io.js';
import { loadPolicyFile } from '../policy-input.js';
import { parseHeaderArg, type HeaderMap } from '../../core/http/index.js';
import { validatePolicy } from '../../core/policy/index.js';
import { safeUrl } from '../../core/endpoint/index.js';
import { simulateS3, type BucketState, type RuleTrace, type S3Response, type SimulateOptions } from '../../core/s3/index.js';
// Request and configuration values are shown, never interpreted: no terminal control characters get through.
import { evidenceWords } from '../findings-docs.js';
import { palette, printableInline as printable, type Palette } from '../terminal.js';

/** Used when --url is not given: an object in a us-east-1 bucket on its regional virtual-hosted endpoint. */
export const DEFAULT_SIMULATE_URL = 'https://bucket.s3.us-east-1.amazonaws.com/key';

const USAGE = [
  's3-cors-doctor simulate --config <file|-|none> [--no-bucket] --method <METHOD> [--url <url>] [--header "Name: value"]... [--bucket-region <region> [--new-bucket]] [--json]',
  '',
  "  --config <file|-|none>  the bucket's CORS configuration (any format lint reads); none: the bucket has none",
  '  --no-bucket             the bucket does not exist (--config is then optional and ignored)',
  '  --method <METHOD>       OPTIONS for a preflight; DELETE GET HEAD OPTIONS POST PUT are upper-cased as fetch() does',
  `  --url <url>             default ${DEFAULT_SIMULATE_URL}`,
  '  --header "Name: value"  a request header (Origin, Access-Control-Request-Method, …); repeatable',
  "  --bucket-region <r>     the region the bucket lives in: a URL for another region gets S3's redirect", // S31
  '  --new-bucket            the bucket was created in the last hours: the global endpoint answers 307', // S31
  '  --json                  {"status","headers","error","matchedRule","trace","behaviours","notes","body"}',
].join('\n');

const FLAGS = {
  config: { value: true },
  'no-bucket': {},
  method: { value: true },
  url: { value: true },
  header: { value: true, repeat: true },
  'bucket-region': { value: true },
  'new-bucket': {},
  json: {},
} as const;

/** Fetch normalises these six methods by upper-casing them (https://fetch.spec.whatwg.org/#concept-method-normalize). */
const NORMALISED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

function normaliseMethod(method: string): string {
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method)) throw new UsageError(`--method "${method}" is not an HTTP method name`);
  return NORMALISED_METHODS.has(method.toUpperCase()) ? method.toUpperCase() : method;
}

function readHeaders(args: string[]): HeaderMap {
  const headers: HeaderMap = {};
  for (const arg of args) {
    const pair = parseHeaderArg(arg);
    if (!pair) throw new UsageError(`--header "${arg}" must look like "Name: value"`);
    const name = pair[0].toLowerCase();
    headers[name] = name in headers ? `${headers[name]}, ${pair[1]}` : pair[1];
  }
  return headers;
}

/** The `--json` document (issue 2): status, headers, error, matchedRule, trace — plus behaviours, notes, body. */
export function simulateReport(response: S3Response) {
  return {
    status: response.status,
    headers: response.headers,
    error: response.error,
    matchedRule: response.matchedRule,
    trace: response.trace,
    behaviours: response.behaviours,
    notes: response.notes,
    body: response.body,
  };
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  301: 'Moved Permanently',
  307: 'Temporary Redirect',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
};

function traceTable(trace: RuleTrace[], c: Palette): string[] {
  const rows = trace.map((t) => {
    const origin = t.origin.matched ? `✓ ${printable(t.origin.by ?? '')}` : '✗';
    const headers = t.headers.length === 0 ? '–' : t.headers.map((h) => `${h.matched ? '✓' : '✗'} ${printable(h.name)}`).join('  ');
    return {
      cells: [
        String(t.rule + 1),
        printable(t.id ?? ''),
        origin,
        `${t.method.matched ? '✓' : '✗'} ${printable(t.method.value || '(none)')}`,
        headers,
        t.used ? 'used' : t.matched ? 'matches (later)' : 'no match',
      ],
      verdicts: [null, null, t.origin.matched, t.method.matched, t.headers.every((h) => h.matched), t.matched] as Array<boolean | null>,
    };
  });
  const titles = ['rule', 'ID', 'origin', 'method', 'headers', 'result'];
  const widths = titles.map((title, i) => Math.max(title.length, ...rows.map((r) => [...(r.cells[i] ?? '')].length)));
  const pad = (text: string, i: number) => {
    const length = [...text].length;
    return text + ' '.repeat((widths[i] ?? length) - length);
  };
  const lines = [`  ${titles.map((t, i) => c.bold(pad(t, i))).join('  ')}`.trimEnd()];
  for (const row of rows) {
    const cells = row.cells.map((cell, i) => {
      const verdict = row.verdicts[i];
      const padded = pad(cell, i);
      return verdict === null || verdict === undefined ? padded : verdict ? c.green(padded) : c.red(padded);
    });
    lines.push(`  ${cells.join('  ')}`.trimEnd());
  }
  return lines;
}

export function formatSimulateText(request: { method: string; url: string }, response: S3Response, io: CliIO): string {
  const c = palette(io);
  const lines: string[] = [];
  const statusLine = `${response.status} ${STATUS_TEXT[response.status] ?? ''}`.trimEnd();
  lines.push(`${c.bold(printable(request.method))} ${printable(request.url)}`);
  const ok = response.status >= 200 && response.status < 300;
  lines.push(
    `→ ${ok ? c.green(statusLine) : c.red(statusLine)}${response.error ? `  ${c.bold(response.error.code)}: ${printable(response.error.message)}` : ''}`,
  );
  const headerNames = Object.keys(response.headers);
  lines.push('', c.bold('response headers:'));
  if (headerNames.length === 0) lines.push(`  ${c.dim('(none from CORS)')}`);
  for (const [name, value] of Object.entries(response.headers)) lines.push(`  ${name}: ${printable(value)}`);
  if (response.trace.length > 0) {
    lines.push('', c.bold('rules:'), ...traceTable(response.trace, c));
    lines.push(response.matchedRule === null ? `  ${c.red('no rule matches')}` : `  ${c.green(`rule ${response.matchedRule + 1} is used`)}`);
  }
  // The S3 behaviours that decided it (spec ids) are in --json (`behaviours`), not in text a person reads.
  if (response.notes.length > 0) {
    lines.push('', c.bold("model notes (not S3's recorded word):"));
    for (const note of response.notes) lines.push(`  ${printable(note.note)} (${evidenceWords(note.evidence)})`); // note.behaviour: the spec id, in --json only
  }
  return `${lines.join('\n')}\n`;
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'what S3 answers for a CORS configuration and one request, rule by rule',
  usage: USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, FLAGS);
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
    const noBucket = boolFlag(args, 'no-bucket');
    const configPath = stringFlag(args, 'config');
    if (!noBucket && configPath === undefined) throw new UsageError('--config is required (a file, - for stdin, or none); or --no-bucket');
    const method = normaliseMethod(requireFlag(args, 'method'));
    const url = stringFlag(args, 'url') ?? DEFAULT_SIMULATE_URL;
    if (!safeUrl(url)) throw new UsageError(`--url "${printable(url)}" is not an http(s) URL`);
    const headers = readHeaders(listFlag(args, 'header'));
    const bucketRegion = stringFlag(args, 'bucket-region');

    let bucket: BucketState = { kind: 'missing' };
    // Without --no-bucket, --config is there (checked above).
    if (!noBucket && configPath !== undefined) {
      const policy = await loadPolicyFile(configPath, io);
      if (policy === 'none') bucket = { kind: 'no-cors' };
      else {
        bucket = { kind: 'cors', config: policy.config };
        const refusal = validatePolicy(policy)[0];
        if (refusal) {
          const where = [policy.file ?? '<input>', refusal.line, refusal.column].filter((p) => p !== undefined).join(':');
          io.stderr.write(
            `s3-cors-doctor simulate: warning: ${where}: PutBucketCors would refuse this configuration (${refusal.code}: ${printable(refusal.message)}); simulating it as written\n`,
          );
        }
      }
    }
    const options: SimulateOptions = { bucketCreatedRecently: boolFlag(args, 'new-bucket') };
    if (bucketRegion) options.bucketRegion = bucketRegion;
    const response = simulateS3(bucket, { method, url, headers }, options);
    if (boolFlag(args, 'json')) io.stdout.write(`${JSON.stringify(simulateReport(response), null, 2)}\n`);
    else io.stdout.write(formatSimulateText({ method, url }, response, io));
    return EXIT_OK;
  },
};
