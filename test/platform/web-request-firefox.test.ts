vi.mock('webextension-polyfill', async () => ({ default: (await import('./fake-browser.js')).fakeBrowser }));

import { listenToWebRequests } from '../../src/platform/web-request.js';
import { fakeBrowser, fakeEvent, resetWebRequest } from './fake-browser.js';

describe('webRequest listeners in Firefox', () => {
  it('registers onErrorOccurred without an extraInfoSpec, which Firefox rejects even when empty', () => {
    resetWebRequest('firefox');
    // Firefox's schema for onErrorOccurred.addListener has no third parameter: "Incorrect argument types".
    fakeBrowser.webRequest.onErrorOccurred = fakeEvent((spec) => {
      if (spec !== undefined) throw new Error('Incorrect argument types for webRequest.onErrorOccurred.');
    });
    expect(() => listenToWebRequests(() => undefined)).not.toThrow();
    expect(fakeBrowser.webRequest.onErrorOccurred.listeners).toHaveLength(1);
    expect(fakeBrowser.webRequest.onErrorOccurred.listeners[0]!.spec).toBeUndefined();
  });
});
