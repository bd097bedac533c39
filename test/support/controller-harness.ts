/**
 * The panel controller as the tests and the capture bench drive it, set up in one place: either over a real
 * background (its evidence store and request handler behind the in-memory message seam), or over a bare bridge whose
 * broadcasts the caller delivers. Free of Vitest, so `npm run bench` uses it too.
 */
import { PanelController, type PanelDependencies } from '../../src/panel/controller.js';
import { createRequestHandler, type BackgroundServices } from '../../src/background/request-handlers.js';
import { EvidenceStore } from '../../src/background/evidence-store.js';
import { memoryStore } from '../../src/platform/key-value-store.js';
import type { ObservedExchange } from '../../src/core/evidence/types.js';
import type { Bridge, Broadcast } from '../../src/messages.js';
import { inMemoryChannel, type RoundTrip } from '../background/in-memory-bridge.js';

/** The tab every harness panel inspects. */
export const TAB_ID = 1;

/** What main.tsx passes, as fakes: tab 1, Chromium, light theme, every permission granted, no host granted yet. */
function panelDependencies(bridge: Bridge, deps: Partial<PanelDependencies>): PanelDependencies {
  return {
    tabId: TAB_ID,
    bridge,
    browser: 'chromium',
    theme: 'light',
    requestPermission: async () => true,
    grantedOrigins: async () => [],
    copyText: () => undefined,
    download: () => undefined,
    ...deps,
  };
}

export interface BackgroundHarnessOptions {
  /** Evidence the background holds for the tab before the panel opens. */
  stored?: ObservedExchange[];
  services?: Partial<BackgroundServices>;
  deps?: Partial<PanelDependencies>;
  /** How messages cross the seam: 'json' as runtime messaging does (the default), or a structured clone. */
  roundTrip?: RoundTrip;
  /** Call controller.start() before returning (the default); false to observe the panel before it has the evidence. */
  start?: boolean;
}

/**
 * The real controller over a real background in memory. The background's defaults: probes answered 200 with no CORS
 * headers, policy fetches refused, every host covered, re-probes without delay. The panel remembers policies in the
 * same session store, re-tests without waiting, and is started unless `start: false`.
 */
export async function controllerOverBackground(options: BackgroundHarnessOptions = {}) {
  // No test of the controller reads the channel's broadcast log; not keeping it keeps the bench's memory flat.
  const channel = inMemoryChannel(options.roundTrip, false);
  const session = memoryStore();
  const evidence = new EvidenceStore(session);
  if (options.stored) await evidence.add(TAB_ID, options.stored);
  const handler = createRequestHandler({
    evidence,
    session,
    broadcast: (message) => channel.port.broadcast(message),
    probeTransport: async () => ({ status: 200, headers: {}, body: '' }),
    fetchPolicy: async (location) => ({ kind: 'error', bucket: location.bucket, message: 'not in this test' }),
    hostCovers: async () => true,
    refreshCapture: async () => [],
    probeOptions: { delayMs: 0 },
    ...options.services,
  });
  channel.port.serve(handler);
  const controller = new PanelController(panelDependencies(channel.bridge, { sleep: async () => undefined, memory: session, ...options.deps }));
  if (options.start !== false) await controller.start();
  return { controller, channel, session, evidence, handler };
}

/**
 * The controller over a bridge with an empty store and no credentials, started; `changed` delivers an
 * evidence/changed broadcast for the tab as the background would, synchronously.
 */
export async function controllerWithBroadcasts(deps: Partial<PanelDependencies> = {}) {
  let deliver: (message: Broadcast) => void = () => undefined;
  const bridge: Bridge = {
    async send(request) {
      if (request.type === 'evidence/get') return { exchanges: [], preserveLog: false } as never;
      return { hasCredentials: false } as never;
    },
    listen(onBroadcast) {
      deliver = onBroadcast;
      return () => undefined;
    },
  };
  const controller = new PanelController(panelDependencies(bridge, deps));
  await controller.start();
  const changed = (exchanges: ObservedExchange[], cleared = false) => deliver({ type: 'evidence/changed', tabId: TAB_ID, exchanges, cleared });
  return { controller, changed };
}

/** Resolves once the controller has applied every captured request it received (`state.processing` back to 0). */
export function caughtUp(controller: PanelController): Promise<void> {
  return new Promise((resolve) => {
    if (!controller.state.processing) return resolve();
    const stop = controller.subscribe((state) => {
      if (state.processing) return;
      stop();
      resolve();
    });
  });
}
