/**
 * `s3-cors-doctor har` and `redact` on a HAR captured from real Firefox ESR by the add-on's end-to-end tests
 * (test/e2e/firefox/upload-diagnosis.test.ts writes it, redacted, with the CORS configuration s3rver enforced as
 * `--config`). Ports change when the fixture is refreshed, so origins are read from the files.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/har');
const HAR = join(FIXTURES, 'real-firefox-demo-failures.har');
const CONFIG = join(FIXTURES, 'real-firefox-demo-failures.cors.xml');
const pageOrigin = /<AllowedOrigin>([^<]+)<\/AllowedOrigin>/.exec(readFileSync(CONFIG, 'utf8'))![1]!;
const dir = mkdtempSync(join(tmpdir(), 'har-firefox-cli-'));

interface JsonFinding {
  code: string;
  message: string;
}
interface JsonRequest {
  url: string;
  method: string;
  origin: string | null;
  status: number | null;
  preflightStatus: number | null;
  outcome: string;
  findings: JsonFinding[];
  fix: { verified: boolean; rendered: { text: string } | null } | null;
}
interface JsonReport {
  requests: JsonRequest[];
  groups: Array<{ title: string; codes: string[] }>;
  summary: { total: number; s3: number; failed: number; byCode: Record<string, number> };
  gaps: string[];
}

async function harJson(file: string, ...flags: string[]): Promise<{ text: string; report: JsonReport }> {
  const run = await runCli(['har', file, ...flags, '--json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return { text: run.stdout, report: JSON.parse(run.stdout) as JsonReport };
}

const find = (report: JsonReport, predicate: (r: JsonRequest) => boolean, what: string): JsonRequest => {
  const found = report.requests.filter(predicate);
  if (found.length !== 1) throw new Error(`expected exactly one ${what}, found ${found.length}`);
  return found[0]!;
};
const codes = (request: JsonRequest) => request.findings.map((f) => f.code);

describe('s3-cors-doctor har on a real Firefox ESR capture', () => {
  it('--json with --config: the status-0 PUT paired with its 403 preflight, and the refused header named', async () => {
    const { report } = await harJson(HAR, '--config', CONFIG);
    const put = find(report, (r) => r.url.endsWith('-photo.json'), 'photo PUT');
    expect(put).toMatchObject({ method: 'PUT', origin: pageOrigin, status: 0, preflightStatus: 403, outcome: 'blocked' });
    expect(codes(put)).toEqual(['HEADERS_NOT_ALLOWED']);
    expect(put.findings[0]!.message).toContain('`x-amz-meta-uploader`');
    expect(put.fix?.verified).toBe(true);
    expect(put.fix?.rendered?.text).toContain('"x-amz-meta-uploader"');
  });

  it('--json with --config: the refused origin named for the PUT and the simple GET, the unexposed ETag found', async () => {
    const { report } = await harJson(HAR, '--config', CONFIG);
    const fromOtherOrigin = report.requests.filter((r) => r.origin !== pageOrigin);
    expect(fromOtherOrigin.map((r) => [r.method, r.outcome, codes(r)]).sort()).toEqual([
      ['GET', 'blocked', ['ORIGIN_NOT_ALLOWED']],
      ['PUT', 'blocked', ['ORIGIN_NOT_ALLOWED']],
    ]);
    for (const request of fromOtherOrigin) expect(request.findings[0]!.message).toContain(`\`${request.origin}\``);
    const get = find(report, (r) => r.method === 'GET', 'simple GET');
    // Firefox records the blocked simple GET as a 200 with no preflight.
    expect(get).toMatchObject({ status: 200, preflightStatus: null });
    const part = find(report, (r) => r.url.includes('partNumber=1'), 'UploadPart');
    expect(part).toMatchObject({ outcome: 'allowed', status: 200, preflightStatus: 200 });
    expect(codes(part)).toEqual(['HEADER_NOT_EXPOSED']);
    expect(report.summary).toEqual({ total: 9, s3: 5, failed: 3, byCode: { HEADERS_NOT_ALLOWED: 1, ORIGIN_NOT_ALLOWED: 2, HEADER_NOT_EXPOSED: 1 } });
    expect(report.groups).toHaveLength(4);
    expect(report.gaps).toEqual([]);
  });

  it('without --config: the same three failures, inferred from the traffic', async () => {
    const { report } = await harJson(HAR);
    expect(report.summary).toMatchObject({ total: 9, s3: 5, failed: 3 });
    expect(
      report.requests
        .filter((r) => r.outcome === 'blocked')
        .map((r) => r.method)
        .sort(),
    ).toEqual(['GET', 'PUT', 'PUT']);
    expect(codes(find(report, (r) => r.url.includes('partNumber=1'), 'UploadPart'))).toEqual(['HEADER_NOT_EXPOSED']);
  });

  it('recognises the HAR as Firefox by itself: --browser firefox changes nothing', async () => {
    const detected = await harJson(HAR, '--config', CONFIG);
    const told = await harJson(HAR, '--config', CONFIG, '--browser', 'firefox');
    expect(told.text).toBe(detected.text);
  });

  it('--markdown names each cause for a ticket', async () => {
    const run = await runCli(['har', HAR, '--config', CONFIG, '--markdown']);
    expect(run.code).toBe(0);
    for (const code of ['HEADERS_NOT_ALLOWED', 'ORIGIN_NOT_ALLOWED', 'HEADER_NOT_EXPOSED']) expect(run.stdout).toContain(code);
    expect(run.stdout).toContain('x-amz-meta-uploader');
  });
});

describe('s3-cors-doctor redact on a real Firefox ESR capture', () => {
  it('the report of the redacted file equals the original one', async () => {
    const out = join(dir, 'redacted.har');
    const redact = await runCli(['redact', HAR, '-o', out]);
    expect(redact.code).toBe(0);
    expect(redact.stderr).toMatch(/\(9 entries\)\n$/);
    expect((await harJson(out, '--config', CONFIG)).text).toBe((await harJson(HAR, '--config', CONFIG)).text);
  });

  it('with presigned URLs planted: none of the secrets survive, and the report is unchanged by redaction', async () => {
    // SigV4 query parameters with a session token on every S3 URL, signed now (valid for an hour), and a server cookie.
    const amzDate = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const secrets = [
      'ASIAQNZFIREFOXCLI001',
      'c0ffee00112233445566778899aabbccddeeff00112233445566778899aabbcc',
      'IQoJb3JpZ2luX2VjEFIREFOXCLITOKEN',
      'firefox-cli-cookie',
    ];
    const query = `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${secrets[0]}%2F${amzDate.slice(0, 8)}%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=${amzDate}&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=${secrets[2]}&X-Amz-Signature=${secrets[1]}`;
    const har = JSON.parse(readFileSync(HAR, 'utf8')) as {
      log: { entries: Array<{ request: { url: string }; response: { headers: Array<{ name: string; value: string }> } }> };
    };
    for (const entry of har.log.entries) {
      entry.request.url += `${entry.request.url.includes('?') ? '&' : '?'}${query}`;
      entry.response.headers.push({ name: 'Set-Cookie', value: `sid=${secrets[3]}; Path=/` });
    }
    const planted = join(dir, 'planted.har');
    writeFileSync(planted, JSON.stringify(har));
    const out = join(dir, 'planted-redacted.har');
    expect((await runCli(['redact', planted, '-o', out])).code).toBe(0);
    const redactedText = readFileSync(out, 'utf8');
    for (const secret of secrets) expect(redactedText).not.toContain(secret);
    const original = await harJson(planted, '--config', CONFIG);
    expect((await harJson(out, '--config', CONFIG)).text).toBe(original.text);
    for (const secret of secrets) expect(original.text).not.toContain(secret);
    expect(original.report.summary.byCode).toMatchObject({ HEADERS_NOT_ALLOWED: 1, ORIGIN_NOT_ALLOWED: 2, HEADER_NOT_EXPOSED: 1 });
  });
});
