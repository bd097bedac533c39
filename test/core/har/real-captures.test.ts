/**
 * HARs captured from real Chromium by the extension's end-to-end tests (test/e2e/chrome/panel.test.ts writes them,
 * redacted, into test/fixtures/har). They are regenerated with new ports and times on every e2e run, so these tests
 * pin structure, not values.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readHarText } from '../../../src/core/har/index.js';
import { triageExchanges } from '../../../src/core/triage/index.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/har', name), 'utf8');

describe('a real Chromium capture of three failing uploads (s3rver on a loopback port)', () => {
  const read = readHarText(fixture('real-chromium-demo-failures.har'));
  const s3Server = read.exchanges.find((e) => e.request.url.includes('/demo-uploads/'))!.request.url.split('/demo-uploads/')[0]!;
  const uploads = read.exchanges.filter((e) => e.request.url.startsWith(s3Server));

  it('pairs every upload with its preflight although Chromium dates the preflight after the request', () => {
    expect(uploads.length).toBeGreaterThanOrEqual(3);
    for (const upload of uploads) {
      expect(upload.request.method, upload.request.url).not.toBe('OPTIONS');
      expect(upload.preflight?.request.headers['access-control-request-method']).toBe(upload.request.method);
    }
  });

  it('recognises the emulator as S3 (it sends no x-amz-* header) and groups the refusals by origin', () => {
    const report = triageExchanges(read.exchanges, { totalEntries: read.totalEntries });
    expect(report.summary.s3).toBe(uploads.length);
    const blocked = report.requests.filter((r) => r.outcome === 'blocked');
    expect(blocked.map((r) => r.method)).toEqual(['PUT', 'PUT']);
    expect(new Set(blocked.map((r) => r.origin)).size).toBe(2);
    expect(report.groups.filter((g) => g.outcome === 'blocked')).toHaveLength(2);
  });
});

describe('a real Chromium capture after the fix was applied', () => {
  it('shows the same upload allowed, its preflight answered 200', () => {
    const read = readHarText(fixture('real-chromium-fix-applied.har'));
    const report = triageExchanges(read.exchanges);
    const photos = report.requests.filter((r) => r.method === 'PUT' && r.url.endsWith('-photo.json'));
    expect(photos.map((r) => r.outcome)).toEqual(['blocked', 'allowed']);
    expect(photos[1]!.preflightStatus).toBe(200);
  });
});
