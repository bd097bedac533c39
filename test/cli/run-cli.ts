import { Readable, Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A stream that collects what is written, synchronously, so nothing is still in flight when `main` returns. */
function sink(append: (text: string) => void, tty: boolean): Writable & { isTTY: boolean } {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      append(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { isTTY: tty });
}

/** Runs the CLI in-process, as `s3-cors-doctor <argv…>` would, with in-memory standard streams. */
export async function runCli(argv: string[], options: { stdin?: string | Buffer; tty?: boolean; env?: Record<string, string> } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: sink((s) => (stdout += s), options.tty ?? false),
    stderr: sink((s) => (stderr += s), false),
    stdin: Readable.from([options.stdin ?? '']),
    env: options.env ?? {},
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
