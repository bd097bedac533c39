/**
 * Issue 11: `har` in bounded memory. The HAR reader pairs preflights in a sliding window and the triage keeps one
 * aggregate per cause, so what they hold stays bounded across a long stream whatever its length (proved here by
 * counting what is held, not by timing or measuring memory; `npm run bench` reports the peak RSS).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HarCollector, HarExchangeStream, harEntriesToExchanges, type HarEntry, type HarScanEvent } from '../../../src/core/har/index.js';
import type { ObservedExchange } from '../../../src/core/evidence/types.js';
import { TriageStream, triageExchanges, type TriagedRequest } from '../../../src/core/triage/index.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/har');
const entriesOf = (name: string) => (JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as { log: { entries: HarEntry[] } }).log.entries;

const BUCKET_URL = 'https://uploads.s3.eu-west-1.amazonaws.com';
const ORIGIN = 'https://app.example.com';

function at(i: number): string {
  return new Date(Date.UTC(2026, 0, 1) + i * 10).toISOString();
}

function preflight(i: number, key: string): HarEntry {
  return {
    startedDateTime: at(i),
    time: 5,
    _resourceType: 'preflight',
    request: {
      method: 'OPTIONS',
      url: `${BUCKET_URL}/${key}`,
      headers: [
        { name: 'Origin', value: ORIGIN },
        { name: 'Access-Control-Request-Method', value: 'PUT' },
        { name: 'Access-Control-Request-Headers', value: 'content-type,x-amz-checksum-crc32' },
      ],
    },
    response: { status: 403, headers: [{ name: 'x-amz-request-id', value: `R${i}` }] },
  };
}

function put(i: number, key: string): HarEntry {
  return {
    startedDateTime: at(i),
    time: 0,
    _resourceType: 'fetch',
    request: {
      method: 'PUT',
      url: `${BUCKET_URL}/${key}`,
      headers: [
        { name: 'Origin', value: ORIGIN },
        { name: 'Content-Type', value: 'image/png' },
      ],
    },
    response: { status: 0, headers: [] },
    _error: 'net::ERR_FAILED',
  };
}

/** A long capture: a preflight and its PUT for each key, one GET in between. */
function* capture(pairs: number): Generator<HarEntry> {
  for (let k = 0; k < pairs; k++) {
    yield preflight(3 * k, `photo-${k}.png`);
    yield put(3 * k + 1, `photo-${k}.png`);
    yield {
      startedDateTime: at(3 * k + 2),
      time: 3,
      request: { method: 'GET', url: `${BUCKET_URL}/thumb-${k}.png`, headers: [{ name: 'Origin', value: ORIGIN }] },
      response: {
        status: 200,
        headers: [
          { name: 'Access-Control-Allow-Origin', value: ORIGIN },
          { name: 'x-amz-request-id', value: `G${k}` },
        ],
      },
    };
  }
}

function entryEvent(index: number, entry: HarEntry): HarScanEvent {
  return { kind: 'entry', index, json: '', value: entry } as HarScanEvent;
}

