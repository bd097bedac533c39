// Synchronous stat: node:fs/promises costs a few ms to load on every cold start, and one stat does not block anything.
import { statSync, type Stats } from 'node:fs';
import type { Readable, Writable } from 'node:stream';

/** The process seams the CLI uses, replaced by in-memory streams in tests. */
export interface CliIO {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable;
  env: Record<string, string | undefined>;
}

/** Exit codes (issue 2): 0 success, 1 lint errors / bad input file, 2 bad usage. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** A usage error: printed as one line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** An input error (unreadable or invalid file): printed as one line, exit 1. */
export class InputError extends Error {
  override name = 'InputError';
}

export async function readAll(stream: Readable, limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limitBytes) throw new InputError(`<stdin>: input is larger than ${limitBytes} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Stat a file the user named, turning the usual failures into one-line input errors (exit 1). `kind` names what the
 * file should be ("a HAR file", "a configuration file") for the directory case.
 */
export async function statInputFile(path: string, kind: string): Promise<Stats> {
  let info: Stats;
  try {
    info = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${path}: no such file`);
    if (code === 'EACCES') throw new InputError(`${path}: permission denied`);
    throw new InputError(`${path}: cannot read (${code ?? 'error'})`);
  }
  if (info.isDirectory()) throw new InputError(`${path}: is a directory, not ${kind}`);
  return info;
}
