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
import { RENDER_FORMATS, fixFormatFor, type ParsedPolicy, type RenderFormat } from '../../core/policy/index.js';
import type { BucketState } from '../../core/s3/index.js';
import { TRIAGE_RELATED_WINDOW, TriageStream, type TriagedRequest, type TriageOptions } from '../../core/triage/index.js';
import { RequestSpool } from '../triage-spool.js';
import { findingDocsCommand, triageJsonText, triageMarkdown, triageText } from '../../core/report/index.js';

const USAGE =
  'har <file.har> [--config <file|-|none|s3://bucket>] [--bucket <name>] [--json | --markdown] ' +
  `[--fix-format ${RENDER_FORMATS.join('|')}] [--browser chromium|firefox] [--profile <name>] [--region <region>] [--endpoint <url>]`;

/** `--config` applies to the bucket it names (s3://) or to `--bucket`, else to every S3 request of the HAR. */
function bucketStateFor(policy: ParsedPolicy | 'none', onlyBucket: string | undefined): TriageOptions['bucketState'] {
  // An empty GCS or B2 list is how those providers say "no CORS configuration".
  const state: BucketState =
    policy === 'none' || (policy.config.rules.length === 0 && (policy.format === 'gcs-json' || policy.format === 'b2-json'))
      ? { kind: 'no-cors' }
      : { kind: 'cors', config: policy.config };
  return ({ bucket }) => (onlyBucket === undefined || bucket === onlyBucket ? state : undefined);
}

/** The spooled requests with what was known only at the end: the file's gaps (first) and their group. */
function* spooledRequests(spool: RequestSpool, fileGaps: string[], causeIds: string[]): Generator<TriagedRequest> {
  for (const { request, cause } of spool.read()) {
    if (fileGaps.length > 0) request.gaps = [...fileGaps, ...request.gaps];
    if (cause === -1) request.group = null;
    else {
      const id = causeIds[cause];
      if (id === undefined) throw new Error(`the spool names cause ${cause}, which the triage did not report`);
      request.group = id;
    }
    yield request;
  }
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
    const fixFormatFlag = stringFlag(args, 'fix-format');
    if (fixFormatFlag !== undefined && !(RENDER_FORMATS as readonly string[]).includes(fixFormatFlag))
      throw new UsageError(`--fix-format must be one of ${RENDER_FORMATS.join(', ')}`);
    // A configuration given as GCS CORS JSON or B2 corsRules gets its fixes in that form by default.
    let fixFormat = (fixFormatFlag ?? 'console') as RenderFormat;
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
        const policy = await loadPolicyFile(config, io);
        if (fixFormatFlag === undefined && policy !== 'none') fixFormat = fixFormatFor(policy.format);
        bucketState = bucketStateFor(policy, stringFlag(args, 'bucket'));
      }
    }

    // The HAR is read, diagnosed and grouped as a stream (bounded memory whatever its size): the report keeps one
    // aggregate per cause, and --json spools each request to a temporary file until the groups are numbered.
    const json = boolFlag(args, 'json');
    const spool = json ? new RequestSpool() : null;
    try {
      const triage = new TriageStream({
        ...(bucketState ? { bucketState } : {}),
        window: TRIAGE_RELATED_WINDOW,
        allRequestIds: json,
        ...(spool ? { onRequest: (request: TriagedRequest, cause: number) => spool.write(request, cause) } : {}),
      });
      const read = await readHarFile(file, { ...(browser ? { browser } : {}), onExchange: (exchange) => triage.add(exchange) });
      const result = triage.finish(read.gaps);
      const report = { groups: result.groups, summary: { ...result.summary, total: read.totalEntries }, gaps: [...read.gaps] };
      if (config !== undefined && !/^s3:\/\//i.test(config) && stringFlag(args, 'bucket') === undefined && result.buckets.length > 1) {
        report.gaps.push(`the configuration was applied to every bucket in the HAR (${result.buckets.join(', ')}); --bucket limits it to one`);
      }
      const options = { fixFormat, findingPage: findingDocsCommand };
      // --json is streamed: the document of a large HAR is never one string, its requests come from the spool.
      const text = spool
        ? triageJsonText({ ...report, requests: spooledRequests(spool, read.gaps, result.causeIds) }, options)
        : boolFlag(args, 'markdown')
          ? triageMarkdown({ ...report, requests: [] }, options)
          : triageText({ ...report, requests: [] }, options);
      await writeReport(io.stdout, text);
    } finally {
      spool?.dispose();
    }
    return EXIT_OK;
  },
};
