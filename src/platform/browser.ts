/**
 * The extension API, through webextension-polyfill (promises in both browsers), and browser detection by feature.
 * Only src/platform imports the polyfill (STYLE: one place touches the extension API).
 */
import browser from 'webextension-polyfill';

export { browser };

export type BrowserFamily = 'chromium' | 'firefox';

/** Firefox alone has runtime.getBrowserInfo; detecting by feature keeps forks (LibreWolf, Edge) on the right path. */
export function detectBrowser(): BrowserFamily {
  return typeof (browser.runtime as { getBrowserInfo?: unknown }).getBrowserInfo === 'function' ? 'firefox' : 'chromium';
}
