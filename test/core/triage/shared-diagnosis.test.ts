/**
 * Requests with the same deciding facts share one diagnosis (issue 12 item 3; src/core/triage/shared-diagnosis.ts).
 * Sharing may never change a result: each test triages requests that differ only in their object key, signature,
 * S3's answer ids and start time, and compares every shared diagnosis with the diagnosis of that request made on its
 * own (`diagnose`, which shares no code with the memo). Each test also checks that sharing happened (or, for what is
 * kept out of sharing, that it did not), so it cannot pass vacuously.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose, type DiagnoseContext, type Diagnosis } from '../../../src/core/diagnose/index.js';
import { readS3Url } from '../../../src/core/endpoint/index.js';
import type { ObservedExchange } from '../../../src/core/evidence/types.js';
import { readHarText } from '../../../src/core/har/index.js';
import { parsePolicy } from '../../../src/core/policy/index.js';
import type { BucketState } from '../../../src/core/s3/index.js';
import { triageJson, triageMarkdown, triageText } from '../../../src/core/report/index.js';
import { triageExchanges } from '../../../src/core/triage/index.js';
import { DiagnosisMemo } from '../../../src/core/triage/shared-diagnosis.js';
import { loadEvidenceFixtures } from '../diagnose/evidence-fixtures.js';

const HAR_DIR = join(import.meta.dirname, '../../fixtures/har');
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

/** Keys of every shape the memo shares: one segment, several, dots, dashes, underscores, upper case, digits. */
const KEYS = ['a.jpg', 'uploads/user-1/photo.jpg', 'User_2/Report-FINAL.v3.PDF', 'x', '2026/12/04/9f8e7d6c-1b2a.bin'];

