/**
 * A HAR captured from real Firefox ESR by the add-on's end-to-end tests (test/e2e/firefox/upload-diagnosis.test.ts
 * reads it through devtools.network.getHAR() and writes it, S3 entries only and redacted, into test/fixtures/har,
 * next to the CORS configuration s3rver enforced). It is regenerated with new ports and times by
 * S3CD_UPDATE_FIXTURES=1, so these tests read the origins and the server from the files and pin structure, not
 * values.
 *
 * What is in it: a PUT with `x-amz-meta-uploader` refused at preflight, the same upload from a second origin, a
 * multipart upload whose part's ETag is not exposed (S18), and a simple GET from the second origin that s3rver
 * answers 200 without Access-Control-Allow-Origin.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ObservedExchange } from '../../../src/core/evidence/types.js';
import { harEntriesToExchanges, readHarText, type HarEntry } from '../../../src/core/har/index.js';
import { parsePolicy } from '../../../src/core/policy/index.js';
import { redactHar } from '../../../src/core/redact/index.js';
import { triageJson } from '../../../src/core/report/index.js';
import { NO_CONFIGURATION_GAP, triageExchanges, type TriageReport, type TriagedRequest } from '../../../src/core/triage/index.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/har');
const harText = readFileSync(join(FIXTURES, 'real-firefox-demo-failures.har'), 'utf8');
const har = JSON.parse(harText) as { log: { creator: { name: string }; entries: HarEntry[] } };
const corsConfig = parsePolicy(readFileSync(join(FIXTURES, 'real-firefox-demo-failures.cors.xml'), 'utf8')).config;

/** The page's origin is the configuration's only AllowedOrigin; the second origin is the one it refuses. */
const pageOrigin = corsConfig.rules[0]!.allowedOrigins[0]!;
const photoPut = (e: { request: { method: string; url: string } }) => e.request.method === 'PUT' && e.request.url.endsWith('-photo.json');
const otherOriginPut = (e: { request: { method: string; url: string } }) => e.request.method === 'PUT' && e.request.url.endsWith('-from-other-origin.json');
const partPut = (e: { request: { method: string; url: string } }) => e.request.method === 'PUT' && e.request.url.includes('partNumber=1');
const createUpload = (e: { request: { method: string; url: string } }) => e.request.method === 'POST' && e.request.url.endsWith('?uploads');
const simpleGet = (e: { request: { method: string; url: string } }) => e.request.method === 'GET' && e.request.url.endsWith('/report.json');

function only<T>(items: T[], predicate: (item: T) => boolean, what: string): T {
  const found = items.filter(predicate);
  if (found.length !== 1) throw new Error(`expected exactly one ${what}, found ${found.length}`);
  return found[0]!;
}

const withConfig = { bucketState: () => ({ kind: 'cors' as const, config: corsConfig }) };
const codesOf = (request: TriagedRequest) => request.findings.map((f) => f.code);

