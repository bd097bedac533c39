/**
 * The extension API, through webextension-polyfill (promises in both browsers), and browser detection by feature.
 * Only src/platform imports the polyfill (STYLE: one place touches the extension API).
 */
import browser from 'webextension-polyfill';

export { browser };

export type BrowserFamily = 'chromium' | 'firefox';

/**
 * Firefox alone has runtime.getBrowserInfo; detecting by feature keeps forks (LibreWolf, Edge) on the right path.
 * Firefox leaves getBrowserInfo out of DevTools pages and panels, where its moz-extension: URLs tell instead.
 */
export function detectBrowser(): BrowserFamily {
  if (typeof (browser.runtime as { getBrowserInfo?: unknown }).getBrowserInfo === 'function') return 'firefox';
  return browser.runtime.getURL('/').startsWith('moz-extension:') ? 'firefox' : 'chromium';
}
