/**
 * The panel's live capture sees the same entry shapes as a saved HAR (issue 10, item 3): the misread Chromium shapes
 * go through the DevTools capture to the same diagnosis.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { HarCapture } from '../../src/devtools/har-capture.js';
import { diagnose } from '../../src/core/diagnose/index.js';
import type { HarEntry } from '../../src/core/har/index.js';
import type { ObservedExchange } from '../../src/core/evidence/types.js';
import { recordingBridge } from './recording-bridge.js';

const entriesOf = (name: string) => JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/har', name), 'utf8')).log.entries as HarEntry[];

/** Feed the entries one event at a time, as onRequestFinished does, and collect what reaches the background. */
async function capture(name: string): Promise<ObservedExchange[]> {
  const { bridge, sent } = recordingBridge();
  const live = new HarCapture(1, bridge, { browser: 'chromium', now: () => 1e12, pairingGraceMs: 0 });
  live.navigated('https://app.example.com/');
  for (const entry of entriesOf(name)) {
    live.addEntries([entry]);
    await live.flush();
  }
  return sent.flat();
}

/** The panel diagnoses each exchange with the others of its bucket as related evidence. */
function diagnoseAll(exchanges: ObservedExchange[]) {
  return exchanges.map((exchange) => ({ exchange, diagnosis: diagnose(exchange, { related: exchanges.filter((e) => e !== exchange) }) }));
}

describe('the live DevTools capture reads the browser shapes as a HAR does', () => {
  it('a status with net::ERR_FAILED and Access-Control-Allow-Origin: * is a blocked credentialed request', async () => {
    const [row] = diagnoseAll(await capture('chrome-credentialed-wildcard-origin.har'));
    expect(row!.exchange.source).toBe('devtools');
    expect(row!.diagnosis.outcome).toBe('blocked');
    expect(row!.diagnosis.findings[0]!.code).toBe('CREDENTIALS_WITH_WILDCARD_ORIGIN');
    expect(row!.diagnosis.findings[0]!.detail).toMatch(/credentials mode is inferred/i);
  });

  it("the fetch served from an <img>'s cache entry names the cache, with the image request as evidence", async () => {
    const rows = diagnoseAll(await capture('chrome-image-then-fetch-cached.har'));
    const image = rows.find((r) => r.exchange.resourceType === 'image')!;
    const fetch = rows.find((r) => r.exchange.resourceType === 'fetch')!;
    expect(fetch.diagnosis.outcome).toBe('blocked');
    expect(fetch.diagnosis.findings[0]!.code).toBe('CACHED_RESPONSE_WITHOUT_CORS');
    expect(fetch.diagnosis.findings[0]!.evidence.join('\n')).toContain(image.exchange.id);
  });

  it('a preflight answered 307 is blocked, with the redirect as its cause', async () => {
    const rows = diagnoseAll(await capture('chrome-preflight-redirect.har'));
    const get = rows.find((r) => r.exchange.request.method === 'GET')!;
    expect(get.diagnosis.outcome).toBe('blocked');
    expect(get.diagnosis.findings[0]!.code).toBe('PREFLIGHT_REDIRECT');
  });
});
