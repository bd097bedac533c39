/**
 * The real-world regression corpus (issue #10 item 6): publicly reported S3 CORS failures whose cause the thread
 * settled, replayed through `explain --json` and, where the case says what the browser recorded, through
 * `har --json` on a tiny Chromium-shaped HAR built from it. Format and sources: test/corpus/README.md.
 *
 * Each case is judged on: the outcome, the exact set of error findings, that the fix addresses the settled cause,
 * and that the fix does not widen access (checked here with plain comparisons of the rule lists, independent of the
 * product's own fix code). The score (cases right / total) is printed. Cases the tool gets wrong today are listed in
 * KNOWN_WRONG with why; the test fails when a case outside it is wrong and when a case in it has become right, so a
 * fix forces the table to shrink.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/run-cli.js';

// ---------------------------------------------------------------------------------------------------------------
// Case format
// ---------------------------------------------------------------------------------------------------------------

/** What the browser/S3 were seen to answer, as the thread reported it (status, headers, S3 error code). */
interface ObservedResponse {
  status: number;
  headers?: Record<string, string>;
  /** S3's error code from the XML body (AccessForbidden, AccessDenied, SignatureDoesNotMatch, TemporaryRedirect…). */
  errorCode?: string;
  /** S3's error message, when the thread quoted its gist. */
  errorMessage?: string;
}

interface Observed {
  /**
   * Where the browser refused: the preflight, the actual response, a response replayed from the HTTP cache, the
   * network (TLS, DNS), or nowhere (null: the page saw the answer, e.g. an S3 error or an unreadable header).
   */
  blockedAt: 'preflight' | 'actual' | 'cache' | 'network' | null;
  preflight?: ObservedResponse;
  actual?: ObservedResponse;
  /** The browser's network error for blockedAt 'network' (Chromium's `_error`, e.g. net::ERR_CERT_COMMON_NAME_INVALID). */
  networkError?: string;
  /** An earlier no-cors load of the same URL (an <img>, <link>, <script>, a visit) whose answer the browser cached. */
  earlierNoCors?: { resourceType: 'image' | 'stylesheet' | 'script' | 'document'; response: ObservedResponse };
}

interface CaseRequest {
  url: string;
  method: string;
  origin: string;
  headers?: Record<string, string>;
  credentials?: 'omit' | 'same-origin' | 'include';
  /** Response headers the page script must read (e.g. ETag for multipart). */
  expose?: string[];
  /** The bucket's real region, when the URL names another (or none). */
  bucketRegion?: string;
  /** States outside the CORS configuration. */
  bucketState?: 'new-bucket' | 'missing-bucket';
  /** A CDN in front of the bucket (CloudFront), and whether it forwards Origin / caches by it. */
  cdn?: { host?: string; forwardsOrigin?: boolean };
  /** When the request was made (presigned URL expiry). ISO 8601. */
  time?: string;
  /**
   * The browser preflighted a request that is CORS-safelisted on its face, because XHR had upload progress listeners
   * (Fetch: "use-CORS-preflight flag").
   */
  forcesPreflight?: boolean;
  observed?: Observed;
}

type FixCondition =
  | { addsOrigin: string }
  | { correctsOrigin: { from: string; to: string } }
  | { addsMethod: string }
  | { addsHeader: string }
  | { exposeHeader: string }
  | { removesMethod: string }
  | { noConfigFix: true; adviceMatches?: string };

interface CorpusCase {
  source: string;
  title: string;
  settledCause: string;
  /** The configuration as posted (XML, JSON, …), or null when the bucket had none. */
  config: string | null;
  /** True when the thread described the configuration rather than pasting it; the text is our faithful rendering. */
  configAsDescribed?: boolean;
  /** What in the case is a placeholder or an assumption (bucket names, origins the thread redacted, …). */
  notes?: string;
  request: CaseRequest;
  expect: {
    outcome: 'allowed' | 'blocked' | 'failed-not-cors';
    /** The exact set of finding codes (errors and warnings) a right diagnosis names. */
    codes: string[];
    /** Codes a right diagnosis may also name: the same settled cause seen from another side (say why in `notes`). */
    alsoAcceptable?: string[];
    /** What the fix must do, all of them (none for a case whose right answer is "no change"). */
    fixMustAddress: FixCondition[];
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The cases the tool gets wrong today. Moving a case out of here is the point of fixing it.
// ---------------------------------------------------------------------------------------------------------------

// Empty: every case is diagnosed right today. A case the tool gets wrong is listed here, with why.
const KNOWN_WRONG: Record<string, string> = {};

// ---------------------------------------------------------------------------------------------------------------
// Case → command line. One small function per command, easy to extend when `explain` grows flags.
// ---------------------------------------------------------------------------------------------------------------

/**
 * What of a case `explain` has no flag for; a case using one can only be right by accident. `cdn`: explain sees a CDN
 * only through the URL's host or observed Via / X-Cache headers, not whether it forwards Origin.
 * `observed.earlierNoCors.response`: --cached-no-cors says a cached no-cors answer was used, not what it carried.
 */
const EXPLAIN_UNMAPPED = ['cdn', 'observed.earlierNoCors.response'] as const;

/** A case's value at a dotted path of its request (`observed.preflight`), or undefined. */
function requestField(r: CaseRequest, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], r);
}

