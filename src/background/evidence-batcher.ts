/**
 * webRequest reports requests one by one; writing the tab's store (up to 2,000 exchanges) for each would cost
 * O(n²) under a busy page. The batcher collects them per tab and writes once per `delayMs`.
 */
import type { ObservedExchange } from '../core/evidence/types.js';

export class EvidenceBatcher {
  private readonly pending = new Map<number, ObservedExchange[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly write: (tabId: number, exchanges: ObservedExchange[]) => Promise<void>,
    private readonly delayMs = 100,
  ) {}

  add(tabId: number, exchange: ObservedExchange): void {
    const list = this.pending.get(tabId) ?? [];
    list.push(exchange);
    this.pending.set(tabId, list);
    this.timer ??= setTimeout(() => void this.flush(), this.delayMs);
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batches = [...this.pending];
    this.pending.clear();
    await Promise.all(batches.map(([tabId, exchanges]) => this.write(tabId, exchanges)));
  }
}
