vi.mock('webextension-polyfill', async () => ({ default: (await import('./fake-browser.js')).fakeBrowser }));

import { hostPatternFor, hostPatternsFor, hostPermissions, patternCoversUrl } from '../../src/platform/permissions.js';
import { fakeBrowser } from './fake-browser.js';

describe('host permission patterns', () => {
  it('never carries a port: Firefox never fires a ported pattern', () => {
    expect(hostPatternFor('http://127.0.0.1:4568/demo-uploads/k')).toBe('http://127.0.0.1/*');
    expect(hostPatternFor('https://bucket.s3.amazonaws.com:8443/')).toBe('https://bucket.s3.amazonaws.com/*');
    expect(hostPatternFor('https://*.amazonaws.com:443/*')).toBe('https://*.amazonaws.com/*');
  });

  it('rejects what is not an http(s) URL or pattern, and de-duplicates', () => {
    expect(hostPatternFor('file:///etc/passwd')).toBeNull();
    expect(hostPatternFor('not a url')).toBeNull();
    expect(hostPatternsFor(['http://a.example:1/x', 'http://a.example:2/y'])).toEqual(['http://a.example/*']);
  });

  it('a port-less grant covers every port of the host; wildcards cover subdomains only', () => {
    expect(patternCoversUrl('http://127.0.0.1/*', 'http://127.0.0.1:4568/b/k')).toBe(true);
    expect(patternCoversUrl('http://127.0.0.1/*', 'https://127.0.0.1/b/k')).toBe(false);
    expect(patternCoversUrl('https://*.amazonaws.com/*', 'https://b.s3.amazonaws.com/k')).toBe(true);
    expect(patternCoversUrl('https://*.amazonaws.com/*', 'https://evilamazonaws.com/k')).toBe(false);
    expect(patternCoversUrl('*://*/*', 'http://x.example/')).toBe(true);
  });

  it('the background checks a URL against the granted patterns, any port', async () => {
    fakeBrowser.permissions.granted = ['http://127.0.0.1/*'];
    const permissions = hostPermissions();
    expect(await permissions.covers('http://127.0.0.1:4568/demo-uploads/k')).toBe(true);
    expect(await permissions.covers('http://localhost:4568/demo-uploads/k')).toBe(false);
  });
});
