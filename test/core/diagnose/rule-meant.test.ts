/**
 * The rule the user meant (issue 10 item 1) and fixes that never widen access (item 2): the two misdiagnoses found
 * on real reports, as failing-first tests.
 */
import { diagnose, explainRequestDetailed } from '../../../src/core/diagnose/index.js';
import type { PageRequest } from '../../../src/core/fetch/index.js';
import type { CorsRule } from '../../../src/core/policy/index.js';
import type { BucketState } from '../../../src/core/s3/index.js';
import { rankRuleCandidates } from '../../../src/core/replay/rules.js';

const APP = 'https://app.example.com';
const OBJECT = 'https://photos.s3.us-east-1.amazonaws.com/a.jpg';
const WRITES = new Set(['PUT', 'POST', 'DELETE']);

function rule(partial: Partial<CorsRule> & Pick<CorsRule, 'allowedOrigins' | 'allowedMethods'>): CorsRule {
  return { allowedHeaders: [], exposeHeaders: [], ...partial };
}

function cors(...rules: CorsRule[]): BucketState {
  return { kind: 'cors', config: { rules } };
}

describe('a wildcard read rule beside a near-miss rule for the page origin', () => {
  const bucket = cors(
    rule({ allowedOrigins: ['*'], allowedMethods: ['GET'] }),
    rule({ allowedOrigins: ['http://app.example.com/'], allowedMethods: ['POST'], allowedHeaders: ['content-type'] }),
  );
  const page: PageRequest = { origin: APP, method: 'POST', url: OBJECT, headers: { 'content-type': 'application/json' } };
  const { diagnosis } = explainRequestDetailed(page, bucket);

  it('diagnoses the near-miss rule the user meant, not the wildcard rule', () => {
    expect(diagnosis.findings.map((f) => f.code)).toEqual(['ORIGIN_NOT_ALLOWED']);
    const origin = diagnosis.findings[0]!;
    expect(origin.rule).toBe(1);
    expect(origin.message).toContain('http://app.example.com/');
    expect(origin.message).toMatch(/scheme/);
    expect(origin.message).toMatch(/trailing slash/);
  });

  it('mentions the wildcard rule as another candidate, and why it is not the fix', () => {
    expect(diagnosis.findings[0]!.detail).toMatch(/rule 1.*POST.*every/i);
  });

  it('corrects the near-miss origin in place and adds no write method to the `*` rule', () => {
    const fix = diagnosis.fix!;
    expect(fix.verified).toBe(true);
    expect(fix.config).toHaveLength(2);
    expect(fix.config![0]).toEqual(bucket.kind === 'cors' ? bucket.config.rules[0] : null);
    expect(fix.config![1]!.allowedOrigins).toEqual([APP]);
    expect(fix.changes).toEqual([expect.objectContaining({ kind: 'replace-origin', rule: 1, value: APP })]);
    for (const r of fix.config!) if (r.allowedOrigins.includes('*')) expect(r.allowedMethods.filter((m) => WRITES.has(m))).toEqual([]);
  });

  it('states the access delta: only the page origin may now POST', () => {
    const delta = diagnosis.fix!.accessDelta!;
    expect(delta.withinRequest).toBe(true);
    expect(delta.allows.every((g) => g.origin === APP)).toBe(true);
    expect(delta.allows).toContainEqual(expect.objectContaining({ origin: APP, method: 'POST', header: 'content-type' }));
    expect(delta.text).toContain(APP);
  });
});

describe('a wildcard read rule and nothing else for the origin: the fix is a new specific rule', () => {
  const bucket = cors(rule({ allowedOrigins: ['*'], allowedMethods: ['GET', 'HEAD'] }));
  const page: PageRequest = { origin: APP, method: 'PUT', url: OBJECT, headers: { 'content-type': 'image/png' } };
  const { diagnosis } = explainRequestDetailed(page, bucket);

  it('names both failing conditions of the wildcard rule', () => {
    expect(diagnosis.findings.map((f) => f.code).sort()).toEqual(['HEADERS_NOT_ALLOWED', 'METHOD_NOT_ALLOWED']);
  });

  it('adds a rule for the exact origin instead of PUT on `*`', () => {
    const fix = diagnosis.fix!;
    expect(fix.verified).toBe(true);
    expect(fix.config![0]).toEqual(rule({ allowedOrigins: ['*'], allowedMethods: ['GET', 'HEAD'] }));
    expect(fix.changes).toEqual([expect.objectContaining({ kind: 'add-rule' })]);
    expect(fix.config![1]).toEqual(rule({ allowedOrigins: [APP], allowedMethods: ['PUT'], allowedHeaders: ['content-type'] }));
    expect(fix.accessDelta!.withinRequest).toBe(true);
  });
});

