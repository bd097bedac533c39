/**
 * The add-on's panel in the Firefox toolbox: registered from the devtools page at the right path, following the
 * DevTools theme, and granting host access the way Firefox allows it (panels have no permissions API there).
 */
import { launchFirefoxWithExtension, SETUP_TIMEOUT_MS, type FirefoxSession } from '../support/firefox.js';
import { corsXml, startS3, startStaticServer, waitUntil, type LocalS3, type StaticServer } from '../support/servers.js';

const BUCKET = 'demo-uploads';

describe('Firefox ESR: the add-on in the DevTools toolbox', () => {
  let firefox: FirefoxSession;
  let s3: LocalS3;
  let pageServer: StaticServer;

  const appClass = () => firefox.evaluateInPanel<string | null>(`const app = document.querySelector('.app'); return app ? app.className : null;`);

  beforeAll(async () => {
    pageServer = await startStaticServer();
    s3 = await startS3({ bucket: BUCKET, cors: corsXml([{ allowedOrigins: [pageServer.origin], allowedMethods: ['PUT'], allowedHeaders: ['content-type'] }]) });
    firefox = await launchFirefoxWithExtension({
      url: `${pageServer.url('/')}?s3=${encodeURIComponent(s3.endpoint)}&bucket=${BUCKET}`,
      prefs: {
        'devtools.theme': 'dark',
        // Accepting an optional permission needs no doorhanger click in a headless browser.
        'extensions.webextOptionalPermissionPrompts': false,
      },
    });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await firefox?.close();
    await Promise.all([s3?.stop(), pageServer?.stop()]);
  });

  it('installs as a temporary add-on under its gecko id', () => {
    expect(firefox.extensionId).toBe('s3-cors-doctor@s3-cors-doctor.dev');
  });

  it('registers its panel from the devtools page, at the root-relative page path Firefox needs', async () => {
    const toolId = await firefox.showExtensionPanel();
    expect(toolId).toMatch(/^webext-devtools-panel-s3-cors-doctor_s3-cors-doctor_dev-/);
    const panel = await firefox.waitForPanelText((p) => p.text.includes('0 requests'));
    // A relative path would resolve under src/devtools/ in Firefox (w3c/webextensions#270) and show nothing.
    expect(new URL(panel.url).pathname).toBe('/src/panel/panel.html');
    console.info(`[firefox start-up] ${JSON.stringify(firefox.timings)}`);
  });

  it('follows the DevTools theme (devtools.panels.themeName), and its changes (onThemeChanged)', async () => {
    expect(await appClass()).toContain('theme-dark');
    await firefox.evaluateInChrome(`(Services.prefs.setCharPref('devtools.theme', 'light'), 'set')`);
    await waitUntil('the panel to switch to the light theme', async () => (await appClass())?.includes('theme-light'));
  });

  it('grants host access through an add-on tab, since Firefox gives DevTools panels no permissions API', async () => {
    const outcome = await firefox.page.evaluate('window.demoUploads.uploadWithMetadata()');
    expect(outcome).toMatchObject({ ok: false });
    await firefox.waitForPanelText((p) => p.text.includes('Access to 127.0.0.1') && p.text.includes('Grant access'));
    expect(await firefox.evaluateInPanel<string>(`return typeof window.wrappedJSObject.browser.permissions;`)).toBe('undefined');

    expect(await firefox.clickInPanel('.banner button', 'Grant access')).toBe(true);
    // The panel opened host-access.html in a tab; the user's click there asks Firefox for the permission.
    await firefox.clickInExtensionTab('/src/platform/host-access.html', '#grant');
    const snapshot = await waitUntil('the grant to reach the panel', async () => {
      const s = await firefox.readPanel();
      return s.notice?.text.includes('access granted') ? s : undefined;
    });
    expect(snapshot.notice).toEqual({ kind: 'info', text: 'access granted to http://127.0.0.1/*' });
    const granted = await firefox.evaluateInChrome(
      `JSON.stringify(WebExtensionPolicy.getByID(${JSON.stringify(firefox.extensionId)}).allowedOrigins.patterns.map((p) => p.pattern))`,
    );
    expect(JSON.parse(granted)).toContain('http://127.0.0.1/*');
    // The tab closes itself once access is granted, leaving the inspected page the only tab.
    await waitUntil('the host-access tab to close', async () => (await firefox.evaluateInChrome('String(gBrowser.tabs.length)')) === '1');
  });

  it('lists the blocked upload by file name, in plain words, and leads with its likely cause in Firefox’s own console words', async () => {
    await firefox.waitForPanelText((p) => p.text.includes('photo.json') && p.text.includes('Blocked:'));
    expect(await firefox.clickInPanel('.list-row', 'photo.json')).toBe(true);
    const panel = await firefox.waitForPanelText((p) => p.text.includes('Likely cause'));
    expect(panel.text).toContain('x-amz-meta-uploader');
    expect(panel.text).toContain('Firefox (this browser) prints:');
    expect(panel.text).not.toContain('Chrome (this browser)');
    expect(panel.text).not.toMatch(/\(S\d+[,:)]|spec §|failure[- ]modes? \d/);
    // Chrome's wording only on demand.
    expect(await firefox.clickInPanel('button', "Show Chrome's message")).toBe(true);
    await firefox.waitForPanelText((p) => p.text.includes('has been blocked by CORS policy'));
  });

  it('takes a pasted policy from the Policy tab and then names the refused header', async () => {
    expect(await firefox.clickInPanel('[role=tab]', 'Policy')).toBe(true);
    await firefox.waitForPanelText((p) => p.text.includes('Use pasted policy'));
    const policy = JSON.stringify([{ AllowedOrigins: [pageServer.origin], AllowedMethods: ['PUT'], AllowedHeaders: ['content-type'] }]);
    // Typing: the text lands in the box as input events, as the keyboard's would.
    await firefox.evaluateInPanel<boolean>(
      `const box = document.querySelector('.drop-zone textarea'); box.focus(); box.value = ${JSON.stringify(policy)}; const input = document.createEvent('Event'); input.initEvent('input', true, false); box.dispatchEvent(input); return true;`,
    );
    expect(await firefox.clickInPanel('button', 'Use pasted policy')).toBe(true);
    await firefox.waitForPanelText((p) => p.text.includes('Configuration of demo-uploads (pasted)'));
    expect(await firefox.clickInPanel('[role=tab]', 'Diagnosis')).toBe(true);
    const panel = await firefox.waitForPanelText((p) => p.text.includes('Blocked: a request header is not allowed'));
    expect(panel.text).toContain('HEADERS_NOT_ALLOWED');
    expect(panel.text).not.toContain('Likely cause');
  });
});