/**
 * Case → `explain` arguments: the request, the bucket's state, the time, a forced preflight, and what was observed of
 * the preflight and the actual request.
 */
function explainArgs(c: CorpusCase, configPath: string): { argv: string[]; unmapped: string[] } {
  const r = c.request;
  const o = r.observed;
  // A bucket that does not exist has no configuration to give.
  const bucket = r.bucketState === 'missing-bucket' ? ['--bucket-missing'] : ['--config', configPath];
  const argv = ['explain', ...bucket, '--url', r.url, '--origin', r.origin, '--method', r.method, '--json'];
  for (const [name, value] of Object.entries(r.headers ?? {})) argv.push('--header', `${name}: ${value}`);
  if (r.credentials) argv.push('--credentials', r.credentials);
  for (const name of r.expose ?? []) argv.push('--expose', name);
  if (r.bucketRegion) argv.push('--region', r.bucketRegion);
  if (r.bucketState === 'new-bucket') argv.push('--new-bucket');
  if (r.time) argv.push('--at', r.time);
  if (o?.earlierNoCors) argv.push('--cached-no-cors');
  // The browser's failure: a network error, or (Chromium) net::ERR_FAILED on an answer that failed the CORS check.
  if (o?.blockedAt === 'network') argv.push('--browser-error', o.networkError ?? 'net::ERR_FAILED');
  if (o?.blockedAt === 'actual' && o.actual) argv.push('--browser-error', 'net::ERR_FAILED');
  if (o?.actual) {
    argv.push('--status', String(o.actual.status));
    // As given, these are all the answer's headers; a case that quoted none says nothing about them.
    for (const [name, value] of Object.entries(o.actual.headers ?? {})) argv.push('--response-header', `${name}: ${value}`);
    if (o.actual.errorCode) argv.push('--error-code', o.actual.errorCode);
    if (o.actual.errorCode && o.actual.errorMessage) argv.push('--error-message', o.actual.errorMessage);
  }
  // XHR upload listeners (or a streamed body) made the browser preflight a request that needs none on its face.
  if (r.forcesPreflight) argv.push('--force-preflight');
  if (o?.preflight) {
    argv.push('--preflight-status', String(o.preflight.status));
    // As for the actual answer: as given, these are all the preflight answer's headers.
    for (const [name, value] of Object.entries(o.preflight.headers ?? {})) argv.push('--preflight-header', `${name}: ${value}`);
    if (o.preflight.errorCode) argv.push('--preflight-error-code', o.preflight.errorCode);
    if (o.preflight.errorCode && o.preflight.errorMessage) argv.push('--preflight-error-message', o.preflight.errorMessage);
  }
  const unmapped = EXPLAIN_UNMAPPED.filter((path) => requestField(r, path) !== undefined);
  return { argv, unmapped };
}

// ---------------------------------------------------------------------------------------------------------------
// A HAR as Chromium records it (entries for the page's request, its preflight, any earlier no-cors load)
// ---------------------------------------------------------------------------------------------------------------

const SAFELISTED_HEADERS = new Set(['accept', 'accept-language', 'content-language', 'content-type']);

function harHeaders(headers: Record<string, string>): Array<{ name: string; value: string }> {
  return Object.entries(headers).map(([name, value]) => ({ name, value }));
}

