/**
 * The add-on end to end in Debian's Firefox ESR against s3rver — the Chromium suite's scenarios (test/e2e/chrome):
 * the demo page on one loopback origin uploads to a bucket on another with a deliberately wrong CORS configuration,
 * the toolbox is open, the panel is selected through gDevTools, and what it says is read from its document.
 *
 * s3rver departs from AWS (spec §7: first matching origin+method, headers checked after); every scenario here uses
 * one rule with an explicit origin, where both agree.
 */
import { AwsClient } from 'aws4fetch';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parsePolicy } from '../../../src/core/policy/index.js';
import type { CorsRule } from '../../../src/core/policy/types.js';
import { readHarText } from '../../../src/core/har/index.js';
import { redactHar } from '../../../src/core/redact/index.js';
import { triageJson } from '../../../src/core/report/index.js';
import { triageExchanges } from '../../../src/core/triage/index.js';
import { launchFirefoxWithExtension, SETUP_TIMEOUT_MS, type FirefoxSession } from '../support/firefox.js';
import { corsXml, S3RVER_CREDENTIALS, startS3, startStaticServer, waitUntil, type LocalS3, type StaticServer } from '../support/servers.js';
import { expectDemoFindings, rowFor } from '../support/demo-findings.js';

const BUCKET = 'demo-uploads';
const HAR_FIXTURES = resolve(import.meta.dirname, '../../fixtures/har');
/** Response bodies above this are dropped from the saved capture: the fixture stays small, S3's XML errors stay. */
const KEPT_BODY_CHARS = 2_048;

interface FirefoxHarEntry {
  request: { method: string; url: string };
  response: { status: number; content?: { text?: string; size?: number } };
}

interface CapturedHar {
  log: { entries: FirefoxHarEntry[] };
}

/** The capture's S3 entries only, large bodies dropped: small enough to keep as a fixture. */
function s3EntriesOf(har: CapturedHar, s3Endpoint: string): CapturedHar {
  const entries = har.log.entries
    .filter((entry) => entry.request.url.startsWith(`${s3Endpoint}/`))
    .map((entry) => {
      const text = entry.response.content?.text;
      if (text === undefined || text.length <= KEPT_BODY_CHARS) return entry;
      return { ...entry, response: { ...entry.response, content: { ...entry.response.content, text: undefined } } };
    });
  return { log: { ...har.log, entries } };
}

/** The triage report of a HAR against a configuration, as `s3-cors-doctor har --config … --json` prints it. */
function triageOf(har: unknown, corsConfigXml: string) {
  const config = parsePolicy(corsConfigXml).config;
  return triageJson(triageExchanges(readHarText(JSON.stringify(har)).exchanges, { bucketState: () => ({ kind: 'cors', config }) }));
}

/**
 * The real capture for the triage fixtures, redacted as `s3-cors-doctor redact` would, with the configuration
 * s3rver enforced during it (its origin carries this run's port): both written when the HAR is missing, or
 * refreshed with S3CD_UPDATE_FIXTURES=1.
 */
function saveHarFixture(name: string, har: CapturedHar, corsConfigXml: string): void {
  const path = resolve(HAR_FIXTURES, `${name}.har`);
  if (existsSync(path) && process.env.S3CD_UPDATE_FIXTURES !== '1') return;
  mkdirSync(HAR_FIXTURES, { recursive: true });
  writeFileSync(path, `${JSON.stringify(redactHar(har), null, 1)}\n`);
  writeFileSync(resolve(HAR_FIXTURES, `${name}.cors.xml`), `${corsConfigXml}\n`);
}

interface UploadOutcome {
  ok: boolean;
  label?: string;
  result?: string;
  error?: string;
}

type DemoUpload = 'uploadWithMetadata' | 'uploadFromOtherOrigin' | 'multipartUpload';

/** Firefox tells the page script nothing more than this, whatever the CORS cause (browser-capture.md). */
const FIREFOX_FETCH_FAILURE = 'TypeError: NetworkError when attempting to fetch resource.';

