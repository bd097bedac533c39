// @vitest-environment happy-dom
import { buildMarkdownReport, reportFileName } from '../../src/panel/view/report.js';
import { allowedGet, blockedPut, manyRows, RECORDED_ROWS, SECRET_CREDENTIAL, SECRET_SIGNATURE, SECRET_TOKEN, signatureMismatch, uploadsPolicy } from './fixtures.js';

const generatedAt = new Date('2026-11-28T08:00:00.000Z');

describe('the Markdown report for a ticket', () => {
  const report = buildMarkdownReport({ rows: RECORDED_ROWS, policies: { uploads: uploadsPolicy }, generatedAt });

  it('never contains a presigned credential, signature, token, Authorization or an S3 signature echo', () => {
    for (const secret of [SECRET_SIGNATURE, SECRET_TOKEN, SECRET_CREDENTIAL, encodeURIComponent(SECRET_CREDENTIAL), 'AKIAEXAMPLE', 'AKIAOLDSTYLE', 'c2VjcmV0']) {
      expect(report, secret).not.toContain(secret);
    }
    expect(report).toContain('X-Amz-Signature=REDACTED');
    expect(report).toMatch(/^authorization: .*REDACTED/m);
  });

  it('reports only the failures when there are any, most recent first, with a summary table', () => {
    expect(report).toContain('4 S3 request(s) captured, 3 failed.');
    expect(report).not.toContain(allowedGet.diagnosis.verdict);
    const headings = report.split('\n').filter((line) => /^## \d+\./.test(line));
    expect(headings).toHaveLength(3);
    expect(headings[0]).toContain(signatureMismatch.diagnosis.verdict);
    expect(headings[1]).toContain(blockedPut.diagnosis.verdict);
    expect(report).toContain('| # | Requests | Method | Target | Status | Verdict |');
  });

  it('gives each cause its findings, console wording, rule trace, headers, fix and gaps', () => {
    const put = report.slice(report.indexOf(`## 2.`), report.indexOf('## 3.'));
    expect(put).toContain('**ERROR HEADERS_NOT_ALLOWED**');
    expect(put.indexOf('HEADERS_NOT_ALLOWED')).toBeLessThan(put.indexOf('SDK_CHECKSUM_HEADERS'));
    expect(put).toContain("Chrome: Access to fetch at 'https://uploads.s3.eu-west-1.amazonaws.com/photos/cat%20pic.jpg?");
    expect(put).toContain('| rule 1 (ID: uploads) | header x-amz-checksum-crc32 is not in AllowedHeader |');
    expect(put).toContain('access-control-request-headers: content-type,x-amz-checksum-crc32');
    expect(put).toContain('### Proposed fix (verified against the S3 and browser models)');
    expect(put).toContain('https://app.example.com');
    expect(put).toContain('- The response body of the preflight was not visible to devtools.network.');
  });

  it('says a blocked request got no response rather than printing status 0', () => {
    const put = report.slice(report.indexOf('## 2.'), report.indexOf('## 3.'));
    expect(put).toContain('No response: the browser blocked it or the network failed');
    expect(put).not.toContain('HTTP 0');
  });

  it('presents a fix made without the configuration as rules to merge', () => {
    const partial = { ...blockedPut, diagnosis: { ...blockedPut.diagnosis, fix: { ...blockedPut.diagnosis.fix!, partial: true } } };
    expect(buildMarkdownReport({ rows: [partial], policies: {}, generatedAt })).toContain('these are the rules to add, to be merged into it');
  });

  it('includes the lint warnings of the configurations known', () => {
    expect(report).toContain('Warning WILDCARD_ORIGIN: AllowedOrigin * lets any site read these objects.');
  });

  it('groups identical causes into one section with a count', () => {
    const grouped = buildMarkdownReport({ rows: manyRows(30), policies: {}, generatedAt });
    expect(grouped).toContain('30 S3 request(s) captured, 10 failed.');
    const headings = grouped.split('\n').filter((line) => /^## \d+\./.test(line));
    // Each bulk failure has its own verdict, so ten causes; the summary rows count one request each.
    expect(headings).toHaveLength(10);
    const same = manyRows(30).map((row) => ({ ...row, diagnosis: { ...row.diagnosis, verdict: 'No CORS configuration' } }));
    const one = buildMarkdownReport({ rows: same, policies: {}, generatedAt });
    expect(one.split('\n').filter((line) => /^## \d+\./.test(line))).toHaveLength(1);
    expect(one).toContain('10 captured requests share this cause');
  });

  it('keeps table cells and code spans intact around pipes and backticks', () => {
    const row = { ...blockedPut, diagnosis: { ...blockedPut.diagnosis, verdict: 'a | b `c`' } };
    const text = buildMarkdownReport({ rows: [row], policies: {}, generatedAt });
    expect(text).toContain('a \\| b `c`');
  });

  it('says so when nothing was captured', () => {
    expect(buildMarkdownReport({ rows: [], policies: {}, generatedAt })).toContain('No requests captured.');
  });

  it('names the file by time only', () => {
    expect(reportFileName(generatedAt)).toBe('s3-cors-report-2026-11-28T08-00-00-000Z.md');
  });

  it('escapes captured values as the CLI Markdown does: an object key cannot become a link, an image or HTML (issue 11)', () => {
    const hostileKey = '[Fix CORS here](https://evil.example/phish)<img src=x>';
    const url = `https://uploads.s3.eu-west-1.amazonaws.com/${encodeURIComponent(hostileKey)}`;
    const row = { ...blockedPut, exchange: { ...blockedPut.exchange, request: { ...blockedPut.exchange.request, url }, error: 'x` <b>y</b> ![i](https://evil.example/i.png)' } };
    const text = buildMarkdownReport({ rows: [row], policies: {}, generatedAt });
    const heading = text.split('\n').find((line) => line.startsWith('## 1.'))!;
    expect(heading).toContain('\\[Fix CORS here\\](https://evil.example/phish)\\<img src=x\\>');
    // Outside code spans and fences no captured `[`, `<` or `!` opens anything.
    const outsideCode = text.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)[^`]*?\1/g, '');
    expect(outsideCode).not.toMatch(/(?<!\\)\[Fix CORS here(?<!\\)\]\(/);
    expect(outsideCode).not.toMatch(/(?<!\\)<img|(?<!\\)<b>/);
  });
});