function s3ErrorBody(response: ObservedResponse): string | undefined {
  if (!response.errorCode) return undefined;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${response.errorCode}</Code><Message>${response.errorMessage ?? ''}</Message><RequestId>0000000000000000</RequestId></Error>`;
}

function harResponse(response: ObservedResponse | undefined, error: string | null) {
  const body = response ? s3ErrorBody(response) : undefined;
  const headers = { ...(response?.headers ?? {}), ...(body ? { 'Content-Type': 'application/xml' } : {}) };
  return {
    status: response?.status ?? 0,
    statusText: '',
    httpVersion: response ? 'http/1.1' : '',
    headers: response ? harHeaders(headers) : [],
    cookies: [],
    content: { size: body?.length ?? 0, mimeType: body ? 'application/xml' : 'x-unknown', ...(body ? { text: body } : {}) },
    redirectURL: response?.headers?.Location ?? '',
    headersSize: -1,
    bodySize: -1,
    _transferSize: 0,
    _error: error,
  };
}

function harEntry(
  start: number,
  at: number,
  resourceType: string,
  initiator: string,
  method: string,
  url: string,
  headers: Record<string, string>,
  response: ReturnType<typeof harResponse>,
) {
  return {
    _initiator: { type: initiator },
    _resourceType: resourceType,
    cache: {},
    request: { method, url, httpVersion: 'http/1.1', headers: harHeaders(headers), queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
    response,
    startedDateTime: new Date(start + at * 1000).toISOString(),
    time: 10,
    timings: { blocked: 1, dns: -1, ssl: -1, connect: -1, send: 0, wait: 8, receive: 1 },
  };
}

/**
 * When the request was made: the case's `time`, else a minute after a presigned URL's X-Amz-Date (so a URL that was
 * valid is not read as expired), else a fixed date.
 */
function requestTime(r: CaseRequest): number {
  if (r.time) return Date.parse(r.time);
  const amzDate = new URL(r.url).searchParams.get('X-Amz-Date');
  const m = amzDate?.match(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/);
  if (m) return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) + 60_000;
  return Date.parse('2026-11-28T08:00:00.000Z');
}

/** A HAR can be built when the case says what the browser saw (`observed`). Null otherwise. */
function buildHar(c: CorpusCase): object | null {
  const r = c.request;
  const o = r.observed;
  if (!o) return null;
  const start = requestTime(r);
  const method = r.method.toUpperCase();
  const headers = r.headers ?? {};
  const nonSafelisted = Object.keys(headers)
    .map((h) => h.toLowerCase())
    .filter((h) => !SAFELISTED_HEADERS.has(h))
    .sort();
  const entries: object[] = [];
  const referer = `${r.origin}/`;
  if (o.earlierNoCors) {
    const type = o.earlierNoCors.resourceType;
    const mode = type === 'document' ? 'navigate' : 'no-cors';
    const dest = type === 'stylesheet' ? 'style' : type;
    entries.push(
      harEntry(
        start,
        0,
        type,
        type === 'document' ? 'other' : 'parser',
        'GET',
        r.url,
        { Referer: referer, 'Sec-Fetch-Mode': mode, 'Sec-Fetch-Dest': dest },
        harResponse(o.earlierNoCors.response, null),
      ),
    );
  }
  if (o.preflight) {
    const preflightHeaders: Record<string, string> = {
      Accept: '*/*',
      'Access-Control-Request-Method': method,
      Origin: r.origin,
      Referer: referer,
      'Sec-Fetch-Mode': 'cors',
    };
    if (nonSafelisted.length) preflightHeaders['Access-Control-Request-Headers'] = nonSafelisted.join(',');
    entries.push(harEntry(start, 1, 'preflight', 'preflight', 'OPTIONS', r.url, preflightHeaders, harResponse(o.preflight, null)));
  }
  // Chromium records the page's request with provisional headers (no Origin) when it never left the browser (a
  // refused preflight, a replay from the HTTP cache, a network failure): status 0, no response headers, an _error.
  // A response that arrived but failed the CORS check keeps its status and headers with _error net::ERR_FAILED.
  const sent = o.blockedAt === 'actual' || o.blockedAt === null;
  const cookie: Record<string, string> = r.credentials === 'include' ? { Cookie: 'session=corpus-placeholder' } : {};
  const actualHeaders: Record<string, string> = { ...headers, ...cookie, Referer: referer, ...(sent ? { Origin: r.origin, 'Sec-Fetch-Mode': 'cors' } : {}) };
  const actual = sent
    ? harResponse(o.actual, o.blockedAt === 'actual' ? 'net::ERR_FAILED' : null)
    : harResponse(undefined, o.blockedAt === 'network' ? (o.networkError ?? 'net::ERR_FAILED') : 'net::ERR_FAILED');
  entries.push(harEntry(start, 2, 'fetch', 'script', method, r.url, actualHeaders, actual));
  return { log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries } };
}

// ---------------------------------------------------------------------------------------------------------------
// Judging a diagnosis — written independently of the product's code
// ---------------------------------------------------------------------------------------------------------------

interface Rule {
  origins: string[];
  methods: string[];
  headers: string[];
  expose: string[];
}

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Backblaze B2 names operations, not methods: `s3_put` is PUT through the S3-compatible API; `b2_*` are B2's own API. */
function b2Methods(operations: string[]): string[] {
  return operations.filter((op) => op.startsWith('s3_')).map((op) => op.slice(3).toUpperCase());
}

/** One rule in S3 console/CLI JSON, R2 JSON, GCS JSON (origin/method/responseHeader) or B2 JSON (allowedOperations). */
function ruleFromJson(raw: Record<string, unknown>): Rule {
  return {
    origins: list(raw.AllowedOrigins ?? raw.allowedOrigins ?? raw.origin),
    methods: (raw.allowedOperations !== undefined ? b2Methods(list(raw.allowedOperations)) : list(raw.AllowedMethods ?? raw.allowedMethods ?? raw.method)).map(
      (m) => m.toUpperCase(),
    ),
    headers: list(raw.AllowedHeaders ?? raw.allowedHeaders ?? raw.responseHeader),
    expose: list(raw.ExposeHeaders ?? raw.exposeHeaders ?? raw.responseHeader),
  };
}

/** The rules of a posted configuration: S3 XML, or console/CLI/R2/GCS JSON. Plain string work, no product code. */
function parseRules(text: string | null): Rule[] {
  if (text === null) return [];
  const trimmed = text.trim();
  if (trimmed.startsWith('<')) {
    const tag = (body: string, name: string) => [...body.matchAll(new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`, 'g'))].map((m) => m[1]!);
    return [...trimmed.matchAll(/<CORSRule>([\s\S]*?)<\/CORSRule>/g)].map((m) => ({
      origins: tag(m[1]!, 'AllowedOrigin'),
      methods: tag(m[1]!, 'AllowedMethod').map((x) => x.toUpperCase()),
      headers: tag(m[1]!, 'AllowedHeader'),
      expose: tag(m[1]!, 'ExposeHeader'),
    }));
  }
  const json = JSON.parse(trimmed) as unknown;
  const doc = json as Record<string, unknown>;
  const rules = Array.isArray(json) ? json : (doc.CORSRules ?? doc.rules ?? doc.cors ?? doc.corsRules);
  return (rules as Array<Record<string, unknown>>).map(ruleFromJson);
}

