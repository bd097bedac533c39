/**
 * The panel in real Chromium (issue 4): the extension built privately, s3rver with the demo's misconfigured
 * bucket, DevTools open on the demo page, the panel shown.
 *   - failure → rendered diagnosis: from the moment the page's fetch() rejects to the moment the panel's list
 *     shows that request's verdict (a MutationObserver in the panel stamps it), over several uploads;
 *   - panel update with 10,000 captured requests: 10,000 exchanges imported as a HAR, then the time from a state
 *     change to the next painted frame, and the import itself.
 * Wall-clock times on a shared machine: read them as orders of magnitude.
 */
import { rmSync } from 'node:fs';
import type { Frame, Page } from 'puppeteer-core';
import { median, registerBenchmark, table } from './harness.ts';
import { buildChromeExtension, launchChromium, openInspectedPage, showPanel, readPanel } from '../test/e2e/support/chromium.ts';
import { corsXml, startS3, startStaticServer, waitUntil } from '../test/e2e/support/servers.ts';
import { busyPageTable, measureBusyPage } from './busy-page.ts';

const BUCKET = 'demo-uploads';
const UPLOADS = 7;
const IMPORTED = 10_000;

const ms = (value: number) => `${value.toFixed(0)} ms`;

/** Stamps (Date.now) the first time a list row's text contains `marker`. */
function watchForRow(panel: Frame, marker: string): Promise<number> {
  return panel.evaluate(
    (wanted: string) =>
      new Promise<number>((done) => {
        const seen = () => [...document.querySelectorAll('.list-row')].some((row) => row.textContent?.includes(wanted));
        if (seen()) return done(Date.now());
        const observer = new MutationObserver(() => {
          if (!seen()) return;
          observer.disconnect();
          done(Date.now());
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      }),
    marker,
  );
}

/** One failing upload named `marker`; resolves to the Date.now() at which fetch() rejected in the page. */
function failingUpload(page: Page, endpoint: string, marker: string): Promise<number> {
  return page.evaluate(async (url: string) => {
    try {
      await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-amz-meta-uploader': 'bench' }, body: '{}' });
    } catch {
      return Date.now();
    }
    return Number.NaN;
  }, `${endpoint}/${BUCKET}/bench/${marker}.json`);
}

function syntheticHar(endpoint: string, pageOrigin: string, count: number): string {
  const start = Date.parse('2026-01-01T00:00:00Z');
  const entries = Array.from({ length: count }, (_, i) => ({
    startedDateTime: new Date(start + i * 10).toISOString(),
    _resourceType: 'fetch',
    request: {
      method: 'PUT',
      url: `${endpoint}/${BUCKET}/imported/${i}.json`,
      headers: [
        { name: 'Origin', value: pageOrigin },
        { name: 'Content-Type', value: 'application/json' },
      ],
    },
    response: { status: 0, headers: [], _error: 'net::ERR_FAILED' },
  }));
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'bench', version: '1' }, entries } });
}

registerBenchmark({
  name: 'Panel in real Chromium (failure → rendered diagnosis; 10,000 requests)',
  async run() {
    const extensionDir = buildChromeExtension();
    const pageServer = await startStaticServer();
    const s3 = await startS3({
      bucket: BUCKET,
      cors: corsXml([{ allowedOrigins: [pageServer.origin], allowedMethods: ['PUT'], allowedHeaders: ['content-type'] }]),
    });
    const session = await launchChromium({ extensionDir, grantHosts: ['http://127.0.0.1/*'] });
    try {
      const { page, devtools } = await openInspectedPage(session, `${pageServer.url('/')}?s3=${encodeURIComponent(s3.endpoint)}&bucket=${BUCKET}`);
      const panel = await showPanel(session, devtools);
      await waitUntil('the panel controller', async () => (await readPanel(panel)) !== undefined);
      // tsx keeps function names with an `__name` helper that evaluated functions would then call in the page.
      await panel.evaluate('globalThis.__name = globalThis.__name || ((fn) => fn)');

      const latencies: number[] = [];
      for (let i = 0; i < UPLOADS; i++) {
        const marker = `bench-${i}-${Date.now()}`;
        const rendered = watchForRow(panel, marker);
        const failedAt = await failingUpload(page, s3.endpoint, marker);
        latencies.push((await rendered) - failedAt);
      }

      const har = syntheticHar(s3.endpoint, pageServer.origin, IMPORTED);
      const timings = await panel.evaluate(
        async (text: string, expected: number) => {
          const hook = (
            globalThis as unknown as {
              s3CorsDoctorPanel: {
                state(): { rows: unknown[] };
                actions: { importHar(bytes: Uint8Array, name: string): void; setPreserveLog(on: boolean): void };
              };
            }
          ).s3CorsDoctorPanel;
          const nextFrame = () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
          // The panel reads a picked or dropped HAR as bytes; reading the file is the browser's part, left out here.
          const bytes = new TextEncoder().encode(text);
          const t0 = performance.now();
          hook.actions.importHar(bytes, 'bench.har');
          await nextFrame();
          const imported = performance.now() - t0;
          const rows = hook.state().rows.length;
          const updates: number[] = [];
          for (let i = 0; i < 5; i++) {
            const t = performance.now();
            hook.actions.setPreserveLog(i % 2 === 0);
            await nextFrame();
            updates.push(performance.now() - t);
          }
          return { imported, rows, updates, expected };
        },
        har,
        IMPORTED,
      );
      return table([
        ['measure', 'median', 'min', 'max', 'n'],
        ['captured failure → verdict rendered', ms(median(latencies)), ms(Math.min(...latencies)), ms(Math.max(...latencies)), String(latencies.length)],
        [
          `update with ${timings.rows.toLocaleString('en-US')} rows → next frame`,
          ms(median(timings.updates)),
          ms(Math.min(...timings.updates)),
          ms(Math.max(...timings.updates)),
          String(timings.updates.length),
        ],
        [`import ${IMPORTED.toLocaleString('en-US')} requests (HAR) → next frame`, ms(timings.imported), '', '', '1'],
      ]);
    } finally {
      await session.close();
      await Promise.all([s3.stop(), pageServer.stop()]);
      if (!process.env.S3CD_CHROME_EXTENSION) rmSync(extensionDir, { recursive: true, force: true });
    }
  },
});

registerBenchmark({
  name: 'Busy page in real Chromium with DevTools open (2,000 requests: page cost of the extension, panel delay)',
  async run() {
    return busyPageTable(await measureBusyPage());
  },
});
