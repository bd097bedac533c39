/**
 * `s3-cors-doctor serve`: argument parsing and start-up of the local S3-compatible CORS sandbox (src/sandbox), which
 * answers exactly as the S3 model.
 */
import type { Command } from '../command.js';
import { listFlag, parseArgs, stringFlag } from '../args.js';
import { EXIT_OK, UsageError, type CliIO } from '../io.js';
import { loadPolicyFile } from '../policy-input.js';
import { bucketNameProblem } from '../../core/endpoint/signing.js';
import { validatePolicy } from '../../core/policy/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';

const USAGE = [
  's3-cors-doctor serve --config <file|none> [--port N] [--host 127.0.0.1] [--region us-east-1] [--bucket <name>]...',
  '                      [--max-memory <MB>]',
  '',
  '  Answers exactly as the S3 model: OPTIONS preflights, and the CORS headers of every other response.',
  '  Buckets: path-style http://HOST:PORT/<bucket>/<key> or virtual-hosted http://<bucket>.localhost:PORT/<key>;',
  '  the --bucket names exist from the start, others once created with PUT /<bucket> (until then they answer as',
  '  missing); each starts with --config; PUT/GET/DELETE /<bucket>?cors changes it (S3 wire format).',
  '  Memory: all stored objects and parts together stay under --max-memory (an upload beyond it gets',
  '  507 InsufficientStorage).',
  '  Objects: PUT/GET (with Range)/HEAD/DELETE, browser form POST uploads, multipart uploads (POST ?uploads,',
  '  PUT ?partNumber&uploadId, POST ?uploadId, DELETE ?uploadId), ListObjects on the bucket root.',
  '  No authentication is checked (signatures and presigned parameters are ignored). Ctrl-C stops it.',
  `  Defaults: --port ${8010}, --host 127.0.0.1, --region us-east-1, --max-memory 256.`,
].join('\n');

const DEFAULT_PORT = 8010;

function portFlag(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PORT;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new UsageError(`--port "${text}" is not a port number (0–65535)`);
  return Number(text);
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'a local S3-compatible CORS sandbox answering exactly as the S3 model',
  usage: USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, {
      config: { value: true },
      port: { value: true },
      host: { value: true },
      region: { value: true },
      bucket: { value: true, repeat: true },
      'max-memory': { value: true },
    });
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
    const configPath = stringFlag(args, 'config');
    if (configPath === undefined) throw new UsageError('--config is required (a configuration file, or none)');
    const port = portFlag(stringFlag(args, 'port'));
    const host = stringFlag(args, 'host') ?? '127.0.0.1';
    const region = stringFlag(args, 'region') ?? 'us-east-1';
    if (!/^[a-z0-9-]{1,40}$/.test(region)) throw new UsageError(`--region "${region}" is not a region name`);
    const maxMemory = stringFlag(args, 'max-memory');
    if (maxMemory !== undefined && (!/^\d{1,6}$/.test(maxMemory) || Number(maxMemory) < 1))
      throw new UsageError(`--max-memory "${maxMemory}" is not a size in MB (1 or more)`);
    const bucketNames = listFlag(args, 'bucket');
    for (const name of bucketNames) {
      const problem = bucketNameProblem(name);
      if (problem) throw new UsageError(`--bucket "${name}" is not a bucket name: ${problem}`);
    }
    const policy = await loadPolicyFile(configPath, io);
    const config = policy === 'none' ? null : policy.config;
    const refusal = policy === 'none' ? undefined : validatePolicy(policy)[0];
    if (refusal && policy !== 'none') {
      const where = [policy.file ?? '<stdin>', refusal.line, refusal.column].filter((p) => p !== undefined).join(':');
      io.stderr.write(
        `s3-cors-doctor serve: warning: ${where}: PutBucketCors would refuse this configuration (${refusal.code}: ${refusal.message}); serving it as written\n`,
      );
    }
    let sandbox: Sandbox;
    try {
      sandbox = await startSandbox({
        config,
        port,
        host,
        region,
        ...(bucketNames.length > 0 ? { buckets: bucketNames } : {}),
        ...(maxMemory !== undefined ? { maxTotalBytes: Number(maxMemory) * 1024 * 1024 } : {}),
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UsageError(`cannot listen on ${host}:${port} (${code ?? (err as Error).message})`);
    }
    const rules = config ? `${config.rules.length} rule${config.rules.length === 1 ? '' : 's'}` : 'no CORS configuration';
    io.stdout.write(
      [
        `S3 CORS sandbox listening on ${sandbox.url}`,
        `  path-style:      ${sandbox.url}/<bucket>/<key>`,
        `  virtual-hosted:  http://<bucket>.localhost:${sandbox.port}/<key>`,
        `  buckets: ${bucketNames.length > 0 ? bucketNames.join(', ') : 'none yet'}; PUT /<bucket> creates one`,
        `  every bucket starts with ${rules} (${policy === 'none' ? 'none' : (policy.file ?? '<stdin>')}), region ${region}; PUT /<bucket>?cors replaces it`,
        '  no authentication is checked; objects live in memory. Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await sandbox.close();
    io.stdout.write('sandbox stopped\n');
    return EXIT_OK;
  },
};
