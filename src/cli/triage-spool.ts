/**
 * The per-request part of `har --json`, spooled to a temporary file while the HAR is read: a request's group is known
 * only once every request has been diagnosed (groups are numbered by size), and a million diagnosed requests do not
 * fit in memory. Each request is written as one JSON line as soon as it is diagnosed, read back in order at the end,
 * and the file is deleted when the report is written or fails (`dispose`, called from a `finally`). The file holds
 * requests before redaction (the report redacts as it prints), so it is also deleted when the process is interrupted
 * (Ctrl-C, SIGTERM, SIGHUP), which skips `finally`; the signal is then raised again, so the exit is the signal's.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { TriagedRequest } from '../core/triage/index.js';

/** Signals that end a CLI run without running its `finally` blocks. */
const INTERRUPTS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Lines are gathered into writes and reads of about this size. */
const BLOCK_BYTES = 1 << 20;

export class RequestSpool {
  private readonly dir: string;
  private readonly path: string;
  private fd: number | null;
  private buffer: string[] = [];
  private buffered = 0;
  private count = 0;
  private readonly onInterrupt = (signal: NodeJS.Signals): void => {
    this.dispose();
    process.kill(process.pid, signal);
  };

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 's3-cors-doctor-har-'));
    this.path = join(this.dir, 'requests.jsonl');
    this.fd = openSync(this.path, 'w', 0o600);
    for (const signal of INTERRUPTS) process.once(signal, this.onInterrupt);
  }

  /** Number of requests written. */
  get size(): number {
    return this.count;
  }

  /** One diagnosed request and its cause number (the rule trace is not printed per request, so it is not kept). */
  write(request: TriagedRequest, cause: number): void {
    const { trace: _trace, ...printed } = request;
    const line = `${cause}\t${JSON.stringify(printed)}\n`;
    this.buffer.push(line);
    this.buffered += line.length;
    this.count++;
    if (this.buffered >= BLOCK_BYTES) this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0 || this.fd === null) return;
    writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.buffered = 0;
  }

  /** The requests in the order written, each with its cause number. Ends the writing. */
  *read(): Generator<{ request: TriagedRequest; cause: number }> {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = openSync(this.path, 'r');
    const chunk = Buffer.allocUnsafe(BLOCK_BYTES);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (;;) {
      const bytesRead = readSync(this.fd, chunk, 0, chunk.length, null);
      const text = rest + (bytesRead > 0 ? decoder.write(chunk.subarray(0, bytesRead)) : decoder.end());
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        const tab = text.indexOf('\t', start);
        const request = JSON.parse(text.slice(tab + 1, end)) as TriagedRequest;
        request.trace = [];
        yield { request, cause: Number(text.slice(start, tab)) };
        start = end + 1;
      }
      rest = text.slice(start);
      if (bytesRead === 0) return;
    }
  }

  /** Close and delete the file (safe to call more than once). */
  dispose(): void {
    for (const signal of INTERRUPTS) process.off(signal, this.onInterrupt);
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = null;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
