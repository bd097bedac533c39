import { probeTargetFor } from '../../src/background/probe-target.js';
import type { ObservedExchange } from '../../src/core/evidence/types.js';

const base: ObservedExchange = {
  id: 'x',
  source: 'devtools',
  pageOrigin: 'https://app.example',
  request: { method: 'PUT', url: 'https://b.s3.amazonaws.com/k', headers: {} },
};

describe('the preflight a probe replays', () => {
  it("is the captured preflight's own origin, method and requested headers", () => {
    const exchange: ObservedExchange = {
      ...base,
      preflight: {
        request: {
          method: 'OPTIONS',
          url: 'https://b.s3.amazonaws.com/k',
          headers: { origin: 'https://other.example', 'access-control-request-method': 'post', 'access-control-request-headers': 'Content-Type, X-Amz-Meta-A' },
        },
      },
    };
    expect(probeTargetFor(exchange)).toEqual({
      url: 'https://b.s3.amazonaws.com/k',
      origin: 'https://other.example',
      method: 'POST',
      headers: ['content-type', 'x-amz-meta-a'],
    });
  });

  it('without a captured preflight, asks for the non-safelisted headers the page set (Fetch: CORS-safelisted request headers)', () => {
    const exchange: ObservedExchange = {
      ...base,
      request: {
        ...base.request,
        headers: {
          'content-type': 'text/plain;charset=UTF-8',
          'x-amz-checksum-crc32': 'AAAA',
          accept: '*/*',
          referer: 'https://app.example/',
          'user-agent': 'UA',
          'sec-fetch-mode': 'cors',
        },
      },
    };
    expect(probeTargetFor(exchange)).toEqual({ url: base.request.url, origin: 'https://app.example', method: 'PUT', headers: ['x-amz-checksum-crc32'] });
    const json: ObservedExchange = { ...base, request: { ...base.request, headers: { 'content-type': 'application/json' } } };
    expect(probeTargetFor(json).headers).toEqual(['content-type']);
  });

  it('drops the query when it holds a character declarativeNetRequest reserves (S3 ignores it for a preflight, S30)', () => {
    const exchange: ObservedExchange = { ...base, request: { ...base.request, url: 'https://b.s3.amazonaws.com/k?x=a*b' } };
    expect(probeTargetFor(exchange).url).toBe('https://b.s3.amazonaws.com/k');
  });

  it('refuses to guess an unknown page origin', () => {
    expect(() => probeTargetFor({ ...base, pageOrigin: undefined })).toThrow('the page origin of this request is unknown');
  });
});
