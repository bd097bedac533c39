/**
 * The background's own capture (webRequest with 'extraHeaders'), with DevTools closed: it sees preflights and error
 * strings only for hosts the user granted (here granted at install through the test-only manifest copy; see
 * test/e2e/support/chromium.ts), and nothing anywhere else.
 */
import type { Page } from 'puppeteer-core';
import { buildChromeExtension, launchChromium, type ChromeGlobal, type ExtensionSession } from '../support/chromium.js';
import { corsXml, startS3, startStaticServer, waitUntil, type LocalS3, type StaticServer } from '../support/servers.js';
import type { ObservedExchange } from '../../../src/core/evidence/types.js';

const BUCKET = 'demo-uploads';

async function storedExchanges(session: ExtensionSession): Promise<ObservedExchange[]> {
  const worker = await session.serviceWorker();
  const all = (await worker.evaluate(async () => (globalThis as unknown as ChromeGlobal).chrome.storage.session.get(null))) as Record<
    string,
    { records?: Array<{ exchange: ObservedExchange }> }
  >;
  return Object.entries(all)
    .filter(([key]) => key.startsWith('evidence:'))
    .flatMap(([, tab]) => tab.records?.map((r) => r.exchange) ?? []);
}

/** The background's quiescence signal: pending writes done, and how many webRequest events it has handled. */
async function settle(session: ExtensionSession): Promise<{ webRequestEvents: number }> {
  const worker = await session.serviceWorker();
  return worker.evaluate(() =>
    (globalThis as unknown as { s3CorsDoctorBackground: { settle(): Promise<{ webRequestEvents: number }> } }).s3CorsDoctorBackground.settle(),
  );
}

async function uploadWithMetadata(page: Page): Promise<{ ok: boolean }> {
  return page.evaluate(() => (globalThis as unknown as { demoUploads: { uploadWithMetadata(): Promise<{ ok: boolean }> } }).demoUploads.uploadWithMetadata());
}

describe('background capture through webRequest in Chromium', () => {
  let extensionDir: string;
  let s3: LocalS3;
  let pageServer: StaticServer;

  beforeAll(async () => {
    extensionDir = buildChromeExtension();
    pageServer = await startStaticServer();
    s3 = await startS3({ bucket: BUCKET, cors: corsXml([{ allowedOrigins: [pageServer.origin], allowedMethods: ['PUT'], allowedHeaders: ['content-type'] }]) });
  });

  afterAll(async () => {
    await Promise.all([s3?.stop(), pageServer?.stop()]);
  });

  it('records the refused preflight (request headers, 403) paired with the blocked PUT (net::ERR_FAILED) for a granted host', async () => {
    const session = await launchChromium({ extensionDir, grantHosts: ['http://127.0.0.1/*'], devtools: false });
    try {
      const [page] = await session.browser.pages();
      await page!.goto(`${pageServer.url('/')}?s3=${encodeURIComponent(s3.endpoint)}&bucket=${BUCKET}`);
      const before = (await settle(session)).webRequestEvents;
      expect((await uploadWithMetadata(page!)).ok).toBe(false);
      // The quiescence signal the negative check below relies on: by the time the page sees the failure, the
      // request's events have reached the background.
      expect((await settle(session)).webRequestEvents).toBeGreaterThan(before);
      const exchange = await waitUntil('the webRequest exchange', async () =>
        (await storedExchanges(session)).find((e) => e.request.method === 'PUT' && e.preflight),
      );
      expect(exchange).toMatchObject({
        source: 'webrequest',
        browser: 'chromium',
        pageOrigin: pageServer.origin,
        error: 'net::ERR_FAILED',
        response: { status: 0 },
        preflight: {
          request: {
            method: 'OPTIONS',
            // Visible only because a listener asked for 'extraHeaders' (browser-capture.md).
            headers: expect.objectContaining({
              origin: pageServer.origin,
              'access-control-request-method': 'PUT',
              'access-control-request-headers': 'content-type,x-amz-meta-uploader',
            }),
          },
          response: { status: 403 },
        },
      });
    } finally {
      await session.close();
    }
  });

  it('captures nothing without a host permission (no host access at install)', async () => {
    const session = await launchChromium({ extensionDir, devtools: false });
    try {
      const [page] = await session.browser.pages();
      await page!.goto(`${pageServer.url('/')}?s3=${encodeURIComponent(s3.endpoint)}&bucket=${BUCKET}`);
      expect((await uploadWithMetadata(page!)).ok).toBe(false);
      // Chromium dispatches the request's webRequest events before it hands the failure to the page; the background
      // acknowledges what reached it (none: no host access) once its writes are done — no waiting for nothing.
      expect(await settle(session)).toEqual({ webRequestEvents: 0 });
      expect(await storedExchanges(session)).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
