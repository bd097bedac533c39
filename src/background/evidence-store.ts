/**
 * The per-tab evidence store: a bounded ring buffer (default 2,000 exchanges per tab, so a page making 100,000
 * requests cannot exhaust memory) kept in storage.session, so a service-worker restart loses nothing.
 * Stored in chunks of 5 records under `evidence:<tabId>:<k>`, with the tab's settings under `evidence:<tabId>`: a
 * write sends only the chunks that changed (a busy page's 2,000 records are not rewritten for each new one), and
 * lookups go through indexes, never a scan. Writes are chained per tab, calls made while a write waits to start join
 * it; each call resolves after its write reached storage. Secrets are masked on the way in
 * (scrub-secrets.ts).
 */
import type { ObservedExchange } from '../core/evidence/types.js';
import type { KeyValueStore } from '../platform/key-value-store.js';
import { isSameRequest, mergeEvidence } from '../core/evidence/merge.js';
import { scrubSecrets } from './scrub-secrets.js';

export const DEFAULT_CAPACITY = 2_000;
/**
 * Records per storage key: a write sends the chunks that changed, not the whole buffer. A chunk is rewritten whole at
 * each write that touches it, and a busy page touches several per write (new records, and older ones the other
 * source's view merges into). Measured (CPU profile of the worker, 600 S3 requests with DevTools open and the panel
 * shown, loaded machine): storage writes took 18.6 s of the worker's 29.7 s busy time with chunks of 100, 0.5 s of
 * 2.1 s with 5; a service-worker restart reads 400 keys for 2,000 records.
 */
export const DEFAULT_CHUNK_SIZE = 5;
const KEY_PREFIX = 'evidence:';

interface StoredRecord {
  /** Position in the tab's sequence: records are contiguous, oldest first, so seq − firstSeq is the index. */
  seq: number;
  exchange: ObservedExchange;
  /** Ids of the other source's exchanges merged into this one, so their updates land here too. */
  aliases: string[];
}

/** `evidence:<tabId>`: the tab's settings and which part of its sequence is kept. */
interface StoredMeta {
  preserveLog: boolean;
  firstSeq: number;
  nextSeq: number;
}

/** `evidence:<tabId>:<k>`: records with seq in [k·chunkSize, (k+1)·chunkSize). */
interface StoredChunk {
  records: StoredRecord[];
}

interface TabEvidence {
  records: StoredRecord[];
  preserveLog: boolean;
  firstSeq: number;
  nextSeq: number;
  /** Every id and alias → its record. */
  byId: Map<string, StoredRecord>;
  /** "METHOD url" → records not yet merged with the other source's view, oldest first. */
  unpaired: Map<string, StoredRecord[]>;
  /** Chunks changed since the last write, and chunks present in storage. */
  dirty: Set<number>;
  stored: Set<number>;
}

export interface EvidenceStoreOptions {
  capacity?: number;
  /** Devtools-side evidence wins as the base of a merged exchange (it has the HAR view and bodies). */
  preferSource?: ObservedExchange['source'];
  chunkSize?: number;
}

const requestKey = (exchange: ObservedExchange) => `${exchange.request.method.toUpperCase()} ${exchange.request.url}`;

export class EvidenceStore {
  private readonly capacity: number;
  private readonly preferSource: ObservedExchange['source'];
  private readonly chunkSize: number;
  private readonly tabs = new Map<number, Promise<TabEvidence>>();
  private readonly writes = new Map<number, Promise<void>>();
  /** A tab's write that has not started yet: a change made before it starts is in it. */
  private readonly nextWrite = new Map<number, Promise<void>>();