/** S3's pattern: at most one `*`, matching any run of characters. Origins case-sensitive, headers not. */
function matches(pattern: string, value: string, caseInsensitive = false): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  const star = p.indexOf('*');
  if (star === -1) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

const WRITE_METHODS = ['PUT', 'POST', 'DELETE'];

function allowsOrigin(rule: Rule, origin: string): boolean {
  return rule.origins.some((o) => matches(o, origin));
}

/** Every way the fix widens access beyond the failing request (empty when it does not). */
function widening(before: Rule[], after: Rule[], requestOrigin: string): string[] {
  const problems: string[] = [];
  const beforePairs = new Set(before.flatMap((r) => r.origins.flatMap((o) => r.methods.map((m) => `${o} ${m}`))));
  for (const rule of after) {
    for (const origin of rule.origins) {
      for (const method of rule.methods) {
        if (origin.includes('*') && WRITE_METHODS.includes(method) && !beforePairs.has(`${origin} ${method}`)) {
          problems.push(`adds ${method} to a rule whose origin \`${origin}\` is a wildcard`);
        }
      }
    }
  }
  const beforeOrigins = new Set(before.flatMap((r) => r.origins));
  const beforeHeaders = new Set(before.flatMap((r) => r.headers.map((h) => h.toLowerCase())));
  for (const origin of new Set(after.flatMap((r) => r.origins))) {
    if (beforeOrigins.has(origin)) continue;
    if (origin.includes('*')) problems.push(`introduces the wildcard origin \`${origin}\``);
    else if (origin !== requestOrigin) problems.push(`adds the origin \`${origin}\`, which is not the request's`);
  }
  for (const header of new Set(after.flatMap((r) => r.headers.map((h) => h.toLowerCase())))) {
    if (header.includes('*') && !beforeHeaders.has(header)) problems.push(`introduces the wildcard header \`${header}\``);
  }
  return problems;
}

interface FixJson {
  config: Array<Record<string, unknown>> | null;
  /** har: what to change besides (or instead of) the configuration. */
  advice?: string[];
  /** explain: the fix as rendered; with `config` null, it holds the advice (the explain JSON has no `advice`). */
  rendered?: string;
  partial?: boolean;
}

interface Diagnosed {
  outcome: string;
  findings: Array<{ code: string; severity: string; message?: string; detail?: string; fix?: string }>;
  fix: FixJson | null;
}

/** Everything the user is told to do: the fix's advice (har) or rendered advice (explain), and each finding's words. */
function adviceText(d: Diagnosed): string {
  return [
    ...(d.fix?.advice ?? []),
    ...(d.fix && !d.fix.config && d.fix.rendered ? [d.fix.rendered] : []),
    ...d.findings.flatMap((f) => [f.message ?? '', f.detail ?? '', f.fix ?? '']),
  ].join('\n');
}

