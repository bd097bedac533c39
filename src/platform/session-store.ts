/**
 * A small key/value seam over `storage.session`: in memory, cleared when the browser closes, never written to disk —
 * the only place credentials and evidence live (issue 4). Tests use `memoryStore`.
 */
import { browser } from './browser.js';
import type { KeyValueStore } from './key-value-store.js';

export { memoryStore, type KeyValueStore } from './key-value-store.js';

export function sessionStore(): KeyValueStore {
  const area = browser.storage.session;
  return {
    async get<T>(key: string) {
      const found = await area.get(key);
      return found[key] as T | undefined;
    },
    set: (values) => area.set(values),
    remove: (keys) => area.remove(keys),
    async keys(prefix) {
      return Object.keys(await area.get(null)).filter((k) => k.startsWith(prefix));
    },
  };
}
