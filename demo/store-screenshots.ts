/**
 * `npm run screenshots`: the store screenshots (1280×800 PNG, the size both stores accept) for Chrome and Firefox,
 * from `npm start`'s demo: s3rver with the misconfigured bucket `demo-uploads`, the demo page making its three
 * failing uploads, the bucket's configuration fetched with s3rver's own key, and the panel showing a finding.
 * Writes docs/store/screenshots/{chrome,firefox}-*.png in DevTools' light theme and {chrome,firefox}-dark-*.png in its
 * dark theme (`--theme=light` or `--theme=dark` makes only one). Headless; uses dist/chrome and dist/firefox
 * (`npm run screenshots` builds them first).
 *
 * As in the demo and the tests, the browsers load a copy of the build that is granted http://127.0.0.1/* up front,
 * since a script cannot click the browser's permission prompt.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import { launchChromium, openInspectedPage, panelAction, readPanel, showPanel } from '../test/e2e/support/chromium.js';
import { launchFirefoxWithExtension, type FirefoxSession } from '../test/e2e/support/firefox.js';
import { corsXml, S3RVER_CREDENTIALS, startS3, startStaticServer, waitUntil, type LocalS3, type StaticServer } from '../test/e2e/support/servers.js';
import type { PanelSnapshot } from '../test/e2e/support/panel-snapshot.js';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = resolve(ROOT, 'docs/store/screenshots');
const BUCKET = 'demo-uploads';
export const WIDTH = 1280;
export const HEIGHT = 800;

/** The rows to show: the finding each should name, and a part of its URL (a list row's tooltip holds the URL). */
const SHOTS: Array<{ name: string; code: string; url: string }> = [
  { name: '1-header-not-allowed', code: 'HEADERS_NOT_ALLOWED', url: 'photo.json' },
  { name: '2-etag-not-exposed', code: 'HEADER_NOT_EXPOSED', url: 'partNumber=1' },
];

/** Clicks the list row whose tooltip holds `url` (selecting it, as a user's click does); true once it is selected. */
const SELECT_ROW = (url: string) => `(() => {
  const rows = [...document.querySelectorAll('.list-row')];
  const row = rows.find((r) => (r.getAttribute('title') || '').includes(${JSON.stringify(url)}));
  if (!row) return false;
  if (!row.classList.contains('selected')) row.click();
  return row.classList.contains('selected');
})()`;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

interface Demo {
  s3: LocalS3;
  page1: StaticServer;
  page2: StaticServer;
  url: string;
}

async function startDemo(): Promise<Demo> {
  const page1 = await startStaticServer();
  const page2 = await startStaticServer();
  const s3 = await startS3({
    bucket: BUCKET,
    cors: corsXml([{ allowedOrigins: [page1.origin], allowedMethods: ['PUT', 'POST', 'GET'], allowedHeaders: ['content-type'] }]),
  });
  const url = `${page1.url('/')}?s3=${encodeURIComponent(s3.endpoint)}&bucket=${BUCKET}&other=${encodeURIComponent(page2.origin)}`;
  return { s3, page1, page2, url };
}

const UPLOADS = ['uploadWithMetadata', 'uploadFromOtherOrigin', 'multipartUpload'] as const;

/** Does the panel hold the row, naming the finding? */
const hasRow = (s: PanelSnapshot, shot: (typeof SHOTS)[number]) => s.rows.some((r) => r.url.includes(shot.url) && r.codes.includes(shot.code));
/** The policy fetched and every row to show diagnosed with it. */
const ready = (s: PanelSnapshot) => s.policies[BUCKET]?.source === 'fetched' && SHOTS.every((shot) => hasRow(s, shot));

type Theme = 'light' | 'dark';

/** A light shot keeps its store name; a dark one is `<browser>-dark-<name>.png`. */
const shotPath = (browser: 'chrome' | 'firefox', theme: Theme, name: string) => resolve(OUT, `${browser}-${theme === 'dark' ? 'dark-' : ''}${name}.png`);

async function chromeShots(demo: Demo, theme: Theme): Promise<string[]> {
  // Chromium's DevTools follows the system theme, and the panel follows DevTools (as in S3CD_DEMO_THEME=dark npm start).
  const session = await launchChromium({
    extensionDir: resolve(process.env.S3CD_CHROME_EXTENSION ?? resolve(ROOT, 'dist/chrome')),
    grantHosts: ['http://127.0.0.1/*'],
    ...(theme === 'dark' ? { extraArgs: ['--force-dark-mode'] } : {}),
  });
  const written: string[] = [];
  try {
    const { page, devtools } = await openInspectedPage(session, demo.url);
    for (const upload of UPLOADS)
      await page.evaluate((fn: string) => {
        const run = (globalThis as unknown as { demoUploads: Record<string, () => Promise<unknown>> }).demoUploads[fn];
        if (!run) throw new Error(`the demo page has no upload ${fn}`);
        return run();
      }, upload);
    const panel = await showPanel(session, devtools);
    await waitUntil('the uploads in the panel', async () => ((await readPanel(panel)).rows.length >= 4 ? true : undefined));
    // Credentials given with the fetch are bound to this bucket's endpoint (the local server), as the form does.
    await panelAction(panel, 'fetchPolicy', BUCKET, { ...S3RVER_CREDENTIALS, region: 'us-east-1' });
    const snapshot = await waitUntil('the fetched policy and the findings to show', async () => ((s) => (ready(s) ? s : undefined))(await readPanel(panel)));
    await undock(devtools);
    for (const shot of SHOTS) {
      if (!hasRow(snapshot, shot)) throw new Error(`Chrome: no ${shot.url} row naming ${shot.code}`);
      await waitUntil(`the ${shot.url} row selected`, async () => (await panel.evaluate(SELECT_ROW(shot.url))) || undefined);
      await waitForPaint(panel);
      const path = shotPath('chrome', theme, shot.name);
      writeFileSync(path, await devtools.screenshot({ type: 'png' }));
      written.push(path);
    }
  } finally {
    await session.close();
  }
  return written;
}

