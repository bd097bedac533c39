/**
 * Reading HAR files from disk without holding them (twice or even once): the file's bytes are read into one reused
 * 1 MB buffer (no decoding, no fresh memory per chunk) and go through the pure scanner, which hands back one entry at
 * a time. Triage keeps only what the diagnosis reads; redaction
 * writes each entry out as soon as it is redacted, waiting for the output to drain.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import {
  FULL_SCAN_LIMITS,
  HarCollector,
  HarJsonScanner,
  HarScanError,
  TRIAGE_SCAN_LIMITS,
  type HarReadResult,
  type HarScanEvent,
  type HarScanLimits,
  type HarScanSummary,
} from '../core/har/index.js';
import type { ObservedExchange } from '../core/evidence/types.js';
import { redactHarEntry, redactHarMember } from '../core/redact/index.js';
import { InputError, statInputFile } from './io.js';

/** Larger files are refused before reading: a HAR this size is a capture gone wrong. */
export const MAX_HAR_BYTES = 2 * 1024 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

async function checkFile(path: string, maxBytes: number): Promise<void> {
  const info = await statInputFile(path, 'a HAR file');
  if (info.isFile() && info.size > maxBytes) {
    throw new InputError(`${path}: ${info.size} bytes is larger than the ${maxBytes}-byte limit for a HAR file`);
  }
}

/** Read the file's bytes in chunks into one reused buffer; `onChunk` must not keep the chunk. */
async function readChunks(handle: FileHandle, onChunk: (chunk: Buffer) => void | Promise<void>, limit = Infinity): Promise<void> {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let read = 0;
  while (read < limit) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK_BYTES, limit - read), null);
    if (bytesRead === 0) return;
    read += bytesRead;
    await onChunk(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
  }
}

/** Line and column (1-based; the column in characters) of a byte offset, found by re-reading the file up to it (error path only). */
async function lineAndColumn(path: string, offset: number): Promise<{ line: number; column: number } | null> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    let line = 1;
    let lineStart = 0;
    let seen = 0;
    await readChunks(
      handle,
      (chunk) => {
        const end = Math.min(chunk.length, offset - seen);
        for (let i = chunk.indexOf(10); i !== -1 && i < end; i = chunk.indexOf(10, i + 1)) {
          line++;
          lineStart = seen + i + 1;
        }
        seen += chunk.length;
      },
      offset,
    );
    // The column counts characters, so the line's bytes up to the offset are decoded (at most 1 MB of them).
    const from = Math.max(lineStart, offset - CHUNK_BYTES);
    const bytes = Buffer.alloc(offset - from);
    await handle.read(bytes, 0, bytes.length, from);
    return { line, column: (from > lineStart ? from - lineStart : 0) + bytes.toString('utf8').length + 1 };
  } catch {
    return null;
  } finally {
    await handle?.close();
  }
}

async function scanError(path: string, err: HarScanError): Promise<InputError> {
  const place = await lineAndColumn(path, err.offset);
  return new InputError(`${path}${place ? `:${place.line}:${place.column}` : ''}: ${err.message}`);
}

/**
 * Stream a HAR file through the scanner. `onEvent` may return a promise (backpressure from an output).
 * Throws InputError naming the file, line and column when it is not a HAR.
 */
