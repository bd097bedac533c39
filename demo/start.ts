/**
 * `npm start`: the main job in one command. Starts s3rver with a deliberately misconfigured bucket `demo-uploads`
 * (one origin, no x-amz-meta-* header, ETag not exposed), serves demo/page on one loopback origin (and a second
 * origin for the "wrong origin" upload), launches /usr/bin/chromium with dist/chrome and DevTools open on the page,
 * makes the three typical failing uploads, fetches the bucket's CORS configuration with SigV4 (s3rver's own key),
 * prints the panel's diagnoses, and saves a screenshot of the panel to artifacts/panel.png and docs/panel.png.
 * Headed when DISPLAY is set (then it waits for Ctrl+C); headless otherwise (then it exits when done).
 *
 * The extension asks for host access at runtime; the browser prompt cannot be answered by a script, so the demo
 * loads a copy of dist/chrome whose manifest pre-grants http://127.0.0.1/* — as if you had clicked "Allow".
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import { launchChromium, openInspectedPage, panelAction, readPanel, showPanel, type PanelSnapshot } from '../test/e2e/support/chromium.js';
import { corsXml, S3RVER_CREDENTIALS, startS3, startStaticServer, waitUntil } from '../test/e2e/support/servers.js';

const ROOT = resolve(import.meta.dirname, '..');
const BUCKET = 'demo-uploads';
const headless = !process.env.DISPLAY;
/** S3CD_DEMO_THEME=dark: a dark system theme, which DevTools and the panel follow (for docs/panel-dark.png). */
const dark = process.env.S3CD_DEMO_THEME === 'dark';
const SHOT = dark ? 'panel-dark.png' : 'panel.png';

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function upload(page: Page, name: string): Promise<string> {
  const outcome = (await page.evaluate((fn: string) => {
    const run = (globalThis as unknown as { demoUploads: Record<string, () => Promise<{ result?: string; error?: string }>> }).demoUploads[fn];
    if (!run) throw new Error(`the demo page has no upload ${fn}`);
    return run();
  }, name)) as { result?: string; error?: string };
  return outcome.result ?? outcome.error ?? '?';
}

/** Selects the list row showing `text` (its file name), as a user's click would, for the screenshot. */
async function selectRow(panel: Frame, text: string): Promise<void> {
  await panel.evaluate((wanted: string) => {
    const row = [...document.querySelectorAll<HTMLElement>('.list-row')].find((r) => r.textContent?.includes(wanted));
    row?.click();
  }, text);
}

/** A separate DevTools window gives the panel the whole screenshot instead of a side strip. */
async function undockDevtools(devtools: Page): Promise<void> {
  await devtools
    .evaluate(
      `(async () => { const legacy = await import('devtools://devtools/bundled/ui/legacy/legacy.js'); legacy.DockController.DockController.instance().setDockSide('undocked'); })()`,
    )
    .catch(() => undefined);
  await devtools.setViewport({ width: 1280, height: 860 }).catch(() => undefined);
}

function printDiagnoses(snapshot: PanelSnapshot): void {
  log('\nWhat the S3 CORS panel says:');
  for (const row of snapshot.rows) {
    const url = new URL(row.url);
    log(`\n  ${row.method} ${url.pathname}${url.search ? url.search.slice(0, 24) + '…' : ''}`);
    log(`    verdict: ${row.verdict}`);
    // The verdict already quotes the first finding; print the others.
    for (const finding of row.findings) if (!row.verdict.includes(finding.message)) log(`    ${finding.code}: ${finding.message}`);
    for (const change of row.fix?.changes ?? []) log(`    fix${row.fix?.verified ? ' (verified)' : ''}: ${change.description}`);
  }
}

async function main(): Promise<void> {
  const page1 = await startStaticServer();
  const page2 = await startStaticServer();
  const s3 = await startS3({
    bucket: BUCKET,
    cors: corsXml([{ allowedOrigins: [page1.origin], allowedMethods: ['PUT', 'POST', 'GET'], allowedHeaders: ['content-type'] }]),
  });
  log(`s3rver:     ${s3.endpoint}/${BUCKET}  (CORS: only ${page1.origin}, only Content-Type, ETag not exposed)`);
  log(`demo page:  ${page1.origin}/  (second origin ${page2.origin})`);

  // `npm start` has just built dist/chrome; S3CD_CHROME_EXTENSION names another build (as in the e2e tests).
  const extensionDir = resolve(process.env.S3CD_CHROME_EXTENSION ?? resolve(ROOT, 'dist/chrome'));
  const session = await launchChromium({ extensionDir, grantHosts: ['http://127.0.0.1/*'], headless, ...(dark ? { extraArgs: ['--force-dark-mode'] } : {}) });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await session.close();
    await Promise.all([s3.stop(), page1.stop(), page2.stop()]);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    log(`chromium:   ${headless ? 'headless (no DISPLAY)' : 'headed'}, extension ${session.extensionId}; waiting for DevTools…`);
    const { page, devtools } = await openInspectedPage(
      session,
      `${page1.url('/')}?s3=${encodeURIComponent(s3.endpoint)}&bucket=${BUCKET}&other=${encodeURIComponent(page2.origin)}`,
    );
    log('\nThe page tries three uploads:');
    log(`  x-amz-meta-uploader header: ${await upload(page, 'uploadWithMetadata')}`);
    log(`  from ${page2.origin}:  ${await upload(page, 'uploadFromOtherOrigin')}`);
    log(`  multipart upload:           ${await upload(page, 'multipartUpload')}`);

    const panel = await showPanel(session, devtools);
    await waitUntil('the three uploads in the panel', async () => ((await readPanel(panel)).rows.length >= 4 ? true : undefined));
    // As the form does: credentials entered for this bucket are bound to its endpoint (the local s3rver).
    await panelAction(panel, 'fetchPolicy', BUCKET, { ...S3RVER_CREDENTIALS, region: 'us-east-1' });
    const { snapshot, fetched } = await waitUntil('the fetched policy', async () => {
      const s = await readPanel(panel);
      const policy = s.policies[BUCKET];
      return policy?.source === 'fetched' ? { snapshot: s, fetched: policy } : undefined;
    });
    log(`\nFetched the bucket's CORS configuration with SigV4 (GetBucketCors): ${fetched.rules} rule.`);
    printDiagnoses(snapshot);

    await selectRow(panel, 'photo.json');
    await undockDevtools(devtools);
    await new Promise((r) => setTimeout(r, 800));
    mkdirSync(resolve(ROOT, 'artifacts'), { recursive: true });
    mkdirSync(resolve(ROOT, 'docs'), { recursive: true });
    const shot = await devtools.screenshot({ type: 'png' });
    for (const path of [`artifacts/${SHOT}`, `docs/${SHOT}`]) writeFileSync(resolve(ROOT, path), shot);
    log(`\nScreenshot of the panel: artifacts/${SHOT} (and docs/${SHOT} for the README)`);
    if (headless) return stop(0);
    log('\nChromium is open with DevTools on the demo page — try the buttons, then press Ctrl+C to stop everything.');
  } catch (error) {
    process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
    await stop(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
