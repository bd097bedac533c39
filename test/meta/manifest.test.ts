import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FIREFOX_FEATURE_MINIMUMS, firefoxManifest, GECKO_ID, GECKO_MIN_VERSION } from '../../build/manifest';

const manifest = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../manifest.json'), 'utf8'));

describe('manifest (least privilege)', () => {
  it('requests no host permission at install, only optional ones', () => {
    expect(manifest.host_permissions ?? []).toEqual([]);
    expect(JSON.stringify(manifest.permissions)).not.toContain('<all_urls>');
    expect(manifest.optional_host_permissions.length).toBeGreaterThan(0);
  });
  it('uses only the permissions the product needs', () => {
    expect([...manifest.permissions].sort()).toEqual(['declarativeNetRequestWithHostAccess', 'storage', 'webRequest'].sort());
  });
  it('forbids remote and inline code in extension pages', () => {
    expect(manifest.content_security_policy.extension_pages).toBe("script-src 'self'; object-src 'none'; base-uri 'none'");
  });
});

describe('the Firefox manifest derived from the Chrome one', () => {
  const ff = firefoxManifest(manifest);
  const gecko = (ff.browser_specific_settings as { gecko: Record<string, unknown> }).gecko;
  const minimum = (feature: string) => FIREFOX_FEATURE_MINIMUMS.find((f) => f.feature === feature)?.version;

  it('runs the background as an event page script, not a service worker', () => {
    expect(ff.background).toEqual({ scripts: [manifest.background.service_worker], type: 'module' });
    expect(ff.background).not.toHaveProperty('service_worker');
  });
  it('names a gecko id and declares that it collects no data', () => {
    expect(gecko.id).toBe(GECKO_ID);
    expect(gecko.data_collection_permissions).toEqual({ required: ['none'] });
  });
  it('requires the newest Firefox among the features it uses, so web-ext lint has no version warning on desktop', () => {
    expect(gecko.strict_min_version).toBe(GECKO_MIN_VERSION);
    expect(Number.parseInt(GECKO_MIN_VERSION, 10)).toBe(Math.max(...FIREFOX_FEATURE_MINIMUMS.map((f) => f.version)));
    // data_collection_permissions is honoured from Firefox 140 (MDN browser-compat-data).
    expect(Number.parseInt(GECKO_MIN_VERSION, 10)).toBeGreaterThanOrEqual(140);
  });
  it('lists a minimum version for every manifest key and permission Firefox gates by version', () => {
    if (manifest.optional_host_permissions) expect(minimum('manifest.optional_host_permissions')).toBe(128);
    if (manifest.background?.type === 'module') expect(minimum('manifest.background.type')).toBe(112);
    if (manifest.permissions.includes('declarativeNetRequestWithHostAccess')) expect(minimum('api.declarativeNetRequest.updateSessionRules')).toBe(113);
    if (manifest.permissions.includes('storage')) expect(minimum('api.storage.session')).toBe(115);
    if (manifest.devtools_page) expect(minimum('api.devtools.network.getHAR')).toBe(60);
  });
  it('drops Chrome-only keys and keeps the rest', () => {
    expect(ff.minimum_chrome_version).toBeUndefined();
    expect(ff.permissions).toEqual(manifest.permissions);
    expect(ff.optional_host_permissions).toEqual(manifest.optional_host_permissions);
    expect(ff.devtools_page).toBe(manifest.devtools_page);
    expect(ff.content_security_policy).toEqual(manifest.content_security_policy);
  });
});
