/**
 * `s3-cors-doctor lint`: would PutBucketCors accept a configuration, and what in it can never work or is risky.
 *
 * - `lint --config <file|->`: one configuration (the original form; `--json` prints one document).
 * - `lint <file|dir>...`: every configuration found in the files and directories named — Terraform, CloudFormation
 *   and SAM templates, CDK's cdk.out — for CI (see docs/ci.md and lint-targets.ts).
 *
 * `--format text|json|sarif|github` chooses the output (`--json` is `--format json`); the input format, detected by
 * default, is `--input-format` (`--format` still accepts an input format name, as it did). Exit 1 when any
 * configuration has errors (S3 would refuse it, or it cannot be read) or there are more warnings than
 * `--max-warnings`, else 0; 2 on bad usage.
 */
import type { Command } from '../command.js';
import { boolFlag, parseArgs, stringFlag } from '../args.js';
import { EXIT_FINDINGS, EXIT_OK, InputError, UsageError, type CliIO } from '../io.js';
import { loadPolicyFile } from '../policy-input.js';
import { POLICY_FORMATS, elementName, lintPolicy, type LintResult, type ParsedPolicy, type PolicyFormat, type RuleElement } from '../../core/policy/index.js';
import { palette, printable } from '../terminal.js';
import { findingPointer } from '../findings-docs.js';
import { findLintTargets, type FileProblem } from '../lint-targets.js';
import { flattenFindings, githubAnnotations, sarifLog } from '../lint-output.js';
import { VERSION } from '../version.js';

const OUTPUT_FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const USAGE =
  'lint <file|dir>... | --config <file|->  [--format text|json|sarif|github] [--json] [--max-warnings <n>]\n' +
  `             [--input-format ${POLICY_FORMATS.join('|')}] [--resource <name>]\n` +
  '  Files and directories: Terraform (.tf, .tf.json), CloudFormation/SAM templates (JSON, YAML), CDK cdk.out, S3 JSON/XML,\n' +
  '  GCS CORS JSON, Backblaze B2 corsRules.\n' +
  '  Exit 1 when a configuration has errors or there are more than --max-warnings warnings (default: no limit), else 0.';

/** The `--json` document: issue 2's contract, plus element/evidence/detail and the file's own description. */
export function lintReport(result: LintResult, policy: ParsedPolicy) {
  return {
    valid: result.valid,
    format: result.format,
    file: policy.file ?? null,
    resource: policy.resource ?? null,
    rules: policy.config.rules.length,
    errors: result.errors.map((e) => ({
      code: e.code,
      message: e.message,
      rule: e.rule,
      line: e.line ?? null,
      column: e.column ?? null,
      element: e.element ?? null,
      evidence: e.evidence,
      detail: e.detail ?? null,
    })),
    warnings: result.warnings.map((w) => ({
      code: w.code,
      message: w.message,
      rule: w.rule,
      fix: w.fix,
      line: w.line ?? null,
      column: w.column ?? null,
      element: w.element ?? null,
    })),
  };
}

/** Who applies a configuration in this form, in the summary line: PutBucketCors for S3's forms, else the provider. */
const S3_ACCEPTS = 'S3 would accept it (PutBucketCors)';
const S3_REFUSES = 'S3 would refuse it (PutBucketCors)';
const ACCEPTS: Record<PolicyFormat, string> = {
  'console-json': S3_ACCEPTS,
  'cli-json': S3_ACCEPTS,
  xml: S3_ACCEPTS,
  cloudformation: S3_ACCEPTS,
  terraform: S3_ACCEPTS,
  // Cloud Storage documents no limits beyond the shape, which the reader checks.
  'gcs-json': 'read as Cloud Storage CORS JSON (gcloud storage buckets update --cors-file)',
  'b2-json': 'B2 would accept it (b2 bucket update --cors-rules)',
};
const REFUSES: Record<PolicyFormat, string> = {
  ...Object.fromEntries(Object.keys(ACCEPTS).map((format) => [format, S3_REFUSES])),
  'gcs-json': 'Cloud Storage would refuse it',
  'b2-json': 'B2 would refuse it (b2 bucket update --cors-rules)',
} as Record<PolicyFormat, string>;

