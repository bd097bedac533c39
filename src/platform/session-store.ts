/**
 * A small key/value seam over `storage.session`: in memory, cleared when the browser closes, never written to disk —
 * the only place credentials and evidence live (issue 4). Tests use `memoryStore`.
 */
import { browser } from './browser.js';

export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set(values: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
  /** Keys starting with the prefix. */
  keys(prefix: string): Promise<string[]>;
}

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

/** The same contract in memory, for unit tests and for contexts without storage.session. */
export function memoryStore(initial: Record<string, unknown> = {}): KeyValueStore & { dump(): Record<string, unknown> } {
  const data = new Map<string, unknown>(Object.entries(structuredClone(initial)));
  return {
    async get<T>(key: string) {
      return data.has(key) ? (structuredClone(data.get(key)) as T) : undefined;
    },
    async set(values) {
      for (const [k, v] of Object.entries(values)) data.set(k, structuredClone(v));
    },
    async remove(keys) {
      for (const k of Array.isArray(keys) ? keys : [keys]) data.delete(k);
    },
    async keys(prefix) {
      return [...data.keys()].filter((k) => k.startsWith(prefix));
    },
    dump: () => Object.fromEntries(data),
  };
}
