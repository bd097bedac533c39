import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { entryKey, HarCapture } from '../../src/devtools/har-capture.js';
import type { HarEntry } from '../../src/core/har/index.js';
import { recordingBridge } from './recording-bridge.js';

/** Recorded in Chromium 156 by test/e2e/chrome/panel.test.ts: the demo page's three uploads to s3rver. */
const recorded = JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/har/real-chromium-demo-failures.har'), 'utf8')).log.entries as HarEntry[];

describe('the DevTools HAR capture', () => {
  it('keeps the S3 requests of a real Chromium capture, each with its preflight, and drops the page, scripts and favicon', async () => {
    const { bridge, sent } = recordingBridge();
    const capture = new HarCapture(1, bridge, { browser: 'chromium', now: () => 1e12 });
    capture.addEntries(recorded);
    await capture.flush();
    const exchanges = sent.flat();
    expect(
      exchanges.map((e) => `${e.request.method} ${new URL(e.request.url).pathname.split('/').pop()}${new URL(e.request.url).search.slice(0, 11)}`),
    ).toEqual([
      expect.stringMatching(/^PUT \d+-photo\.json$/),
      expect.stringMatching(/^PUT \d+-from-other-origin\.json$/),
      expect.stringMatching(/^POST \d+-video\.bin\?uploads$/),
      expect.stringMatching(/^PUT \d+-video\.bin\?partNumber$/),
    ]);
    expect(exchanges.every((e) => e.source === 'devtools' && e.preflight !== undefined && e.id.startsWith('dt-'))).toBe(true);
    // net::ERR_ABORTED with status 200 is a success whose body the page did not read, not a failure.
    expect(exchanges[3]!.error).toBeUndefined();
    expect(exchanges[0]!.error).toBe('net::ERR_FAILED');
  });

  it('reports nothing twice: getHAR() and onRequestFinished deliver the same entries', async () => {
    const { bridge, sent } = recordingBridge();
    const capture = new HarCapture(1, bridge, { browser: 'chromium', now: () => 1e12 });
    expect(capture.addEntries(recorded)).toBe(true);
    await capture.flush();
    expect(capture.addEntries(recorded)).toBe(false);
    await capture.flush();
    expect(sent).toHaveLength(1);
  });

  it('gives each request a stable id from its start time, method and URL', () => {
    expect(entryKey(recorded[3]!)).toBe(entryKey(structuredClone(recorded[3]!)));
    expect(entryKey(recorded[3]!)).not.toBe(entryKey(recorded[4]!));
  });

  it('holds back a lone preflight for a moment, since its request usually follows in the next event', async () => {
    let now = 1_000;
    const { bridge, sent } = recordingBridge();
    const capture = new HarCapture(1, bridge, { browser: 'chromium', now: () => now, pairingGraceMs: 1_500 });
    const preflight = recorded.find((e) => e.request.method === 'OPTIONS' && e.request.url.includes('photo.json'))!;
    const put = recorded.find((e) => e.request.method === 'PUT' && e.request.url.includes('photo.json'))!;
    capture.addEntries([preflight]);
    expect(await capture.flush()).toBe(true);
    expect(sent).toHaveLength(0);
    capture.addEntries([put]);
    await capture.flush();
    expect(sent.flat()).toHaveLength(1);
    expect(sent.flat()[0]).toMatchObject({ request: { method: 'PUT' }, preflight: { response: { status: 403 } } });
    now += 5_000;
    expect(await capture.flush()).toBe(false);
  });

  it("uses the inspected page's URL for the page origin when an entry carries none", async () => {
    const { bridge, sent } = recordingBridge();
    const capture = new HarCapture(1, bridge, { browser: 'chromium', now: () => 1e12 });
    capture.setPageUrl('http://127.0.0.1:39679/');
    const put = recorded.find((e) => e.request.method === 'PUT' && e.request.url.includes('photo.json'))!;
    capture.addEntries([put]);
    await capture.flush();
    expect(sent.flat()[0]!.pageOrigin).toBe('http://127.0.0.1:39679');
  });

  it('starts afresh for a new page after a navigation', async () => {
    const { bridge, sent } = recordingBridge();
    const capture = new HarCapture(1, bridge, { browser: 'chromium', now: () => 1e12 });
    capture.addEntries(recorded);
    capture.navigated('http://127.0.0.1:39679/next');
    expect(capture.pendingExchanges().exchanges).toEqual([]);
    expect(sent).toHaveLength(0);
  });

  it('converts only what changed since the last report, whatever it keeps for pairing', async () => {
    const { bridge, sent } = recordingBridge();
    const capture = new HarCapture(1, bridge, { browser: 'chromium', now: () => 1e12 });
    capture.addEntries(recorded);
    await capture.flush();
    expect(capture.pendingExchanges().exchanges).toEqual([]);
    const put = recorded.find((e) => e.request.method === 'PUT' && e.request.url.includes('photo.json'))!;
    const again = { ...put, startedDateTime: '2026-11-28T09:00:00.000Z' };
    capture.addEntries([again]);
    await capture.flush();
    expect(sent[1]!.map((e) => e.request.url)).toEqual([put.request.url]);
  });

  it('keeps the newest `maxEntries` entries and reports changes in capture order, whichever URLs changed', async () => {
    const { bridge, sent } = recordingBridge();
    const capture = new HarCapture(1, bridge, { browser: 'chromium', maxEntries: 3, now: () => 1e12 });
    const entry = (i: number, status: number): HarEntry =>
      ({
        startedDateTime: new Date(1767225600000 + i).toISOString(),
        _resourceType: 'fetch',
        request: { method: 'GET', url: `https://b.s3.amazonaws.com/o-${i}.json`, headers: [{ name: 'Origin', value: 'https://app.example' }] },
        response: { status, headers: [{ name: 'x-amz-request-id', value: `r${i}` }] },
      }) as unknown as HarEntry;
    for (let i = 0; i < 5; i++) capture.addEntries([entry(i, 200)]);
    await capture.flush();
    expect(sent.flat().map((e) => e.request.url.split('/').pop())).toEqual(['o-2.json', 'o-3.json', 'o-4.json']);
    // Updates of o-4 then o-2 are reported as captured (o-2 first), not in the order they changed.
    capture.addEntries([entry(4, 404)]);
    capture.addEntries([entry(2, 403)]);
    await capture.flush();
    expect(sent[1]!.map((e) => `${e.request.url.split('/').pop()} ${e.response?.status}`)).toEqual(['o-2.json 403', 'o-4.json 404']);
    // A dropped entry reported again counts as new (and pushes the oldest out).
    capture.addEntries([entry(0, 200)]);
    await capture.flush();
    expect(sent[2]!.map((e) => e.request.url.split('/').pop())).toEqual(['o-0.json']);
  });
});
