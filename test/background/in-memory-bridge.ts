/**
 * The message seam in memory (React DevTools' `{listen, send}` bridge): requests go straight to the background's
 * handler, with the same JSON round trip runtime messaging does, and broadcasts reach every listener.
 */
import type { BackgroundPort, BackgroundRequest, Bridge, Broadcast } from '../../src/messages.js';

/** 'json': what runtime messaging does to a message; 'structured-clone': what storage and postMessage do. */
export type RoundTrip = 'json' | 'structured-clone';

/** `record`: keep every broadcast in `broadcasts` (a long run that never reads them passes false). */
export function inMemoryChannel(copy: RoundTrip = 'json', record = true): { bridge: Bridge; port: BackgroundPort; broadcasts: Broadcast[] } {
  let handler: ((request: BackgroundRequest) => Promise<unknown>) | null = null;
  const listeners = new Set<(message: Broadcast) => void>();
  const broadcasts: Broadcast[] = [];
  const roundTrip = <T>(value: T): T => (value === undefined ? value : copy === 'json' ? JSON.parse(JSON.stringify(value)) : structuredClone(value));
  return {
    broadcasts,
    bridge: {
      async send(request) {
        if (!handler) throw new Error('no reply: the background is not running');
        return roundTrip(await handler(roundTrip(request) as BackgroundRequest)) as never;
      },
      listen(onBroadcast) {
        listeners.add(onBroadcast);
        return () => listeners.delete(onBroadcast);
      },
    },
    port: {
      serve(serveHandler) {
        handler = serveHandler;
        return () => {
          handler = null;
        };
      },
      broadcast(message) {
        if (record) broadcasts.push(message);
        for (const listener of listeners) listener(roundTrip(message));
      },
    },
  };
}