describe('a rule failing on the method and a header: every failing condition is its own finding', () => {
  const bucket = cors(rule({ allowedOrigins: [APP], allowedMethods: ['GET'], allowedHeaders: ['content-type'] }));
  const page: PageRequest = { origin: APP, method: 'PUT', url: OBJECT, headers: { 'content-type': 'text/plain', 'x-amz-meta-owner': 'ann' } };
  const { diagnosis } = explainRequestDetailed(page, bucket);

  it('reports METHOD_NOT_ALLOWED and HEADERS_NOT_ALLOWED naming the header', () => {
    const codes = diagnosis.findings.map((f) => f.code);
    expect(codes.sort()).toEqual(['HEADERS_NOT_ALLOWED', 'METHOD_NOT_ALLOWED']);
    const headers = diagnosis.findings.find((f) => f.code === 'HEADERS_NOT_ALLOWED')!;
    expect(headers.rule).toBe(0);
    expect(headers.message).toContain('x-amz-meta-owner');
    expect(headers.message).not.toContain('`content-type`');
    expect(diagnosis.findings.find((f) => f.code === 'METHOD_NOT_ALLOWED')!.rule).toBe(0);
  });

  it('fixes both conditions at once, and the fix passes', () => {
    const fix = diagnosis.fix!;
    expect(fix.verified).toBe(true);
    expect(fix.config![0]!.allowedMethods).toContain('PUT');
    expect(fix.config![0]!.allowedHeaders).toEqual(['content-type', 'x-amz-meta-owner']);
    expect(fix.accessDelta!.withinRequest).toBe(true);
  });
});

describe('a wildcard answer to a credentialed request whose rule names the origin', () => {
  const config = { rules: [rule({ allowedOrigins: [APP], allowedMethods: ['GET'] })] };
  const exchange = (url: string) => ({
    id: 'cred',
    source: 'fixture' as const,
    pageOrigin: APP,
    credentials: 'include' as const,
    request: { method: 'GET', url, headers: { origin: APP } },
    response: { status: 200, headers: { 'access-control-allow-origin': '*' } },
    corsError: { corsError: 'WildcardOriginNotAllowed' },
  });

  it('on AWS, says the live configuration is not the one given (S3 never answers `*` for a rule naming the origin)', () => {
    const codes = diagnose(exchange(OBJECT), { bucket: { kind: 'cors', config } }).findings.map((f) => f.code);
    expect(codes).toContain('CONFIG_NOT_APPLIED');
  });

  it('on a look-alike (s3rver), blames neither the rule nor the configuration being live', () => {
    const codes = diagnose(exchange('http://127.0.0.1:4569/photos/a.jpg'), { bucket: { kind: 'cors', config } }).findings.map((f) => f.code);
    expect(codes).toEqual(['CREDENTIALS_WITH_WILDCARD_ORIGIN']);
  });
});

describe('near-miss origins: named, ranked, and corrected in place or beside', () => {
  const cases: Array<[string, RegExp, 'replace-origin' | 'add-origin']> = [
    ['http://app.example.com/', /trailing slash.*scheme differs/, 'replace-origin'],
    ['https://app.example.com/uploads', /path/, 'replace-origin'],
    ['app.example.com', /no scheme/, 'replace-origin'],
    ['https://APP.example.com', /letter case/, 'replace-origin'],
    ['https://app.example.com:443', /default port/, 'replace-origin'],
    // Matches subdomains of any scheme, so it stays; the apex is added beside it.
    ['*.app.example.com', /misplaced `\*`/, 'add-origin'],
    ['http://app.example.com', /scheme differs/, 'add-origin'],
    ['https://app.example.com:8443', /port differs/, 'add-origin'],
    ['https://www.app.example.com', /`www\.`/, 'add-origin'],
  ];
  it.each(cases)('%s', (pattern, why, kind) => {
    const near = rule({ allowedOrigins: [pattern], allowedMethods: ['PUT'], allowedHeaders: ['content-type'] });
    const wildcard = rule({ allowedOrigins: ['*'], allowedMethods: ['GET'] });
    const { page, config } = {
      page: { origin: APP, method: 'PUT', url: OBJECT, headers: { 'content-type': 'image/png' } },
      config: { rules: [wildcard, near] },
    };
    const { diagnosis } = explainRequestDetailed(page, { kind: 'cors', config });
    expect(diagnosis.findings.map((f) => f.code)).toEqual(['ORIGIN_NOT_ALLOWED']);
    expect(diagnosis.findings[0]!.rule).toBe(1);
    expect(diagnosis.findings[0]!.message).toMatch(why);
    const fix = diagnosis.fix!;
    expect(fix.verified).toBe(true);
    expect(fix.changes).toEqual([expect.objectContaining({ kind, rule: 1, value: APP })]);
    expect(fix.config![1]!.allowedOrigins).toEqual(kind === 'replace-origin' ? [APP] : [pattern, APP]);
    expect(fix.config![0]).toEqual(wildcard);
    expect(fix.accessDelta!.allows.every((g) => g.origin === APP)).toBe(true);
  });

  it('ranks a near-miss rule that has the method and headers above a `*` rule lacking the method', () => {
    const config = {
      rules: [rule({ allowedOrigins: ['*'], allowedMethods: ['GET'] }), rule({ allowedOrigins: ['https://app.example.com:443'], allowedMethods: ['DELETE'] })],
    };
    const trace = explainRequestDetailed({ origin: APP, method: 'DELETE', url: OBJECT, headers: {} }, { kind: 'cors', config }).diagnosis.trace;
    const ranked = rankRuleCandidates(config, trace, APP);
    expect(ranked.map((c) => c.index)).toEqual([1, 0]);
    expect(ranked[1]!.widens).toMatch(/every website DELETE/);
  });
});
