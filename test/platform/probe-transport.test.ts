vi.mock('webextension-polyfill', async () => ({ default: (await import('./fake-browser.js')).fakeBrowser }));

import { declarativeNetRequestTransport, probeRule } from '../../src/platform/probe-transport.js';
import { fakeBrowser } from './fake-browser.js';

const preflight = {
  url: 'http://127.0.0.1:4568/demo-uploads/k.json',
  origin: 'http://127.0.0.1:8000',
  method: 'PUT',
  headers: ['content-type', 'x-amz-meta-uploader'],
};

describe('the declarativeNetRequest probe transport', () => {
  beforeEach(() => {
    fakeBrowser.declarativeNetRequest.sessionRules = [];
    fakeBrowser.declarativeNetRequest.updates = [];
  });
  afterEach(() => vi.unstubAllGlobals());

  it('scopes the rule to the exact URL, OPTIONS, and requests of no tab (the extension itself)', () => {
    expect(probeRule(preflight)).toEqual({
      id: expect.any(Number),
      priority: 1,
      action: {
        type: 'modifyHeaders',
        requestHeaders: [
          { header: 'origin', operation: 'set', value: 'http://127.0.0.1:8000' },
          { header: 'access-control-request-method', operation: 'set', value: 'PUT' },
          { header: 'access-control-request-headers', operation: 'set', value: 'content-type,x-amz-meta-uploader' },
        ],
      },
      condition: { urlFilter: '|http://127.0.0.1:4568/demo-uploads/k.json|', requestMethods: ['options'], tabIds: [-1] },
    });
  });

  it('removes Access-Control-Request-Headers instead of sending it empty', () => {
    expect(probeRule({ ...preflight, headers: [] }).action.requestHeaders[2]).toEqual({ header: 'access-control-request-headers', operation: 'remove' });
  });

  it('refuses URLs with characters urlFilter reserves rather than matching too much', () => {
    expect(() => probeRule({ ...preflight, url: 'https://b.s3.amazonaws.com/a*b' })).toThrow(/reserves/);
  });

  it("sends an uncached OPTIONS and returns S3's status, headers and XML body", async () => {
    const fetchMock = vi.fn(async () => new Response('<Error><Code>AccessForbidden</Code></Error>', { status: 403, headers: { 'x-amz-request-id': 'R1' } }));
    vi.stubGlobal('fetch', fetchMock);
    const answer = await declarativeNetRequestTransport(preflight);
    expect(answer).toEqual({
      status: 403,
      headers: expect.objectContaining({ 'x-amz-request-id': 'R1' }),
      body: '<Error><Code>AccessForbidden</Code></Error>',
    });
    expect(fetchMock).toHaveBeenCalledWith(preflight.url, expect.objectContaining({ method: 'OPTIONS', cache: 'no-store', credentials: 'omit' }));
    expect(fakeBrowser.declarativeNetRequest.sessionRules).toEqual([]);
  });

  it('removes the rule even when the fetch fails', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    await expect(declarativeNetRequestTransport(preflight)).rejects.toThrow('Failed to fetch');
    expect(fakeBrowser.declarativeNetRequest.sessionRules).toEqual([]);
    expect(fakeBrowser.declarativeNetRequest.updates.at(-1)).toEqual({ removeRuleIds: [expect.any(Number)] });
  });

  it('runs probes one at a time, so two never share the rule slot', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return new Response('', { status: 200 });
      }),
    );
    await Promise.all([declarativeNetRequestTransport(preflight), declarativeNetRequestTransport(preflight), declarativeNetRequestTransport(preflight)]);
    expect(maxInFlight).toBe(1);
  });
});
