/**
 * Driving Debian's /usr/bin/chromium with the built extension (puppeteer-core; never a downloaded browser), with
 * DevTools auto-opened, following the recipes in shared/spec/browser-capture.md ("Driving real browsers in tests").
 *
 * Host permissions: the extension asks for them at runtime (optional_host_permissions), which needs a user's click on
 * a browser prompt that automation cannot answer. The tests therefore load a COPY of the built extension whose
 * manifest also lists `host_permissions` for the loopback hosts — granted at install for an unpacked extension, as
 * if the user had clicked "Allow". The product's manifest is unchanged.
 */
import puppeteer, { type Browser, type CDPSession, type Frame, type Page, type WebWorker } from 'puppeteer-core';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitUntil } from './servers.js';
import type { PanelState } from '../../../src/panel/model.js';
import { panelSnapshot, type PanelSnapshot } from './panel-snapshot.js';

export type { PanelSnapshot };

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * Builds the Chrome extension into a private temp directory (≈2 s): dist/ is shared with other builds running
 * at the same time, so a test never loads it. S3CD_CHROME_EXTENSION names an already built directory instead.
 */
export function buildChromeExtension(): string {
  const given = process.env.S3CD_CHROME_EXTENSION;
  if (given) return resolve(given);
  const outDir = mkdtempSync(join(tmpdir(), 's3cd-chrome-build-'));
  execFileSync('npx', ['vite', 'build', '--mode', 'chrome', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
  return outDir;
}
/** devtools.panels.create('S3 CORS', …): DevTools names an extension panel by origin + title without spaces. */
export const PANEL_TITLE = 'S3 CORS';

export interface ChromiumOptions {
  /** A built extension directory (buildChromeExtension()). */
  extensionDir: string;
  /** Host patterns granted at install (test-only copy of the extension), e.g. ['http://127.0.0.1/*']. */
  grantHosts?: string[];
  headless?: boolean;
  /** Auto-open DevTools for every tab (the panel lives there). */
  devtools?: boolean;
  /** More Chromium switches (e.g. --force-dark-mode). */
  extraArgs?: string[];
}

export interface ExtensionSession {
  browser: Browser;
  extensionId: string;
  extensionDir: string;
  /** The running service worker (before stopServiceWorker(): puppeteer does not surface the restarted one). */
  serviceWorker(): Promise<WebWorker>;
  /** Stops the extension's service worker through CDP (ServiceWorker.stopAllWorkers) and waits until it is stopped. */
  stopServiceWorker(): Promise<void>;
  close(): Promise<void>;
}

function prepareExtension(source: string, grantHosts: string[] | undefined): { dir: string; cleanup: () => void } {
  if (!grantHosts?.length) return { dir: source, cleanup: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 's3cd-ext-'));
  cpSync(source, dir, { recursive: true });
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
  manifest.host_permissions = grantHosts;
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function launchChromium(options: ChromiumOptions): Promise<ExtensionSession> {
  const { dir, cleanup } = prepareExtension(options.extensionDir, options.grantHosts);
  const userDataDir = mkdtempSync(join(tmpdir(), 's3cd-chromium-'));
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--disable-extensions-except=${dir}`,
    `--load-extension=${dir}`,
    '--window-size=1400,900',
  ];
  if (options.devtools ?? true) args.push('--auto-open-devtools-for-tabs');
  args.push(...(options.extraArgs ?? []));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: options.headless ?? true,
    userDataDir,
    args,
    ignoreDefaultArgs: ['--disable-extensions'],
    defaultViewport: null,
  });
  const workerTarget = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'), { timeout: 20_000 });
  const extensionId = new URL(workerTarget.url()).host;
  if (options.grantHosts?.length) {
    // The worker's target appears before its script has run; a request made in between reaches no listener (a
    // clean-checkout run lost a preflight that way). A user's extension is installed long before: wait the same.
    const worker = (await workerTarget.worker())!;
    await waitUntil(
      'the background to listen to webRequest',
      async () => (await worker.evaluate(() => (globalThis as unknown as ChromeGlobal).chrome.webRequest.onSendHeaders.hasListeners())) || undefined,
    );
  }
  const keepAlive: CDPSession[] = [];
  return {
    browser,
    extensionId,
    extensionDir: dir,
    async serviceWorker() {
      const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`), {
        timeout: 20_000,
      });
      return (await target.worker())!;
    },
    async stopServiceWorker() {
      const [page] = await browser.pages();
      const cdp = await page!.createCDPSession();
      const stopped = new Promise<void>((done) =>
        cdp.on('ServiceWorker.workerVersionUpdated', (event) => {
          if (event.versions.some((v) => v.scriptURL.startsWith(`chrome-extension://${extensionId}/`) && v.runningStatus === 'stopped')) done();
        }),
      );
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await stopped;
      // The next event starts a new worker, which Chromium holds "waiting for the debugger" because the test browser
      // auto-attaches to new targets; let it run, as a browser without automation would.
      const browserSession = await browser.target().createCDPSession();
      const resumed = new Set<string>();
      cdp.on('ServiceWorker.workerVersionUpdated', (event) => {
        for (const version of event.versions) {
          if (version.runningStatus !== 'starting' || !version.targetId || resumed.has(version.targetId)) continue;
          resumed.add(version.targetId);
          void resumeWorker(browserSession, version.targetId);
        }
      });
      keepAlive.push(cdp, browserSession);
    },
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
      cleanup();
    },
  };
}

