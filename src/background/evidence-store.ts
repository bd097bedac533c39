/**
 * The per-tab evidence store: a bounded ring buffer (default 2,000 exchanges per tab, so a page making 100,000
 * requests cannot exhaust memory) kept in storage.session, so a service-worker restart loses nothing.
 * Writes are coalesced per tab; each call resolves after its write reached storage. Secrets are masked on the way in
 * (scrub-secrets.ts).
 */
import type { ObservedExchange } from '../core/evidence/types.js';
import type { KeyValueStore } from '../platform/key-value-store.js';
import { isSameRequest, mergeEvidence } from './merge-evidence.js';
import { scrubSecrets } from './scrub-secrets.js';

export const DEFAULT_CAPACITY = 2_000;
const KEY_PREFIX = 'evidence:';

interface StoredRecord {
  exchange: ObservedExchange;
  /** Ids of the other source's exchanges merged into this one, so their updates land here too. */
  aliases: string[];
}

interface TabEvidence {
  records: StoredRecord[];
  preserveLog: boolean;
}

export interface EvidenceStoreOptions {
  capacity?: number;
  /** Devtools-side evidence wins as the base of a merged exchange (it has the HAR view and bodies). */
  preferSource?: ObservedExchange['source'];
}

export class EvidenceStore {
  private readonly capacity: number;
  private readonly preferSource: ObservedExchange['source'];
  private readonly tabs = new Map<number, Promise<TabEvidence>>();
  private readonly writes = new Map<number, Promise<void>>();

  constructor(
    private readonly storage: KeyValueStore,
    options: EvidenceStoreOptions = {},
  ) {
    this.capacity = options.capacity ?? DEFAULT_CAPACITY;
    this.preferSource = options.preferSource ?? 'devtools';
  }

  async get(tabId: number): Promise<{ exchanges: ObservedExchange[]; preserveLog: boolean }> {
    const tab = await this.load(tabId);
    return { exchanges: tab.records.map((r) => r.exchange), preserveLog: tab.preserveLog };
  }

  /** Insert or update; returns the stored versions of what changed (after merging). */
  async add(tabId: number, exchanges: ObservedExchange[]): Promise<ObservedExchange[]> {
    const tab = await this.load(tabId);
    const changed = new Map<string, ObservedExchange>();
    for (const incoming of exchanges) {
      const record = this.upsert(tab, scrubSecrets(incoming));
      changed.set(record.exchange.id, record.exchange);
    }
    if (tab.records.length > this.capacity) tab.records.splice(0, tab.records.length - this.capacity);
    await this.save(tabId, tab);
    return [...changed.values()];
  }

  async clear(tabId: number): Promise<void> {
    const tab = await this.load(tabId);
    tab.records = [];
    await this.save(tabId, tab);
  }

  async setPreserveLog(tabId: number, preserve: boolean): Promise<void> {
    const tab = await this.load(tabId);
    tab.preserveLog = preserve;
    await this.save(tabId, tab);
  }

  /** A navigation clears the tab's evidence unless preserve-log is on. Returns whether it cleared. */
  async navigated(tabId: number): Promise<boolean> {
    const tab = await this.load(tabId);
    if (tab.preserveLog) return false;
    tab.records = [];
    await this.save(tabId, tab);
    return true;
  }

  async forgetTab(tabId: number): Promise<void> {
    this.tabs.delete(tabId);
    await this.storage.remove([KEY_PREFIX + tabId, `devtools-ready:${tabId}`]);
  }

  async find(tabId: number, exchangeId: string): Promise<ObservedExchange | undefined> {
    const tab = await this.load(tabId);
    return tab.records.find((r) => r.exchange.id === exchangeId || r.aliases.includes(exchangeId))?.exchange;
  }

  private upsert(tab: TabEvidence, incoming: ObservedExchange): StoredRecord {
    const existing = tab.records.find((r) => r.exchange.id === incoming.id || r.aliases.includes(incoming.id));
    if (existing) {
      // A newer report of the same request wins field by field; what only the older one saw is kept.
      existing.exchange = existing.exchange.id === incoming.id ? mergeEvidence(incoming, existing.exchange) : mergeEvidence(existing.exchange, incoming);
      return existing;
    }
    const counterpart = tab.records.find((r) => r.aliases.length === 0 && isSameRequest(r.exchange, incoming));
    if (counterpart) {
      const incomingIsBase = incoming.source === this.preferSource;
      const base = incomingIsBase ? incoming : counterpart.exchange;
      const other = incomingIsBase ? counterpart.exchange : incoming;
      counterpart.aliases.push(incomingIsBase ? counterpart.exchange.id : incoming.id);
      counterpart.exchange = mergeEvidence(base, other);
      return counterpart;
    }
    const record: StoredRecord = { exchange: incoming, aliases: [] };
    tab.records.push(record);
    return record;
  }

  private load(tabId: number): Promise<TabEvidence> {
    let tab = this.tabs.get(tabId);
    if (!tab) {
      tab = this.storage.get<TabEvidence>(KEY_PREFIX + tabId).then((stored) => stored ?? { records: [], preserveLog: false });
      this.tabs.set(tabId, tab);
    }
    return tab;
  }

  /** Writes of one tab are chained so an older snapshot never overwrites a newer one. */
  private save(tabId: number, tab: TabEvidence): Promise<void> {
    const previous = this.writes.get(tabId) ?? Promise.resolve();
    const next = previous.then(() => this.write(tabId, tab));
    this.writes.set(tabId, next.catch(() => undefined));
    return next;
  }

  /**
   * storage.session holds 10 MB for the whole extension (Chrome); when many busy tabs fill it, this tab gives up its
   * oldest quarter until the write fits, rather than losing the write.
   */
  private async write(tabId: number, tab: TabEvidence): Promise<void> {
    for (;;) {
      try {
        await this.storage.set({ [KEY_PREFIX + tabId]: tab });
        return;
      } catch (error) {
        if (!/quota/i.test(String(error)) || tab.records.length === 0) throw error;
        tab.records.splice(0, Math.max(1, Math.ceil(tab.records.length / 4)));
      }
    }
  }
}
