/**
 * `s3-cors-doctor lint --config <file|-> [--json]`: would PutBucketCors accept this configuration, and what in it
 * can never work or is risky. Exit 0 when S3 would accept it (warnings allowed), 1 on errors or a bad file,
 * 2 on bad usage.
 */
import type { Command } from '../command.js';
import { boolFlag, parseArgs, requireFlag, stringFlag } from '../args.js';
import { EXIT_FINDINGS, EXIT_OK, InputError, UsageError, type CliIO } from '../io.js';
import { loadPolicyFile } from '../policy-input.js';
import { POLICY_FORMATS, lintPolicy, type LintResult, type ParsedPolicy, type PolicyFormat } from '../../core/policy/index.js';
import { palette, printable, type Palette } from '../terminal.js';

const USAGE = 'lint --config <file|-> [--json] [--format <console-json|cli-json|xml|cloudformation|terraform>] [--resource <name>]';

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

export function formatLintText(result: LintResult, policy: ParsedPolicy, io: CliIO): string {
  const c = palette(io);
  const file = policy.file ?? '<input>';
  const place = (line?: number, column?: number) => (line === undefined ? file : `${file}:${line}:${column ?? 1}`);
  // Rules are numbered from 1 for people (the --json `rule` field is the 0-based index).
  const what = (rule: number | null, element?: string) =>
    [rule === null ? '' : `rule ${rule + 1}`, element === 'CORSRule' ? '' : (element ?? '')].filter(Boolean).join(' ');
  const rules = policy.config.rules.length;
  const lines: string[] = [];
  const summary = result.valid
    ? c.green('S3 would accept it (PutBucketCors)')
    : c.red('S3 would refuse it (PutBucketCors)');
  lines.push(`${c.bold(file)}: ${policy.format}${policy.resource ? ` (${policy.resource})` : ''}, ${rules} rule${rules === 1 ? '' : 's'} — ${summary}`);
  for (const e of result.errors) {
    lines.push('');
    lines.push(`  ${c.red('error')}    ${place(e.line, e.column)}  ${c.bold(e.code)}  ${what(e.rule, e.element)}`.trimEnd());
    lines.push(`           ${printable(e.message)}`);
    if (e.detail) lines.push(`           ${c.dim(printable(e.detail))}`);
    if (e.evidence !== 'recorded') {
      lines.push(`           ${c.dim(`evidence: ${e.evidence}${e.evidence === 'unknown' ? ' (our choice, not S3\'s recorded answer)' : ''}`)}`);
    }
  }
  for (const w of result.warnings) {
    lines.push('');
    lines.push(`  ${c.yellow('warning')}  ${place(w.line, w.column)}  ${c.bold(w.code)}  ${what(w.rule, w.element)}`.trimEnd());
    lines.push(`           ${printable(w.message)}`);
    lines.push(`           fix: ${printable(w.fix)}`);
  }
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push('', `${count(result.errors.length, 'error')}, ${count(result.warnings.length, 'warning')}`, '');
  return lines.join('\n');
}

export const lintCommand: Command = {
  name: 'lint',
  summary: 'check a CORS configuration as PutBucketCors would, and warn about rules that can never work',
  usage: `s3-cors-doctor ${USAGE}`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, {
      config: { value: true, short: 'c' },
      json: {},
      format: { value: true },
      resource: { value: true },
    });
    if (args.positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
    const config = requireFlag(args, 'config');
    if (config === 'none') throw new UsageError('--config none names no configuration; lint needs a file or - for stdin');
    const format = stringFlag(args, 'format');
    if (format !== undefined && !POLICY_FORMATS.includes(format as PolicyFormat)) {
      throw new UsageError(`--format must be one of ${POLICY_FORMATS.join(', ')}`);
    }
    const policy = await loadPolicyFile(config, io, { format: format as PolicyFormat | undefined, resource: stringFlag(args, 'resource') });
    if (policy === 'none') throw new InputError(`${config}: the bucket has no CORS configuration, nothing to lint`);
    const result = lintPolicy(policy);
    if (boolFlag(args, 'json')) io.stdout.write(`${JSON.stringify(lintReport(result, policy), null, 2)}\n`);
    else io.stdout.write(formatLintText(result, policy, io));
    return result.valid ? EXIT_OK : EXIT_FINDINGS;
  },
};
