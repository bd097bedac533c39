/**
 * Issue 11 item 2: the triage reports quote browser console messages (`browserError`), errors and notes that carry the
 * full URL. They pass the same redactor as URLs and headers — here with the presigned parameter names percent-encoded,
 * as a console message can quote them, which free-text redaction alone used to miss.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/har');
const dir = mkdtempSync(join(tmpdir(), 'har-redaction-'));
const SECRETS = ['IOSFODNN7EXAMPLE', 'encsig0123456789abcdef', 'FwoEncodedToken0123', 'hunter2pass'];

/** The checksum-header capture with its presigned URLs rewritten: encoded parameter names, a token, userinfo in the Referer. */
function encodedNamesHar(): string {
  const har = JSON.parse(readFileSync(join(FIXTURES, 'chrome-put-checksum-header.har'), 'utf8')) as {
    log: { entries: Array<{ request: { url: string; headers: Array<{ name: string; value: string }> } }> };
  };
  for (const entry of har.log.entries) {
    const url = entry.request.url;
    const query = url.indexOf('?');
    if (query === -1) continue;
    entry.request.url = `${url.slice(0, query)}?X%2DAmz%2DAlgorithm=AWS4-HMAC-SHA256&X%2DAmz%2DCredential=AKIAIOSFODNN7EXAMPLE%2F20261128%2Feu-west-1%2Fs3%2Faws4_request&X%2DAmz%2DDate=20261128T080000Z&X%2DAmz%2DExpires=900&X%2DAmz%2DSecurity%2DToken=FwoEncodedToken0123&X%2DAmz%2DSignedHeaders=host&X%2DAmz%2DSignature=encsig0123456789abcdef`;
    for (const header of entry.request.headers) if (header.name.toLowerCase() === 'referer') header.value = 'https://deploy:hunter2pass@app.example.com/upload';
  }
  const path = join(dir, 'encoded-names.har');
  writeFileSync(path, JSON.stringify(har));
  return path;
}

describe('har reports carry no secret in console messages, errors or notes', () => {
  const input = encodedNamesHar();

  it.each([{ flags: ['--json'] }, { flags: ['--markdown'] }, { flags: [] }])('har $flags', async ({ flags }) => {
    const r = await runCli(['har', input, ...flags]);
    expect(r.stderr).toBe('');
    for (const secret of SECRETS) expect(r.stdout, secret).not.toContain(secret);
    expect(r.stdout).toMatch(/blocked|CORS/i);
  });

  it('the JSON report still quotes the browser error, with the URL redacted', async () => {
    const report = JSON.parse((await runCli(['har', input, '--json'])).stdout) as { requests: Array<{ browserError: { chrome: string } | null }> };
    const quoted = report.requests.map((r) => r.browserError?.chrome ?? '').find((text) => text.includes('Access to fetch'));
    expect(quoted).toBeDefined();
    expect(quoted).toContain('REDACTED');
  });
});
