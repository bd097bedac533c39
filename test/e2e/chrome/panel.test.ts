/**
 * The Chrome extension end to end, in Debian's Chromium against s3rver: a page on one loopback origin uploads to a
 * bucket on another with a deliberately wrong CORS configuration; DevTools is open, the panel is shown through the
 * DevTools front end, and what it says is read from its frame.
 *
 * s3rver departs from AWS (spec §7: first matching origin+method, headers checked after, no fall-through; preflight
 * ACAO `*` for wildcard rules). Every scenario here uses one rule with an explicit origin, where both agree.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import {
  buildChromeExtension,
  launchChromium,
  openInspectedPage,
  readHar,
  readPanel,
  showPanel,
  type ChromeGlobal,
  type ExtensionSession,
} from '../support/chromium.js';
import { corsXml, S3RVER_CREDENTIALS, startS3, startStaticServer, waitUntil, type LocalS3, type StaticServer } from '../support/servers.js';
import { expectDemoFindings, rowFor } from '../support/demo-findings.js';
import { chooseFile, click, clickButton, clickRow, clickTab, screenText, typeInto, waitForScreen } from '../support/panel-screen.js';
import { redactHar } from '../../../src/core/redact/index.js';

const BUCKET = 'demo-uploads';
const HAR_FIXTURES = resolve(import.meta.dirname, '../../fixtures/har');

/** Real captures for the triage fixtures: written when missing, or refreshed with S3CD_UPDATE_FIXTURES=1. */
function saveHarFixture(name: string, har: { log: { entries: unknown[] } }): void {
  const path = resolve(HAR_FIXTURES, name);
  if (existsSync(path) && process.env.S3CD_UPDATE_FIXTURES !== '1') return;
  mkdirSync(HAR_FIXTURES, { recursive: true });
  writeFileSync(path, `${JSON.stringify(redactHar(har), null, 1)}\n`);
}

interface UploadOutcome {
  ok: boolean;
  result?: string;
  error?: string;
}

type DemoUploads = Record<'uploadWithMetadata' | 'uploadFromOtherOrigin' | 'multipartUpload', () => Promise<UploadOutcome>>;

function upload(page: Page, name: keyof DemoUploads): Promise<UploadOutcome> {
  return page.evaluate((fn: string) => (globalThis as unknown as { demoUploads: DemoUploads }).demoUploads[fn as keyof DemoUploads](), name);
}

