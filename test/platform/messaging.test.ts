vi.mock('webextension-polyfill', async () => ({ default: (await import('./fake-browser.js')).fakeBrowser }));

import { runtimeBackgroundPort, runtimeBridge } from '../../src/platform/messaging.js';
import { isBackgroundRequest, isBroadcast } from '../../src/messages.js';
import { fakeBrowser, fakeEvent } from './fake-browser.js';

/** Wires the fake runtime like the browser does: sendMessage reaches every onMessage listener; the first reply wins. */
function connectRuntime(): void {
  fakeBrowser.runtime.onMessage = fakeEvent();
  fakeBrowser.runtime.sendMessage = async (message: unknown) => {
    const listeners = (fakeBrowser.runtime.onMessage as ReturnType<typeof fakeEvent>).listeners;
    if (listeners.length === 0) throw new Error('Could not establish connection. Receiving end does not exist.');
    for (const { callback } of listeners) {
      const reply = (callback as (m: unknown) => unknown)(JSON.parse(JSON.stringify(message)));
      if (reply !== undefined) return reply;
    }
    return undefined;
  };
}

describe('runtime messaging (the message seam over runtime.sendMessage)', () => {
  beforeEach(connectRuntime);

  it('delivers a request to the background and its reply back', async () => {
    runtimeBackgroundPort().serve(async (request) => (request.type === 'credentials/status' ? { hasCredentials: true } : null));
    expect(await runtimeBridge().send({ type: 'credentials/status' })).toEqual({ hasCredentials: true });
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
    expect(isBackgroundRequest({ type: 'evidence/changed' })).toBe(false);
    expect(isBroadcast({ type: 'probe/progress' })).toBe(true);
    expect(isBroadcast(null)).toBe(false);
  });
});
