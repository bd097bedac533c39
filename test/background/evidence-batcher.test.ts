import { EvidenceBatcher } from '../../src/background/evidence-batcher.js';
import type { ObservedExchange } from '../../src/core/evidence/types.js';

const exchange = (id: string): ObservedExchange => ({
  id,
  source: 'webrequest',
  request: { method: 'GET', url: `https://b.s3.amazonaws.com/${id}`, headers: {} },
});

describe('batching webRequest evidence', () => {
  afterEach(() => vi.useRealTimers());

  it('writes each tab once per burst, in arrival order', async () => {
    vi.useFakeTimers();
    const writes: Array<[number, string[]]> = [];
    const batcher = new EvidenceBatcher(async (tabId, exchanges) => void writes.push([tabId, exchanges.map((e) => e.id)]), 100);
    for (let i = 0; i < 500; i++) batcher.add(i % 2, exchange(`r${i}`));
    expect(writes).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(writes.map(([tab, ids]) => [tab, ids.length, ids[0]])).toEqual([
      [0, 250, 'r0'],
      [1, 250, 'r1'],
    ]);
    batcher.add(0, exchange('later'));
    await vi.advanceTimersByTimeAsync(100);
    expect(writes).toHaveLength(3);
  });
});
