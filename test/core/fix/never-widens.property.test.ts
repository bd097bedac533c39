/**
 * Property (issue 10 item 2): for generated configurations — wildcard read rules beside specific rules, near-miss
 * origins, wildcard headers — and requests they refuse, the proposed fix
 *   - lets the request through both models (browser and S3),
 *   - newly allows nothing beyond the request's own origin, method(s) and headers, unless the fix says why
 *     (a corrected near-miss rule; a combination of what the origin could already do),
 *   - adds no write method to a rule serving other origins through a wildcard, and
 *   - introduces no `*` into AllowedOrigins or AllowedHeaders.
 * The delta is checked by brute force here, with the S3 rule matcher's pattern functions applied rule by rule —
 * not with the proposer's own delta (src/core/fix/access-delta.ts asks the full S3 model) — and the proposer's
 * reported delta must contain every new combination found for the page origin.
 */
import fc from 'fast-check';
import { configLetsRequestPass, proposeFix } from '../../../src/core/fix/index.js';
import { parseS3Url } from '../../../src/core/endpoint/index.js';
import type { PageRequest } from '../../../src/core/fetch/index.js';
import type { CorsConfiguration, CorsRule } from '../../../src/core/policy/index.js';
import { matchHeader, matchOrigin } from '../../../src/core/s3/index.js';

const APP = 'https://app.example.com';
const OBJECT = 'https://photos.s3.us-east-1.amazonaws.com/a.jpg';
const PART = 'https://photos.s3.us-east-1.amazonaws.com/big.bin?partNumber=2&uploadId=abc';
const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'] as const;
const WRITES = new Set(['PUT', 'POST', 'DELETE']);

const ORIGIN_POOL = [
  APP,
  'http://app.example.com',
  'https://app.example.com/',
  'http://app.example.com/',
  'app.example.com',
  'https://www.app.example.com',
  'https://app.example.com:8443',
  'https://app.example.com:443',
  'https://APP.example.com',
  'https://*.example.com',
  '*.app.example.com',
  'https://staging.example.com',
  'https://other.example.org',
  'https://*.other.org',
  'http://localhost:3000',
  'http://127.0.0.1:3000',
  '*',
];
const HEADER_POOL = ['content-type', 'x-amz-meta-owner', 'x-amz-*', 'authorization', 'x-custom', '*'];
const REQUEST_ORIGINS = [APP, 'https://staging.example.com', 'http://localhost:3000', 'https://www.app.example.com'];
const REQUEST_HEADERS: Record<string, string> = {
  'content-type': 'application/json',
  'x-amz-meta-owner': 'ann',
  'x-custom': '1',
  authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/s3/aws4_request',
};

const subset = <T>(pool: readonly T[], min = 0, max = 3) => fc.uniqueArray(fc.constantFrom(...pool), { minLength: min, maxLength: max });

const ruleArb: fc.Arbitrary<CorsRule> = fc.record({
  allowedOrigins: subset(ORIGIN_POOL, 1, 2),
  allowedMethods: subset(METHODS, 1, 3),
  allowedHeaders: subset(HEADER_POOL, 0, 2),
  exposeHeaders: subset(['ETag', 'x-amz-request-id'], 0, 1),
});

const wildcardReadRule: fc.Arbitrary<CorsRule> = fc.record({
  allowedOrigins: fc.constant(['*']),
  allowedMethods: fc.constantFrom(['GET'], ['GET', 'HEAD']),
  allowedHeaders: fc.constantFrom([], ['content-type'], ['*']),
  exposeHeaders: fc.constant([]),
});

const configArb: fc.Arbitrary<CorsConfiguration> = fc
  .tuple(fc.option(wildcardReadRule, { nil: undefined }), fc.array(ruleArb, { minLength: 1, maxLength: 3 }), fc.boolean())
  .map(([wildcard, rules, wildcardLast]) => ({ rules: wildcard ? (wildcardLast ? [...rules, wildcard] : [wildcard, ...rules]) : rules }));

const requestArb: fc.Arbitrary<{ page: PageRequest; mustRead: string[] }> = fc
  .record({
    origin: fc.constantFrom(...REQUEST_ORIGINS),
    method: fc.constantFrom(...METHODS),
    headers: subset(Object.keys(REQUEST_HEADERS), 0, 2),
    part: fc.boolean(),
    credentials: fc.constantFrom('same-origin', 'include'),
  })
  .map(({ origin, method, headers, part, credentials }) => {
    const page: PageRequest = {
      origin,
      method,
      url: part && method === 'PUT' ? PART : OBJECT,
      headers: Object.fromEntries(headers.map((h) => [h, REQUEST_HEADERS[h]!])),
      mode: 'cors',
      credentials: credentials as PageRequest['credentials'],
    };
    return { page, mustRead: part && method === 'PUT' ? ['ETag'] : [] };
  });

// The oracle: S3's rule matching (S8–S14) applied rule by rule — a preflight passes when one rule matches the
// origin, lists the method and covers every requested header.
function oracleAllows(config: CorsConfiguration, origin: string, method: string, header: string | null): boolean {
  return config.rules.some(
    (rule) =>
      rule.allowedOrigins.some((p) => matchOrigin(p, origin)) &&
      rule.allowedMethods.includes(method) &&
      (header === null || rule.allowedHeaders.some((p) => matchHeader(p, header))),
  );
}

