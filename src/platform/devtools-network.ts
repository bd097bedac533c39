/**
 * devtools.network and devtools.inspectedWindow: no host permission needed, every request of the inspected tab.
 * Firefox never fires onRequestFinished for blocked non-simple requests — they appear only in getHAR(), so it is
 * read there after their preflight (browser-capture.md, Firefox devtools.network; src/devtools/har-capture.ts).
 */
import { browser, detectBrowser } from './browser.js';
import type { HarEntry } from '../core/har/index.js';

export interface DevtoolsNetwork {
  tabId: number;
  getHar(): Promise<HarEntry[]>;
  onRequestFinished(listener: (entry: HarEntry) => void): () => void;
  onNavigated(listener: (url: string) => void): () => void;
  /** Whether onRequestFinished misses requests here, so getHAR() must be read after each preflight. */
  needsHarPolling: boolean;
  /** The response body of an entry onRequestFinished gave (its getContent()); undefined when there is none. */
  responseBody(entry: HarEntry): Promise<string | undefined>;
}

export function devtoolsNetwork(): DevtoolsNetwork {
  const network = browser.devtools.network;
  return {
    tabId: browser.devtools.inspectedWindow.tabId,
    async getHar() {
      const log = (await network.getHAR()) as unknown as { entries?: HarEntry[] };
      return log.entries ?? [];
    },
    onRequestFinished(listener) {
      const wrapped = (request: unknown) => listener(request as HarEntry);
      network.onRequestFinished.addListener(wrapped);
      return () => network.onRequestFinished.removeListener(wrapped);
    },
    onNavigated(listener) {
      network.onNavigated.addListener(listener);
      return () => network.onNavigated.removeListener(listener);
    },
    needsHarPolling: detectBrowser() === 'firefox',
    responseBody(entry) {
      const getContent = (entry as { getContent?: (callback: (content: unknown) => void) => unknown }).getContent;
      if (typeof getContent !== 'function') return Promise.resolve(undefined);
      const text = (value: unknown) => (typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined);
      return new Promise((resolve) => {
        try {
          // Chrome answers through the callback; Firefox through the callback and a promise ([content, mimeType]).
          const answer = getContent.call(entry, (content) => resolve(text(content)));
          if (answer instanceof Promise)
            answer.then(
              (value) => resolve(text(value)),
              () => resolve(undefined),
            );
        } catch {
          resolve(undefined);
        }
      });
    },
  };
}

export function createPanel(title: string, iconPath: string, pagePath: string): Promise<unknown> {
  return browser.devtools.panels.create(title, iconPath, pagePath);
}

/** DevTools' theme: `dark` or anything else (Chromium says `default`, Firefox `light`). */
export function devtoolsTheme(): 'light' | 'dark' {
  return (browser.devtools.panels as { themeName?: string }).themeName === 'dark' ? 'dark' : 'light';
}

export function onDevtoolsThemeChanged(listener: (theme: 'light' | 'dark') => void): void {
  const onThemeChanged = (browser.devtools.panels as { onThemeChanged?: { addListener(cb: (name: string) => void): void } }).onThemeChanged;
  onThemeChanged?.addListener((name) => listener(name === 'dark' ? 'dark' : 'light'));
}

export function inspectedTabId(): number {
  return browser.devtools.inspectedWindow.tabId;
}

/** The inspected page's URL (inspectedWindow.eval needs no permission; only `location.href` is read). */
export async function inspectedPageUrl(): Promise<string | undefined> {
  try {
    const [result] = (await browser.devtools.inspectedWindow.eval('location.href')) as unknown as [unknown, unknown];
    return typeof result === 'string' ? result : undefined;
  } catch {
    return undefined;
  }
}
