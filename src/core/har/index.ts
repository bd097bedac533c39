/**
 * HAR: turn HAR 1.2 entries (Chrome and Firefox, with their `_error`, `_fromCache`, `_resourceType`, `_initiator`)
 * into evidence, pairing preflights with their actual requests. Used by HAR import and by the live DevTools capture.
 * STUB — implemented in issue 6 (triage helper).
 */
import type { ObservedExchange } from '../evidence/types.js';

export * from './types.js';
import type { HarEntry } from './types.js';

export function harEntriesToExchanges(_entries: HarEntry[], _options: { browser?: 'chromium' | 'firefox' | 'unknown' } = {}): ObservedExchange[] {
  throw new Error('not implemented');
}
