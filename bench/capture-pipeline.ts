/**
 * The capture pipeline in Node, without a browser: the background's store and request handler, the panel
 * controller, and a page whose requests both sources report in batches as in the extension (webRequest through the
 * batcher, the DevTools side through evidence/add), each batch broadcast to the panel. CPU time per request at
 * 1,000 and 2,000 requests: equal figures mean the work grows with the requests; a higher one at 2,000 means
 * something grows faster (issue 14 item 6). Storage is the in-memory store (structured clones, as storage.session).
 */
import { median, registerBenchmark, table } from './harness.ts';
import type { ObservedExchange } from '../src/core/evidence/types.ts';
import { controllerOverBackground } from '../test/support/controller-harness.ts';

const PAGE = 'http://127.0.0.1:8080';
const BATCH = 20;

function exchangesOf(i: number): { devtools: ObservedExchange; webrequest: ObservedExchange } {
  const failing = i % 7 === 0;
  const url = `http://127.0.0.1:9000/busy-page/run/object-${i}.json`;
  const startedAt = new Date(Date.parse('2026-01-01T00:00:00Z') + i * 5).toISOString();
  const method = failing ? 'PUT' : 'GET';
  const response: ObservedExchange['response'] = failing
    ? { status: 0, headers: {} }
    : { status: 404, headers: { 'access-control-allow-origin': PAGE, 'x-amz-request-id': `r${i}` } };
  const base = { browser: 'chromium' as const, pageOrigin: PAGE, startedAt, resourceType: 'fetch', response, ...(failing ? { error: 'net::ERR_FAILED' } : {}) };
  return {
    devtools: {
      ...base,
      id: `dt-${i}`,
      source: 'devtools',
      request: { method, url, headers: failing ? { 'content-type': 'application/json', 'x-amz-meta-uploader': 'bench' } : {} },
    },
    webrequest: { ...base, id: `wr-${i}`, source: 'webrequest', request: { method, url, headers: { origin: PAGE } } },
  };
}

async function pipeline(requests: number): Promise<number> {
  // Messages cross the seam as structured clones (storage.session's copy), not JSON.
  const { controller, channel, handler } = await controllerOverBackground({ roundTrip: 'structured-clone', start: false });
  let rendered = 0;
  controller.subscribe((state) => (rendered = state.rows.length));
  await controller.start();
  const start = process.cpuUsage();
  for (let from = 0; from < requests; from += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, requests - from) }, (_, k) => exchangesOf(from + k));
    // webRequest first (its batcher flushes every 100 ms), the DevTools side after (every 200 ms).
    await handler({ type: 'evidence/add', tabId: 1, exchanges: batch.map((b) => b.webrequest) });
    await channel.bridge.send({ type: 'evidence/add', tabId: 1, exchanges: batch.map((b) => b.devtools) });
  }
  const used = process.cpuUsage(start);
  if (controller.state.rows.length !== requests || rendered !== requests)
    throw new Error(`the panel holds ${controller.state.rows.length} of ${requests} requests`);
  return (used.user + used.system) / 1000;
}

registerBenchmark({
  name: 'Capture pipeline in Node (store + controller, both sources, batches of 20)',
  async run() {
    const rows: string[][] = [['requests', 'CPU total', 'per request', 'vs 1,000']];
    let perThousand = 0;
    await pipeline(500); // warm-up (JIT), not counted
    for (const n of [1_000, 2_000]) {
      const samples: number[] = [];
      for (let i = 0; i < 3; i++) samples.push(await pipeline(n));
      const ms = median(samples);
      if (n === 1_000) perThousand = ms / n;
      rows.push([n.toLocaleString('en-US'), `${ms.toFixed(0)} ms`, `${((ms / n) * 1000).toFixed(0)} µs`, `${(ms / n / perThousand).toFixed(2)}×`]);
    }
    return table(rows);
  },
});
