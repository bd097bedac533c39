/**
 * The diagnosis over HARs captured from real browsers (test/fixtures/har, read through the HAR core): the demo's
 * three failing uploads recorded in Chromium, a region redirect, and the 2025 checksum header.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readHarText } from '../../../src/core/har/index.js';
import { diagnose, type Diagnosis } from '../../../src/core/diagnose/index.js';

function diagnoseHar(name: string): Array<{ url: string; method: string; diagnosis: Diagnosis }> {
  const { exchanges } = readHarText(readFileSync(resolve(import.meta.dirname, '../../fixtures/har', name), 'utf8'));
  return exchanges.map((exchange) => ({ url: exchange.request.url, method: exchange.request.method, diagnosis: diagnose(exchange, { related: exchanges }) }));
}

const codes = (d: Diagnosis) => d.findings.map((f) => f.code);

describe('diagnosis of real Chromium HARs', () => {
  const demo = diagnoseHar('real-chromium-demo-failures.har');

  it('pairs the provisional PUT entry with its preflight instead of saying none was captured', () => {
    const photo = demo.filter((d) => d.url.includes('photo.json'));
    expect(photo.length).toBeGreaterThan(0);
    for (const { diagnosis } of photo) {
      expect(codes(diagnosis)).not.toContain('PREFLIGHT_NOT_OBSERVED');
      expect(codes(diagnosis)).toContain('NO_RULE_MATCHED');
      expect(diagnosis.outcome).toBe('blocked');
    }
  });

  it('names the conditions to check when the store refused a preflight without saying why', () => {
    const other = demo.find((d) => d.url.includes('from-other-origin'))!;
    const finding = other.diagnosis.findings.find((f) => f.code === 'NO_RULE_MATCHED')!;
    expect(finding.message).toContain('origin `http://127.0.0.1:');
    expect(finding.message).toContain('method PUT');
  });

  it('finds ETag unreadable for the multipart part upload, judged from its captured response (the HAR core pairs it with its preflight)', () => {
    const part = demo.find((d) => d.url.includes('partNumber=1'))!;
    const finding = part.diagnosis.findings.find((f) => f.code === 'HEADER_NOT_EXPOSED')!;
    expect(finding.detail).toContain('judged from the captured response');
    expect(part.diagnosis.fix?.config?.[0]?.exposeHeaders).toEqual(['ETag']);
    expect(part.diagnosis.fix?.verified).toBe(true);
  });

  it("a preflight redirect names the regional endpoint; the browser's CORS check refused it, so it is blocked", () => {
    const [redirect] = diagnoseHar('chrome-preflight-redirect.har');
    expect(redirect!.diagnosis.findings[0]?.code).toBe('PREFLIGHT_REDIRECT');
    expect(redirect!.diagnosis.outcome).toBe('blocked');
  });

  it('a refused PUT with the SDK checksum header: no rule matched, checksum header flagged', () => {
    const put = diagnoseHar('chrome-put-checksum-header.har').find((d) => d.method === 'PUT')!;
    expect(codes(put.diagnosis)).toEqual(['NO_RULE_MATCHED', 'SDK_CHECKSUM_HEADERS']);
  });
});
