/**
 * A minimal in-memory stand-in for webextension-polyfill's `browser`, for unit tests of src/platform
 * (`vi.mock('webextension-polyfill', …)`). Only what the adapters touch; each test resets it.
 */
type Listener = (...args: unknown[]) => void;

export interface FakeEvent {
  listeners: Array<{ callback: Listener; filter?: unknown; spec?: string[] }>;
  addListener(callback: Listener, filter?: unknown, spec?: string[]): void;
  removeListener(callback: Listener): void;
}

export function fakeEvent(validate?: (spec: string[] | undefined) => void): FakeEvent {
  const event: FakeEvent = {
    listeners: [],
    addListener(callback, filter, spec) {
      validate?.(spec);
      event.listeners.push({ callback, filter, spec });
    },
    removeListener(callback) {
      event.listeners = event.listeners.filter((l) => l.callback !== callback);
    },
  };
  return event;
}

export const fakeBrowser = {
  runtime: { onMessage: fakeEvent(), sendMessage: async (_message: unknown): Promise<unknown> => undefined } as Record<string, unknown>,
  permissions: {
    granted: [] as string[],
    async getAll() {
      return { origins: [...fakeBrowser.permissions.granted] };
    },
    async request({ origins }: { origins: string[] }) {
      fakeBrowser.permissions.granted.push(...origins);
      return true;
    },
    onAdded: fakeEvent(),
    onRemoved: fakeEvent(),
  },
  webRequest: {} as Record<string, FakeEvent>,
  declarativeNetRequest: {
    sessionRules: [] as Array<{ id: number }>,
    updates: [] as Array<{ removeRuleIds?: number[]; addRules?: Array<{ id: number }> }>,
    async updateSessionRules(options: { removeRuleIds?: number[]; addRules?: Array<{ id: number }> }) {
      fakeBrowser.declarativeNetRequest.updates.push(options);
      const dnr = fakeBrowser.declarativeNetRequest;
      dnr.sessionRules = dnr.sessionRules.filter((r) => !options.removeRuleIds?.includes(r.id)).concat(options.addRules ?? []);
    },
  },
};

/** Firefox's webRequest: 'extraHeaders' is not in its enum and throws (browser-capture.md). */
export function resetWebRequest(flavour: 'chromium' | 'firefox'): void {
  const validate = (spec: string[] | undefined) => {
    if (flavour === 'firefox' && spec?.includes('extraHeaders')) throw new Error('Invalid enumeration value "extraHeaders"');
  };
  fakeBrowser.webRequest = Object.fromEntries(
    ['onSendHeaders', 'onHeadersReceived', 'onBeforeRedirect', 'onCompleted', 'onErrorOccurred'].map((name) => [name, fakeEvent(validate)]),
  );
  const chromeGlobal = globalThis as { chrome?: unknown };
  if (flavour === 'chromium')
    chromeGlobal.chrome = { webRequest: { OnBeforeSendHeadersOptions: { EXTRA_HEADERS: 'extraHeaders', REQUEST_HEADERS: 'requestHeaders' } } };
  else delete chromeGlobal.chrome;
}
