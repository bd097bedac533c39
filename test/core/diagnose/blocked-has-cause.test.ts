/**
 * Invariant (issue 10, item 3): every request whose outcome is `blocked` has at least one finding that names a cause
 * (an error or a warning, never only notes), over every HAR fixture, every evidence fixture, and generated HARs shaped as Chromium and Firefox
 * record them (statuses with and without `_error`, status-0 failures, preflights, no-cors fills of the cache).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { diagnose, type Finding } from '../../../src/core/diagnose/index.js';
import { readHarText } from '../../../src/core/har/index.js';
import { triageExchanges } from '../../../src/core/triage/index.js';
import type { BucketState } from '../../../src/core/s3/index.js';
import { loadEvidenceFixtures } from './evidence-fixtures.js';

const HAR_DIR = resolve(import.meta.dirname, '../../fixtures/har');

/** An error or a warning names a cause (a warning such as CONFIG_NOT_APPLIED says why); notes (info) do not. */
function namesACause(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error' || f.severity === 'warning');
}

const KNOWN: BucketState = {
  kind: 'cors',
  config: { rules: [{ allowedOrigins: ['https://app.example.com'], allowedMethods: ['GET', 'PUT'], allowedHeaders: ['content-type'], exposeHeaders: [] }] },
};

describe('every blocked request names a cause', () => {
  const hars = readdirSync(HAR_DIR)
    .filter((name) => name.endsWith('.har'))
    .sort();
  for (const name of hars) {
    it(`HAR fixture ${name}`, () => {
      const read = readHarText(readFileSync(join(HAR_DIR, name), 'utf8'));
      for (const bucketState of [undefined, KNOWN]) {
        const report = triageExchanges(read.exchanges, { bucketState: () => bucketState });
        for (const request of report.requests) {
          if (request.outcome !== 'blocked') continue;
          expect(
            namesACause(request.findings),
            `${name} ${request.id} ${request.method} ${request.url}: ${request.findings.map((f) => f.code).join(', ') || 'no finding'}`,
          ).toBe(true);
        }
      }
    });
  }

  it('evidence fixtures (test/fixtures/evidence)', () => {
    for (const fixture of loadEvidenceFixtures()) {
      const diagnosis = diagnose(fixture.exchange, fixture.context);
      if (diagnosis.outcome !== 'blocked') continue;
      expect(namesACause(diagnosis.findings), `${fixture.file}: ${diagnosis.findings.map((f) => f.code).join(', ') || 'no finding'}`).toBe(true);
    }
  });

  const URLS = [
    'https://media.s3.us-east-1.amazonaws.com/a.png',
    'https://media.s3.amazonaws.com/b.json',
    'https://s3.amazonaws.com/',
    'http://127.0.0.1:9000/media/c.txt',
  ];
  const ORIGIN = 'https://app.example.com';
  const header = (name: string, value: string) => ({ name, value });
  const responseHeaders = fc
    .record(
      {
        acao: fc.constantFrom('*', ORIGIN, 'https://other.example.com'),
        acac: fc.constant('true'),
        vary: fc.constantFrom('Origin', 'Accept-Encoding'),
        cacheControl: fc.constantFrom('max-age=3600', 'no-store', 'no-cache'),
        lastModified: fc.constant('Fri, 27 Nov 2026 09:00:00 GMT'),
        server: fc.constantFrom('AmazonS3', 'MinIO', 'Ceph'),
        region: fc.constantFrom('eu-west-1'),
        requestId: fc.constantFrom('RID1', 'RID2'),
      },
      { requiredKeys: [] },
    )
    .map((h) => [
      ...(h.acao ? [header('Access-Control-Allow-Origin', h.acao)] : []),
      ...(h.acac ? [header('Access-Control-Allow-Credentials', h.acac)] : []),
      ...(h.vary ? [header('Vary', h.vary)] : []),
      ...(h.cacheControl ? [header('Cache-Control', h.cacheControl)] : []),
      ...(h.lastModified ? [header('Last-Modified', h.lastModified)] : []),
      ...(h.server ? [header('Server', h.server)] : []),
      ...(h.region ? [header('x-amz-bucket-region', h.region)] : []),
      ...(h.requestId ? [header('x-amz-request-id', h.requestId)] : []),
    ]);
  const entry = fc.record({
    kind: fc.constantFrom('fetch', 'image', 'preflight', 'xhr', 'script'),
    method: fc.constantFrom('GET', 'PUT', 'POST', 'DELETE'),
    url: fc.constantFrom(...URLS),
    origin: fc.boolean(),
    cookie: fc.boolean(),
    customHeader: fc.boolean(),
    status: fc.constantFrom(0, 200, 204, 301, 307, 403, 404, 500),
    error: fc.constantFrom(undefined, 'net::ERR_FAILED', 'net::ERR_ABORTED', 'net::ERR_INVALID_REDIRECT', 'net::ERR_CONNECTION_REFUSED'),
    headers: responseHeaders,
    body: fc.constantFrom(
      undefined,
      '<Error><Code>AccessForbidden</Code><Message>CORSResponse: This CORS request is not allowed.</Message></Error>',
      '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
    ),
  });
  const har = fc
    .record({ browser: fc.constantFrom('chromium', 'firefox'), entries: fc.array(entry, { minLength: 1, maxLength: 6 }) })
    .map(({ browser, entries }) => ({
      log: {
        version: '1.2',
        creator: { name: browser === 'chromium' ? 'WebInspector' : 'Firefox', version: '1' },
        pages: [{ id: 'page_1', title: `${ORIGIN}/`, startedDateTime: '2026-11-28T10:00:00.000Z' }],
        entries: entries.map((e, index) => {
          const preflight = e.kind === 'preflight';
          const requestHeaders = [
            header('Referer', `${ORIGIN}/`),
            ...(e.origin || preflight ? [header('Origin', ORIGIN)] : []),
            ...(e.cookie ? [header('Cookie', 'session=1')] : []),
            ...(e.customHeader && !preflight ? [header('x-amz-meta-owner', 'me')] : []),
            ...(preflight
              ? [header('Access-Control-Request-Method', e.method), ...(e.customHeader ? [header('Access-Control-Request-Headers', 'x-amz-meta-owner')] : [])]
              : []),
            ...(e.kind === 'image' || e.kind === 'script'
              ? [header('Sec-Fetch-Mode', 'no-cors')]
              : e.origin || preflight
                ? [header('Sec-Fetch-Mode', 'cors')]
                : []),
          ];
          return {
            pageref: 'page_1',
            startedDateTime: new Date(Date.parse('2026-11-28T10:00:01.000Z') + index * 1000).toISOString(),
            time: 20,
            ...(browser === 'chromium'
              ? { _resourceType: e.kind, _initiator: preflight ? { type: 'preflight', url: e.url } : { type: 'script', url: `${ORIGIN}/app.js` } }
              : {}),
            request: { method: preflight ? 'OPTIONS' : e.kind === 'image' || e.kind === 'script' ? 'GET' : e.method, url: e.url, headers: requestHeaders },
            response: {
              status: e.status,
              headers: e.status === 0 ? [] : e.headers,
              content: e.body && e.status >= 300 ? { size: e.body.length, mimeType: 'application/xml', text: e.body } : { size: 0, mimeType: '' },
              ...(browser === 'chromium' && e.error ? { _error: e.error } : {}),
            },
          };
        }),
      },
    }));

  it('generated Chromium and Firefox HARs, with and without the bucket configuration', () => {
    fc.assert(
      fc.property(har, fc.boolean(), (file, withConfig) => {
        const read = readHarText(JSON.stringify(file));
        const report = triageExchanges(read.exchanges, { bucketState: () => (withConfig ? KNOWN : undefined) });
        for (const request of report.requests) {
          if (request.outcome !== 'blocked') continue;
          expect(
            namesACause(request.findings),
            `${request.id} ${request.method} ${request.url}: ${request.findings.map((f) => `${f.code}/${f.severity}`).join(', ') || 'no finding'}`,
          ).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
    // Each run triages a whole HAR twice; on a loaded machine that is seconds, not a hang.
  }, 60_000);
});
