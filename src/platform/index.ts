/** The platform layer: the only code that touches the extension API. */
export { browser, detectBrowser, type BrowserFamily } from './browser.js';
export { sessionStore, memoryStore, type KeyValueStore } from './session-store.js';
export { runtimeBridge, runtimeBackgroundPort } from './messaging.js';
export { hostPermissions, hostPatternFor, hostPatternsFor, patternCoversUrl, type HostPermissions } from './permissions.js';
export { listenToWebRequests, supportsExtraHeaders, type WebRequestEvent, type WebRequestPhase } from './web-request.js';
export { declarativeNetRequestTransport, probeRule, type PreflightTransport, type PreflightToSend, type PreflightAnswer } from './probe-transport.js';
export { fetchBucketCors, resolveRegion, corsUrl, type FetchLike } from './policy-fetch.js';
export {
  devtoolsNetwork,
  createPanel,
  devtoolsTheme,
  onDevtoolsThemeChanged,
  inspectedTabId,
  inspectedPageUrl,
  type DevtoolsNetwork,
} from './devtools-network.js';