/** Why the fix does not address the settled cause (empty when it does). */
function unaddressed(c: CorpusCase, before: Rule[], d: Diagnosed): string[] {
  const fix = d.fix;
  const r = c.request;
  const method = r.method.toUpperCase();
  const after = fix?.config ? fix.config.map(ruleFromJson) : null;
  const problems: string[] = [];
  const covers = (rules: Rule[], test: (rule: Rule) => boolean) => rules.some((rule) => allowsOrigin(rule, r.origin) && test(rule));
  for (const condition of c.expect.fixMustAddress) {
    if ('noConfigFix' in condition) {
      if (fix?.config) problems.push('proposes a CORS configuration change, but the cause is not in the configuration');
      if (condition.adviceMatches && !new RegExp(condition.adviceMatches, 'i').test(adviceText(d)))
        problems.push(`no advice matching /${condition.adviceMatches}/`);
      continue;
    }
    if (!after) {
      problems.push(`no configuration fix (expected ${JSON.stringify(condition)})`);
      continue;
    }
    if ('addsOrigin' in condition) {
      if (!after.some((rule) => rule.origins.includes(condition.addsOrigin) && rule.methods.includes(method)))
        problems.push(`no rule names the origin ${condition.addsOrigin} with ${method}`);
    } else if ('correctsOrigin' in condition) {
      const { from, to } = condition.correctsOrigin;
      if (!after.some((rule) => rule.origins.includes(to) && rule.methods.includes(method)))
        problems.push(`no rule names the corrected origin ${to} with ${method}`);
      if (after.some((rule) => rule.origins.includes(from))) problems.push(`the mistyped origin ${from} is left in place (duplicated, not corrected)`);
    } else if ('addsMethod' in condition) {
      const m = condition.addsMethod.toUpperCase();
      if (!covers(after, (rule) => rule.methods.includes(m))) problems.push(`no rule allowing ${r.origin} allows ${m}`);
    } else if ('addsHeader' in condition) {
      const h = condition.addsHeader;
      if (!covers(after, (rule) => rule.methods.includes(method) && rule.headers.some((p) => matches(p, h, true))))
        problems.push(`no rule allowing ${r.origin} ${method} allows the header ${h}`);
    } else if ('exposeHeader' in condition) {
      const h = condition.exposeHeader.toLowerCase();
      if (!covers(after, (rule) => rule.methods.includes(method) && rule.expose.some((e) => e.toLowerCase() === h)))
        problems.push(`no rule allowing ${r.origin} ${method} exposes ${condition.exposeHeader}`);
    } else if ('removesMethod' in condition) {
      const m = condition.removesMethod.toUpperCase();
      if (after.some((rule) => rule.methods.includes(m))) problems.push(`${m} is still in an AllowedMethods list`);
    }
  }
  if (after && !fix?.partial) problems.push(...widening(before, after, r.origin).map((p) => `widens access: ${p}`));
  return problems;
}

/** Everything wrong with one diagnosis against the case's settled expectation. */
function judge(c: CorpusCase, d: Diagnosed | undefined): string[] {
  if (!d) return ['no diagnosis for the request'];
  const problems: string[] = [];
  if (d.outcome !== c.expect.outcome) problems.push(`outcome ${d.outcome}, expected ${c.expect.outcome}`);
  // Errors and warnings are what the user is told is wrong; info findings are context and not judged.
  const acceptable = new Set(c.expect.alsoAcceptable ?? []);
  const named = [...new Set(d.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.code))]
    .filter((code) => !acceptable.has(code))
    .sort();
  const expected = [...new Set(c.expect.codes)].sort();
  if (named.join(',') !== expected.join(',')) problems.push(`findings [${named.join(', ')}], expected [${expected.join(', ')}]`);
  problems.push(...unaddressed(c, parseRules(c.config), d));
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Running the corpus
// ---------------------------------------------------------------------------------------------------------------

const CASES_DIR = join(import.meta.dirname, 'cases');
const cases: Array<[string, CorpusCase]> = readdirSync(CASES_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => [name.replace(/\.json$/, ''), JSON.parse(readFileSync(join(CASES_DIR, name), 'utf8')) as CorpusCase]);

