import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { firefoxManifest, GECKO_ID } from '../../build/manifest';

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
  it('runs the background as an event page script, not a service worker', () => {
    expect(ff.background).toEqual({ scripts: [manifest.background.service_worker], type: 'module' });
  });
  it('names a gecko id, a minimum version and its data collection', () => {
    const gecko = (ff.browser_specific_settings as { gecko: Record<string, unknown> }).gecko;
    expect(gecko.id).toBe(GECKO_ID);
    expect(gecko.strict_min_version).toMatch(/^\d+\.0$/);
    expect(gecko.data_collection_permissions).toEqual({ required: ['none'] });
  });
  it('drops Chrome-only keys and keeps the rest', () => {
    expect(ff.minimum_chrome_version).toBeUndefined();
    expect(ff.permissions).toEqual(manifest.permissions);
    expect(ff.devtools_page).toBe(manifest.devtools_page);
  });
});
