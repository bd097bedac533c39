/**
 * Least privilege in practice: installed as a user installs it (no host permission), the panel still diagnoses from
 * devtools.network, offers to grant access to the one host involved, and neither probes nor fetches anything there.
 */
import {
  buildChromeExtension,
  launchChromium,
  openInspectedPage,
  panelAction,
  panelText,
  readPanel,
  showPanel,
  type ExtensionSession,
} from '../support/chromium.js';
import { corsXml, startS3, startStaticServer, waitUntil, type LocalS3, type StaticServer } from '../support/servers.js';

const BUCKET = 'demo-uploads';

describe('the panel without host permission, in a dark DevTools, in Chromium', () => {
  let s3: LocalS3;
  let pageServer: StaticServer;
  let session: ExtensionSession;

  beforeAll(async () => {
    const extensionDir = buildChromeExtension();
    pageServer = await startStaticServer();
    s3 = await startS3({ bucket: BUCKET, cors: corsXml([{ allowedOrigins: [pageServer.origin], allowedMethods: ['PUT'], allowedHeaders: ['content-type'] }]) });
    // A dark system theme: DevTools follows it, and the panel follows DevTools (devtools.panels.themeName).
    session = await launchChromium({ extensionDir, extraArgs: ['--force-dark-mode'] });
  });

  afterAll(async () => {
    await session?.close();
    await Promise.all([s3?.stop(), pageServer?.stop()]);
  });

  it('captures through DevTools, asks for the host, and refuses to probe or fetch until granted', async () => {
    const { page, devtools } = await openInspectedPage(session, `${pageServer.url('/')}?s3=${encodeURIComponent(s3.endpoint)}&bucket=${BUCKET}`);
    await page.evaluate(() => (globalThis as unknown as { demoUploads: { uploadWithMetadata(): Promise<unknown> } }).demoUploads.uploadWithMetadata());
    const panel = await showPanel(session, devtools);
    const row = await waitUntil('the failed PUT', async () => (await readPanel(panel)).rows.find((r) => r.method === 'PUT'));
    expect(row.outcome).toBe('blocked');
    // The controller's state leads the screen by a frame (the panel renders on requestAnimationFrame, later under
    // load): wait until the row's finding is on screen before reading what the screen shows.
    const text = await waitUntil('the panel to render the finding', async () => {
      const shown = await panelText(panel);
      return shown.includes('Grant access') ? shown : undefined;
    });
    expect(await panel.evaluate(() => document.querySelector('.app')?.className ?? '')).toContain('theme-dark');
    expect(text).toContain('Access to 127.0.0.1');

    await panelAction(panel, 'probe', row.id);
    const probe = await waitUntil('the probe to be refused', async () => {
      const p = (await readPanel(panel)).probes[row.id];
      return p && p.status !== 'running' ? p : undefined;
    });
    expect(probe).toMatchObject({
      status: 'error',
      summary: 'probing needs access to 127.0.0.1:' + new URL(s3.endpoint).port + ': grant it from the panel first',
    });

    await panelAction(panel, 'setCredentials', { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
    await panelAction(panel, 'fetchPolicy', BUCKET, null);
    const notice = await waitUntil('the fetch to be refused', async () => {
      const n = (await readPanel(panel)).notice;
      return n?.text.startsWith('fetching the policy') ? n : undefined;
    });
    expect(notice.kind).toBe('error');

    const worker = await session.serviceWorker();
    const rules = await worker.evaluate(
      async () =>
        (
          await (
            globalThis as unknown as { chrome: { declarativeNetRequest: { getSessionRules(): Promise<unknown[]> } } }
          ).chrome.declarativeNetRequest.getSessionRules()
        ).length,
    );
    expect(rules).toBe(0);
  });
});
