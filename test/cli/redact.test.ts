import { PassThrough, Readable, Writable } from 'node:stream';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { redactHar } from '../../src/core/redact/index.js';
import { runCli } from './run-cli.js';

const run = (argv: string[]) => runCli(argv);

const FIXTURES = join(import.meta.dirname, '../fixtures/har');
const SECRETS = join(FIXTURES, 'chrome-secrets.har');
const dir = mkdtempSync(join(tmpdir(), 'redact-cli-'));
const PLANTED = [
  'IOSFODNN7EXAMPLE',
  'Y34FZKBOKMUTVV7A',
  'cookie-value-1',
  'alb-cookie-value',
  'eyJleHBpcmF0aW9uIjoi',
  'FwoGZXIvYXdz',
  'vjbyPxybdZaNmGa',
  'a1b2c3d4e5f6',
  'page-secret-token',
  'dXNlcjpwYXNzd29yZA',
];

describe('s3-cors-doctor redact', () => {
  it('writes a redacted HAR to stdout that is still a valid HAR with every entry', async () => {
    const r = await run(['redact', SECRETS]);
    expect(r.code).toBe(0);
    const redacted = JSON.parse(r.stdout);
    const original = JSON.parse(readFileSync(SECRETS, 'utf8'));
    expect(redacted.log.entries).toHaveLength(original.log.entries.length);
    expect(redacted.log.version).toBe('1.2');
    expect(redacted.log.pages[0].title).toBe('https://app.example.com/?token=REDACTED');
    for (const secret of PLANTED) expect(r.stdout).not.toContain(secret);
  });

  it('streams the same document the in-memory redactHar makes', async () => {
    for (const name of ['chrome-secrets.har', 'firefox-put-origin-refused.har']) {
      const r = await run(['redact', join(FIXTURES, name)]);
      expect(JSON.parse(r.stdout), name).toEqual(JSON.parse(JSON.stringify(redactHar(JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'))))));
    }
  });

  it('-o writes the file only when complete, and the triage of the result equals the original one', async () => {
    for (const name of ['chrome-put-checksum-header.har', 'firefox-put-origin-refused.har', 'chrome-secrets.har']) {
      const out = join(dir, `redacted-${name}`);
      const r = await run(['redact', join(FIXTURES, name), '-o', out]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^s3-cors-doctor redact: wrote .* \(\d+ entries\)\n$/);
      const before = await run(['har', join(FIXTURES, name), '--json']);
      const after = await run(['har', out, '--json']);
      expect(after.stdout, name).toBe(before.stdout);
    }
    expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('keeps root and log members written after the entries', async () => {
    const input = join(dir, 'order.har');
    writeFileSync(input, '{"log": {"entries": [], "comment": "Cookie: a=1"}, "extra": {"url": "https://x/?Signature=s"}}');
    const r = await run(['redact', input]);
    expect(JSON.parse(r.stdout)).toEqual({ log: { entries: [], comment: 'Cookie: a=REDACTED' }, extra: { url: 'https://x/?Signature=REDACTED' } });
  });

  it('redacts a truncated HAR to a valid HAR of its complete entries and warns', async () => {
    const text = readFileSync(SECRETS, 'utf8');
    const input = join(dir, 'cut.har');
    writeFileSync(input, text.slice(0, text.indexOf('storage.googleapis.com')));
    const r = await run(['redact', input]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).log.entries).toHaveLength(2);
    expect(r.stderr).toMatch(/is truncated; wrote its 2 complete entries/);
  });

  it('leaves no output file when the input is not a HAR', async () => {
    const input = join(dir, 'not.har');
    writeFileSync(input, '{"rules": []}');
    const out = join(dir, 'never.har');
    const r = await run(['redact', input, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`s3-cors-doctor redact: ${input}: not a HAR: there is no "log" object\n`);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses to overwrite its input', async () => {
    expect((await run(['redact', SECRETS, '-o', SECRETS])).code).toBe(2);
  });
});

describe('redact to a reader that goes away', () => {
  it('stops quietly with exit 0 when stdout is closed (EPIPE), as a Unix filter does', async () => {
    let writes = 0;
    const stdout = new Writable({
      highWaterMark: 16,
      write(_chunk, _encoding, callback) {
        writes++;
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const stderr = new PassThrough();
    const err: Buffer[] = [];
    stderr.on('data', (b: Buffer) => err.push(b));
    const code = await main(['redact', SECRETS], { stdout, stderr, stdin: Readable.from(['']), env: {} });
    expect(code).toBe(0);
    expect(Buffer.concat(err).toString('utf8')).toBe('');
    expect(writes).toBe(1);
  });
});