/** The exchange with `key` for its object key (request and preflight), its own signature, S3 answer ids and time. */
function variant(exchange: ObservedExchange, key: string, n: number): ObservedExchange | null {
  const url = exchange.request.url;
  const info = readS3Url(url, exchange.request.method);
  if (!info.key) return null;
  const end = url.search(/[?#]/) === -1 ? url.length : url.search(/[?#]/);
  const encodedKey = url.slice(0, end).endsWith(`/${info.key}`) ? info.key : null;
  if (encodedKey === null) return null;
  // A presigned URL gets its own signature too, as each key's has.
  const signature = (u: string) =>
    u.replace(/([?&]X-Amz-Signature=)[0-9a-f]{64}/, (_, name: string) => `${name}${(n * 7919 + key.length).toString(16).padStart(8, '0').repeat(8)}`);
  const swap = (u: string) => (u === url ? signature(`${url.slice(0, end - encodedKey.length)}${key}${url.slice(end)}`) : u);
  const ids = (headers: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(headers).map(([name, value]) =>
        name.toLowerCase() === 'x-amz-request-id'
          ? [name, `REQ${n}X${key.length}`]
          : name.toLowerCase() === 'x-amz-id-2'
            ? [name, `id2/${n}+${key.length}=`]
            : [name, value],
      ),
    );
  // Each variant starts a little later (7 minutes and n ms apart): some cross a presigned URL's expiry.
  const started = exchange.startedAt ? Date.parse(exchange.startedAt) : Number.NaN;
  return {
    ...exchange,
    ...(Number.isNaN(started) ? {} : { startedAt: new Date(started + n * (7 * 60_000 + 1)).toISOString() }),
    id: `${exchange.id}-${n}`,
    request: { ...exchange.request, url: swap(url) },
    ...(exchange.response ? { response: { ...exchange.response, headers: ids(exchange.response.headers) } } : {}),
    ...(exchange.preflight
      ? {
          preflight: {
            ...exchange.preflight,
            request: { ...exchange.preflight.request, url: swap(exchange.preflight.request.url) },
            ...(exchange.preflight.response ? { response: { ...exchange.preflight.response, headers: ids(exchange.preflight.response.headers) } } : {}),
          },
        }
      : {}),
  };
}

function variants(exchange: ObservedExchange): ObservedExchange[] {
  return KEYS.map((key, n) => variant(exchange, key, n)).filter((v): v is ObservedExchange => v !== null);
}

const config = (rules: unknown[]) => parsePolicy(JSON.stringify(rules)).config;
const BUCKETS: Array<[string, BucketState | undefined]> = [
  ['no configuration', undefined],
  [
    'one exact rule',
    { kind: 'cors', config: config([{ AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['content-type'] }]) },
  ],
  ['wildcard origin', { kind: 'cors', config: config([{ AllowedOrigins: ['*'], AllowedMethods: ['GET', 'PUT', 'POST'], AllowedHeaders: ['*'] }]) }],
  ['no CORS configuration', { kind: 'no-cors' }],
];

/** Each variant through one memo, next to its own diagnosis; `others`: related exchanges of other URLs. */
function compare(memo: DiagnosisMemo, list: ObservedExchange[], context: DiagnoseContext, others: ObservedExchange[] = []): Array<[unknown, unknown]> {
  return list.map((exchange) => {
    const own = { ...context, related: [...others, exchange] };
    return [plain(memo.diagnose(exchange, own)), plain(diagnose(exchange, own))];
  });
}

describe('requests that differ only in what the diagnosis quotes share one diagnosis, with the same result', () => {
  const fixtures = loadEvidenceFixtures();

  it('every evidence fixture, under every bucket state: each shared diagnosis equals the request diagnosed on its own', () => {
    let shared = 0;
    let requests = 0;
    for (const fixture of fixtures) {
      const list = variants(fixture.exchange);
      for (const [label, bucket] of BUCKETS) {
        const memo = new DiagnosisMemo();
        const context: DiagnoseContext = { ...fixture.context, ...(bucket ? { bucket } : {}) };
        for (const [i, [got, want]] of compare(memo, list, context).entries()) expect(got, `${fixture.file}, ${label}, key ${KEYS[i]}`).toEqual(want);
        shared += memo.sharedCount;
        requests += list.length;
      }
    }
    // Most fixtures share (all but the first request of each); those kept out (expired URLs, no key…) are fewer.
    expect(shared).toBeGreaterThan(requests / 2);
  });

  it("related exchanges of other URLs (a panel hands a request its bucket's recent ones) change nothing and still share", () => {
    const others = fixtures.map((fixture) => fixture.exchange);
    let shared = 0;
    for (const fixture of fixtures) {
      const list = variants(fixture.exchange);
      const memo = new DiagnosisMemo();
      for (const [i, [got, want]] of compare(memo, list, fixture.context, others).entries()) expect(got, `${fixture.file}, key ${KEYS[i]}`).toEqual(want);
      shared += memo.sharedCount;
    }
    expect(shared).toBeGreaterThan(fixtures.length);
  });

  it('requests of one bucket under different bucket states never share', () => {
    const [fixture] = fixtures.filter((f) => f.file === 'NO_RULE_MATCHED.json');
    const list = variants(fixture!.exchange);
    const memo = new DiagnosisMemo();
    for (const [n, exchange] of list.entries()) {
      // Alternate the bucket's state from request to request: each diagnosis must follow its own.
      const bucket = BUCKETS[n % BUCKETS.length]![1];
      const context: DiagnoseContext = { ...fixture!.context, ...(bucket ? { bucket } : {}) };
      expect(plain(memo.diagnose(exchange, { ...context, related: [exchange] }))).toEqual(plain(diagnose(exchange, { ...context, related: [exchange] })));
    }
    const before = memo.sharedCount;
    for (const exchange of list) {
      // A fresh state around the same configuration (the panel builds one per row): the same facts, so shared.
      const bucket = { ...BUCKETS[1]![1]! };
      expect(plain(memo.diagnose(exchange, { bucket, related: [exchange] }))).toEqual(plain(diagnose(exchange, { bucket, related: [exchange] })));
    }
    expect(memo.sharedCount - before).toBeGreaterThanOrEqual(list.length - 1);
  });

  it('every HAR fixture, its S3 requests repeated with other keys: triage gives each request its own diagnosis', () => {
    let sharedAny = false;
    for (const name of readdirSync(HAR_DIR).filter((f) => f.endsWith('.har'))) {
      const read = readHarText(readFileSync(join(HAR_DIR, name), 'utf8'));
      const list = read.exchanges.flatMap((exchange) => variants(exchange));
      if (list.length === 0) continue;
      const now = new Date('2026-11-28T08:00:00Z');
      const report = triageExchanges(list, { now });
      const byId = new Map(report.requests.map((r) => [r.id, r]));
      for (const exchange of list) {
        const request = byId.get(exchange.id);
        if (!request) continue;
        // Triage hands each request the exchanges of its URL (a fixture's image and fetch of one object).
        const related = list.filter((other) => other.request.url.split('#')[0] === exchange.request.url.split('#')[0]);
        const own = diagnose(exchange, { related, now });
        expect(plain([request.outcome, request.verdict, request.findings.map((f) => f.code), request.fix, request.trace]), `${name} ${exchange.id}`).toEqual(
          plain([
            own.outcome,
            own.verdict,
            own.findings
              .slice()
              .sort((a, b) => rank(a) - rank(b))
              .map((f) => f.code),
            own.fix,
            own.trace,
          ]),
        );
      }
      const memo = new DiagnosisMemo();
      const alone = list.filter((exchange) => list.filter((other) => other.request.url === exchange.request.url).length === 1);
      for (const [got, want] of compare(memo, alone, { now })) expect(got).toEqual(want);
      if (memo.sharedCount > 0) sharedAny = true;
    }
    expect(sharedAny).toBe(true);
  });
});

/** A SigV4 signature of its own for each key (64 hex digits). */
function signatureOf(key: string): string {
  let h = 2166136261;
  for (const c of key) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h.toString(16).padStart(8, '0').repeat(8);
}

function rank(f: { severity: string }): number {
  return f.severity === 'error' ? 0 : f.severity === 'warning' ? 1 : 2;
}

describe('what is kept out of sharing', () => {
  const base: ObservedExchange = {
    id: 'put',
    source: 'fixture',
    pageOrigin: 'https://app.example.com',
    startedAt: '2026-11-28T08:00:00.000Z',
    request: {
      method: 'PUT',
      url: 'https://uploads.s3.eu-west-1.amazonaws.com/user-1/photo.jpg',
      headers: { origin: 'https://app.example.com', 'content-type': 'image/jpeg' },
    },
    preflight: {
      request: {
        method: 'OPTIONS',
        url: 'https://uploads.s3.eu-west-1.amazonaws.com/user-1/photo.jpg',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
      },
      response: { status: 403, headers: { 'x-amz-request-id': 'REQ1', server: 'AmazonS3' } },
    },
    response: { status: 0, headers: {} },
    error: 'net::ERR_FAILED',
  };
  const withKey = (key: string, id: string, extra: Partial<ObservedExchange> = {}): ObservedExchange => {
    const url = `https://uploads.s3.eu-west-1.amazonaws.com/${key}`;
    return {
      ...base,
      ...extra,
      id,
      request: { ...base.request, url: extra.request?.url ?? url },
      preflight: { ...base.preflight!, request: { ...base.preflight!.request, url: extra.request?.url ?? url } },
    };
  };

  it('requests of one cause share, and each gets its own key back in every text', () => {
    const memo = new DiagnosisMemo();
    const list = ['user-1/a.jpg', 'user-2/b.jpg', 'user-3/c.jpg'].map((key, i) => withKey(key, `r${i}`));
    for (const [got, want] of compare(memo, list, {})) expect(got).toEqual(want);
    expect(memo.sharedCount).toBe(2);
  });

  it('a diagnosis that decides from the key is not shared (the two placeholders disagree)', () => {
    // A diagnosis whose verdict depends on the key's length: the memo must notice and diagnose each request alone.
    const byLength = (exchange: ObservedExchange, context: DiagnoseContext): Diagnosis => {
      const d = diagnose(exchange, context);
      return { ...d, verdict: `${d.verdict} (${readS3Url(exchange.request.url).key?.length ?? 0})` };
    };
    const memo = new DiagnosisMemo(byLength);
    const list = ['user-1/a.jpg', 'user-2/b.jpg', 'user-3/c.jpg'].map((key, i) => withKey(key, `r${i}`));
    const got = list.map((exchange) => memo.diagnose(exchange, { related: [exchange] }).verdict);
    expect(got).toEqual(list.map((exchange) => byLength(exchange, { related: [exchange] }).verdict));
    expect(memo.sharedCount).toBe(0);
  });

  it('a key the redactor would mask is never shared (its placeholder would be redacted differently)', () => {
    const memo = new DiagnosisMemo();
    // Plain HTTP from an HTTPS page: the finding quotes the URL, so its key goes through the redactor.
    const list = ['AKIAIOSFODNN7EXAMPLE/a.jpg', 'AKIAIOSFODNN7EXAMPLF/b.jpg', 'AKIAIOSFODNN7EXAMPLG/c.jpg'].map((key, i) =>
      withKey(key, `r${i}`, { request: { ...base.request, url: `http://uploads.s3.eu-west-1.amazonaws.com/${key}` } }),
    );
    const results = compare(memo, list, {});
    for (const [got, want] of results) expect(got).toEqual(want);
    expect(memo.sharedCount).toBe(0);
    const findings = JSON.stringify(results.map(([got]) => (got as Diagnosis).findings));
    expect(findings).toContain('MIXED_CONTENT');
    expect(findings).not.toMatch(/AKIAIOSFODNN7EXAMPL[EFG]/);
  });

  it('a request with other exchanges of its URL is diagnosed on its own', () => {
    const memo = new DiagnosisMemo();
    const a = withKey('user-1/a.jpg', 'a');
    const b = withKey('user-1/a.jpg', 'b');
    const c = withKey('user-1/a.jpg', 'c');
    for (const exchange of [a, b, c]) expect(plain(memo.diagnose(exchange, { related: [a, b, c] }))).toEqual(plain(diagnose(exchange, { related: [a, b, c] })));
    expect(memo.sharedCount).toBe(0);
  });

  it('a presigned URL past its expiry never gets the diagnosis of one before it, and each quotes its own time', () => {
    const presigned = (key: string, id: string, startedAt: string) =>
      withKey(key, id, {
        startedAt,
        request: {
          ...base.request,
          url: `https://uploads.s3.eu-west-1.amazonaws.com/${key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261128%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20261128T080000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=${signatureOf(key)}`,
        },
      });
    const memo = new DiagnosisMemo();
    const list = [
      presigned('u/1.jpg', 'early-1', '2026-11-28T08:05:00.000Z'),
      presigned('u/2.jpg', 'early-2', '2026-11-28T08:06:00.000Z'),
      presigned('u/3.jpg', 'late-1', '2026-11-28T08:20:00.000Z'),
      presigned('u/4.jpg', 'late-2', '2026-11-28T08:21:00.000Z'),
      presigned('u/5.jpg', 'early-3', '2026-11-28T08:07:00.000Z'),
    ];
    const results = compare(memo, list, {});
    for (const [got, want] of results) expect(got).toEqual(want);
    const codes = results.map(([got]) => (got as Diagnosis).findings.map((f) => f.code));
    expect(codes.map((c) => c.includes('NOT_CORS_REQUEST_EXPIRED'))).toEqual([false, false, true, true, false]);
    expect(JSON.stringify(results[3]?.[0])).toContain('2026-11-28T08:21:00.000Z');
    // Those before the expiry share one diagnosis, those past it another, each with its own time back.
    expect(memo.sharedCount).toBe(3);
  });
});

describe('a shared diagnosis in a report', () => {
  it('quotes each request with its own key and never its signature, in every report form', () => {
    const entries = ['user-1/a.jpg', 'user-2/b.jpg', 'user-3/c.jpg', 'user-4/d.jpg'].map((key, i) => {
      const url = `https://uploads.s3.eu-west-1.amazonaws.com/${key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261128%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20261128T080000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=${signatureOf(key)}`;
      const exchange: ObservedExchange = {
        id: `put-${i}`,
        source: 'fixture',
        pageOrigin: 'https://app.example.com',
        startedAt: new Date(Date.UTC(2026, 10, 28, 8, 1, i)).toISOString(),
        request: { method: 'PUT', url, headers: { origin: 'https://app.example.com', 'content-type': 'image/jpeg' } },
        preflight: {
          request: {
            method: 'OPTIONS',
            url,
            headers: { origin: 'https://app.example.com', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
          },
          response: { status: 403, headers: { 'x-amz-request-id': `REQ${i}`, server: 'AmazonS3' } },
        },
        response: { status: 0, headers: {} },
        error: 'net::ERR_FAILED',
      };
      return exchange;
    });
    const memo = new DiagnosisMemo();
    for (const entry of entries) memo.diagnose(entry, { related: [entry] });
    // All but the first request share its diagnosis.
    expect(memo.sharedCount).toBe(3);
    const report = triageExchanges(entries);
    for (const [i, request] of report.requests.entries()) {
      const entry = entries[i]!;
      const own = diagnose(entry, { related: [entry] });
      expect(plain([request.verdict, request.findings, request.fix, request.trace])).toEqual(plain([own.verdict, own.findings, own.fix, own.trace]));
      expect(request.browserError?.chrome).toBe(own.browser?.failure?.messages.chrome);
      expect(request.browserError?.chrome).toContain(`/user-${i + 1}/`);
    }
    const text = [JSON.stringify(triageJson(report)), triageMarkdown(report), triageText(report)].join('\n');
    for (const entry of entries) expect(text).not.toContain(signatureOf(readS3Url(entry.request.url).key ?? ''));
    expect(text).not.toMatch(/[0-9a-f]{64}/);
  });
});
