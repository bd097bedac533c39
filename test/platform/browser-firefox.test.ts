vi.mock('webextension-polyfill', async () => ({ default: (await import('./fake-browser.js')).fakeBrowser }));

import { detectBrowser } from '../../src/platform/browser.js';
import { fakeBrowser } from './fake-browser.js';

describe('telling Firefox from Chromium in every extension context', () => {
  const runtime = fakeBrowser.runtime;
  afterEach(() => {
    delete runtime.getBrowserInfo;
    delete runtime.getURL;
  });

  it('says Firefox where runtime.getBrowserInfo exists (background, extension tabs)', () => {
    runtime.getBrowserInfo = async () => ({ name: 'Firefox' });
    runtime.getURL = (path: string) => `moz-extension://uuid${path}`;
    expect(detectBrowser()).toBe('firefox');
  });

  it('says Firefox in DevTools pages and panels, which lack getBrowserInfo, from their moz-extension: URLs', () => {
    runtime.getURL = (path: string) => `moz-extension://0c1f6c5e-uuid${path}`;
    expect(detectBrowser()).toBe('firefox');
  });

  it('says Chromium for chrome-extension: pages without getBrowserInfo', () => {
    runtime.getURL = (path: string) => `chrome-extension://abcdefghijklmnop${path}`;
    expect(detectBrowser()).toBe('chromium');
  });
});
