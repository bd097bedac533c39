import type { ObservedExchange } from '../../src/core/evidence/types.js';
import { controllerWithBroadcasts } from '../support/controller-harness.js';

const PAGE = 'http://127.0.0.1:45143';
const URL_ = 'http://127.0.0.1:37651/quirks/upload.txt';

function exchange(id: string, source: ObservedExchange['source'], startedAt: string): ObservedExchange {
  return {
    id,
    source,
    browser: 'firefox',
    pageOrigin: PAGE,
    startedAt,
    request: { method: 'PUT', url: URL_, headers: { origin: PAGE } },
    response: { status: 0, headers: {} },
    error: 'NS_ERROR_DOM_BAD_URI',
  };
}

async function startedPanel() {
  const { controller, changed } = await controllerWithBroadcasts({ browser: 'firefox' });
  return { controller, changed: (...exchanges: ObservedExchange[]) => changed(exchanges) };
}

describe('the panel in Firefox, where webRequest reports a blocked request before getHAR() polling does', () => {
  it('shows the request once: the merged DevTools exchange replaces the earlier webRequest row', async () => {
    const { controller, changed } = await startedPanel();
    changed(exchange('wr-21', 'webrequest', '2026-11-28T08:43:06.470Z'));
    expect(controller.state.rows.map((r) => r.exchange.id)).toEqual(['wr-21']);
    changed(exchange('dt-10qafj8', 'devtools', '2026-11-28T08:43:06.461Z'));
    expect(controller.state.rows.map((r) => r.exchange.id)).toEqual(['dt-10qafj8']);
  });

  it('keeps an earlier merged request when the same upload is retried at once (a new webRequest report)', async () => {
    const { controller, changed } = await startedPanel();
    changed(exchange('dt-first', 'devtools', '2026-11-28T08:43:06.461Z'));
    changed(exchange('wr-22', 'webrequest', '2026-11-28T08:43:06.900Z'));
    expect(controller.state.rows.map((r) => r.exchange.id).sort()).toEqual(['dt-first', 'wr-22']);
  });
});
