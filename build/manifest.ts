/**
 * The one source manifest is Chrome MV3 (`manifest.json`). Firefox's is derived from it here, at build time:
 * Firefox MV3 has no background service worker (it runs `background.scripts` as an event page), needs a gecko id,
 * and since 2025 asks add-ons to declare `data_collection_permissions`.
 */
export type Manifest = Record<string, unknown> & { background?: { service_worker?: string; scripts?: string[]; type?: string } };

export const GECKO_ID = 's3-cors-doctor@s3-cors-doctor.dev';
/** declarativeNetRequest header rewriting and `storage.session` are in Firefox since 128 (the current ESR line). */
export const GECKO_MIN_VERSION = '128.0';

export function firefoxManifest(chrome: Manifest): Manifest {
  const { minimum_chrome_version: _chromeOnly, ...rest } = chrome as Manifest & { minimum_chrome_version?: string };
  const background = chrome.background ?? {};
  const out: Manifest = {
    ...rest,
    background: { scripts: [background.service_worker ?? background.scripts?.[0] ?? 'src/background/index.ts'], type: 'module' },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: GECKO_MIN_VERSION,
        // The add-on sends nothing anywhere: all analysis is local.
        data_collection_permissions: { required: ['none'] },
      },
    },
  };
  return out;
}