  constructor(
    private readonly storage: KeyValueStore,
    options: EvidenceStoreOptions = {},
  ) {
    this.capacity = options.capacity ?? DEFAULT_CAPACITY;
    this.preferSource = options.preferSource ?? 'devtools';
    this.chunkSize = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
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
      tab.dirty.add(this.chunkOf(record.seq));
      changed.set(record.exchange.id, record.exchange);
    }
    if (tab.records.length > this.capacity) this.dropOldest(tab, tab.records.length - this.capacity);
    await this.save(tabId, tab);
    return [...changed.values()].filter((exchange) => tab.byId.get(exchange.id)?.exchange === exchange);
  }

  async clear(tabId: number): Promise<void> {
    const tab = await this.load(tabId);
    this.dropOldest(tab, tab.records.length);
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
    this.dropOldest(tab, tab.records.length);
    await this.save(tabId, tab);
    return true;
  }

  async forgetTab(tabId: number): Promise<void> {
    this.tabs.delete(tabId);
    const chunks = await this.storage.keys(`${KEY_PREFIX}${tabId}:`);
    await this.storage.remove([KEY_PREFIX + tabId, ...chunks, `devtools-ready:${tabId}`]);
  }

  async find(tabId: number, exchangeId: string): Promise<ObservedExchange | undefined> {
    const tab = await this.load(tabId);
    return tab.byId.get(exchangeId)?.exchange;
  }

  private chunkOf(seq: number): number {
    return Math.floor(seq / this.chunkSize);
  }

  /** O(1) per exchange: ids and "method url" are indexed, so a busy tab's 2,000 records are never scanned. */
  private upsert(tab: TabEvidence, incoming: ObservedExchange): StoredRecord {
    const existing = tab.byId.get(incoming.id);
    if (existing) {
      // A newer report of the same request wins field by field; what only the older one saw is kept.
      existing.exchange = existing.exchange.id === incoming.id ? mergeEvidence(incoming, existing.exchange) : mergeEvidence(existing.exchange, incoming);
      return existing;
    }
    const key = requestKey(incoming);
    const candidates = tab.unpaired.get(key);
    const index = candidates?.findIndex((r) => isSameRequest(r.exchange, incoming)) ?? -1;
    const counterpart = index >= 0 ? candidates?.[index] : undefined;
    if (candidates && counterpart) {
      candidates.splice(index, 1);
      if (candidates.length === 0) tab.unpaired.delete(key);
      const incomingIsBase = incoming.source === this.preferSource;
      const base = incomingIsBase ? incoming : counterpart.exchange;
      const other = incomingIsBase ? counterpart.exchange : incoming;
      counterpart.aliases.push(incomingIsBase ? counterpart.exchange.id : incoming.id);
      counterpart.exchange = mergeEvidence(base, other);
      tab.byId.set(incoming.id, counterpart);
      return counterpart;
    }
    const record: StoredRecord = { seq: tab.nextSeq++, exchange: incoming, aliases: [] };
    tab.records.push(record);
    this.index(tab, record);
    return record;
  }

  private index(tab: TabEvidence, record: StoredRecord): void {
    tab.byId.set(record.exchange.id, record);
    for (const alias of record.aliases) tab.byId.set(alias, record);
    if (record.aliases.length > 0) return;
    const key = requestKey(record.exchange);
    const list = tab.unpaired.get(key);
    if (list) list.push(record);
    else tab.unpaired.set(key, [record]);
  }

  /** Drops the `count` oldest records (ring buffer, clear, storage full). */
  private dropOldest(tab: TabEvidence, count: number): void {
    if (count <= 0) return;
    const dropped = tab.records.splice(0, count);
    for (const record of dropped) {
      for (const id of [record.exchange.id, ...record.aliases]) if (tab.byId.get(id) === record) tab.byId.delete(id);
      const key = requestKey(record.exchange);
      const list = tab.unpaired.get(key);
      if (!list) continue;
      const rest = list.filter((r) => r !== record);
      if (rest.length > 0) tab.unpaired.set(key, rest);
      else tab.unpaired.delete(key);
    }
    tab.firstSeq = tab.records[0]?.seq ?? tab.nextSeq;
    // The chunk the new first record shares with dropped ones is rewritten without them.
    if (tab.records.length > 0) tab.dirty.add(this.chunkOf(tab.firstSeq));
  }

  private load(tabId: number): Promise<TabEvidence> {
    let tab = this.tabs.get(tabId);
    if (!tab) {
      tab = this.read(tabId);
      this.tabs.set(tabId, tab);
    }
    return tab;
  }

  private async read(tabId: number): Promise<TabEvidence> {
    const meta = await this.storage.get<StoredMeta & { records?: Array<Omit<StoredRecord, 'seq'>> }>(KEY_PREFIX + tabId);
    const tab: TabEvidence = {
      records: [],
      preserveLog: meta?.preserveLog ?? false,
      firstSeq: 0,
      nextSeq: 0,
      byId: new Map(),
      unpaired: new Map(),
      dirty: new Set(),
      stored: new Set(),
    };
    if (!meta) return tab;
    if (Array.isArray(meta.records)) {
      // The layout before chunks (one key with every record): read it, and rewrite it as chunks at the next write.
      tab.records = meta.records.map((r, seq) => ({ ...r, seq }));
      tab.nextSeq = tab.records.length;
      for (let k = 0; k <= this.chunkOf(Math.max(0, tab.nextSeq - 1)); k++) tab.dirty.add(k);
    } else {
      tab.firstSeq = meta.firstSeq;
      tab.nextSeq = meta.nextSeq;
      const keys = await this.storage.keys(`${KEY_PREFIX}${tabId}:`);
      const chunks = await Promise.all(
        keys.map(async (key) => ({ k: Number(key.slice(key.lastIndexOf(':') + 1)), chunk: await this.storage.get<StoredChunk>(key) })),
      );
      chunks.sort((a, b) => a.k - b.k);
      for (const { k, chunk } of chunks) {
        tab.stored.add(k);
        for (const record of chunk?.records ?? []) if (record.seq >= tab.firstSeq && record.seq < tab.nextSeq) tab.records.push(record);
      }
      // A chunk lost between two writes leaves a gap; the sequence stays in order, so seq − firstSeq may not be an
      // index any more — nothing relies on it being one.
    }
    for (const record of tab.records) this.index(tab, record);
    return tab;
  }

  /**
   * Writes of one tab are chained so an older snapshot never overwrites a newer one. A call while a write waits to
   * start joins it (the write reads the tab's changes when it starts), so a burst of calls costs one write.
   */
  private save(tabId: number, tab: TabEvidence): Promise<void> {
    const waiting = this.nextWrite.get(tabId);
    if (waiting) return waiting;
    const previous = this.writes.get(tabId) ?? Promise.resolve();
    const next = previous.then(() => {
      this.nextWrite.delete(tabId);
      return this.write(tabId, tab);
    });
    this.nextWrite.set(tabId, next);
    this.writes.set(
      tabId,
      next.catch(() => undefined),
    );
    return next;
  }

  /** The records of chunk k, in order (records are sorted by seq, so a binary search finds the first). */
  private chunkRecords(tab: TabEvidence, k: number): StoredRecord[] {
    const from = k * this.chunkSize;
    const to = from + this.chunkSize;
    let lo = 0;
    let hi = tab.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const record = tab.records[mid];
      if (record !== undefined && record.seq < from) lo = mid + 1;
      else hi = mid;
    }
    const out: StoredRecord[] = [];
    for (let i = lo; i < tab.records.length; i++) {
      const record = tab.records[i];
      if (record === undefined || record.seq >= to) break;
      out.push(record);
    }
    return out;
  }

  /**
   * Sends the tab's settings and the chunks that changed since the last write (a chained write finding nothing new
   * sends the small settings key only), and removes chunks rotated out of the buffer.
   * storage.session holds 10 MB for the whole extension (Chrome); when many busy tabs fill it, this tab gives up its
   * oldest quarter until the write fits, rather than losing the write.
   */
  private async write(tabId: number, tab: TabEvidence): Promise<void> {
    for (;;) {
      const firstChunk = tab.records.length > 0 ? this.chunkOf(tab.firstSeq) : this.chunkOf(tab.nextSeq) + 1;
      const gone = [...tab.stored].filter((k) => k < firstChunk);
      const dirty = [...tab.dirty].filter((k) => k >= firstChunk);
      tab.dirty.clear();
      const values: Record<string, unknown> = {
        [KEY_PREFIX + tabId]: { preserveLog: tab.preserveLog, firstSeq: tab.firstSeq, nextSeq: tab.nextSeq } satisfies StoredMeta,
      };
      for (const k of dirty) values[`${KEY_PREFIX}${tabId}:${k}`] = { records: this.chunkRecords(tab, k) } satisfies StoredChunk;
      try {
        // Rotated-out chunks go first: their room may be what the new chunks need.
        if (gone.length > 0) {
          await this.storage.remove(gone.map((k) => `${KEY_PREFIX}${tabId}:${k}`));
          for (const k of gone) tab.stored.delete(k);
        }
        await this.storage.set(values);
        for (const k of dirty) tab.stored.add(k);
        return;
      } catch (error) {
        for (const k of dirty) tab.dirty.add(k);
        if (!/quota/i.test(String(error)) || tab.records.length === 0) throw error;
        this.dropOldest(tab, Math.max(1, Math.ceil(tab.records.length / 4)));
      }
    }
  }
}