/** Probe origins: every literal, a sample of every wildcard (its `*` as `zz9`), and one unrelated site. */
function oracleOrigins(page: PageRequest, configs: CorsConfiguration[]): string[] {
  const out = new Set([page.origin, 'https://unrelated.example.net']);
  for (const c of configs) for (const r of c.rules) for (const p of r.allowedOrigins) out.add(p.includes('*') ? p.replaceAll('*', 'zz9') : p);
  return [...out];
}

function oracleHeaders(page: PageRequest, configs: CorsConfiguration[]): Array<string | null> {
  const out = new Set<string>(['x-unrelated', ...Object.keys(page.headers).map((h) => h.toLowerCase())]);
  for (const c of configs) for (const r of c.rules) for (const p of r.allowedHeaders) out.add(p.toLowerCase().replaceAll('*', 'zz9'));
  return [null, ...out];
}

/** Header names the browser lists in Access-Control-Request-Headers for this request (all non-safelisted ones here). */
function requested(page: PageRequest): string[] {
  return Object.keys(page.headers)
    .map((h) => h.toLowerCase())
    .filter((h) => h !== 'content-type' || !/^(text\/plain|multipart\/form-data|application\/x-www-form-urlencoded)/.test(page.headers[h]!));
}

function wildcardOrigins(rule: CorsRule, origin: string): boolean {
  return rule.allowedOrigins.some((p) => p.includes('*') && p !== origin);
}

describe('a proposed fix never widens access beyond the failing request (property)', () => {
  it('passes both models, grants only the request (or says why), adds no write method to a wildcard rule, introduces no `*`', () => {
    let checked = 0;
    fc.assert(
      fc.property(configArb, requestArb, (before, { page, mustRead }) => {
        fc.pre(!configLetsRequestPass(before, page, mustRead));
        const fix = proposeFix(page, { kind: 'cors', config: before }, { mustRead, url: parseS3Url(page.url, page.method) });
        fc.pre(fix.config !== null);
        checked++;
        const after: CorsConfiguration = { rules: fix.config! };

        // 1. The request passes both models with the fix.
        expect(fix.verified).toBe(true);
        expect(configLetsRequestPass(after, page, mustRead)).toBe(true);

        // 2. Brute force: every newly allowed combination is the page origin's, with a method and header the request
        //    uses or the origin could already use — or the fix corrected a near-miss rule for this origin and says so.
        const multipart = page.url === PART ? ['POST'] : [];
        const methods = new Set([page.method, ...multipart]);
        const headers = new Set(requested(page));
        const ownMethods = new Set(METHODS.filter((m) => oracleAllows(before, page.origin, m, null)));
        const probeHeaders = oracleHeaders(page, [before, after]);
        const ownHeaders = new Set(probeHeaders.filter((h): h is string => h !== null && METHODS.some((m) => oracleAllows(before, page.origin, m, h))));
        const corrected = fix.changes.some((c) => c.kind === 'replace-origin' || (c.kind === 'add-origin' && /beside/.test(c.description)));
        const reported = new Set(fix.accessDelta!.allows.map((g) => `${g.origin} ${g.method} ${g.header}`));
        for (const origin of oracleOrigins(page, [before, after])) {
          for (const method of METHODS) {
            for (const header of probeHeaders) {
              if (!oracleAllows(after, origin, method, header) || oracleAllows(before, origin, method, header)) continue;
              const what = `${origin} ${method} ${header}`;
              expect(origin, `new grant for another origin: ${what}`).toBe(page.origin);
              if (header === null || headers.has(header)) expect(reported.has(what), `delta omits ${what}: ${fix.accessDelta!.text}`).toBe(true);
              const known = (methods.has(method) || ownMethods.has(method)) && (header === null || headers.has(header) || ownHeaders.has(header));
              if (!known) {
                expect(corrected, `grant beyond the request without a corrected rule: ${what}`).toBe(true);
                expect(fix.accessDelta!.text).toContain('corrected rule');
              }
            }
          }
        }
        expect(fix.accessDelta!.withinRequest).toBe(true);

        // 3. No write method added to a rule that serves other origins through a wildcard.
        for (const rule of after.rules) {
          if (!wildcardOrigins(rule, page.origin)) continue;
          // The same rule before: one that listed every wildcard origin of this one (an origin may have been added).
          const wildcards = rule.allowedOrigins.filter((p) => p.includes('*'));
          const had = new Set(before.rules.filter((r) => wildcards.every((p) => r.allowedOrigins.includes(p))).flatMap((r) => r.allowedMethods));
          for (const method of rule.allowedMethods)
            if (WRITES.has(method)) expect(had.has(method), `${method} added to [${rule.allowedOrigins.join(', ')}]`).toBe(true);
        }

        // 4. No wildcard introduced into AllowedOrigins or AllowedHeaders.
        const wild = (c: CorsConfiguration, key: 'allowedOrigins' | 'allowedHeaders') => new Set(c.rules.flatMap((r) => r[key].filter((v) => v.includes('*'))));
        for (const key of ['allowedOrigins', 'allowedHeaders'] as const) {
          const had = wild(before, key);
          for (const value of wild(after, key)) expect(had.has(value), `${key} gained ${value}`).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
    // The generator must actually produce failing requests with fixes, not only skipped cases.
    expect(checked).toBeGreaterThan(100);
  }, 120_000);
});
