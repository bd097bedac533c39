/** The headers that prove the diagnosis: preflight and actual exchange side by side, request above response. */
import type { ObservedExchange } from '../../core/evidence/types.js';
import { HeadersTable } from './common.js';

function responseCaption(label: string, response: { status: number } | undefined, error?: string): string {
  if (!response) return `${label} response — not captured${error ? ` (${error})` : ''}`;
  return `${label} response — ${response.status === 0 ? 'no response (blocked)' : `HTTP ${response.status}`}`;
}

export function HeadersView({ exchange }: { exchange: ObservedExchange }) {
  const { preflight } = exchange;
  return (
    <div class="headers-view">
      <div class="headers-column">
        <h3>Preflight (OPTIONS)</h3>
        {preflight ? (
          <>
            <HeadersTable caption="Preflight request" headers={preflight.request.headers} />
            <HeadersTable caption={responseCaption('Preflight', preflight.response, preflight.error)} headers={preflight.response?.headers} />
          </>
        ) : (
          <p class="muted">No preflight was captured: either the request needed none, or this source cannot see it.</p>
        )}
      </div>
      <div class="headers-column">
        <h3>
          Actual request ({exchange.request.method})
          {exchange.fromCache ? <span class="badge badge-info">from {exchange.fromCache === true ? 'cache' : `${exchange.fromCache} cache`}</span> : null}
        </h3>
        <HeadersTable caption="Request" headers={exchange.request.headers} />
        <HeadersTable caption={responseCaption('Actual', exchange.response, exchange.error)} headers={exchange.response?.headers} />
      </div>
    </div>
  );
}
