/**
 * The devtools page: registers the panel and captures the inspected tab through devtools.network for as long as
 * DevTools is open, so requests made before the panel is first shown are not lost (getHAR() on open).
 */
import { createPanel, detectBrowser, devtoolsNetwork, inspectedPageUrl } from '../platform/index.js';
import { runtimeBridge } from '../platform/messaging.js';
import { HarCapture, harReadDelayMs, wantsResponseBody, withResponseBody } from './har-capture.js';

/** Batch bursts of requests into one message. */
const FLUSH_DELAY_MS = 200;

// Root-relative paths: Firefox resolves these against the devtools page (src/devtools/), Chrome against the
// extension root; a leading slash means the same file in both (https://github.com/w3c/webextensions/issues/270).
void createPanel('S3 CORS', '/icons/icon-16.png', '/src/panel/panel.html');

const browserFamily = detectBrowser();
const network = devtoolsNetwork();
const bridge = runtimeBridge();
const capture = new HarCapture(network.tabId, bridge, { browser: browserFamily });

let flushTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleFlush(delay = FLUSH_DELAY_MS): void {
  if (flushTimer !== undefined) return;
  flushTimer = setTimeout(() => {
    flushTimer = undefined;
    capture.flush().then(
      (waiting) => {
        if (waiting) scheduleFlush(500);
      },
      (error: unknown) => {
        console.warn('S3 CORS Doctor: reporting captured requests failed', String(error));
        scheduleFlush(1_000);
      },
    );
  }, delay);
}

async function readHar(): Promise<void> {
  if (capture.addEntries(await network.getHar())) scheduleFlush();
}

/**
 * Firefox: getHAR() again while a finished preflight's request is missing (a blocked one never fires
 * onRequestFinished), backing off; not on a timer, since each read loses what DevTools records meanwhile
 * (HAR_READ_DELAYS_MS). Not at all for URLs on hosts the user granted: the background's webRequest capture reports
 * those blocked requests (with Firefox's NS_ERROR_DOM_BAD_URI and their Origin), so a read would only risk losing a
 * request DevTools records while it runs.
 */
async function readHarForMissingRequests(): Promise<void> {
  const urls = capture.awaitingUrls();
  if (urls.length === 0) return;
  const { covered } = await bridge.send({ type: 'capture/covers', urls });
  if (covered) capture.stopAwaiting(urls);
  else await readHar();
}

let harReadTimer: ReturnType<typeof setTimeout> | undefined;
let harReads = 0;
function scheduleHarRead(): void {
  if (!network.needsHarPolling || harReadTimer !== undefined) return;
  if (!capture.awaitingActualRequest()) {
    harReads = 0;
    return;
  }
  harReadTimer = setTimeout(() => {
    harReadTimer = undefined;
    readHarForMissingRequests()
      .catch((error: unknown) => console.warn('S3 CORS Doctor: reading the HAR failed', String(error)))
      .finally(scheduleHarRead);
  }, harReadDelayMs(harReads++));
}

network.onRequestFinished((entry) => {
  if (capture.addEntries([entry])) scheduleFlush();
  scheduleHarRead();
  // Firefox's onRequestFinished entries carry no body (getHAR()'s do, but it is not polled): ask for S3's error.
  if (network.needsHarPolling && wantsResponseBody(entry)) {
    void network.responseBody(entry).then((text) => {
      if (text && capture.addEntries([withResponseBody(entry, text)])) scheduleFlush();
    });
  }
});
network.onNavigated((url) => {
  capture.navigated(url);
  void bridge.send({ type: 'tab/navigated', tabId: network.tabId, url });
});

async function start(): Promise<void> {
  const pageUrl = await inspectedPageUrl();
  if (pageUrl) capture.setPageUrl(pageUrl);
  await readHar();
  scheduleHarRead();
  await bridge.send({ type: 'devtools/ready', tabId: network.tabId, browser: browserFamily });
}

start().catch((error: unknown) => console.warn('S3 CORS Doctor: devtools capture failed to start', String(error)));