describe('the S3 CORS panel in Firefox ESR, against s3rver', () => {
  let s3: LocalS3;
  let pageServer: StaticServer;
  let otherOrigin: StaticServer;
  let firefox: FirefoxSession;
  let corsConfigXml: string;

  const upload = (name: DemoUpload) => firefox.page.evaluate(`window.demoUploads.${name}()`) as Promise<UploadOutcome>;

  beforeAll(async () => {
    pageServer = await startStaticServer();
    otherOrigin = await startStaticServer();
    // The demo's misconfiguration: one origin, no x-amz-meta-* header, ETag not exposed.
    corsConfigXml = corsXml([{ allowedOrigins: [pageServer.origin], allowedMethods: ['PUT', 'POST', 'GET'], allowedHeaders: ['content-type'] }]);
    s3 = await startS3({ bucket: BUCKET, cors: corsConfigXml });
    firefox = await launchFirefoxWithExtension();
    // As if the user had granted 127.0.0.1 from the panel (the grant flow itself is pinned in panel.test.ts).
    await firefox.grantHostPermissions(['http://127.0.0.1/*']);
    await firefox.page.goto(`${pageServer.url('/')}?s3=${encodeURIComponent(s3.endpoint)}&bucket=${BUCKET}&other=${encodeURIComponent(otherOrigin.origin)}`);
    await firefox.showExtensionPanel();
    await waitUntil('the panel to start', async () => (await firefox.readPanel()).rows);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await firefox?.close();
    await Promise.all([s3?.stop(), pageServer?.stop(), otherOrigin?.stop()]);
  });

  it('captures a blocked upload and lists it in the panel as a failure', async () => {
    const outcome = await upload('uploadWithMetadata');
    expect(outcome).toMatchObject({ ok: false, error: FIREFOX_FETCH_FAILURE });
    const snapshot = await waitUntil('the failed PUT in the panel', async () => {
      const s = await firefox.readPanel();
      return rowFor(s, (r) => r.method === 'PUT' && r.url.includes('photo.json')) ? s : undefined;
    });
    expect(rowFor(snapshot, (r) => r.method === 'PUT' && r.url.includes('photo.json'))!.outcome).toBe('blocked');
  });

  it("merges what the background saw through webRequest (NS_ERROR_DOM_BAD_URI, the page's Origin) into the same exchange", async () => {
    const record = await waitUntil('the webRequest side merged in', async () => {
      const found = (await firefox.storedEvidence()).find((r) => r.exchange.request.url.includes('photo.json'));
      return found?.aliases.some((id) => id.startsWith('wr-')) ? found : undefined;
    });
    // Firefox marks every preflight failure of the actual request with this string (browser-capture.md, Firefox).
    expect(record.exchange.error).toBe('NS_ERROR_DOM_BAD_URI');
    expect(record.exchange.request.headers.origin).toBe(pageServer.origin);
  });

  it('diagnoses all three demo failures once the policy is fetched with SigV4 from s3rver', async () => {
    expect((await upload('uploadFromOtherOrigin')).ok).toBe(false);
    const multipart = await upload('multipartUpload');
    expect(multipart.result).toContain('ETag readable by script: no (null)');

    // As the form does: credentials entered for this bucket, bound to its endpoint (s3rver).
    await firefox.panelAction('fetchPolicy', BUCKET, { ...S3RVER_CREDENTIALS, region: 'us-east-1' });
    await waitUntil('credentials stored', async () => (await firefox.readPanel()).hasCredentials);
    await expectDemoFindings(() => firefox.readPanel(), BUCKET, otherOrigin.origin);
    // What the user reads: the selected failure's finding code is on screen.
    expect((await firefox.readPanelText()).text).toMatch(/HEADERS_NOT_ALLOWED|ORIGIN_NOT_ALLOWED|HEADER_NOT_EXPOSED/);
  });

  it('reads the captured HAR through devtools.network.getHAR() (a blocked simple GET added; saved, redacted, for the triage fixtures)', async () => {
    // An object readable by GET, fetched from the second origin (its iframe is still in the page): a simple request
    // s3rver answers 200 without Access-Control-Allow-Origin.
    const reportKey = 'uploads/report.json';
    const client = new AwsClient({ ...S3RVER_CREDENTIALS, service: 's3', region: 'us-east-1' });
    const stored = await client.fetch(`${s3.endpoint}/${BUCKET}/${reportKey}`, {
      method: 'PUT',
      body: '{"rows":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(stored.status).toBe(200);
    const otherFrame = firefox.page.frames().find((frame) => frame.url().startsWith(otherOrigin.origin));
    expect(otherFrame, 'the iframe uploadFromOtherOrigin left in the page').toBeDefined();

    const getUrl = `${s3.endpoint}/${BUCKET}/${reportKey}`;
    const outcome = await otherFrame!.evaluate(`fetch(${JSON.stringify(getUrl)}).then((r) => 'HTTP ' + r.status, (e) => e.name + ': ' + e.message)`);
    expect(outcome).toBe(FIREFOX_FETCH_FAILURE);
    // Firefox's DevTools finishes a blocked simple GET with S3's response; the add-on's DevTools side reports it
    // from onRequestFinished (a `dt-` id). Once it has, the HAR is read — once: a getHAR() call loses what DevTools
    // records while it runs, which is what made this GET look unrecorded now and then (it used to be repeated).
    await waitUntil('the DevTools side to report the GET with its response', async () =>
      (await firefox.storedEvidence()).find(
        (r) => r.exchange.request.url === getUrl && r.exchange.response?.status === 200 && [r.exchange.id, ...r.aliases].some((id) => id.startsWith('dt-')),
      ),
    );
    const har = await firefox.readHar<CapturedHar>();
    expect(
      har.log.entries.filter((e) => e.request.method === 'GET' && e.request.url === getUrl).map((e) => e.response.status),
      'Firefox recorded the blocked GET with its response',
    ).toEqual([200]);
    // Firefox: the blocked PUT is in getHAR() with status 0 and its Origin, its preflight a separate OPTIONS entry.
    const photoEntries = har.log.entries.filter((e) => e.request.url.includes('photo.json'));
    expect(photoEntries.map((e) => [e.request.method, e.response.status])).toEqual(
      expect.arrayContaining([
        ['OPTIONS', 403],
        ['PUT', 0],
      ]),
    );
    const capture = s3EntriesOf(har, s3.endpoint);
    // Redaction keeps everything the diagnosis reads: the report of the shareable HAR equals the raw capture's.
    expect(triageOf(redactHar(capture), corsConfigXml)).toEqual(triageOf(capture, corsConfigXml));
    saveHarFixture('real-firefox-demo-failures', capture, corsConfigXml);
  });

  it('keeps the credentials in storage.session only, and forgets them on request', async () => {
    const areas = await firefox.evaluateInPanel<{ local: string; session: string[] }>(`const storage = window.wrappedJSObject.browser.storage;
      return { local: window.wrappedJSObject.JSON.stringify(await storage.local.get(null)), session: Object.keys(await storage.session.get(null)) };`);
    expect(areas.local).not.toContain('S3RVER');
    expect(areas.session).toContain('credentials');
    await firefox.panelAction('forgetCredentials');
    await waitUntil('credentials forgotten', async () => !(await firefox.readPanel()).hasCredentials);
    const after = await firefox.evaluateInPanel<string[]>(`return Object.keys(await window.wrappedJSObject.browser.storage.session.get(null));`);
    expect(after).not.toContain('credentials');
  });

  it('probes the bucket with a declarativeNetRequest-rewritten preflight and names the refused header', async () => {
    const id = rowFor(await firefox.readPanel(), (r) => r.url.includes('photo.json'))!.id;
    await firefox.panelAction('probe', id);
    const probe = await waitUntil('the probe result', async () => {
      const p = (await firefox.readPanel()).probes[id];
      return p && p.status !== 'running' ? p : undefined;
    });
    expect(probe.status).toBe('done');
    expect(probe.refused.headers).toEqual(['x-amz-meta-uploader']);
    expect(probe.summary).toContain('x-amz-meta-uploader');
    // The session rule is gone once the probe is over (Firefox's own rule manager, read from the parent process).
    const sessionRules = await firefox.evaluateInChrome(`(async () => {
      const { ExtensionDNR } = ChromeUtils.importESModule('resource://gre/modules/ExtensionDNR.sys.mjs');
      const extension = WebExtensionPolicy.getByID(${JSON.stringify(firefox.extensionId)}).extension;
      return String(ExtensionDNR.getRuleManager(extension).getSessionRules().length);
    })()`);
    expect(sessionRules).toBe('0');
  });

  it('the fix the panel proposes, applied with PutBucketCors, makes the same upload succeed', async () => {
    const row = rowFor(await firefox.readPanel(), (r) => r.url.includes('photo.json') && r.codes.includes('HEADERS_NOT_ALLOWED'))!;
    const fix = row.fix as { config: CorsRule[] | null; verified: boolean };
    expect(fix.verified).toBe(true);
    expect(fix.config).not.toBeNull();
    await s3.putBucketCors(corsXml(fix.config!));
    expect(await upload('uploadWithMetadata')).toEqual({ ok: true, label: 'upload with x-amz-meta-uploader', result: 'HTTP 200' });
  });
});