export async function scanHarFile(
  path: string,
  onEvent: (event: HarScanEvent) => void | Promise<void>,
  limits: HarScanLimits,
  maxBytes = MAX_HAR_BYTES,
): Promise<HarScanSummary> {
  await checkFile(path, maxBytes);
  const pending: HarScanEvent[] = [];
  const scanner = new HarJsonScanner((event) => pending.push(event), limits);
  // The consumer's own failures (an output closed early) pass through untouched, not as read errors.
  const deliver = async () => {
    for (const event of pending.splice(0)) {
      try {
        await onEvent(event);
      } catch (err) {
        throw new ConsumerFailure(err);
      }
    }
  };
  let read = 0;
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    await readChunks(handle, async (chunk) => {
      read += chunk.length;
      if (read > maxBytes) throw new InputError(`${path}: larger than the ${maxBytes}-byte limit for a HAR file`);
      scanner.write(chunk);
      await deliver();
    });
    const summary = scanner.end();
    await deliver();
    return summary;
  } catch (err) {
    if (err instanceof ConsumerFailure) throw err.failure;
    if (err instanceof HarScanError) throw await scanError(path, err);
    if (err instanceof InputError) throw err;
    throw new InputError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message.split('\n')[0]})`);
  } finally {
    await handle?.close();
  }
}

class ConsumerFailure extends Error {
  constructor(readonly failure: unknown) {
    super('consumer failed');
  }
}

/** Read a HAR for triage: exchanges of the entries that can matter, counts, browser, file-level gaps. */
export async function readHarFile(
  path: string,
  options: { browser?: 'chromium' | 'firefox'; maxBytes?: number; onExchange?: (exchange: ObservedExchange) => void } = {},
): Promise<HarReadResult> {
  // With onExchange, exchanges are handed over as they are read (in bounded memory) and none are returned.
  const collector = new HarCollector(options.onExchange ? { onExchange: options.onExchange, ...(options.browser ? { browser: options.browser } : {}) } : {});
  const summary = await scanHarFile(path, collector.add, TRIAGE_SCAN_LIMITS, options.maxBytes);
  try {
    return collector.finish(summary, options.browser ? { browser: options.browser } : {});
  } catch (err) {
    if (err instanceof HarScanError) throw new InputError(`${path}: ${err.message}`);
    throw err;
  }
}

/**
 * Writes to a stream, waiting when its buffer is full, and turns an output failure (EPIPE when the reader of stdout
 * goes away, ENOSPC) into an exception of the next write instead of an unhandled 'error' event.
 */
class OutputWriter {
  private failure: Error | null = null;
  private readonly onError = (err: Error) => {
    this.failure ??= err;
  };
  constructor(private readonly out: Writable) {
    out.on('error', this.onError);
  }

  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.out.destroyed) throw Object.assign(new Error('the output was closed'), { code: 'ERR_STREAM_DESTROYED' });
    if (this.out.write(text)) return;
    await new Promise<void>((resolve, reject) => {
      const settle = () => {
        this.out.off('drain', settle);
        this.out.off('close', settle);
        this.out.off('error', settle);
        if (this.failure) reject(this.failure);
        else resolve();
      };
      this.out.on('drain', settle);
      this.out.on('close', settle);
      this.out.on('error', settle);
    });
  }

  /**
   * Resolves once everything written so far has left the buffer (or the output failed or closed). Not on 'drain':
   * a stream emits it only after a write that filled its buffer, so a short report still in the buffer of an output
   * that writes asynchronously (a file stream, a pipe on macOS) would wait for ever. Writes complete in order, so the
   * callback of an empty write runs once everything before it is written.
   */
  async flushed(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.out.writableLength === 0 || this.out.destroyed) return;
    await new Promise<void>((resolve) => {
      const settle = () => {
        this.out.off('close', settle);
        this.out.off('error', settle);
        resolve();
      };
      this.out.on('close', settle);
      this.out.on('error', settle);
      this.out.write('', settle);
    });
    if (this.failure) throw this.failure;
  }

  release(): void {
    this.out.off('error', this.onError);
  }
}

type Stage = 'not-opened' | 'open' | 'closed';

export interface RedactFileResult {
  entries: number;
  /** The input ended early: the output holds the complete entries before the cut. */
  truncated: boolean;
}

/**
 * Redact a HAR file entry by entry into `out`. The document keeps its members and their order, except that an
 * empty `entries` array is written at the end of `log`.
 */
export async function redactHarFile(path: string, out: Writable, maxBytes = MAX_HAR_BYTES): Promise<RedactFileResult> {
  const writer = new OutputWriter(out);
  try {
    return await writeRedactedHar(path, (text) => writer.write(text), maxBytes);
  } finally {
    writer.release();
  }
}

async function writeRedactedHar(path: string, write: (text: string) => Promise<void>, maxBytes: number): Promise<RedactFileResult> {
  // Where the writer stands (an object: the closures below change it, which narrowing cannot follow).
  const state: { log: Stage; entries: Stage } = { log: 'not-opened', entries: 'not-opened' };
  let rootMembers = 0;
  let logMembers = 0;
  let written = 0;
  await write('{');
  const openLog = async () => {
    if (state.log !== 'not-opened') return;
    state.log = 'open';
    await write(`${rootMembers++ > 0 ? ',' : ''}\n"log":{`);
  };
  const closeEntries = async () => {
    if (state.entries === 'not-opened') await write(`${logMembers++ > 0 ? ',' : ''}\n"entries":[`);
    if (state.entries !== 'closed') await write('\n]');
    state.entries = 'closed';
  };
  const closeLog = async () => {
    await closeEntries();
    await write('\n}');
    state.log = 'closed';
  };
  const summary = await scanHarFile(
    path,
    async (event) => {
      if (event.kind === 'entry') {
        await openLog();
        if (state.entries === 'not-opened') {
          state.entries = 'open';
          await write(`${logMembers++ > 0 ? ',' : ''}\n"entries":[`);
        }
        await write(`${written++ > 0 ? ',' : ''}\n${JSON.stringify(redactHarEntry(parseJson(event.json, path)))}`);
        return;
      }
      const value = JSON.stringify(redactHarMember(event.parent === 'log' ? event.key : '', parseJson(event.json, path)));
      if (event.parent === 'log') {
        await openLog();
        if (state.entries === 'open') await closeEntries();
        await write(`${logMembers++ > 0 ? ',' : ''}\n${JSON.stringify(event.key)}:${value}`);
      } else {
        if (state.log === 'open') await closeLog();
        await write(`${rootMembers++ > 0 ? ',' : ''}\n${JSON.stringify(event.key)}:${value}`);
      }
    },
    FULL_SCAN_LIMITS,
    maxBytes,
  );
  if (!summary.sawLog) throw new InputError(`${path}: not a HAR: there is no "log" object`);
  if (!summary.sawEntries && !summary.truncated) throw new InputError(`${path}: not a HAR: "log" has no "entries" array`);
  await openLog();
  if (state.log === 'open') await closeLog();
  await write('\n}\n');
  return { entries: written, truncated: summary.truncated };
}

/**
 * Write a whole report to an output, waiting for it to be flushed. A reader that went away (`| head`: EPIPE) is not
 * an error for a filter: it resolves quietly; other output failures become a one-line InputError.
 */
/** Write a report, given whole or piece by piece (a streamed `--json` document), waiting for the output to drain. */
export async function writeReport(out: Writable, text: string | Iterable<string>): Promise<void> {
  const writer = new OutputWriter(out);
  try {
    if (typeof text === 'string') await writer.write(text);
    else for (const piece of text) await writer.write(piece);
    await writer.flushed();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED') return;
    throw new InputError(`<stdout>: cannot write (${code ?? (err as Error).message.split('\n')[0]})`);
  } finally {
    writer.release();
  }
}

function parseJson(json: string, path: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch (err) {
    throw new InputError(`${path}: invalid JSON inside the HAR (${(err as Error).message.split('\n')[0]})`);
  }
}
