import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readHarText, type HarEntry } from '../../../src/core/har/index.js';
import { harEntriesToExchanges } from '../../../src/core/har/index.js';
import { parsePolicy } from '../../../src/core/policy/index.js';
import { redactHar } from '../../../src/core/redact/index.js';
import { triageJson } from '../../../src/core/report/index.js';
import { NO_CONFIGURATION_GAP, traceLines, triageExchanges, type TriageOptions } from '../../../src/core/triage/index.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/har');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const POLICY = parsePolicy(
  JSON.stringify([{ AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['content-type'], ExposeHeaders: ['ETag'] }]),
);
const withPolicy: TriageOptions = { bucketState: () => ({ kind: 'cors', config: POLICY.config }) };

function triageHar(text: string, options: TriageOptions = {}) {
  const read = readHarText(text);
  return triageExchanges(read.exchanges, { ...options, totalEntries: read.totalEntries, gaps: read.gaps });
}

/** A Chrome HAR with `count` failed presigned PUTs of different users' files, like the bench's. */
function manyFailedPuts(count: number): string {
  const base = JSON.parse(fixture('chrome-put-checksum-header.har')) as { log: { entries: HarEntry[] } };
  const [page, preflight, put] = base.log.entries;
  const entries: HarEntry[] = [page!];
  for (let i = 0; i < count; i++) {
    const url = preflight!.request.url.replace('users/42/', `users/${i}/`);
    const at = Date.parse('2026-11-28T08:00:01.000Z') + i * 1000;
    entries.push({ ...preflight!, startedDateTime: new Date(at).toISOString(), request: { ...preflight!.request, url } });
    entries.push({ ...put!, startedDateTime: new Date(at + 2).toISOString(), request: { ...put!.request, url } });
  }
  return JSON.stringify({ log: { ...base.log, entries } });
}

describe('triageExchanges', () => {
  it('groups identical causes into one line per cause', () => {
    const report = triageHar(manyFailedPuts(37), withPolicy);
    expect(report.summary).toEqual({ total: 75, s3: 37, failed: 37, byCode: { HEADERS_NOT_ALLOWED: 37, SDK_CHECKSUM_HEADERS: 37 } });
    expect(report.groups).toHaveLength(1);
    const [group] = report.groups;
    expect(group!.count).toBe(37);
    expect(group!.title).toMatch(/^37 PUTs to bucket `uploads` were blocked: rule 1 .*header `x-amz-checksum-crc32`/);
    expect(group!.rule).toBe(0);
    expect(report.requests.every((r) => r.group === group!.id)).toBe(true);
  });

  it('keeps different causes apart and puts failures first', () => {
    const report = triageHar(fixture('chrome-put-checksum-header.har'), withPolicy);
    expect(report.requests.map((r) => [r.id, r.outcome])).toEqual([
      ['har-2', 'blocked'],
      ['har-3', 'allowed'],
    ]);
    expect(report.groups.map((g) => g.count)).toEqual([1]);
  });

  it('says what could not be determined', () => {
    const report = triageHar(fixture('chrome-no-preflight-entries.har'));
    expect(report.groups[0]!.undetermined.some((g) => g.startsWith('this HAR has no preflight entries'))).toBe(true);
  });

  it('counts non-S3 entries only in the total', () => {
    const report = triageHar(fixture('chrome-put-checksum-header.har'));
    expect(report.summary.total).toBe(4);
    expect(report.summary.s3).toBe(2);
  });

  it('gives the same report for a redacted HAR as for the original (redaction keeps what the diagnosis needs)', () => {
    for (const name of [
      'chrome-put-checksum-header.har',
      'firefox-put-origin-refused.har',
      'chrome-preflight-redirect.har',
      'chrome-secrets.har',
      'chrome-no-preflight-entries.har',
      'real-chromium-demo-failures.har',
    ]) {
      const original = fixture(name);
      const redacted = JSON.stringify(redactHar(JSON.parse(original)));
      for (const options of [{}, withPolicy]) {
        expect(triageJson(triageHar(redacted, options)), name).toEqual(triageJson(triageHar(original, options)));
      }
    }
  });

  it('diagnoses entries handed over directly (live capture path)', () => {
    const entries = (JSON.parse(fixture('firefox-put-origin-refused.har')) as { log: { entries: HarEntry[] } }).log.entries;
    const report = triageExchanges(harEntriesToExchanges(entries, { browser: 'firefox' }), withPolicy);
    const put = report.requests.find((r) => r.method === 'PUT')!;
    expect(put.outcome).toBe('blocked');
    expect(put.findings[0]!.code).toBe('ORIGIN_NOT_ALLOWED');
  });
});

describe('traceLines', () => {
  it('names the failing condition of every rule', () => {
    expect(
      traceLines([
        {
          rule: 0,
          origin: { value: 'https://a', matched: true },
          method: { value: 'PUT', source: 'access-control-request-method', matched: true },
          headers: [{ name: 'x-amz-checksum-crc32', matched: false }],
          matched: false,
          used: false,
        },
        {
          rule: 1,
          id: 'public',
          origin: { value: 'https://a', matched: false },
          method: { value: 'PUT', source: 'access-control-request-method', matched: false },
          headers: [],
          matched: false,
          used: false,
        },
      ]),
    ).toEqual(['rule 1: origin ✓, method ✓, headers ✗ (x-amz-checksum-crc32)', 'rule 2 (public): origin ✗ (https://a), method ✗ (PUT), headers ✓']);
  });
});

describe('without the configuration', () => {
  it('says that the failing rule is inferred, not read', () => {
    const report = triageHar(fixture('chrome-put-checksum-header.har'));
    expect(report.groups[0]!.undetermined).toContain(NO_CONFIGURATION_GAP);
    expect(triageHar(fixture('chrome-put-checksum-header.har'), withPolicy).groups[0]!.undetermined).not.toContain(NO_CONFIGURATION_GAP);
  });
});