describe('HarCollector streaming (bounded pairing window)', () => {
  it('holds at most about two windows of entries across a long stream, and loses none', () => {
    const window = 8;
    const exchanges: ObservedExchange[] = [];
    const collector = new HarCollector({ onExchange: (e) => exchanges.push(e), window });
    let index = 0;
    let maxRetained = 0;
    collector.add({ kind: 'member', parent: 'log', key: 'creator', json: '{"name":"WebInspector"}' } as HarScanEvent);
    for (const entry of capture(300)) {
      collector.add(entryEvent(index++, entry));
      maxRetained = Math.max(maxRetained, collector.retained);
    }
    const read = collector.finish({ sawLog: true, sawEntries: true, truncated: false, length: 0 } as never);
    expect(maxRetained).toBeLessThanOrEqual(2 * window + 1);
    expect(collector.retained).toBe(0);
    expect(read.totalEntries).toBe(900);
    // 300 PUTs, each with its preflight folded in, and 300 GETs: every entry accounted for, in order.
    expect(exchanges).toHaveLength(600);
    expect(exchanges.filter((e) => e.request.method === 'PUT').every((e) => e.preflight?.response?.status === 403)).toBe(true);
    expect(exchanges.map((e) => Number(e.id.slice(4)))).toEqual([...exchanges.map((e) => Number(e.id.slice(4)))].sort((a, b) => a - b));
  }, 60_000);

  it('turns a preflight whose request lies beyond the window into an exchange of its own (never dropped)', () => {
    const entries: HarEntry[] = [preflight(0, 'far.png')];
    for (let i = 1; i <= 20; i++) entries.push(put(i, `other-${i}.png`));
    entries.push(put(21, 'far.png'));
    const exchanges: ObservedExchange[] = [];
    const stream = new HarExchangeStream((e) => exchanges.push(e), { window: 8 });
    entries.forEach((entry) => stream.push(entry));
    stream.end();
    expect(exchanges).toHaveLength(22);
    expect(exchanges[0]!.id).toBe('har-0');
    expect(exchanges[0]!.gaps?.[0]).toMatch(/^the actual request is not in the HAR/);
    expect(exchanges[21]!.preflight).toBeUndefined();
    // Within the window (the whole capture when unbounded), the same entries pair.
    const paired = harEntriesToExchanges(entries);
    expect(paired).toHaveLength(21);
    expect(paired[20]!.preflight?.request.method).toBe('OPTIONS');
  });

  it('gives the same exchanges as the whole-file reading when the window covers the capture', () => {
    for (const name of [
      'real-chromium-demo-failures.har',
      'real-firefox-demo-failures.har',
      'chrome-put-checksum-header.har',
      'chrome-image-then-fetch-cached.har',
    ]) {
      const entries = entriesOf(name);
      const streamed: ObservedExchange[] = [];
      const stream = new HarExchangeStream((e) => streamed.push(e), { window: entries.length });
      entries.forEach((entry, i) => stream.push(entry, `har-${i}`));
      stream.end();
      expect(streamed, name).toEqual(harEntriesToExchanges(entries));
    }
  });
});

describe('TriageStream (one aggregate per cause)', () => {
  it('keeps one record per cause and a bounded window of exchanges, whatever the number of requests', () => {
    const window = 4;
    const seen: TriagedRequest[] = [];
    const triage = new TriageStream({ window, allRequestIds: false, onRequest: (request) => seen.push(request) });
    let maxRetained = 0;
    let count = 0;
    const stream = new HarExchangeStream(
      (exchange) => {
        triage.add(exchange);
        maxRetained = Math.max(maxRetained, triage.retained);
        // Each request is handed over once and may be dropped: only its count stays.
        seen.length = 0;
        count++;
      },
      { window: 3, browser: 'chromium' },
    );
    for (const entry of capture(60)) stream.push(entry);
    stream.end();
    const result = triage.finish();
    expect(count).toBe(120);
    expect(maxRetained).toBeLessThanOrEqual(2 * window + 1);
    expect(triage.retained).toBe(0);
    expect(triage.causeCount).toBe(1);
    expect(result.groups).toHaveLength(1);
    expect(result.groups[0]!.count).toBe(60);
    expect(result.groups[0]!.requestIds).toHaveLength(10);
    expect(result.summary.s3).toBe(120);
    expect(result.summary.failed).toBe(60);
  }, 60_000);

  it('gives the report of the whole-capture triage when the window covers the capture (file gaps added at the end)', () => {
    const entries = entriesOf('real-chromium-demo-failures.har');
    const fileGaps = ['the HAR file is truncated: 3 complete entries were read, the rest is lost'];
    const whole = triageExchanges(harEntriesToExchanges(entries, { fileGaps }));
    const requests: Array<{ request: TriagedRequest; cause: number }> = [];
    const triage = new TriageStream({ window: 4, onRequest: (request, cause) => requests.push({ request, cause }) });
    harEntriesToExchanges(entries).forEach((exchange) => triage.add(exchange));
    const result = triage.finish(fileGaps);
    expect(result.groups).toEqual(whole.groups);
    expect(result.summary).toEqual(whole.summary);
    expect(
      requests.map(({ request, cause }) => ({ ...request, gaps: [...fileGaps, ...request.gaps], group: cause === -1 ? null : result.causeIds[cause] })),
    ).toEqual(whole.requests);
  });
});
