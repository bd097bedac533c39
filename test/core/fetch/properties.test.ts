import fc from 'fast-check';
import { planPreflight, runBrowserFetch, type PageRequest } from '../../../src/core/fetch/index.js';
import type { HttpResponse } from '../../../src/core/http/index.js';

const ORIGIN = 'https://app.example.com';
const headerName = fc.constantFrom('accept', 'content-type', 'x-amz-date', 'X-Amz-Meta-A', 'authorization', 'range', 'dpr', 'cookie', 'x-custom');
const headerValue = fc.oneof(fc.constantFrom('text/plain', 'application/json', 'bytes=0-1', '2', '"q"'), fc.string({ maxLength: 140 }));
const method = fc.constantFrom('GET', 'get', 'POST', 'PUT', 'put', 'DELETE', 'patch', 'TRACE', 'OPTIONS');
const pageRequest = fc.record({
  method,
  headers: fc.dictionary(headerName, headerValue, { maxKeys: 5 }),
  credentials: fc.constantFrom('omit', 'same-origin', 'include') as fc.Arbitrary<'omit' | 'same-origin' | 'include'>,
  mode: fc.constantFrom('cors', 'no-cors', 'same-origin') as fc.Arbitrary<'cors' | 'no-cors' | 'same-origin'>,
});
const answer: fc.Arbitrary<HttpResponse> = fc.record({
  status: fc.constantFrom(200, 204, 301, 307, 403, 500),
  headers: fc.dictionary(
    fc.constantFrom(
      'access-control-allow-origin',
      'access-control-allow-methods',
      'access-control-allow-headers',
      'access-control-allow-credentials',
      'access-control-expose-headers',
      'location',
      'etag',
    ),
    fc.oneof(fc.constantFrom(ORIGIN, '*', 'null', 'PUT, GET', 'x y', 'true', '', 'https://bucket.s3.amazonaws.com/next'), fc.string({ maxLength: 30 })),
    { maxKeys: 6 },
  ),
});

describe('browser model properties (fast-check)', () => {
  it('Access-Control-Request-Headers is always lower-case, sorted, de-duplicated and space-free', () => {
    fc.assert(
      fc.property(pageRequest, (shape) => {
        const plan = planPreflight({ origin: ORIGIN, url: 'https://bucket.s3.amazonaws.com/k', ...shape });
        const names = plan.request?.headers['access-control-request-headers'];
        if (names === undefined) return;
        const list = names.split(',');
        expect(names).toBe(names.toLowerCase());
        expect(names).not.toContain(' ');
        expect([...new Set(list)].sort()).toEqual(list);
      }),
    );
  });

  it('runBrowserFetch never throws, and a blocked outcome always says why (a failure or a script error)', () => {
    fc.assert(
      fc.property(
        pageRequest,
        fc.array(answer, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('chromium', 'firefox') as fc.Arbitrary<'chromium' | 'firefox'>,
        (shape, answers, engine) => {
          let call = 0;
          const request: PageRequest = { origin: ORIGIN, url: 'https://bucket.s3.amazonaws.com/k', ...shape };
          const outcome = runBrowserFetch(request, () => answers[Math.min(call++, answers.length - 1)]!, { engine });
          if (outcome.outcome === 'blocked') expect(outcome.failure !== null || outcome.scriptError !== undefined).toBe(true);
          else expect(outcome.failure).toBeNull();
        },
      ),
    );
  });

  it('an allowed cors outcome never lets script read Set-Cookie', () => {
    fc.assert(
      fc.property(answer, (response) => {
        const withCookie = { ...response, status: 200, headers: { ...response.headers, 'set-cookie': 'a=1', location: '' } };
        const outcome = runBrowserFetch({ origin: ORIGIN, method: 'GET', url: 'https://bucket.s3.amazonaws.com/k', headers: {} }, () => withCookie);
        expect(outcome.readableHeaders).not.toContain('set-cookie');
      }),
    );
  });
});