const dir = mkdtempSync(join(tmpdir(), 'corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Verdict {
  explain: string[];
  har: string[] | null;
  unmapped: string[];
}

/**
 * The explain JSON's `outcome` is the browser's CORS verdict only (allowed or blocked, issue 3 §4): a request CORS let
 * through that S3 or the network then failed is `allowed` there. The text output's first word says it — "FAILED, NOT
 * BY CORS" — so for an allowed request the verdict is read from there, as a user reads it.
 */
async function explainOutcome(argv: string[], d: Diagnosed): Promise<Diagnosed> {
  if (d.outcome !== 'allowed') return d;
  const text = await runCli(argv.filter((arg) => arg !== '--json'));
  return text.code === 0 && text.stdout.startsWith('FAILED, NOT BY CORS') ? { ...d, outcome: 'failed-not-cors' } : d;
}

async function diagnose(slug: string, c: CorpusCase): Promise<Verdict> {
  let configPath = 'none';
  if (c.config !== null) {
    configPath = join(dir, `${slug}.${c.config.trim().startsWith('<') ? 'xml' : 'json'}`);
    writeFileSync(configPath, c.config);
  }
  const { argv, unmapped } = explainArgs(c, configPath);
  const run = await runCli(argv);
  const explain =
    run.code === 0 ? judge(c, await explainOutcome(argv, JSON.parse(run.stdout) as Diagnosed)) : [`explain exited ${run.code}: ${run.stderr.trim()}`];

  let har: string[] | null = null;
  const built = buildHar(c);
  if (built) {
    const harPath = join(dir, `${slug}.har`);
    writeFileSync(harPath, JSON.stringify(built));
    const harRun = await runCli(['har', harPath, '--config', configPath, '--json']);
    if (harRun.code !== 0) {
      har = [`har exited ${harRun.code}: ${harRun.stderr.trim()}`];
    } else {
      const doc = JSON.parse(harRun.stdout) as { requests: Array<Diagnosed & { method: string }> };
      // The page's request is the HAR's last entry with its method (an earlier <img> of the same URL comes first).
      har = judge(c, doc.requests.filter((q) => q.method === c.request.method.toUpperCase()).at(-1));
    }
  }
  return { explain, har, unmapped };
}

const verdicts = new Map<string, Verdict>();
const right = (v: Verdict) => v.explain.length === 0 && (v.har === null || v.har.length === 0);

describe('real-world corpus', () => {
  beforeAll(async () => {
    for (const [slug, c] of cases) verdicts.set(slug, await diagnose(slug, c));
    const score = [...verdicts.values()].filter(right).length;
    const lines = [`real-world corpus score: ${score}/${cases.length} diagnosed right (explain, and har where a HAR can be built)`];
    for (const [slug, v] of verdicts) {
      if (right(v)) continue;
      lines.push(`  ✗ ${slug}${v.unmapped.length ? ` (explain lacks: ${v.unmapped.join(', ')})` : ''}`);
      for (const p of v.explain) lines.push(`      explain: ${p}`);
      for (const p of v.har ?? []) lines.push(`      har: ${p}`);
    }
    console.log(lines.join('\n'));
  }, 120_000);

  it('has at least 30 cases, each with a source, a settled cause and an expectation', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    for (const [slug, c] of cases) {
      expect(c.source, slug).toMatch(/^https:\/\//);
      expect(c.title.length, slug).toBeGreaterThan(10);
      expect(c.settledCause.length, slug).toBeGreaterThan(20);
      expect(['allowed', 'blocked', 'failed-not-cors'], slug).toContain(c.expect.outcome);
    }
    expect(new Set(cases.map(([, c]) => c.source)).size).toBe(cases.length);
  });

  it('KNOWN_WRONG names only cases that exist', () => {
    const slugs = new Set(cases.map(([slug]) => slug));
    expect(Object.keys(KNOWN_WRONG).filter((slug) => !slugs.has(slug))).toEqual([]);
  });

  it.each(cases.map(([slug]) => slug))('%s', (slug) => {
    const v = verdicts.get(slug)!;
    const problems = [...v.explain.map((p) => `explain: ${p}`), ...(v.har ?? []).map((p) => `har: ${p}`)];
    if (slug in KNOWN_WRONG) {
      // Still wrong, as the table says; once right, move it out of KNOWN_WRONG.
      expect(problems, `${slug} is now diagnosed right: remove it from KNOWN_WRONG`).not.toEqual([]);
    } else {
      expect(problems).toEqual([]);
    }
  });
});

// The judge itself must be able to fail: these are the failure shapes it exists to catch.
describe('corpus judge', () => {
  const base: CorpusCase = {
    source: 'https://example.com',
    title: 'a POST blocked by a typo in the origin',
    settledCause: 'the second rule names the origin with the wrong scheme and a trailing slash',
    config: JSON.stringify([
      { AllowedOrigins: ['*'], AllowedMethods: ['GET'] },
      { AllowedOrigins: ['http://app.example.com/'], AllowedMethods: ['POST'] },
    ]),
    request: { url: 'https://b.s3.us-east-1.amazonaws.com/k', method: 'POST', origin: 'https://app.example.com' },
    expect: {
      outcome: 'blocked',
      codes: ['ORIGIN_NOT_ALLOWED'],
      fixMustAddress: [{ correctsOrigin: { from: 'http://app.example.com/', to: 'https://app.example.com' } }],
    },
  };
  const fixWith = (config: Array<Record<string, unknown>>): Diagnosed => ({
    outcome: 'blocked',
    findings: [{ code: 'ORIGIN_NOT_ALLOWED', severity: 'error' }],
    fix: { config },
  });

  it('accepts the in-place correction', () => {
    expect(
      judge(
        base,
        fixWith([
          { AllowedOrigins: ['*'], AllowedMethods: ['GET'] },
          { AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['POST'] },
        ]),
      ),
    ).toEqual([]);
  });

  it('refuses POST added to the * rule, and says the typo was not corrected', () => {
    const problems = judge(
      base,
      fixWith([
        { AllowedOrigins: ['*'], AllowedMethods: ['GET', 'POST'] },
        { AllowedOrigins: ['http://app.example.com/'], AllowedMethods: ['POST'] },
      ]),
    );
    expect(problems).toContain('widens access: adds POST to a rule whose origin `*` is a wildcard');
    expect(problems.some((p) => p.startsWith('no rule names the corrected origin'))).toBe(true);
  });

  it('refuses a new * origin or header, a foreign origin, a wrong outcome and extra findings', () => {
    const problems = judge(base, {
      outcome: 'allowed',
      findings: [
        { code: 'ORIGIN_NOT_ALLOWED', severity: 'error' },
        { code: 'METHOD_NOT_ALLOWED', severity: 'error' },
      ],
      fix: { config: [{ AllowedOrigins: ['https://*.example.com', 'https://evil.example'], AllowedMethods: ['GET'], AllowedHeaders: ['*'] }] },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'outcome allowed, expected blocked',
        'findings [METHOD_NOT_ALLOWED, ORIGIN_NOT_ALLOWED], expected [ORIGIN_NOT_ALLOWED]',
        'widens access: introduces the wildcard origin `https://*.example.com`',
        "widens access: adds the origin `https://evil.example`, which is not the request's",
        'widens access: introduces the wildcard header `*`',
      ]),
    );
  });

  it('refuses a configuration change where the cause is elsewhere, and checks the advice', () => {
    const redirect: CorpusCase = {
      ...base,
      expect: { outcome: 'blocked', codes: ['PREFLIGHT_REDIRECT'], fixMustAddress: [{ noConfigFix: true, adviceMatches: 'us-west-2' }] },
    };
    const withConfig = {
      outcome: 'blocked',
      findings: [{ code: 'PREFLIGHT_REDIRECT', severity: 'error' }],
      fix: { config: [{ AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['POST'] }], advice: [] },
    };
    expect(judge(redirect, withConfig)).toEqual([
      'proposes a CORS configuration change, but the cause is not in the configuration',
      'no advice matching /us-west-2/',
    ]);
    const advised = {
      outcome: 'blocked',
      findings: [{ code: 'PREFLIGHT_REDIRECT', severity: 'error', message: 'Use https://b.s3.us-west-2.amazonaws.com' }],
      fix: null,
    };
    expect(judge(redirect, advised)).toEqual([]);
    // explain's JSON carries its advice as the rendered fix when there is no configuration change.
    expect(
      judge(redirect, {
        outcome: 'blocked',
        findings: [{ code: 'PREFLIGHT_REDIRECT', severity: 'error' }],
        fix: { config: null, rendered: 'Use https://b.s3.us-west-2.amazonaws.com' },
      }),
    ).toEqual([]);
    expect(
      judge(redirect, {
        outcome: 'blocked',
        findings: [{ code: 'PREFLIGHT_REDIRECT', severity: 'error' }],
        fix: { config: null, rendered: "Use the bucket's own region" },
      }),
    ).toEqual(['no advice matching /us-west-2/']);
  });

  it('accepts an alsoAcceptable code but still requires the expected ones; ignores info findings', () => {
    const cdn: CorpusCase = {
      ...base,
      expect: { outcome: 'blocked', codes: ['CDN_NOT_FORWARDING_ORIGIN'], alsoAcceptable: ['CACHED_RESPONSE_WITHOUT_CORS'], fixMustAddress: [] },
    };
    const both = (codes: string[]) => ({
      outcome: 'blocked',
      findings: [...codes.map((code) => ({ code, severity: 'error' })), { code: 'RULE_SHADOWED', severity: 'info' }],
      fix: null,
    });
    expect(judge(cdn, both(['CDN_NOT_FORWARDING_ORIGIN', 'CACHED_RESPONSE_WITHOUT_CORS']))).toEqual([]);
    expect(judge(cdn, both(['CACHED_RESPONSE_WITHOUT_CORS']))).toEqual(['findings [], expected [CDN_NOT_FORWARDING_ORIGIN]']);
  });

  it('builds Chromium-shaped entries: refused preflight, cache replay, network error, credentials', () => {
    type Entry = {
      _resourceType: string;
      request: { method: string; headers: Array<{ name: string; value: string }> };
      response: { status: number; headers: unknown[]; _error: string | null };
    };
    const entries = (request: CaseRequest) => (buildHar({ ...base, request }) as { log: { entries: Entry[] } }).log.entries;
    const header = (e: Entry, name: string) => e.request.headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
    const url = 'https://b.s3.us-east-1.amazonaws.com/k';
    const refused = entries({
      url,
      method: 'PUT',
      origin: 'https://a.example',
      headers: { 'Content-Type': 'image/png', 'x-amz-meta-owner': 'me' },
      observed: { blockedAt: 'preflight', preflight: { status: 403 } },
    });
    expect(refused.map((e) => [e.request.method, e.response.status, e.response._error])).toEqual([
      ['OPTIONS', 403, null],
      ['PUT', 0, 'net::ERR_FAILED'],
    ]);
    expect(header(refused[0]!, 'Access-Control-Request-Headers')).toBe('x-amz-meta-owner');
    expect(header(refused[1]!, 'Origin')).toBeUndefined();
    const cached = entries({
      url,
      method: 'GET',
      origin: 'https://a.example',
      observed: { blockedAt: 'cache', earlierNoCors: { resourceType: 'image', response: { status: 200 } } },
    });
    expect(cached.map((e) => [e._resourceType, e.response.status, e.response.headers.length, e.response._error])).toEqual([
      ['image', 200, 0, null],
      ['fetch', 0, 0, 'net::ERR_FAILED'],
    ]);
    const tls = entries({
      url,
      method: 'GET',
      origin: 'https://a.example',
      observed: { blockedAt: 'network', networkError: 'net::ERR_CERT_COMMON_NAME_INVALID' },
    });
    expect(tls.map((e) => e.response._error)).toEqual(['net::ERR_CERT_COMMON_NAME_INVALID']);
    const credentialed = entries({
      url,
      method: 'GET',
      origin: 'https://a.example',
      credentials: 'include',
      observed: { blockedAt: 'actual', actual: { status: 200, headers: { 'Access-Control-Allow-Origin': '*' } } },
    });
    expect([header(credentialed[0]!, 'Cookie') !== undefined, header(credentialed[0]!, 'Origin'), credentialed[0]!.response._error]).toEqual([
      true,
      'https://a.example',
      'net::ERR_FAILED',
    ]);
    expect(buildHar(base)).toBeNull();
  });

  it('maps the bucket state, time and observed answer onto explain flags, and names what it cannot map', () => {
    const url = 'https://b.s3.amazonaws.com/k';
    const mapped = explainArgs(
      {
        ...base,
        request: {
          url,
          method: 'PUT',
          origin: 'https://a.example',
          bucketRegion: 'us-west-2',
          bucketState: 'new-bucket',
          time: '2026-01-01T00:00:00Z',
          forcesPreflight: true,
          observed: {
            blockedAt: 'actual',
            preflight: { status: 200 },
            actual: { status: 403, headers: { Server: 'AmazonS3' }, errorCode: 'AccessDenied', errorMessage: 'Request has expired' },
          },
        },
      },
      'cors.json',
    );
    expect(mapped.argv.slice(0, 3)).toEqual(['explain', '--config', 'cors.json']);
    expect(mapped.argv.slice(10)).toEqual([
      '--region',
      'us-west-2',
      '--new-bucket',
      '--at',
      '2026-01-01T00:00:00Z',
      '--browser-error',
      'net::ERR_FAILED',
      '--status',
      '403',
      '--response-header',
      'Server: AmazonS3',
      '--error-code',
      'AccessDenied',
      '--error-message',
      'Request has expired',
      '--force-preflight',
      '--preflight-status',
      '200',
    ]);
    expect(mapped.unmapped).toEqual([]);
    const missing = explainArgs(
      {
        ...base,
        request: {
          url,
          method: 'GET',
          origin: 'https://a.example',
          bucketState: 'missing-bucket',
          observed: { blockedAt: 'network', networkError: 'net::ERR_NAME_NOT_RESOLVED' },
        },
      },
      'none',
    );
    expect(missing.argv).toEqual([
      'explain',
      '--bucket-missing',
      '--url',
      url,
      '--origin',
      'https://a.example',
      '--method',
      'GET',
      '--json',
      '--browser-error',
      'net::ERR_NAME_NOT_RESOLVED',
    ]);
    const cached = explainArgs(
      {
        ...base,
        request: {
          url,
          method: 'GET',
          origin: 'https://a.example',
          observed: { blockedAt: 'cache', earlierNoCors: { resourceType: 'image', response: { status: 200 } } },
        },
      },
      'none',
    );
    expect([cached.argv.at(-1), cached.unmapped]).toEqual(['--cached-no-cors', ['observed.earlierNoCors.response']]);
  });

  it('reads XML configurations', () => {
    expect(
      parseRules(
        '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>get</AllowedMethod><AllowedHeader>Authorization</AllowedHeader><ExposeHeader>ETag</ExposeHeader></CORSRule></CORSConfiguration>',
      ),
    ).toEqual([{ origins: ['*'], methods: ['GET'], headers: ['Authorization'], expose: ['ETag'] }]);
  });

  it('reads GCS and Backblaze B2 configurations (B2 operations: only s3_* are S3 methods)', () => {
    expect(parseRules(JSON.stringify([{ origin: ['http://x.example'], method: ['GET'], responseHeader: ['Content-Type'] }]))).toEqual([
      { origins: ['http://x.example'], methods: ['GET'], headers: ['Content-Type'], expose: ['Content-Type'] },
    ]);
    expect(
      parseRules(JSON.stringify({ corsRules: [{ allowedOrigins: ['*'], allowedOperations: ['s3_put', 'b2_upload_file'], allowedHeaders: ['*'] }] })),
    ).toEqual([{ origins: ['*'], methods: ['PUT'], headers: ['*'], expose: [] }]);
  });
});
