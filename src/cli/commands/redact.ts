/**
 * `s3-cors-doctor redact <in.har> [-o out.har]`: a shareable HAR — presigned-URL credentials, Authorization,
 * cookies, security tokens, POST policy signatures and tokens in bodies masked, everything the diagnosis needs kept.
 * Streamed entry by entry; with `-o` the file appears only when complete.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import type { Command } from '../command.js';
import { onlyPositional, parseArgs, stringFlag } from '../args.js';
import { EXIT_OK, InputError, UsageError, type CliIO } from '../io.js';
import { redactHarFile, type RedactFileResult } from '../har-stream.js';

const USAGE = 'redact <in.har> [-o <out.har>]';

async function redactToFile(input: string, output: string): Promise<RedactFileResult> {
  const partial = `${output}.partial-${process.pid}`;
  const out = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
  try {
    await once(out, 'open');
  } catch (err) {
    throw new InputError(`${output}: cannot write (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    const result = await redactHarFile(input, out);
    out.end();
    await once(out, 'finish');
    await rename(partial, output);
    return result;
  } catch (err) {
    out.destroy();
    await rm(partial, { force: true });
    throw err;
  }
}

export const redactCommand: Command = {
  name: 'redact',
  summary: 'write a shareable copy of a HAR with credentials, signatures, tokens and cookies masked',
  usage: `s3-cors-doctor ${USAGE}`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, { output: { value: true, short: 'o' } });
    const input = onlyPositional(args, 'a HAR file is required');
    const output = stringFlag(args, 'output');
    if (output !== undefined && output === input) throw new UsageError('-o must name another file than the input');
    let result: RedactFileResult;
    try {
      result = output === undefined ? await redactHarFile(input, io.stdout) : await redactToFile(input, output);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // The reader of stdout went away (`| head`): nothing left to do, as with any Unix filter.
      if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED') return EXIT_OK;
      if (code !== undefined && !(err instanceof InputError)) throw new InputError(`${output ?? '<stdout>'}: cannot write (${code})`);
      throw err;
    }
    if (result.truncated) io.stderr.write(`s3-cors-doctor redact: ${input} is truncated; wrote its ${result.entries} complete entries\n`);
    else if (output !== undefined) io.stderr.write(`s3-cors-doctor redact: wrote ${output} (${result.entries} entries)\n`);
    return EXIT_OK;
  },
};
