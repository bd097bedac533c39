/**
 * Issue 11: `har --json` spools each diagnosed request to a temporary file until the groups are numbered. The file
 * gives back exactly what was written, in order, and is deleted after the report — also when the run fails.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestSpool } from '../../src/cli/triage-spool.js';
import type { TriagedRequest } from '../../src/core/triage/index.js';
import { runCli } from './run-cli.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/har/real-chromium-demo-failures.har');

function request(i: number, verdict: string): TriagedRequest {
  return {
    id: `har-${i}`,
    url: `https://b.s3.amazonaws.com/k${i}`,
    method: 'PUT',
    origin: 'https://app.example.com',
    status: 0,
    preflightStatus: 403,
    requestedHeaders: ['content-type'],
    bucket: 'b',
    host: 'b.s3.amazonaws.com',
    outcome: 'blocked',
    verdict,
    findings: [],
    fix: null,
    trace: [],
    provider: { id: 'aws', name: 'Amazon S3', notes: [] },
    browserError: null,
    gaps: [`gap ${i}`],
    group: null,
  } as TriagedRequest;
}

describe('RequestSpool', () => {
  let dir: string;
  const previous = process.env.TMPDIR;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'spool-test-'));
    process.env.TMPDIR = dir;
  });
  afterEach(() => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads back every request in order, multi-byte text cut across its blocks included, and deletes its file', () => {
    const spool = new RequestSpool();
    expect(readdirSync(dir)).toHaveLength(1);
    // Long multi-byte verdicts: lines far longer than a block, split inside characters.
    const long = 'é€😀'.repeat(150_000);
    const written = Array.from({ length: 12 }, (_, i) => request(i, i % 3 === 0 ? long : `verdict ${i}`));
    written.forEach((r, i) => spool.write(r, i % 4 === 0 ? -1 : i % 4));
    const read = [...spool.read()];
    expect(read.map((r) => r.cause)).toEqual(written.map((_, i) => (i % 4 === 0 ? -1 : i % 4)));
    expect(read.map((r) => r.request)).toEqual(written);
    spool.dispose();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('is deleted after `har --json`, and when the run fails', async () => {
    const ok = await runCli(['har', FIXTURE, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).requests.length).toBeGreaterThan(0);
    expect(readdirSync(dir)).toEqual([]);
    const notHar = join(dir, 'not.har');
    writeFileSync(notHar, '{"version": 1}');
    const failed = await runCli(['har', notHar, '--json']);
    expect(failed.code).not.toBe(0);
    expect(readdirSync(dir)).toEqual(['not.har']);
  }, 60_000);

  it('stops listening for interrupts once disposed', () => {
    const before = process.listenerCount('SIGINT');
    const spool = new RequestSpool();
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    spool.dispose();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  // The spool holds requests before redaction: Ctrl-C or SIGTERM (which skip `finally`) must not leave it behind.
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'is deleted when the run is interrupted by %s, and the exit is the signal',
    async (signal) => {
      const spoolModule = join(import.meta.dirname, '../../src/cli/triage-spool.ts');
      const script = `import { RequestSpool } from ${JSON.stringify(spoolModule)};
const spool = new RequestSpool();
spool.write({ id: 'har-1', url: 'https://b.s3.amazonaws.com/k?X-Amz-Signature=abc' }, 0);
console.log('ready');
setInterval(() => {}, 1000);`;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        env: { ...process.env, TMPDIR: dir },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, sig) => resolve({ code, signal: sig })),
      );
      // Signalled once the spool exists (its line on stdout), not after a delay.
      await new Promise<void>((resolve) => child.stdout.on('data', (data: Buffer) => data.toString().includes('ready') && resolve()));
      expect(readdirSync(dir).filter((name) => name.startsWith('s3-cors-doctor-har-'))).toHaveLength(1);
      child.kill(signal);
      expect(await exited).toEqual({ code: null, signal });
      expect(readdirSync(dir).filter((name) => name.startsWith('s3-cors-doctor-har-'))).toEqual([]);
    },
    60_000,
  );
});
