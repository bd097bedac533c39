import { launchFirefoxWithExtension, type FirefoxSession } from '../support/firefox';

describe('Firefox ESR: the add-on in the DevTools toolbox', () => {
  let firefox: FirefoxSession;
  beforeAll(async () => {
    firefox = await launchFirefoxWithExtension({ url: 'data:text/html,<title>inspected</title><p>inspected page</p>' });
  });
  afterAll(async () => {
    await firefox?.close();
  });

  it('installs as a temporary add-on under its gecko id', () => {
    expect(firefox.extensionId).toBe('s3-cors-doctor@s3-cors-doctor.dev');
  });

  it('registers its panel from the devtools page, and the selected panel renders the app', async () => {
    const toolId = await firefox.showExtensionPanel();
    expect(toolId).toMatch(/^webext-devtools-panel-s3-cors-doctor_s3-cors-doctor_dev-/);
    const panel = await firefox.waitForPanelText((p) => p.text.includes('S3 CORS Doctor'));
    // Root-relative: a relative page path would resolve under src/devtools/ in Firefox (w3c/webextensions#270).
    expect(new URL(panel.url).pathname).toBe('/src/panel/panel.html');
    console.info(`[firefox start-up] ${JSON.stringify(firefox.timings)}`);
  });
});