describe('the S3 CORS panel in Chromium, against s3rver', () => {
  let extensionDir: string;
  let s3: LocalS3;
  let pageServer: StaticServer;
  let otherOrigin: StaticServer;
  let session: ExtensionSession;
  let page: Page;
  let devtools: Page;
  let panel: Frame;
  let tabId: number;

  beforeAll(async () => {
    extensionDir = buildChromeExtension();
    pageServer = await startStaticServer();
    otherOrigin = await startStaticServer();
    // The demo's misconfiguration: one origin, no x-amz-meta-* header, ETag not exposed.
    s3 = await startS3({
      bucket: BUCKET,
      cors: corsXml([{ allowedOrigins: [pageServer.origin], allowedMethods: ['PUT', 'POST', 'GET'], allowedHeaders: ['content-type'] }]),
    });
    session = await launchChromium({ extensionDir, grantHosts: ['http://127.0.0.1/*'] });
    ({ page, devtools, tabId } = await openInspectedPage(
      session,
      `${pageServer.url('/')}?s3=${encodeURIComponent(s3.endpoint)}&bucket=${BUCKET}&other=${encodeURIComponent(otherOrigin.origin)}`,
    ));
    panel = await showPanel(session, devtools);
  });

  afterAll(async () => {
    await session?.close();
    await Promise.all([s3?.stop(), pageServer?.stop(), otherOrigin?.stop()]);
  });

  it('captures a blocked upload and lists it in the panel as a failure', async () => {
    const outcome = await upload(page, 'uploadWithMetadata');
    expect(outcome).toMatchObject({ ok: false, error: 'TypeError: Failed to fetch' });
    const snapshot = await waitUntil('the failed PUT in the panel', async () => {
      const s = await readPanel(panel);
      return rowFor(s, (r) => r.method === 'PUT' && r.url.includes('photo.json')) ? s : undefined;
    });
    const row = rowFor(snapshot, (r) => r.method === 'PUT' && r.url.includes('photo.json'))!;
    expect(row.outcome).toBe('blocked');
    // What the user reads: the row names the file first, blocked, in plain words.
    await waitForScreen(panel, 'the blocked upload listed', (text) => text.includes('photo.json') && text.includes('Blocked: '));
    await clickRow(panel, 'photo.json');
    // Before the policy is known, the likely cause read from the preflight, with one action to confirm it.
    const screen = await waitForScreen(panel, 'the likely cause', (text) => text.includes('Likely cause'));
    expect(screen).toMatch(/non-standard header x-amz-meta-uploader/);
    expect(screen).toContain('Confirm: probe the bucket');
    expect(screen).toContain('Chrome (this browser) prints:');
    expect(screen).not.toMatch(/\(S\d+[,:)]|spec §|failure mode \d/);
    // DevTools' default (light) theme, as devtools.panels.themeName reports it.
    expect(await panel.evaluate(() => document.querySelector('.app')?.className ?? '')).toContain('theme-light');
  });

  it('merges what the background saw through webRequest (extraHeaders) into the same exchange', async () => {
    type StoredRecord = { aliases: string[]; exchange: { error?: string; request: { url: string; headers: Record<string, string> } } };
    const worker = await session.serviceWorker();
    // The two sources report independently; wait until both reached the store.
    const record = await waitUntil('the webRequest side merged in', async () => {
      // The store keeps a tab's records in chunks under `evidence:<tabId>:<k>`.
      const stored = (await worker.evaluate(async () => (globalThis as unknown as ChromeGlobal).chrome.storage.session.get(null))) as Record<
        string,
        { records?: StoredRecord[] }
      >;
      const records = Object.entries(stored).flatMap(([key, value]) => (key.startsWith(`evidence:${tabId}:`) ? (value.records ?? []) : []));
      const found = records.find((r) => r.exchange.request.url.includes('photo.json'));
      return found?.aliases.some((id) => id.startsWith('wr-')) ? found : undefined;
    });
    expect(record.exchange.error).toBe('net::ERR_FAILED');
  });

  // s3rver checks that a SigV4 request names a known key id (S3RVER) but does not verify the signature itself
  // (lib/middleware/authentication.js: "Signature version 4 calculation is unimplemented"); the signature's form is
  // pinned by test/platform/policy-fetch.test.ts.
  it('diagnoses all three demo failures once the policy is fetched with SigV4 from s3rver', async () => {
    expect((await upload(page, 'uploadFromOtherOrigin')).ok).toBe(false);
    const multipart = await upload(page, 'multipartUpload');
    expect(multipart.result).toContain('ETag readable by script: no (null)');

    // As a user: the Policy tab's credentials form, typed, then "Fetch bucket CORS".
    await clickRow(panel, 'photo.json');
    await clickTab(panel, 'Policy');
    await typeInto(panel, 'Access key ID', S3RVER_CREDENTIALS.accessKeyId);
    await typeInto(panel, 'Secret access key', S3RVER_CREDENTIALS.secretAccessKey);
    await typeInto(panel, 'Region', 'us-east-1');
    await click(panel, 'form button[type=submit]', 'Fetch bucket CORS');
    await waitForScreen(panel, 'the fetched configuration', (text) => text.includes('Configuration of demo-uploads (fetched with GetBucketCors'));
    // The secret typed is not on screen, nor kept in the form.
    expect(await screenText(panel)).not.toContain(S3RVER_CREDENTIALS.secretAccessKey);
    await expectDemoFindings(() => readPanel(panel), BUCKET, otherOrigin.origin);
    // What the user reads, row by row: the verdict in plain words, the code as a tag.
    await clickTab(panel, 'Diagnosis');
    let screen = await waitForScreen(panel, 'the named header', (text) => text.includes('Blocked: a request header is not allowed'));
    expect(screen).toContain('HEADERS_NOT_ALLOWED');
    expect(screen).not.toContain('Likely cause');
    await clickRow(panel, 'from-other-origin.json');
    screen = await waitForScreen(panel, 'the refused origin', (text) => text.includes('Blocked: the page’s origin is not allowed'));
    expect(screen).toContain(otherOrigin.origin);
    await clickRow(panel, 'Allowed, but');
    await waitForScreen(panel, 'the unexposed ETag', (text) => text.includes('Allowed, but script cannot read a response header'));
  });

  it('keeps the credentials in storage.session only, and forgets them on request', async () => {
    const worker = await session.serviceWorker();
    const areas = await worker.evaluate(async () => {
      const chrome = (globalThis as unknown as { chrome: { storage: Record<'local' | 'session', { get(k: null): Promise<Record<string, unknown>> }> } }).chrome;
      return { local: JSON.stringify(await chrome.storage.local.get(null)), session: Object.keys(await chrome.storage.session.get(null)) };
    });
    expect(areas.local).not.toContain('S3RVER');
    expect(areas.session).toContain('credentials');
    await clickRow(panel, 'photo.json');
    await clickTab(panel, 'Policy');
    await clickButton(panel, 'Forget credentials');
    await waitForScreen(panel, 'the credentials form again', (text) => text.includes('credentials forgotten') && text.includes('Secret access key'));
    await waitUntil('credentials forgotten', async () => !(await readPanel(panel)).hasCredentials);
    const after = await worker.evaluate(async () => Object.keys(await (globalThis as unknown as ChromeGlobal).chrome.storage.session.get(null)));
    expect(after).not.toContain('credentials');
  });

  it('probes the bucket with a declarativeNetRequest-rewritten preflight and names the refused header', async () => {
    await clickRow(panel, 'photo.json');
    await clickButton(panel, 'Probe this bucket');
    // The Probe tab comes to the front and shows what S3 refused, and each step's request as sent.
    const screen = await waitForScreen(panel, 'the probe result', (text) => text.includes('Refused headers'));
    expect(screen).toMatch(/Refused headers\s*x-amz-meta-uploader/);
    expect(screen).toMatch(/OPTIONS 127\.0\.0\.1:\d+\/demo-uploads\/uploads\/\d+-photo\.json/);
    expect(screen).toContain('Headers asked');
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

  it('checks a chosen policy file and a pasted one before using them: the fetched configuration stays active', async () => {
    await clickRow(panel, 'photo.json');
    await clickTab(panel, 'Policy');
    const dir = mkdtempSync(join(tmpdir(), 's3cd-policy-'));
    try {
      const file = join(dir, 'cors.json');
      writeFileSync(file, '[\n  {\n    "AllowedOrigins": ["https://a.example"],\n    "AllowedMethods": ["GET"],\n  }\n]\n');
      await chooseFile(panel, 'Choose policy file…', file);
      let screen = await waitForScreen(panel, 'the file’s syntax error', (text) => text.includes('Line 4, column 30:'));
      expect(screen).toContain('The active configuration has not changed.');
      expect(screen).toContain('Configuration of demo-uploads (fetched with GetBucketCors');
      await typeInto(panel, 'S3 console JSON', '[{"AllowedOrigins": ["https://a.example"], "AllowedMethods": ["PATCH"]}]');
      await clickButton(panel, 'Use pasted policy');
      screen = await waitForScreen(panel, 'the refused configuration', (text) => text.includes('S3 would refuse this configuration'));
      expect(screen).toContain('PATCH');
      expect(screen).toContain('Configuration of demo-uploads (fetched with GetBucketCors');
      expect(screen).not.toMatch(/\(S\d+[,:)]|failure[- ]modes? \d/);
      expect((await readPanel(panel)).policies[BUCKET]).toEqual({ source: 'fetched', rules: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows the fix in the chosen format, verified against the fetched configuration, and exports with a confirmation', async () => {
    await clickRow(panel, 'photo.json');
    await clickTab(panel, 'Fix');
    await click(panel, 'label.format-option', 'XML', true);
    const screen = await waitForScreen(panel, 'the XML fix', (text) => text.includes('<AllowedHeader>x-amz-meta-uploader</AllowedHeader>'));
    expect(screen).toContain('✓ Verified');
    expect(screen.split('put-bucket-cors').length - 1).toBe(1);
    await click(panel, '.detail-actions button', 'Export report', true);
    await waitForScreen(panel, 'the export confirmation', (text) => /Report saved as s3-cors-report-[^\s]+\.md/.test(text));
  });

  it('keeps Escape inside the Generate policy dialog: DevTools does not open its console drawer', async () => {
    const drawerShown = () =>
      devtools.evaluate(
        `(async () => { const legacy = await import('devtools://devtools/bundled/ui/legacy/legacy.js'); return legacy.InspectorView.InspectorView.instance().drawerVisible(); })()`,
      ) as Promise<boolean>;
    expect(await drawerShown()).toBe(false);
    await clickButton(panel, 'Generate policy');
    await waitForScreen(panel, 'the dialog', (text) => text.includes('Policy from everything captured'));
    await devtools.keyboard.press('Escape');
    await waitForScreen(panel, 'the dialog closed', (text) => !text.includes('Policy from everything captured'));
    expect(await drawerShown()).toBe(false);
  });

  it('reads the captured HAR through devtools.network.getHAR() (saved, redacted, for the triage fixtures)', async () => {
    const har = await readHar(devtools);
    expect(har.log.entries.length).toBeGreaterThan(2);
    saveHarFixture('real-chromium-demo-failures.har', har);
  });

  it('loses nothing when the service worker is stopped and restarted', async () => {
    const before = (await readPanel(panel)).rows.map((r) => r.id).sort();
    // Resolves once CDP reports the worker's runningStatus "stopped": its memory is gone.
    await session.stopServiceWorker();
    // The reloaded panel's first message wakes a fresh worker, which must answer from storage.session alone.
    // Puppeteer keeps the same Frame across the reload, so the old document is marked: reading it (before the
    // reload has replaced it) must not count, or the reload would land in the next test.
    await panel.evaluate(() => {
      (globalThis as unknown as { staleDocument?: boolean }).staleDocument = true;
      location.reload();
    });
    const reloaded = await showPanel(session, devtools);
    const after = await waitUntil('the panel to read the store again', async () => {
      const stale = await reloaded.evaluate(() => (globalThis as unknown as { staleDocument?: boolean }).staleDocument === true);
      if (stale) return undefined;
      const s = await readPanel(reloaded);
      return s.rows.length === before.length ? s : undefined;
    });
    expect(after.rows.map((r) => r.id).sort()).toEqual(before);
    panel = reloaded;
    // The policy fetched before the restart is remembered for the session too.
    expect(after.policies[BUCKET]).toEqual({ source: 'fetched', rules: 1 });
  });

  it('the fix the panel proposes, applied with PutBucketCors, makes the same upload succeed', async () => {
    const row = rowFor(await readPanel(panel), (r) => r.url.includes('photo.json') && r.codes.includes('HEADERS_NOT_ALLOWED'))!;
    const fix = row.fix!;
    expect(fix.verified).toBe(true);
    expect(fix.config).not.toBeNull();
    await s3.putBucketCors(corsXml(fix.config!));
    // "Re-test" probes until S3 accepts the page's preflight.
    await clickRow(panel, 'photo.json');
    await clickTab(panel, 'Fix');
    await clickButton(panel, 'Re-test after applying');
    const screen = await waitForScreen(panel, 'the re-test to pass', (text) => /re-test: S3 (now accepts|still refuses)/.test(text));
    expect(screen).toContain('re-test: S3 now accepts the preflight (attempt 1)');
    const outcome = await upload(page, 'uploadWithMetadata');
    expect(outcome).toEqual({ ok: true, label: 'upload with x-amz-meta-uploader', result: 'HTTP 200' });
    // The same upload, now passing: a second real capture for the triage fixtures.
    const har = await readHar(devtools);
    saveHarFixture('real-chromium-fix-applied.har', har);
  });

  it('keeps the log across a navigation with "preserve log", and clears it without', async () => {
    // Both capture sources report the last upload asynchronously; wait until the list stops changing.
    let before = -1;
    await waitUntil(
      'the list to settle',
      async () => {
        const count = (await readPanel(panel)).rows.length;
        const settled = count === before;
        before = count;
        return settled;
      },
      25_000,
      1_000,
    );
    expect(before).toBeGreaterThan(0);
    const kept = (await readPanel(panel)).rows.map((r) => r.id);
    await click(panel, 'label.checkbox', 'Preserve log');
    await page.reload({ waitUntil: 'load' });
    // A fence instead of a fixed wait: a request made after the navigation is reported after it (the devtools page
    // reports the navigation first, the background handles messages in order), so once its row is in, a clearing
    // would already have happened.
    expect((await upload(page, 'uploadFromOtherOrigin')).ok).toBe(false);
    const after = await waitUntil('a row for the request made after the navigation', async () => {
      const rows = (await readPanel(panel)).rows;
      return rows.some((r) => !kept.includes(r.id)) ? rows : undefined;
    });
    expect(after.map((r) => r.id)).toEqual(expect.arrayContaining(kept));
    await click(panel, 'label.checkbox', 'Preserve log');
    await page.reload({ waitUntil: 'load' });
    await waitUntil('the log cleared by the navigation', async () => (await readPanel(panel)).rows.length === 0);
  });
});
