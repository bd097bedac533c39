/**
 * The background (Chromium: MV3 service worker; Firefox: event page). Thin: wires the platform adapters to the
 * evidence store, the webRequest capture and the request handlers. Every listener is registered synchronously at
 * the top level, so events that wake a stopped service worker are delivered.
 */
import { browser, detectBrowser } from '../platform/browser.js';
import { runtimeBackgroundPort } from '../platform/messaging.js';
import { sessionStore } from '../platform/session-store.js';
import { hostPermissions } from '../platform/permissions.js';
import { listenToWebRequests } from '../platform/web-request.js';
import { declarativeNetRequestTransport } from '../platform/probe-transport.js';
import { fetchBucketCors } from '../platform/policy-fetch.js';
import { EvidenceStore } from './evidence-store.js';
import { EvidenceBatcher } from './evidence-batcher.js';
import { WebRequestCapture } from './web-request-capture.js';
import { createRequestHandler } from './request-handlers.js';

const session = sessionStore();
const evidence = new EvidenceStore(session);
const port = runtimeBackgroundPort();
const permissions = hostPermissions();

const batcher = new EvidenceBatcher(async (tabId, exchanges) => {
  try {
    const changed = await evidence.add(tabId, exchanges);
    if (changed.length > 0) port.broadcast({ type: 'evidence/changed', tabId, exchanges: changed, cleared: false });
  } catch (error) {
    console.warn('S3 CORS Doctor: storing webRequest evidence failed', String(error));
  }
});

const capture = new WebRequestCapture((tabId, exchange) => batcher.add(tabId, exchange), {
  browser: detectBrowser(),
  // A timer only while a preflight waits for its request: an idle worker keeps none.
  scheduleOrphanFlush: (delayMs) => setTimeout(() => capture.flushOrphans(Date.now()), delayMs + 50),
});

/** webRequest events that reached the capture since the worker started (see s3CorsDoctorBackground below). */
let webRequestEvents = 0;
const onWebRequest: Parameters<typeof listenToWebRequests>[0] = (event) => {
  webRequestEvents += 1;
  capture.handle(event);
};

let stopListening = listenToWebRequests(onWebRequest);

/**
 * Re-register after a grant or a revocation (issue 4: `permissions.onAdded` re-registers), so the listeners are
 * registered under the current grants whichever way a browser applies new host permissions to existing listeners.
 */
async function refreshCapture(): Promise<string[]> {
  stopListening();
  stopListening = listenToWebRequests(onWebRequest);
  return permissions.granted();
}

permissions.onChange(() => void refreshCapture());

browser.tabs.onRemoved.addListener((tabId) => {
  void evidence.forgetTab(tabId);
});

port.serve(
  createRequestHandler({
    evidence,
    session,
    broadcast: (message) => port.broadcast(message),
    probeTransport: declarativeNetRequestTransport,
    fetchPolicy: (location, credentials, options) => fetchBucketCors(location, credentials, fetch, options),
    hostCovers: (url) => permissions.covers(url),
    refreshCapture,
  }),
);

/**
 * A quiescence signal for the end-to-end tests' negative checks ("nothing was captured"), read through the worker's
 * DevTools target: every pending evidence write done, then how many webRequest events the capture has handled. A
 * count only — no evidence, no URLs.
 */
(globalThis as { s3CorsDoctorBackground?: { settle(): Promise<{ webRequestEvents: number }> } }).s3CorsDoctorBackground = {
  async settle() {
    await batcher.flush();
    return { webRequestEvents };
  },
};
