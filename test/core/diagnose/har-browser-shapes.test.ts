/**
 * HAR evidence read as the browser recorded it (issue 10, item 3): small HARs shaped exactly as Chromium and Firefox
 * write them (browser-capture.md scenarios e, f, h, h2), read through the HAR core and the triage, as `har` does.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readHarText, type HarEntry } from '../../../src/core/har/index.js';
import { triageExchanges, type TriagedRequest } from '../../../src/core/triage/index.js';

function triageHar(name: string): TriagedRequest[] {
  const read = readHarText(readFileSync(resolve(import.meta.dirname, '../../fixtures/har', name), 'utf8'));
  return triageExchanges(read.exchanges, { totalEntries: read.totalEntries }).requests;
}

const codes = (request: TriagedRequest) => request.findings.map((f) => f.code);

describe('a Chromium entry with a status and net::ERR_FAILED', () => {
  const [fetch] = triageHar('chrome-credentialed-wildcard-origin.har');

  it('is a failed request, not an allowed one', () => {
    expect(fetch!.status).toBe(200);
    expect(fetch!.outcome).toBe('blocked');
  });

  it('with Access-Control-Allow-Origin: * and an Origin header, names credentials with a wildcard origin', () => {
    expect(codes(fetch!)[0]).toBe('CREDENTIALS_WITH_WILDCARD_ORIGIN');
  });

  it('says plainly that the credentials mode is inferred, not recorded', () => {
    const finding = fetch!.findings.find((f) => f.code === 'CREDENTIALS_WITH_WILDCARD_ORIGIN')!;
    expect(finding.detail).toMatch(/credentials mode is inferred/i);
    expect(finding.evidence.join(' ')).toContain('net::ERR_FAILED');
  });

  it('proposes listing the origin, never another `*`', () => {
    expect(fetch!.findings[0]!.fix).toContain('https://app.example.com');
  });
});

describe("an <img> of an S3 object, then fetch() of the same URL served from the image's cache entry", () => {
  it('Chromium: the fetch (status 0, no response headers, net::ERR_FAILED) is blocked by a cached response without CORS', () => {
    const requests = triageHar('chrome-image-then-fetch-cached.har');
    const image = requests.find((r) => r.id === 'har-0')!;
    const fetch = requests.find((r) => r.id === 'har-1')!;
    expect(image.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(fetch.outcome).toBe('blocked');
    expect(codes(fetch)[0]).toBe('CACHED_RESPONSE_WITHOUT_CORS');
    const finding = fetch.findings[0]!;
    // The earlier entry is the evidence.
    expect(finding.evidence.join('\n')).toContain('har-0');
    expect(finding.evidence.join('\n')).toMatch(/image/);
    // S3 sends Vary only on CORS answers: crossorigin on the element, a distinct URL, or a CDN that adds Vary: Origin.
    expect(finding.fix).toContain('crossorigin');
    expect(finding.fix).toMatch(/distinct URL|different URL/);
    expect(finding.fix).toContain('Vary: Origin');
    expect(finding.detail).toMatch(/Vary/);
    // Not a bucket rule problem: no configuration fix is proposed.
    expect(fetch.fix?.config ?? null).toBeNull();
  });

  it("Firefox: a credentialed fetch replayed from the image's entry is named the same way", () => {
    const requests = triageHar('firefox-image-then-credentialed-fetch-cached.har');
    const fetch = requests.find((r) => r.id === 'har-1')!;
    expect(fetch.outcome).toBe('blocked');
    expect(codes(fetch)[0]).toBe('CACHED_RESPONSE_WITHOUT_CORS');
    expect(fetch.findings[0]!.evidence.join('\n')).toContain('har-0');
    expect(fetch.findings[0]!.fix).toContain('crossorigin');
  });
});

describe("Firefox reuses an <img>'s cache entry only for a fetch with credentials (its cache is keyed on the anonymous flag)", () => {
  /** The Firefox fixture with the fetch recorded as Firefox records a refused request: status 0, no answer. */
  function firefoxStatusZero(withCookie: boolean): TriagedRequest {
    const har = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../fixtures/har', 'firefox-image-then-credentialed-fetch-cached.har'), 'utf8')) as {
      log: { entries: HarEntry[] };
    };
    const fetch = har.log.entries[1]!;
    fetch.request.headers = fetch.request.headers.filter((h) => withCookie || h.name !== 'Cookie');
    fetch.response = { status: 0, headers: [] };
    const read = readHarText(JSON.stringify(har));
    return triageExchanges(read.exchanges).requests.find((r) => r.id === 'har-1')!;
  }

  it('credentialed (Cookie sent): named, with the image entry as evidence', () => {
    const fetch = firefoxStatusZero(true);
    expect(codes(fetch)).toContain('CACHED_RESPONSE_WITHOUT_CORS');
    expect(fetch.findings.find((f) => f.code === 'CACHED_RESPONSE_WITHOUT_CORS')!.evidence.join('\n')).toContain('har-0');
  });

  it('anonymous: not blamed on the cache, which Firefox would not have used', () => {
    expect(codes(firefoxStatusZero(false))).not.toContain('CACHED_RESPONSE_WITHOUT_CORS');
  });
});

describe('a preflight answered with a redirect', () => {
  it("is blocked by the browser's CORS check (not a failure outside CORS), with the region redirect as its cause", () => {
    const [request] = triageHar('chrome-preflight-redirect.har');
    expect(request!.outcome).toBe('blocked');
    expect(codes(request!)[0]).toBe('PREFLIGHT_REDIRECT');
    expect(request!.findings[0]!.message).toContain('eu-central-1');
  });
});

describe('the cache is not blamed where the browser would not have used it', () => {
  it('a PUT after an <img> of the same URL (the HTTP cache answers GETs only)', () => {
    const har = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../fixtures/har', 'chrome-image-then-fetch-cached.har'), 'utf8')) as {
      log: { entries: HarEntry[] };
    };
    har.log.entries[1]!.request.method = 'PUT';
    const read = readHarText(JSON.stringify(har));
    const put = triageExchanges(read.exchanges).requests.find((r) => r.id === 'har-1')!;
    expect(put.outcome).toBe('blocked');
    expect(codes(put)).not.toContain('CACHED_RESPONSE_WITHOUT_CORS');
  });
});