describe('a real Firefox ESR capture of the demo failures (s3rver on a loopback port)', () => {
  const exchanges = harEntriesToExchanges(har.log.entries, { browser: 'firefox' });
  const otherOrigin = only(exchanges, otherOriginPut, 'PUT from the second origin').request.headers.origin!;

  it('is a Firefox HAR of the five S3 requests and their four preflights, nothing else', () => {
    expect(har.log.creator.name).toBe('Firefox');
    expect(har.log.entries.map((e) => e.request.method).sort()).toEqual(['GET', 'OPTIONS', 'OPTIONS', 'OPTIONS', 'OPTIONS', 'POST', 'PUT', 'PUT', 'PUT']);
    expect(otherOrigin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(otherOrigin).not.toBe(pageOrigin);
  });

  it('keeps a blocked non-simple PUT as Firefox records it: status 0, no response headers, full request headers with Origin', () => {
    const entry = only(har.log.entries, photoPut, 'photo PUT entry');
    expect(entry.response?.status).toBe(0);
    expect(entry.response?.headers).toEqual([]);
    const put = only(exchanges, photoPut, 'photo PUT');
    expect(put.response?.status).toBe(0);
    expect(put.request.headers).toMatchObject({ origin: pageOrigin, 'content-type': 'application/json', 'x-amz-meta-uploader': 'demo' });
  });

  it('pairs every request with its own preflight (no OPTIONS left over), by URL and requested method', () => {
    expect(exchanges).toHaveLength(5);
    expect(exchanges.filter((e) => e.request.method === 'OPTIONS')).toEqual([]);
    const expectPreflight = (exchange: ObservedExchange, status: number, requestedHeaders: string) => {
      const preflight = exchange.preflight;
      expect(preflight?.request.url, exchange.request.url).toBe(exchange.request.url);
      expect(preflight?.request.headers['access-control-request-method']).toBe(exchange.request.method);
      expect(preflight?.request.headers['access-control-request-headers']).toBe(requestedHeaders);
      expect(preflight?.request.headers.origin).toBe(exchange.request.headers.origin);
      expect(preflight?.response?.status).toBe(status);
    };
    expectPreflight(only(exchanges, photoPut, 'photo PUT'), 403, 'content-type,x-amz-meta-uploader');
    expectPreflight(only(exchanges, otherOriginPut, 'PUT from the second origin'), 403, 'content-type');
    expectPreflight(only(exchanges, createUpload, 'CreateMultipartUpload'), 200, 'content-type');
    expectPreflight(only(exchanges, partPut, 'UploadPart'), 200, 'content-type');
    // A simple GET has no preflight (Fetch standard, CORS-preflight fetch is only for non-simple requests).
    expect(only(exchanges, simpleGet, 'simple GET').preflight).toBeUndefined();
  });

  it('keeps the blocked simple GET as Firefox records it: a plain 200 with its Origin and no Access-Control-Allow-Origin', () => {
    const get = only(exchanges, simpleGet, 'simple GET');
    expect(get.response?.status).toBe(200);
    expect(get.request.headers.origin).toBe(otherOrigin);
    expect(get.response?.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('reads the same exchanges through the streaming reader, which recognises Firefox from the creator', () => {
    const read = readHarText(harText);
    expect(read.browser).toBe('firefox');
    expect(read.totalEntries).toBe(har.log.entries.length);
    expect(read.gaps).toEqual([]);
    expect(read.exchanges).toEqual(exchanges);
  });

  describe('triage without the configuration', () => {
    const report = triageExchanges(exchanges, { totalEntries: har.log.entries.length });

    it('counts five S3 requests, three failed, and says the configuration is missing', () => {
      expect(report.summary).toMatchObject({ total: 9, s3: 5, failed: 3 });
      expect(
        report.requests
          .filter((r) => r.outcome === 'blocked')
          .map((r) => r.method)
          .sort(),
      ).toEqual(['GET', 'PUT', 'PUT']);
      for (const request of report.requests.filter((r) => r.outcome === 'blocked')) expect(request.gaps, request.url).toContain(NO_CONFIGURATION_GAP);
    });

    it('flags the simple GET from its missing Access-Control-Allow-Origin although Firefox recorded a 200', () => {
      const get = only(report.requests, (r) => r.method === 'GET', 'GET');
      expect(get.outcome).toBe('blocked');
      expect(get.verdict).toContain('MissingAllowOriginHeader');
    });

    it('still finds the unexposed ETag of the uploaded part from the response headers alone', () => {
      const part = only(report.requests, (r) => r.url.includes('partNumber=1'), 'UploadPart');
      expect(part.outcome).toBe('allowed');
      expect(codesOf(part)).toEqual(['HEADER_NOT_EXPOSED']);
      expect(part.findings[0]!.message).toContain('ETag');
    });

    it('says what a Firefox HAR cannot show of a blocked PUT', () => {
      const put = only(report.requests, (r) => r.url.endsWith('-photo.json'), 'photo PUT');
      expect(put.gaps.some((gap) => gap.startsWith('Firefox HARs record a blocked request and a network failure alike'))).toBe(true);
    });
  });

  describe('triage with the configuration s3rver enforced', () => {
    const report = triageExchanges(exchanges, { ...withConfig, totalEntries: har.log.entries.length });
    const request = (predicate: (r: TriagedRequest) => boolean, what: string) => only(report.requests, predicate, what);

    it('names the refused header of the metadata upload, and a verified fix that adds only it', () => {
      const put = request((r) => r.url.endsWith('-photo.json'), 'photo PUT');
      expect(put).toMatchObject({ method: 'PUT', origin: pageOrigin, status: 0, preflightStatus: 403, outcome: 'blocked' });
      expect(put.requestedHeaders).toEqual(['content-type', 'x-amz-meta-uploader']);
      expect(codesOf(put)).toEqual(['HEADERS_NOT_ALLOWED']);
      expect(put.findings[0]!.message).toContain('`x-amz-meta-uploader`');
      expect(put.fix?.verified).toBe(true);
      expect(put.fix?.changes.map((c) => [c.kind, c.value])).toEqual([['add-header', 'x-amz-meta-uploader']]);
    });

    it('names the refused origin of both requests from the second origin, the PUT and the simple GET', () => {
      for (const method of ['PUT', 'GET']) {
        const refused = request((r) => r.method === method && r.origin !== pageOrigin, `${method} from the second origin`);
        expect(refused.outcome, method).toBe('blocked');
        expect(codesOf(refused), method).toEqual(['ORIGIN_NOT_ALLOWED']);
        expect(refused.findings[0]!.message, method).toContain(refused.origin!);
      }
    });

    it('finds the unexposed ETag of the part upload, and nothing wrong with CreateMultipartUpload', () => {
      const part = request((r) => r.url.includes('partNumber=1'), 'UploadPart');
      expect(part).toMatchObject({ status: 200, preflightStatus: 200, outcome: 'allowed' });
      expect(codesOf(part)).toEqual(['HEADER_NOT_EXPOSED']);
      expect(part.findings[0]!.message).toContain('ETag');
      const created = request((r) => r.method === 'POST', 'CreateMultipartUpload');
      expect(created).toMatchObject({ outcome: 'allowed', findings: [] });
    });

    it('summarises the four findings in four groups, one per cause', () => {
      expect(report.summary).toEqual({ total: 9, s3: 5, failed: 3, byCode: { HEADERS_NOT_ALLOWED: 1, ORIGIN_NOT_ALLOWED: 2, HEADER_NOT_EXPOSED: 1 } });
      expect(report.groups.map((g) => [g.method, g.outcome, g.codes]).sort()).toEqual([
        ['GET', 'blocked', ['ORIGIN_NOT_ALLOWED']],
        ['PUT', 'allowed', ['HEADER_NOT_EXPOSED']],
        ['PUT', 'blocked', ['HEADERS_NOT_ALLOWED']],
        ['PUT', 'blocked', ['ORIGIN_NOT_ALLOWED']],
      ]);
    });
  });

  describe('redaction keeps what the diagnosis reads', () => {
    /** Within the planted presigned URLs' validity (X-Amz-Date 09:00 UTC, one hour), so the test does not age. */
    const SIGNED_AT = new Date('2026-11-28T09:00:00Z');
    const reportOf = (document: unknown, now = new Date(SIGNED_AT.getTime() + 60_000)): TriageReport => {
      const read = readHarText(JSON.stringify(document));
      return triageExchanges(read.exchanges, { ...withConfig, totalEntries: read.totalEntries, gaps: read.gaps, now });
    };

    /**
     * The capture as a customer would share it from an app using presigned URLs: SigV4 query parameters with a
     * session token on every S3 URL (the preflight's URL is its request's), and a cookie the server sets. No Cookie
     * is planted on the requests: that would make them credentialed, a different scenario with other findings.
     */
    const PLANTED = [
      'ASIAQNZFIREFOXPLANT1',
      'f1e2d3c4b5a6978812345678abcdef00fedcba9876543210aabbccddeeff0011',
      'IQoJb3JpZ2luX2VjEFIREFOXTOKEN',
      'firefox-set-cookie',
    ];
    const presigned = (url: string) =>
      `${url}${url.includes('?') ? '&' : '?'}X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${PLANTED[0]}%2F20261128%2Fus-east-1%2Fs3%2Faws4_request` +
      `&X-Amz-Date=20261128T090000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=${PLANTED[2]}&X-Amz-Signature=${PLANTED[1]}`;
    const withSecrets = {
      log: {
        ...har.log,
        entries: har.log.entries.map((entry) => ({
          ...entry,
          request: { ...entry.request, url: presigned(entry.request.url) },
          response: { ...entry.response!, headers: [...entry.response!.headers, { name: 'Set-Cookie', value: `sid=${PLANTED[3]}; Path=/` }] },
        })),
      },
    };

    it('the report of the fixture equals the report of its redaction', () => {
      expect(triageJson(reportOf(redactHar(har)))).toEqual(triageJson(reportOf(har)));
    });

    it('with presigned URLs and cookies planted, the redacted HAR holds none of them and gives the same report', () => {
      const redacted = redactHar(withSecrets);
      const redactedText = JSON.stringify(redacted);
      for (const secret of PLANTED) expect(redactedText).not.toContain(secret);
      const original = reportOf(withSecrets);
      expect(triageJson(reportOf(redacted))).toEqual(triageJson(original));
      // The planted parameters did not hide the failures: the same three are found.
      expect(original.summary.byCode).toEqual({ HEADERS_NOT_ALLOWED: 1, ORIGIN_NOT_ALLOWED: 2, HEADER_NOT_EXPOSED: 1 });
    });

    it('keeps the presigned validity window through redaction: expired URLs are reported alike from both', () => {
      const afterExpiry = new Date(SIGNED_AT.getTime() + 2 * 3_600_000);
      const original = reportOf(withSecrets, afterExpiry);
      expect(triageJson(reportOf(redactHar(withSecrets), afterExpiry))).toEqual(triageJson(original));
      // Every one of the five is judged expired, from X-Amz-Date and X-Amz-Expires, which redaction must keep.
      expect(original.summary.byCode.NOT_CORS_REQUEST_EXPIRED).toBe(5);
    });
  });
});
