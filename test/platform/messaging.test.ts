vi.mock('webextension-polyfill', async () => ({ default: (await import('./fake-browser.js')).fakeBrowser }));

import { runtimeBackgroundPort, runtimeBridge } from '../../src/platform/messaging.js';
import { isBackgroundRequest, isBroadcast } from '../../src/messages.js';
import { fakeBrowser, fakeEvent } from './fake-browser.js';

const EXTENSION_ID = 'abcdefghijklmnopabcdefghijklmnop';
const PANEL_PAGE = { id: EXTENSION_ID, url: `chrome-extension://${EXTENSION_ID}/src/panel/panel.html` };

/**
 * Wires the fake runtime like the browser does: sendMessage reaches every onMessage listener with its sender (by
 * default the extension's panel page); the first reply wins.
 */
function connectRuntime(sender: unknown = PANEL_PAGE): void {
  fakeBrowser.runtime.id = EXTENSION_ID;
  fakeBrowser.runtime.getURL = (path: string) => `chrome-extension://${EXTENSION_ID}${path}`;
  fakeBrowser.runtime.onMessage = fakeEvent();
  fakeBrowser.runtime.sendMessage = async (message: unknown) => {
    const listeners = (fakeBrowser.runtime.onMessage as ReturnType<typeof fakeEvent>).listeners;
    if (listeners.length === 0) throw new Error('Could not establish connection. Receiving end does not exist.');
    for (const { callback } of listeners) {
      const reply = (callback as (m: unknown, s: unknown) => unknown)(JSON.parse(JSON.stringify(message)), sender);
      if (reply !== undefined) return reply;
    }
    return undefined;
  };
}

describe('runtime messaging (the message seam over runtime.sendMessage)', () => {
  beforeEach(() => connectRuntime());

  it('delivers a request to the background and its reply back', async () => {
    runtimeBackgroundPort().serve(async (request) => (request.type === 'credentials/status' ? { hasCredentials: true } : null));
    expect(await runtimeBridge().send({ type: 'credentials/status' })).toEqual({ hasCredentials: true });
  });

  // Issue 11, item 5: a content script or a web page (another sender) gets a refusal, and the handler never runs.
  it("answers only the extension's own pages", async () => {
    const handled: unknown[] = [];
    const senders = [
      { id: EXTENSION_ID, url: 'https://evil.example/page.html', tab: { id: 3 } }, // a content script in a web page
      { id: 'another-extension-id', url: 'chrome-extension://another-extension-id/page.html' },
      { url: `chrome-extension://${EXTENSION_ID}/src/panel/panel.html` }, // no id
      { id: EXTENSION_ID }, // no URL
      { id: EXTENSION_ID, url: `chrome-extension://${EXTENSION_ID}.evil.example/` },
      null, // no sender at all
    ];
    for (const sender of senders) {
      connectRuntime(sender);
      runtimeBackgroundPort().serve(async (request) => (handled.push(request), { hasCredentials: true }));
      await expect(runtimeBridge().send({ type: 'credentials/status' }), JSON.stringify(sender)).rejects.toThrow("only the extension's own pages");
    }
    expect(handled).toEqual([]);
    for (const sender of [PANEL_PAGE, { id: EXTENSION_ID, url: `chrome-extension://${EXTENSION_ID}/src/platform/host-access.html`, tab: { id: 9 } }]) {
      connectRuntime(sender);
      runtimeBackgroundPort().serve(async (request) => (handled.push(request), { hasCredentials: true }));
      expect(await runtimeBridge().send({ type: 'credentials/status' })).toEqual({ hasCredentials: true });
    }
    expect(handled).toHaveLength(2);
  });

  it("turns the background's error into a rejection carrying its message", async () => {
    runtimeBackgroundPort().serve(async () => {
      throw new Error('no credentials: paste an access key first');
    });
    await expect(runtimeBridge().send({ type: 'credentials/status' })).rejects.toThrow('no credentials: paste an access key first');
  });

  it('says so when no background answers, instead of resolving to nothing', async () => {
    (fakeBrowser.runtime.onMessage as ReturnType<typeof fakeEvent>).addListener(() => undefined);
    await expect(runtimeBridge().send({ type: 'credentials/status' })).rejects.toThrow('no reply to credentials/status');
  });

  it('hands broadcasts to listeners and ignores requests and foreign messages', () => {
    const seen: unknown[] = [];
    runtimeBridge().listen((m) => seen.push(m));
    const listener = (fakeBrowser.runtime.onMessage as ReturnType<typeof fakeEvent>).listeners[0]!.callback;
    listener({ type: 'evidence/changed', tabId: 1, exchanges: [], cleared: true });
    listener({ type: 'evidence/get', tabId: 1 });
    listener({ hello: 'world' });
    expect(seen).toEqual([{ type: 'evidence/changed', tabId: 1, exchanges: [], cleared: true }]);
  });

  it('a broadcast with no page open is not an error', async () => {
    fakeBrowser.runtime.sendMessage = async () => Promise.reject(new Error('Could not establish connection. Receiving end does not exist.'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    runtimeBackgroundPort().broadcast({ type: 'evidence/changed', tabId: 1, exchanges: [], cleared: false });
    await new Promise((r) => setTimeout(r, 0));
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('recognises requests and broadcasts by type only', () => {
    expect(isBackgroundRequest({ type: 'probe/run', tabId: 1, exchangeId: 'x' })).toBe(true);
    // The DevTools side's question to the background (Firefox: whether to read getHAR() for a missing request).
    expect(isBackgroundRequest({ type: 'capture/covers', urls: ['http://127.0.0.1:4568/b/k'] })).toBe(true);
    expect(isBackgroundRequest({ type: 'evidence/changed' })).toBe(false);
    expect(isBroadcast({ type: 'probe/progress' })).toBe(true);
    expect(isBroadcast(null)).toBe(false);
  });
});
