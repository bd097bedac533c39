/**
 * `s3-cors-doctor har <file.har>`: triage a HAR (Chrome or Firefox) — every S3 request diagnosed, identical causes
 * grouped, secrets redacted — as text (default), `--json` for tools or `--markdown` for a ticket. The file is
 * streamed: memory follows the S3 traffic, not the file size. Exit 0 when the report was made, 1 for a file that
 * is not a HAR, 2 for bad usage.
 */
import type { Command } from '../command.js';
import { boolFlag, onlyPositional, parseArgs, stringFlag } from '../args.js';
import { EXIT_OK, UsageError, type CliIO } from '../io.js';
import { loadPolicyFile } from '../policy-input.js';
import { readHarFile, writeReport } from '../har-stream.js';
import { fetchBucketCors, parseS3Spec, s3OptionsFromEnv, type S3ConfigOptions } from '../s3-config.js';
import { RENDER_FORMATS, type ParsedPolicy, type RenderFormat } from '../../core/policy/index.js';
import type { BucketState } from '../../core/s3/index.js';
import { triageExchanges, type TriageOptions } from '../../core/triage/index.js';
import { findingDocsCommand, triageJsonText, triageMarkdown, triageText } from '../../core/report/index.js';

const USAGE =
  'har <file.har> [--config <file|-|none|s3://bucket>] [--bucket <name>] [--json | --markdown] ' +
  `[--fix-format ${RENDER_FORMATS.join('|')}] [--browser chromium|firefox] [--profile <name>] [--region <region>] [--endpoint <url>]`;

/** `--config` applies to the bucket it names (s3://) or to `--bucket`, else to every S3 request of the HAR. */
function bucketStateFor(policy: ParsedPolicy | 'none', onlyBucket: string | undefined): TriageOptions['bucketState'] {
  const state: BucketState = policy === 'none' ? { kind: 'no-cors' } : { kind: 'cors', config: policy.config };
  return ({ bucket }) => (onlyBucket === undefined || bucket === onlyBucket ? state : undefined);
}

export const harCommand: Command = {
  name: 'har',
  summary: 'triage a HAR file: every S3 request diagnosed, identical causes grouped, secrets redacted',
  usage: `s3-cors-doctor ${USAGE}`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, {
      config: { value: true },
      bucket: { value: true },
      json: {},
      markdown: {},
      'fix-format': { value: true },
      browser: { value: true },
      profile: { value: true },
      region: { value: true },
      endpoint: { value: true },
    });
    const file = onlyPositional(args, 'a HAR file is required');
    if (boolFlag(args, 'json') && boolFlag(args, 'markdown')) throw new UsageError('--json and --markdown exclude each other');
    const fixFormat = stringFlag(args, 'fix-format') ?? 'console';
    if (!(RENDER_FORMATS as readonly string[]).includes(fixFormat)) throw new UsageError(`--fix-format must be one of ${RENDER_FORMATS.join(', ')}`);
    const browser = stringFlag(args, 'browser');
    if (browser !== undefined && browser !== 'chromium' && browser !== 'firefox') throw new UsageError('--browser must be chromium or firefox');

    let bucketState: TriageOptions['bucketState'];
    const config = stringFlag(args, 'config');
    if (config !== undefined) {
      if (/^s3:\/\//i.test(config)) {
        const bucket = parseS3Spec(config);
        const options: S3ConfigOptions = { ...s3OptionsFromEnv(io.env) };
        for (const flag of ['profile', 'region', 'endpoint'] as const) {
          const value = stringFlag(args, flag);
          if (value !== undefined) options[flag] = value;
        }
        bucketState = bucketStateFor(await fetchBucketCors(bucket, io, options), stringFlag(args, 'bucket') ?? bucket);
      } else {
        bucketState = bucketStateFor(await loadPolicyFile(config, io), stringFlag(args, 'bucket'));
      }
    }

    const read = await readHarFile(file, browser ? { browser } : {});
    const report = triageExchanges(read.exchanges, { ...(bucketState ? { bucketState } : {}), totalEntries: read.totalEntries, gaps: read.gaps });
    const buckets = [...new Set(report.requests.map((r) => r.bucket).filter((b): b is string => b !== null))];
    if (config !== undefined && !/^s3:\/\//i.test(config) && stringFlag(args, 'bucket') === undefined && buckets.length > 1) {
      report.gaps.push(`the configuration was applied to every bucket in the HAR (${buckets.join(', ')}); --bucket limits it to one`);
    }
    const options = { fixFormat: fixFormat as RenderFormat, findingPage: findingDocsCommand };
    // --json is streamed: the document of a large HAR is never one string.
    const text = boolFlag(args, 'json')
      ? triageJsonText(report, options)
      : boolFlag(args, 'markdown')
        ? triageMarkdown(report, options)
        : triageText(report, options);
    await writeReport(io.stdout, text);
    return EXIT_OK;
  },
};
