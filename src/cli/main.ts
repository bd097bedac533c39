import type { Command } from './command.js';
import { EXIT_FINDINGS, EXIT_USAGE, InputError, UsageError, type CliIO } from './io.js';
import { VERSION } from './version.js';

/**
 * The commands, each loaded only when run (issue 15: a cold start close to Node's own). The summaries are repeated
 * here so the top-level help loads no command; a test checks they equal each command's own.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: CommandEntry[] = [
  {
    name: 'lint',
    summary: 'check CORS configurations (files, Terraform, CloudFormation/SAM, CDK) as S3 would, for people or CI',
    load: async () => (await import('./commands/lint.js')).lintCommand,
  },
  {
    name: 'simulate',
    summary: 'what S3 answers for a CORS configuration and one request, rule by rule',
    load: async () => (await import('./commands/simulate.js')).simulateCommand,
  },
  {
    name: 'explain',
    summary: 'explain why a cross-origin request to S3 is allowed or blocked, and print the minimal verified fix',
    load: async () => (await import('./commands/explain.js')).explainCommand,
  },
  {
    name: 'serve',
    summary: 'a local S3-compatible CORS sandbox answering exactly as the S3 model',
    load: async () => (await import('./commands/serve.js')).serveCommand,
  },
  {
    name: 'har',
    summary: 'triage a HAR file: every S3 request diagnosed, identical causes grouped, secrets redacted',
    load: async () => (await import('./commands/har.js')).harCommand,
  },
  {
    name: 'redact',
    summary: 'write a shareable copy of a HAR with credentials, signatures, tokens and cookies masked',
    load: async () => (await import('./commands/redact.js')).redactCommand,
  },
  {
    name: 'probe',
    summary: 'send real preflights to a bucket and find which origin, method or header it refuses',
    load: async () => (await import('./commands/probe.js')).probeCommand,
  },
  {
    name: 'docs',
    summary: 'print the page explaining a finding code (e.g. docs ORIGIN_NOT_ALLOWED), offline',
    load: async () => (await import('./commands/docs.js')).docsCommand,
  },
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: s3-cors-doctor <command> [options]',
    '',
    'Explains exactly why a cross-origin request to S3 failed, and how to fix it.',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'options:',
    "  -h, --help     this help (after a command: that command's options)",
    '  -V, --version  the version',
    '',
    "Run 's3-cors-doctor <command> --help' for a command's options.",
    '',
  ].join('\n');
}

const isVersion = (arg: string) => arg === '--version' || arg === '-V';
const isHelp = (arg: string) => arg === '--help' || arg === '-h';

/** The CLI entry: never throws; returns the exit code. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name !== undefined && isVersion(name)) {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (!name || isHelp(name) || name === 'help') {
    io.stdout.write(help());
    return name ? 0 : EXIT_USAGE;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.stderr.write(`s3-cors-doctor: unknown command '${name}'\n${help()}`);
    return EXIT_USAGE;
  }
  // Options end at `--`: a file named `--help` after it is a file.
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (options.some(isVersion)) {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  let command: Command | undefined;
  try {
    command = await entry.load();
    if (options.some(isHelp)) {
      io.stdout.write(`usage: ${command.usage}\n`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`s3-cors-doctor ${name}: ${err.message}\n${command ? `usage: ${command.usage}\n` : ''}`);
      return EXIT_USAGE;
    }
    if (err instanceof InputError || (err instanceof Error && err.name === 'PolicyParseError')) {
      io.stderr.write(`s3-cors-doctor ${name}: ${(err as Error).message}\n`);
      return EXIT_FINDINGS;
    }
    // Unexpected: still one line, no stack trace (set S3_CORS_DOCTOR_DEBUG=1 for it).
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`s3-cors-doctor ${name}: internal error: ${message.split('\n')[0]}\n`);
    if (io.env.S3_CORS_DOCTOR_DEBUG && err instanceof Error) io.stderr.write(`${err.stack}\n`);
    return EXIT_FINDINGS;
  }
}
