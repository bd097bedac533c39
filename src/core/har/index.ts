/**
 * HAR: turn HAR 1.2 entries (Chrome and Firefox, with their `_error`, `_fromCache`, `_resourceType`, `_initiator`)
 * into evidence, pairing preflights with their actual requests. Used by HAR import and by the live DevTools capture.
 * Large files go through the streaming scanner (`HarJsonScanner`) and `HarCollector`, which keep only what the
 * diagnosis reads.
 */
import type { ObservedExchange } from '../evidence/types.js';
import { harEntriesToExchanges as convertEntries, type HarToExchangesOptions } from './exchanges.js';
import type { HarEntry } from './types.js';

export * from './types.js';
export { isPreflightEntry, HarExchangeStream, type HarBrowser, type HarToExchangesOptions, type HarExchangeStreamOptions } from './exchanges.js';
export { normalizeHarEntry, normalizeHarPages, browserFromCreator, MAX_KEPT_BODY_LENGTH } from './normalize.js';
export { HarJsonScanner, HarScanError, TRIAGE_SCAN_LIMITS, FULL_SCAN_LIMITS, type HarScanEvent, type HarScanLimits, type HarScanSummary } from './scanner.js';
export { isS3Exchange, selectS3Exchanges, serverOf, hasS3ResponseHeaders, hasS3QuerySignature, hasS3RequestSignals } from './s3-fingerprint.js';
export { HarCollector, STREAM_PAIRING_WINDOW, readHarText, readHarBytes, lineAndColumn, type HarReadResult, type HarCollectorOptions } from './collect.js';

export function harEntriesToExchanges(
  entries: HarEntry[],
  options: { browser?: 'chromium' | 'firefox' | 'unknown' } & HarToExchangesOptions = {},
): ObservedExchange[] {
  return convertEntries(entries, options);
}
