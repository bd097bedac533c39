/**
 * The controller under a busy page (issue 14 item 6): each captured request is diagnosed once, a DevTools-side
 * report finds its webRequest twin without scanning every row, and a backlog is applied in slices with its size
 * exposed as `state.processing` (the panel's "processing N…").
 */
import { diagnose } from '../../src/core/diagnose/index.js';
import { isSameRequest } from '../../src/core/evidence/merge.js';
import type { ObservedExchange } from '../../src/core/evidence/types.js';
import { caughtUp, controllerWithBroadcasts } from '../support/controller-harness.js';

// Counted, not replaced.
vi.mock('../../src/core/diagnose/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/core/diagnose/index.js')>();
  return { ...original, diagnose: vi.fn(original.diagnose) };
});
vi.mock('../../src/core/evidence/merge.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/core/evidence/merge.js')>();
  return { ...original, isSameRequest: vi.fn(original.isSameRequest) };
});

const PAGE = 'http://127.0.0.1:8080';

function exchange(i: number, source: ObservedExchange['source']): ObservedExchange {
  return {
    id: `${source === 'devtools' ? 'dt' : 'wr'}-${i}`,
    source,
    browser: 'chromium',
    pageOrigin: PAGE,
    startedAt: new Date(Date.parse('2026-01-01T00:00:00Z') + i * 5).toISOString(),
    request: { method: 'PUT', url: `http://127.0.0.1:9000/bucket/object-${i}.json`, headers: { origin: PAGE } },
    response: { status: 0, headers: {} },
    error: 'net::ERR_FAILED',
  };
}

describe('the panel controller under a busy page', () => {
  beforeEach(() => {
    vi.mocked(diagnose).mockClear();
    vi.mocked(isSameRequest).mockClear();
  });

  // 1,000 diagnoses: seconds on a loaded 2-core machine; the wait is for the controller's last slice, this is a ceiling.
  it('diagnoses each captured request once, however many batches arrive after it', { timeout: 30_000 }, async () => {
    const { controller, changed } = await controllerWithBroadcasts();
    for (let from = 0; from < 1_000; from += 20) changed(Array.from({ length: 20 }, (_, k) => exchange(from + k, 'devtools')));
    // Waits for the last slice, not for a time: on a loaded machine the slices may take longer than any timeout.
    await caughtUp(controller);
    expect(controller.state.rows).toHaveLength(1_000);
    expect(vi.mocked(diagnose).mock.calls).toHaveLength(1_000);
  });

  it("finds a DevTools-side report's webRequest twin without comparing it with every row", { timeout: 30_000 }, async () => {
    const { controller, changed } = await controllerWithBroadcasts();
    changed(Array.from({ length: 1_000 }, (_, i) => exchange(i, 'webrequest')));
    await caughtUp(controller);
    expect(controller.state.rows).toHaveLength(1_000);
    vi.mocked(isSameRequest).mockClear();
    changed([exchange(500, 'devtools')]);
    await vi.waitFor(() => expect(controller.row('dt-500')).toBeDefined());
    expect(controller.row('wr-500')).toBeUndefined();
    expect(controller.state.rows).toHaveLength(1_000);
    expect(vi.mocked(isSameRequest).mock.calls.length).toBeLessThan(5);
  });

  it('applies a backlog in slices and says how many requests wait ("processing N…"), back to 0 when caught up', async () => {
    const slices: Array<() => void> = [];
    let clock = 0;
    // Each reading of the clock costs 1 ms: a slice of 12 ms takes a few dozen requests, at least 50.
    const { controller, changed } = await controllerWithBroadcasts({ schedule: (run) => slices.push(run), now: () => clock++ });
    changed(Array.from({ length: 500 }, (_, i) => exchange(i, 'devtools')));
    const first = controller.state.rows.length;
    expect(first).toBeGreaterThanOrEqual(50);
    expect(first).toBeLessThan(500);
    expect(controller.state.processing).toBe(500 - first);
    const seen: number[] = [];
    while (slices.length > 0) {
      slices.shift()!();
      seen.push(controller.state.processing ?? 0);
    }
    expect(controller.state.rows).toHaveLength(500);
    expect(controller.state.processing).toBe(0);
    expect(seen.length).toBeGreaterThan(1);
    // A batch arriving while a backlog waits joins the queue behind it, in capture order.
    expect(controller.state.rows.map((r) => r.exchange.id).slice(0, 3)).toEqual(['dt-0', 'dt-1', 'dt-2']);
  });

  it('a clear drops the backlog with the rows', async () => {
    const slices: Array<() => void> = [];
    let clock = 0;
    const { controller, changed } = await controllerWithBroadcasts({ schedule: (run) => slices.push(run), now: () => clock++ });
    changed(Array.from({ length: 500 }, (_, i) => exchange(i, 'devtools')));
    expect(controller.state.processing).toBeGreaterThan(0);
    changed([], true);
    for (const run of slices.splice(0)) run();
    expect(controller.state.rows).toEqual([]);
    expect(controller.state.processing).toBe(0);
  });
});