export function formatLintText(result: LintResult, policy: ParsedPolicy, io: CliIO): string {
  const c = palette(io);
  const file = policy.file ?? '<input>';
  const place = (line?: number, column?: number) => (line === undefined ? file : `${file}:${line}:${column ?? 1}`);
  // Rules are numbered from 1 for people (the --json `rule` field is the 0-based index).
  const what = (rule: number | null, element?: RuleElement) =>
    [rule === null ? '' : `rule ${rule + 1}`, element === 'CORSRule' || element === undefined ? '' : elementName(policy.format, element)]
      .filter(Boolean)
      .join(' ');
  const rules = policy.config.rules.length;
  const lines: string[] = [];
  const summary = result.valid ? c.green(ACCEPTS[policy.format]) : c.red(REFUSES[policy.format]);
  lines.push(`${c.bold(file)}: ${policy.format}${policy.resource ? ` (${policy.resource})` : ''}, ${rules} rule${rules === 1 ? '' : 's'} — ${summary}`);
  for (const e of result.errors) {
    lines.push('');
    lines.push(`  ${c.red('error')}    ${place(e.line, e.column)}  ${c.bold(e.code)}  ${what(e.rule, e.element)}`.trimEnd());
    lines.push(`           ${printable(e.message)}`);
    if (e.detail) lines.push(`           ${c.dim(printable(e.detail))}`);
    if (e.evidence !== 'recorded') {
      lines.push(`           ${c.dim(`evidence: ${e.evidence}${e.evidence === 'unknown' ? " (our choice, not S3's recorded answer)" : ''}`)}`);
    }
    lines.push(`           ${c.dim(findingPointer(e.code))}`);
  }
  for (const w of result.warnings) {
    lines.push('');
    lines.push(`  ${c.yellow('warning')}  ${place(w.line, w.column)}  ${c.bold(w.code)}  ${what(w.rule, w.element)}`.trimEnd());
    lines.push(`           ${printable(w.message)}`);
    lines.push(`           fix: ${printable(w.fix)}`);
    lines.push(`           ${c.dim(findingPointer(w.code))}`);
  }
  lines.push('', `${count(result.errors.length, 'error')}, ${count(result.warnings.length, 'warning')}`, '');
  return lines.join('\n');
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A file that could not be linted as a whole (unreadable configuration, deploy-time values), as text. */
function formatProblemText(p: FileProblem, io: CliIO): string {
  const c = palette(io);
  const label = p.severity === 'error' ? c.red('error') : c.yellow('warning');
  return [
    `${c.bold(p.file)}: not checked`,
    '',
    `  ${label}${p.severity === 'error' ? '    ' : '  '}${p.file}:${p.line}:${p.column}  ${c.bold(p.code)}`,
    `           ${printable(p.message)}`,
    `           ${c.dim(findingPointer(p.code))}`,
    '',
    '',
  ].join('\n');
}

function outputFormat(args: ReturnType<typeof parseArgs>): { output: OutputFormat; input: PolicyFormat | undefined } {
  const format = stringFlag(args, 'format');
  let input = stringFlag(args, 'input-format') as PolicyFormat | undefined;
  if (input !== undefined && !POLICY_FORMATS.includes(input)) throw new UsageError(`--input-format must be one of ${POLICY_FORMATS.join(', ')}`);
  let output: OutputFormat = 'text';
  if (format !== undefined) {
    if ((OUTPUT_FORMATS as readonly string[]).includes(format)) output = format as OutputFormat;
    else if ((POLICY_FORMATS as readonly string[]).includes(format) && input === undefined)
      input = format as PolicyFormat; // the older spelling
    else throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')} (an input format goes in --input-format: ${POLICY_FORMATS.join(', ')})`);
  }
  if (boolFlag(args, 'json')) {
    if (format !== undefined && output !== 'json' && (OUTPUT_FORMATS as readonly string[]).includes(format))
      throw new UsageError('--json and --format ' + format + ' contradict each other');
    output = 'json';
  }
  return { output, input };
}

function maxWarnings(args: ReturnType<typeof parseArgs>): number {
  const raw = stringFlag(args, 'max-warnings');
  if (raw === undefined) return Infinity;
  if (!/^\d{1,9}$/.test(raw)) throw new UsageError(`--max-warnings must be a whole number (0 or more), not ${JSON.stringify(raw)}`);
  return Number(raw);
}

export const lintCommand: Command = {
  name: 'lint',
  summary: 'check CORS configurations (files, Terraform, CloudFormation/SAM, CDK) as S3 would, for people or CI',
  usage: `s3-cors-doctor ${USAGE}`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, {
      config: { value: true, short: 'c' },
      json: {},
      format: { value: true, short: 'f' },
      'input-format': { value: true },
      'max-warnings': { value: true },
      resource: { value: true },
    });
    const config = stringFlag(args, 'config');
    const { output, input } = outputFormat(args);
    const limit = maxWarnings(args);
    if (config !== undefined && args.positionals.length) {
      throw new UsageError(
        `unexpected argument ${JSON.stringify(args.positionals[0])} (--config reads one configuration; to lint several files, name them without --config)`,
      );
    }
    if (config === undefined && !args.positionals.length) throw new UsageError('--config is required, or name the files and directories to lint');
    if (config === 'none') throw new UsageError('--config none names no configuration; lint needs a file or - for stdin');

    let linted: Array<{ policy: ParsedPolicy; result: LintResult }>;
    /** --config: the one configuration linted. */
    let single: { policy: ParsedPolicy; result: LintResult } | undefined;
    let problems: FileProblem[] = [];
    let skipped: string[] = [];
    if (config !== undefined) {
      const policy = await loadPolicyFile(config, io, { format: input, resource: stringFlag(args, 'resource') });
      if (policy === 'none') throw new InputError(`${config}: the bucket has no CORS configuration, nothing to lint`);
      single = { policy, result: lintPolicy(policy) };
      linted = [single];
    } else {
      if (stringFlag(args, 'resource') !== undefined) throw new UsageError('--resource goes with --config (naming files lints every resource in them)');
      const targets = await findLintTargets(args.positionals, { cwd: process.cwd(), format: input });
      linted = targets.policies.map((policy) => ({ policy, result: lintPolicy(policy) }));
      problems = targets.problems;
      skipped = targets.skipped;
    }

    const findings = flattenFindings(linted, problems);
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.length - errors;
    const code = errors > 0 || warnings > limit ? EXIT_FINDINGS : EXIT_OK;

    if (output === 'json') {
      const document =
        single !== undefined
          ? lintReport(single.result, single.policy)
          : {
              configurations: linted.map(({ policy, result }) => lintReport(result, policy)),
              problems: problems.map((p) => ({ ...p })),
              skipped,
              errors,
              warnings,
            };
      io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    } else if (output === 'sarif') {
      io.stdout.write(`${JSON.stringify(await sarifLog(findings, VERSION), null, 2)}\n`);
    } else if (output === 'github') {
      io.stdout.write(githubAnnotations(findings));
      io.stdout.write(`s3-cors-doctor lint: ${count(linted.length, 'configuration')} checked, ${count(errors, 'error')}, ${count(warnings, 'warning')}\n`);
    } else {
      for (const { policy, result } of linted) io.stdout.write(formatLintText(result, policy, io));
      for (const p of problems) io.stdout.write(formatProblemText(p, io));
      if (config === undefined) {
        const c = palette(io);
        const summary = `${count(linted.length, 'configuration')} checked${problems.length ? `, ${count(problems.length, 'file')} not checked` : ''}: ${count(errors, 'error')}, ${count(warnings, 'warning')}`;
        io.stdout.write(`${code === EXIT_OK ? c.green(summary) : c.red(summary)}${warnings > limit ? ` (more than --max-warnings ${limit})` : ''}\n`);
      }
    }
    if (config !== undefined && output === 'text' && warnings > limit)
      io.stderr.write(`s3-cors-doctor lint: ${count(warnings, 'warning')}, more than --max-warnings ${limit}\n`);
    return code;
  },
};
