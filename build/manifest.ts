/**
 * The one source manifest is Chrome MV3 (`manifest.json`). Firefox's is derived from it here, at build time:
 * Firefox MV3 has no background service worker (it runs `background.scripts` as an event page), needs a gecko id,
 * and since 2025 asks add-ons to declare `data_collection_permissions`.
 */
import type { ManifestV3Export } from '@crxjs/vite-plugin';

/** A manifest as @crxjs/vite-plugin types it (its `ManifestV3`, which the package does not export by name). */
export type Manifest = Exclude<ManifestV3Export, PromiseLike<unknown> | ((...args: never) => unknown)>;

export const GECKO_ID = 's3-cors-doctor@s3-cors-doctor.dev';

/**
 * The first desktop Firefox version of each feature the add-on relies on (MDN browser-compat-data, the table
 * addons-linter checks against). The add-on's `strict_min_version` is the newest of them.
 */
export const FIREFOX_FEATURE_MINIMUMS: ReadonlyArray<{ feature: string; version: number; why: string }> = [
  { feature: 'manifest.devtools_page', version: 54, why: 'the panel and devtools.network capture' },
  { feature: 'api.devtools.network.getHAR', version: 60, why: 'blocked non-simple requests appear only in getHAR()' },
  { feature: 'api.devtools.network.onRequestFinished', version: 61, why: 'passive capture' },
  { feature: 'manifest.background.type', version: 112, why: 'the background script is an ES module' },
  { feature: 'api.declarativeNetRequest.updateSessionRules', version: 113, why: 'the probe rewrites its preflight headers' },
  { feature: 'api.storage.session', version: 115, why: 'per-tab evidence and pasted credentials stay in memory' },
  { feature: 'manifest.optional_host_permissions', version: 128, why: 'host access is granted at run time, never at install' },
  {
    feature: 'manifest.browser_specific_settings.gecko.data_collection_permissions',
    version: 140,
    why: 'AMO requires the declaration from new add-ons; older versions ignore the key, but 140 (an ESR) is the first to honour it',
  },
];

export const GECKO_MIN_VERSION = `${Math.max(...FIREFOX_FEATURE_MINIMUMS.map((f) => f.version))}.0`;

export function firefoxManifest(chrome: Manifest): Manifest {
  const { minimum_chrome_version: _chromeOnly, ...rest } = chrome;
  const background = chrome.background;
  const script = !background ? undefined : 'service_worker' in background ? background.service_worker : background.scripts[0];
  const out: Manifest = {
    ...rest,
    background: { scripts: [script ?? 'src/background/index.ts'], type: 'module' },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: GECKO_MIN_VERSION,
        // Nothing is sent to the developer or any third party: analysis is local, and the only requests the
        // add-on makes itself (probe, GetBucketCors) go to the user's own bucket at the user's click.
        data_collection_permissions: { required: ['none'] },
      },
    },
  };
  return out;
}
