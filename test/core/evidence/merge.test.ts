import { isSameRequest, mergeEvidence } from '../../../src/core/evidence/merge.js';
import type { ObservedExchange } from '../../../src/core/evidence/types.js';

const devtools: ObservedExchange = {
  id: 'dt-1',
  source: 'devtools',
  startedAt: '2026-01-01T00:00:00.000Z',
  request: { method: 'PUT', url: 'https://b.s3.amazonaws.com/k', headers: { 'content-type': 'application/json' } },
  response: { status: 0, headers: {} },
  preflight: {
    request: { method: 'OPTIONS', url: 'https://b.s3.amazonaws.com/k', headers: { origin: 'https://app.example' } },
    response: { status: 403, headers: {}, body: '<Error/>' },
  },
  gaps: ['Chrome recorded only provisional request headers'],
};
const webRequest: ObservedExchange = {
  id: 'wr-9',
  source: 'webrequest',
  startedAt: '2026-01-01T00:00:00.300Z',
  request: { method: 'put', url: 'https://b.s3.amazonaws.com/k', headers: { origin: 'https://app.example', 'content-type': 'text/plain' } },
  response: { status: 403, headers: { 'x-amz-request-id': 'R' } },
  preflight: {
    request: { method: 'OPTIONS', url: 'https://b.s3.amazonaws.com/k', headers: { origin: 'https://app.example', 'access-control-request-method': 'PUT' } },
    response: { status: 403, headers: { 'x-amz-request-id': 'R' } },
  },
  error: 'net::ERR_FAILED',
  fromCache: false,
};

describe('merging the DevTools and webRequest views of one request', () => {
  it('matches the same method and URL from the two sources within two seconds', () => {
    expect(isSameRequest(devtools, webRequest)).toBe(true);
    expect(isSameRequest(devtools, { ...webRequest, source: 'devtools' })).toBe(false);
    expect(isSameRequest(devtools, { ...webRequest, startedAt: '2026-01-01T00:00:03.000Z' })).toBe(false);
    expect(isSameRequest(devtools, { ...webRequest, request: { ...webRequest.request, url: 'https://b.s3.amazonaws.com/other' } })).toBe(false);
  });

  it('keeps the base id and values, and fills in what only the other side saw', () => {
    const merged = mergeEvidence(devtools, webRequest);
    expect(merged.id).toBe('dt-1');
    expect(merged.source).toBe('devtools');
    // Base header values win; missing ones come from the other side.
    expect(merged.request.headers).toEqual({ 'content-type': 'application/json', origin: 'https://app.example' });
    // A status 0 means "not seen": the other side's real status replaces it.
    expect(merged.response).toEqual({ status: 403, headers: { 'x-amz-request-id': 'R' }, body: undefined });
    expect(merged.preflight?.request.headers).toEqual({ origin: 'https://app.example', 'access-control-request-method': 'PUT' });
    expect(merged.preflight?.response?.body).toBe('<Error/>');
    expect(merged.error).toBe('net::ERR_FAILED');
    expect(merged.fromCache).toBe(false);
    expect(merged.gaps).toEqual(devtools.gaps);
  });
});