async function resumeWorker(browserSession: CDPSession, targetId: string): Promise<void> {
  try {
    const { sessionId } = await browserSession.send('Target.attachToTarget', { targetId, flatten: true });
    const connection = browserSession.connection();
    const session = connection?.session(sessionId);
    await session?.send('Runtime.runIfWaitingForDebugger');
    await session?.detach();
  } catch {
    // Already running (puppeteer resumed it first): nothing to do.
  }
}

/**
 * Uses the browser's first tab (DevTools auto-opened on it at launch; one tab keeps "which DevTools" unambiguous) and
 * navigates it once the devtools page is capturing, so the capture sees every request of the page.
 */
export async function openInspectedPage(session: ExtensionSession, url: string): Promise<{ page: Page; devtools: Page; tabId: number }> {
  const [page] = await session.browser.pages();
  if (!page) throw new Error('Chromium opened no tab');
  const devtoolsTarget = await session.browser.waitForTarget((t) => t.url().startsWith('devtools://devtools/'), { timeout: 25_000 });
  const devtools = (await devtoolsTarget.asPage())!;
  const tabId = await waitForDevtoolsReady(session);
  await page.goto(url, { waitUntil: 'load' });
  return { page, devtools, tabId };
}

/** The extension API as seen inside evaluated functions (this file has no extension typings). */
export interface ChromeGlobal {
  chrome: {
    storage: { session: { get(keys: string | null): Promise<Record<string, unknown>> } };
    permissions: { getAll(): Promise<{ origins?: string[] }> };
    webRequest: { onSendHeaders: { hasListeners(): boolean } };
  };
}

/** The devtools page's own signal: it stores `devtools-ready:<tabId>` in storage.session once capturing (≤ 25 s). */
export async function waitForDevtoolsReady(session: ExtensionSession, timeoutMs = 25_000): Promise<number> {
  return waitUntil(
    'the devtools page to report ready',
    async () => {
      const worker = await session.serviceWorker();
      const keys = await worker.evaluate(async () =>
        Object.keys(await (globalThis as unknown as ChromeGlobal).chrome.storage.session.get(null)).filter((k) => k.startsWith('devtools-ready:')),
      );
      return keys.length > 0 ? Number(keys[keys.length - 1]!.split(':')[1]) : undefined;
    },
    timeoutMs,
  );
}

/** Shows the extension's panel through the DevTools front end (spec recipe) and returns the panel's frame. */
export async function showPanel(session: ExtensionSession, devtools: Page): Promise<Frame> {
  const panelId = `chrome-extension://${session.extensionId}${PANEL_TITLE.replace(/\s+/g, '')}`;
  await waitUntil('DevTools to show the extension panel', async () => {
    // A string, not a function: the test runner would rewrite a dynamic import() inside a function.
    await devtools.evaluate(
      `(async () => { const legacy = await import('devtools://devtools/bundled/ui/legacy/legacy.js'); await legacy.InspectorView.InspectorView.instance().showPanel(${JSON.stringify(panelId)}); })()`,
    );
    return true;
  });
  return waitUntil('the panel frame', async () => devtools.frames().find((f) => f.url().includes('/src/panel/panel.html') && !f.detached));
}

/** The panel's state as the controller holds it (read-only test view exposed by main.tsx). */
export async function readPanel(panel: Frame): Promise<PanelSnapshot> {
  const state = await panel.evaluate(() => {
    const hook = (globalThis as unknown as { s3CorsDoctorPanel?: { state(): unknown } }).s3CorsDoctorPanel;
    if (!hook) throw new Error('panel not initialised');
    return JSON.stringify(hook.state());
  });
  return panelSnapshot(JSON.parse(state) as PanelState);
}

/** Calls one of the panel's actions (the very callbacks its buttons call) in the panel frame. */
export async function panelAction(panel: Frame, name: string, ...args: unknown[]): Promise<void> {
  await panel.evaluate(
    (action: string, values: unknown[]) => {
      const hook = (globalThis as unknown as { s3CorsDoctorPanel?: { actions: Record<string, (...a: unknown[]) => void> } }).s3CorsDoctorPanel;
      const callback = hook?.actions[action];
      if (!callback) throw new Error(`the panel has no action ${action}`);
      callback(...values);
    },
    name,
    args,
  );
}

/** The panel's visible text (what a user reads), for assertions that the UI shows a finding. */
export function panelText(panel: Frame): Promise<string> {
  return panel.evaluate(() => document.body.innerText);
}

/** The devtools page's frame inside the DevTools front end (where devtools.network lives). */
export function devtoolsPageFrame(devtools: Page): Frame | undefined {
  return devtools.frames().find((f) => f.url().includes('/src/devtools/devtools.html'));
}

/** Reads the inspected tab's HAR through devtools.network.getHAR() in the devtools page. */
export async function readHar(devtools: Page): Promise<{ log: { entries: unknown[] } & Record<string, unknown> }> {
  const frame = devtoolsPageFrame(devtools);
  if (!frame) throw new Error('the devtools page frame is not there');
  return frame.evaluate(
    () =>
      new Promise((done) => {
        const api = (globalThis as unknown as { chrome: { devtools: { network: { getHAR(cb: (har: unknown) => void): void } } } }).chrome;
        api.devtools.network.getHAR((har) => done({ log: har }));
      }),
  ) as Promise<{ log: { entries: unknown[] } & Record<string, unknown> }>;
}
