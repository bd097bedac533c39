vi.mock('webextension-polyfill', async () => ({ default: (await import('./fake-browser.js')).fakeBrowser }));

import { listenToWebRequests, supportsExtraHeaders, type WebRequestEvent } from '../../src/platform/web-request.js';
import { fakeBrowser, resetWebRequest } from './fake-browser.js';

describe('webRequest listeners', () => {
  afterEach(() => {
    delete (globalThis as { chrome?: unknown }).chrome;
  });

  it("asks for 'extraHeaders' in Chromium, where preflights are invisible without it", () => {
    resetWebRequest('chromium');
    expect(supportsExtraHeaders()).toBe(true);
    listenToWebRequests(() => undefined);
    expect(fakeBrowser.webRequest.onSendHeaders!.listeners[0]!.spec).toEqual(['requestHeaders', 'extraHeaders']);
    expect(fakeBrowser.webRequest.onErrorOccurred!.listeners[0]!.spec).toEqual(['extraHeaders']);
  });

  it("registers without 'extraHeaders' in Firefox, whose enum lacks it", () => {
    resetWebRequest('firefox');
    expect(supportsExtraHeaders()).toBe(false);
    listenToWebRequests(() => undefined);
    for (const event of Object.values(fakeBrowser.webRequest)) {
      expect(event.listeners).toHaveLength(1);
      expect(event.listeners[0]!.spec ?? []).not.toContain('extraHeaders');
    }
  });

  it('filters by scheme only: no host, no port (a ported pattern never fires in Firefox)', () => {
    resetWebRequest('firefox');
    listenToWebRequests(() => undefined);
    expect(fakeBrowser.webRequest.onCompleted!.listeners[0]!.filter).toEqual({ urls: ['http://*/*', 'https://*/*'] });
  });

  it("translates Firefox's originUrl and header arrays into plain events, lower-casing header names", () => {
    resetWebRequest('firefox');
    const events: WebRequestEvent[] = [];
    listenToWebRequests((e) => events.push(e));
    fakeBrowser.webRequest.onSendHeaders!.listeners[0]!.callback({
      requestId: '7',
      tabId: 3,
      method: 'OPTIONS',
      url: 'http://127.0.0.1:4568/b/k',
      type: 'xmlhttprequest',
      timeStamp: 1,
      originUrl: 'http://127.0.0.1:8000/',
      requestHeaders: [
        { name: 'Origin', value: 'http://127.0.0.1:8000' },
        { name: 'Access-Control-Request-Method', value: 'PUT' },
      ],
    });
    expect(events[0]).toMatchObject({
      phase: 'send-headers',
      initiator: 'http://127.0.0.1:8000/',
      requestHeaders: { origin: 'http://127.0.0.1:8000', 'access-control-request-method': 'PUT' },
    });
  });

  it('removes every listener when asked (re-registration after a permission grant)', () => {
    resetWebRequest('chromium');
    const stop = listenToWebRequests(() => undefined);
    stop();
    for (const event of Object.values(fakeBrowser.webRequest)) expect(event.listeners).toHaveLength(0);
  });
});
