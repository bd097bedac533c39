import type { Bridge, BackgroundRequest } from '../../src/messages.js';
import type { ObservedExchange } from '../../src/core/evidence/types.js';

/** A background bridge that records each batch of evidence the devtools capture sends, and answers nothing else. */
export function recordingBridge() {
  const sent: ObservedExchange[][] = [];
  const bridge: Bridge = {
    async send(request) {
      const r = request as BackgroundRequest;
      if (r.type === 'evidence/add') sent.push(r.exchanges);
      return { stored: 0 } as never;
    },
    listen: () => () => undefined,
  };
  return { bridge, sent };
}
