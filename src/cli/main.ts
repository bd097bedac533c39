import type { Command } from './command.js';
import { EXIT_FINDINGS, EXIT_USAGE, InputError, UsageError, type CliIO } from './io.js';
import { lintCommand } from './commands/lint.js';
import { simulateCommand } from './commands/simulate.js';
import { explainCommand } from './commands/explain.js';
import { serveCommand } from './commands/serve.js';
import { harCommand } from './commands/har.js';
import { redactCommand } from './commands/redact.js';
import { probeCommand } from './commands/probe.js';

export const COMMANDS: Command[] = [lintCommand, simulateCommand, explainCommand, serveCommand, harCommand, redactCommand, probeCommand];

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
    "Run 's3-cors-doctor <command> --help' for a command's options.",
    '',
  ].join('\n');
}

/** The CLI entry: never throws; returns the exit code. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(help());
    return name ? 0 : EXIT_USAGE;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`s3-cors-doctor: unknown command '${name}'\n${help()}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`usage: ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`s3-cors-doctor ${name}: ${err.message}\nusage: ${command.usage}\n`);
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