/** Two animation frames: the click's re-render has been painted. */
function waitForPaint(panel: Frame): Promise<void> {
  return panel.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
}

/** DevTools in its own window, sized to the store's 1280×800, so the panel fills the screenshot. */
async function undock(devtools: Page): Promise<void> {
  await devtools.evaluate(
    `(async () => { const legacy = await import('devtools://devtools/bundled/ui/legacy/legacy.js'); legacy.DockController.DockController.instance().setDockSide('undocked'); })()`,
  );
  await devtools.setViewport({ width: WIDTH, height: HEIGHT });
}

async function firefoxShots(demo: Demo, theme: Theme): Promise<string[]> {
  const firefox = await launchFirefoxWithExtension({ prefs: { 'devtools.theme': theme } });
  const written: string[] = [];
  try {
    await firefox.grantHostPermissions(['http://127.0.0.1/*']);
    await firefox.page.goto(demo.url);
    await firefox.showExtensionPanel();
    await waitUntil('the panel to start', async () => (await firefox.readPanel()).rows);
    for (const upload of UPLOADS) await firefox.page.evaluate(`window.demoUploads.${upload}()`);
    await waitUntil('the uploads in the panel', async () => ((await firefox.readPanel()).rows.length >= 4 ? true : undefined));
    await firefox.panelAction('fetchPolicy', BUCKET, { ...S3RVER_CREDENTIALS, region: 'us-east-1' });
    const snapshot = await waitUntil('the fetched policy and the findings to show', async () => ((s) => (ready(s) ? s : undefined))(await firefox.readPanel()));
    await toolboxWindow(firefox);
    for (const shot of SHOTS) {
      if (!hasRow(snapshot, shot)) throw new Error(`Firefox: no ${shot.url} row naming ${shot.code}`);
      await waitUntil(`the ${shot.url} row selected`, async () => (await firefox.evaluateInPanel<boolean>(`return ${SELECT_ROW(shot.url)};`)) || undefined);
      await firefox.evaluateInPanel<null>(`await new Promise((done) => window.requestAnimationFrame(() => window.requestAnimationFrame(done))); return null;`);
      const path = shotPath('firefox', theme, shot.name);
      writeFileSync(path, await captureToolbox(firefox));
      written.push(path);
    }
  } finally {
    await firefox.close();
  }
  return written;
}

/** The toolbox in its own window of 1280×800 (the "separate window" host), as the Chrome shots undock DevTools. */
async function toolboxWindow(firefox: FirefoxSession): Promise<void> {
  await firefox.evaluateInChrome(`(async () => {
    const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
    const { gDevTools } = require('devtools/client/framework/devtools');
    const toolbox = gDevTools.getToolboxForTab(window.s3cdInspectedTab ?? gBrowser.selectedTab);
    await toolbox.switchHost('window');
    const win = toolbox.topWindow;
    win.resizeTo(${WIDTH}, ${HEIGHT});
    await new Promise((done) => win.requestAnimationFrame(() => win.requestAnimationFrame(done)));
    return 'ok';
  })()`);
}

/** The toolbox window, painted with its remote panel frame (WindowGlobalParent.drawSnapshot), as PNG bytes. */
async function captureToolbox(firefox: FirefoxSession): Promise<Buffer> {
  const dataUrl = await firefox.evaluateInChrome(`(async () => {
    const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
    const { gDevTools } = require('devtools/client/framework/devtools');
    const toolbox = gDevTools.getToolboxForTab(window.s3cdInspectedTab ?? gBrowser.selectedTab);
    const win = toolbox.topWindow;
    const rect = new win.DOMRect(0, 0, ${WIDTH}, ${HEIGHT});
    const bitmap = await win.browsingContext.currentWindowGlobal.drawSnapshot(rect, 1, 'white');
    const canvas = win.document.createElementNS('http://www.w3.org/1999/xhtml', 'canvas');
    canvas.width = ${WIDTH};
    canvas.height = ${HEIGHT};
    canvas.getContext('2d').drawImage(bitmap, 0, 0);
    bitmap.close();
    return canvas.toDataURL('image/png');
  })()`);
  return Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64');
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const only = process.argv.includes('--chrome') ? 'chrome' : process.argv.includes('--firefox') ? 'firefox' : undefined;
  const themeArg = process.argv.find((arg) => arg.startsWith('--theme='))?.slice('--theme='.length);
  if (themeArg !== undefined && themeArg !== 'light' && themeArg !== 'dark') throw new Error(`--theme: light or dark, not ${themeArg}`);
  const themes: Theme[] = themeArg ? [themeArg] : ['light', 'dark'];
  const demo = await startDemo();
  try {
    const written: string[] = [];
    for (const theme of themes) {
      if (only !== 'firefox') written.push(...(await chromeShots(demo, theme)));
      if (only !== 'chrome') written.push(...(await firefoxShots(demo, theme)));
    }
    for (const path of written) log(`wrote ${path.slice(ROOT.length + 1)}`);
  } finally {
    await Promise.all([demo.s3.stop(), demo.page1.stop(), demo.page2.stop()]);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`screenshots failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
