// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildMarkdownReport, reportFileName } from '../../src/panel/view/report.js';
import { readHarText, selectS3Exchanges } from '../../src/core/har/index.js';
import { triageExchanges } from '../../src/core/triage/index.js';
import { findingDocsCommand, triageMarkdown } from '../../src/core/report/index.js';
import { diagnose } from '../../src/core/diagnose/index.js';
import type { CapturedRow } from '../../src/panel/model.js';
import { blockedPut, manyRows, RECORDED_ROWS, SECRET_CREDENTIAL, SECRET_SIGNATURE, SECRET_TOKEN, signatureMismatch, uploadsPolicy } from './fixtures.js';

const generatedAt = new Date('2026-11-28T08:00:00.000Z');

/** The panel's rows for a HAR: each S3 exchange with the diagnosis made as triage makes it (same-URL exchanges as related). */
function rowsOfHar(file: string): { rows: CapturedRow[]; cli: string } {
  const read = readHarText(readFileSync(join(process.cwd(), 'test/fixtures/har', file), 'utf8'));
  const resource = (url: string) => url.split('#')[0];
  const rows = selectS3Exchanges(read.exchanges).map((exchange) => ({
    exchange,
    diagnosis: diagnose(exchange, { related: read.exchanges.filter((e) => resource(e.request.url) === resource(exchange.request.url)) }),
  }));
  const cli = triageMarkdown(triageExchanges(read.exchanges, { totalEntries: read.totalEntries, gaps: read.gaps }), {
    fixFormat: 'console',
    findingPage: findingDocsCommand,
  });
  return { rows, cli };
}

describe("the Markdown report for a ticket (the CLI's `har --markdown` report)", () => {
  const report = buildMarkdownReport({ rows: RECORDED_ROWS, policies: { uploads: uploadsPolicy } });

  it('is the report `har --markdown` writes for the same evidence', () => {
    let compared = 0;
    for (const file of ['chrome-put-checksum-header.har', 'firefox-put-origin-refused.har', 'chrome-secrets.har']) {
      const { rows, cli } = rowsOfHar(file);
      expect(rows.length, file).toBeGreaterThan(0);
      const read = readHarText(readFileSync(join(process.cwd(), 'test/fixtures/har', file), 'utf8'));
      // The panel has only the S3 rows: compare where the HAR has nothing else and no capture gap.
      if (read.totalEntries !== rows.length || read.gaps.length > 0) continue;
      expect(buildMarkdownReport({ rows, policies: {} }), file).toBe(cli);
      compared++;
    }
    expect(compared).toBeGreaterThan(0);
  });

  it('never contains a presigned credential, signature, token, Authorization or an S3 signature echo', () => {
    for (const secret of [
      SECRET_SIGNATURE,
      SECRET_TOKEN,
      SECRET_CREDENTIAL,
      encodeURIComponent(SECRET_CREDENTIAL),
      'AKIAEXAMPLE',
      'AKIAOLDSTYLE',
      'c2VjcmV0',
    ]) {
      expect(report, secret).not.toContain(secret);
    }
    expect(report).toContain('X-Amz-Signature=REDACTED');
  });

  it('summarises the capture, failures first, one section per cause', () => {
    expect(report).toMatch(/^# S3 CORS triage$/m);
    expect(report).toContain(`- **S3 requests:** ${RECORDED_ROWS.length}`);
    expect(report).toContain('- **Failed:** 3');
    const headings = report.split('\n').filter((line) => /^## \d+\./.test(line));
    expect(headings.length).toBeGreaterThanOrEqual(3);
    expect(report).toContain('HEADERS_NOT_ALLOWED');
    expect(report).toContain(signatureMismatch.diagnosis.findings[0]!.code);
  });

  it("gives a cause its findings, the browser's console wording, the failing rule condition and the fix", () => {
    const put = report
      .split(/^## /m)
      .slice(1)
      .find((section) => section.includes('### `HEADERS_NOT_ALLOWED`'))!;
    expect(put).toContain('**Browser:**');
    expect(put).toContain('**Failing rule condition**');
    expect(put).toContain('x-amz-checksum-crc32');
    expect(put).toContain('**Fix**');
    expect(put).toContain(`**More:** \`${findingDocsCommand('HEADERS_NOT_ALLOWED')}\``);
  });

  it("says what could not be determined when the bucket's configuration was not known, and not when it was", () => {
    const unknown = buildMarkdownReport({ rows: [blockedPut], policies: {} });
    expect(unknown).toContain("the bucket's CORS configuration was not provided");
    const known = buildMarkdownReport({ rows: [blockedPut], policies: { uploads: uploadsPolicy } });
    expect(known).not.toContain("the bucket's CORS configuration was not provided");
  });

  it('groups identical causes into one section with a count', () => {
    const rows = manyRows(30);
    const failed = rows.filter((row) => row.diagnosis.outcome === 'blocked' || row.diagnosis.outcome === 'failed-not-cors').length;
    const same = rows.map((row) => ({ ...row, diagnosis: { ...row.diagnosis, verdict: 'No CORS configuration' } }));
    const one = buildMarkdownReport({ rows: same, policies: {} });
    expect(one).toContain(`- **Failed:** ${failed}`);
    const sections = one.split('\n').filter((line) => /^## \d+\./.test(line));
    expect(sections.length).toBeLessThan(failed);
    expect(one).toMatch(/- \*\*Requests:\*\* (\d+)/);
    const counts = [...one.matchAll(/- \*\*Requests:\*\* (\d+)/g)].map((m) => Number(m[1]));
    expect(Math.max(...counts)).toBeGreaterThan(1);
  });

  it('says so when nothing was captured', () => {
    expect(buildMarkdownReport({ rows: [], policies: {} })).toContain('No S3 request was found in this capture.');
  });

  it('names the file by time only', () => {
    expect(reportFileName(generatedAt)).toBe('s3-cors-report-2026-11-28T08-00-00-000Z.md');
  });

  it('escapes captured values: an object key cannot become a link, an image or HTML (issue 11)', () => {
    const hostileKey = '[Fix CORS here](https://evil.example/phish)<img src=x>';
    const url = `https://uploads.s3.eu-west-1.amazonaws.com/${encodeURIComponent(hostileKey)}`;
    const row = {
      ...blockedPut,
      exchange: { ...blockedPut.exchange, request: { ...blockedPut.exchange.request, url }, error: 'x` <b>y</b> ![i](https://evil.example/i.png)' },
    };
    const text = buildMarkdownReport({ rows: [row], policies: {} });
    // Outside code spans and fences no captured `[`, `<` or `!` opens anything.
    const outsideCode = text.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)[^`]*?\1/g, '');
    expect(outsideCode).not.toMatch(/(?<!\\)\[Fix CORS here(?<!\\)\]\(/);
    expect(outsideCode).not.toMatch(/(?<!\\)<img|(?<!\\)<b>/);
  });
});
