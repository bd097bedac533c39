import { LINT_CODES, lintPolicy, parsePolicy, type CorsRule, type ParsedPolicy } from '../../../src/core/policy/index.js';

function policyOf(...rules: Array<Partial<CorsRule>>): ParsedPolicy {
  const full = rules.map((r) => ({ allowedOrigins: ['https://app.example.com'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [], ...r }));
  return { format: 'console-json', config: { rules: full }, sources: [] };
}

const codes = (policy: ParsedPolicy) => lintPolicy(policy).warnings.map((w) => w.code);
const warning = (policy: ParsedPolicy, code: string) => lintPolicy(policy).warnings.find((w) => w.code === code);

/** A rule for uploads that should raise nothing at all. */
const CLEAN_UPLOAD: Partial<CorsRule> = { allowedMethods: ['PUT', 'POST'], allowedHeaders: ['*'], exposeHeaders: ['ETag'], maxAgeSeconds: 3000 };

describe('lintPolicy', () => {
  it('returns valid = no errors, the format, errors and warnings', () => {
    const result = lintPolicy(policyOf(CLEAN_UPLOAD, { allowedMethods: ['HEAD'] }));
    expect(result).toEqual({ valid: true, format: 'console-json', errors: [], warnings: [] });
    expect(lintPolicy(policyOf({ allowedMethods: ['PATCH'] })).valid).toBe(false);
  });

  it('every warning carries a stable code from LINT_CODES and a fix', () => {
    const result = lintPolicy(
      policyOf(
        {
          allowedOrigins: [
            'https://a.example.com/',
            'a.example.com',
            'https://a.example.com:443',
            '',
            ' https://b.example.com',
            'HTTPS://C.example.com',
            'null',
            '*',
          ],
          allowedMethods: ['PUT', 'OPTIONS'],
          allowedHeaders: ['authorization'],
          maxAgeSeconds: 86400,
        },
        { allowedOrigins: ['*'], allowedMethods: ['PUT'], allowedHeaders: ['authorization'], id: 'a' },
      ),
    );
    expect(result.warnings.length).toBeGreaterThan(10);
    for (const w of result.warnings) {
      expect(LINT_CODES).toContain(w.code);
      expect(w.fix.length).toBeGreaterThan(5);
    }
  });

  describe('origins', () => {
    it('ORIGIN_HAS_PATH: a trailing slash never matches (S9), fix strips it', () => {
      const w = warning(policyOf({ allowedOrigins: ['https://app.example.com/'] }), 'ORIGIN_HAS_PATH');
      expect(w).toMatchObject({ rule: 0, element: 'AllowedOrigin', fix: 'Write "https://app.example.com".' });
    });

    it('ORIGIN_HAS_PATH: a path, also with a wildcard, never matches', () => {
      expect(warning(policyOf({ allowedOrigins: ['http://example.com:5000/*'] }), 'ORIGIN_HAS_PATH')?.fix).toBe('Write "http://example.com:5000".');
    });

    it('ORIGIN_NO_SCHEME: a scheme-less origin never matches a browser Origin', () => {
      expect(warning(policyOf({ allowedOrigins: ['test.com'] }), 'ORIGIN_NO_SCHEME')?.fix).toBe(
        'Write "https://test.com" (and the http:// form too if you serve it).',
      );
      expect(warning(policyOf({ allowedOrigins: ['*.example.com'] }), 'ORIGIN_NO_SCHEME')?.message).toMatch(/which is unknown\)$/);
    });

    it('ORIGIN_DEFAULT_PORT: :443 on https and :80 on http are never in Origin', () => {
      expect(warning(policyOf({ allowedOrigins: ['https://a.example.com:443'] }), 'ORIGIN_DEFAULT_PORT')?.fix).toBe('Write "https://a.example.com".');
      expect(codes(policyOf({ allowedOrigins: ['http://a.example.com:80'] }))).toContain('ORIGIN_DEFAULT_PORT');
      expect(codes(policyOf({ allowedOrigins: ['http://a.example.com:443', 'http://localhost:8080'] }))).toEqual([]);
    });

    it('ORIGIN_EMPTY, ORIGIN_WHITESPACE, ORIGIN_UPPERCASE, ORIGIN_NULL', () => {
      expect(codes(policyOf({ allowedOrigins: [''] }))).toEqual(['ORIGIN_EMPTY']);
      expect(codes(policyOf({ allowedOrigins: ['https://a.example.com '] }))).toEqual(['ORIGIN_WHITESPACE']);
      expect(warning(policyOf({ allowedOrigins: ['https://App.Example.com'] }), 'ORIGIN_UPPERCASE')?.fix).toBe('Write "https://app.example.com".');
      expect(codes(policyOf({ allowedOrigins: ['null'] }))).toEqual(['ORIGIN_NULL']);
    });

    it('leaves correct origins, wildcards and ports alone', () => {
      expect(codes(policyOf({ allowedOrigins: ['*', 'https://*.example.com', 'http://localhost:*', 'http://127.0.0.1:5173', 'http*://example.com'] }))).toEqual(
        [],
      );
    });
  });

  it('OPTIONS_IN_METHODS explains why OPTIONS is wrong, next to the InvalidRequest error', () => {
    const result = lintPolicy(policyOf({ allowedMethods: ['GET', 'OPTIONS'] }));
    expect(result.errors.map((e) => e.code)).toEqual(['InvalidRequest']);
    expect(result.warnings.find((w) => w.code === 'OPTIONS_IN_METHODS')).toMatchObject({
      rule: 0,
      element: 'AllowedMethod',
      fix: expect.stringMatching(/^Remove OPTIONS/),
    });
  });

  describe('rule order (S8: first match wins)', () => {
    it('RULE_SHADOWED: a * GET rule before the app rule that exposes ETag', () => {
      const p = policyOf(
        { allowedOrigins: ['*'], allowedMethods: ['GET', 'HEAD'] },
        { allowedOrigins: ['https://app.example.com'], allowedMethods: ['GET'], exposeHeaders: ['ETag'] },
      );
      expect(warning(p, 'RULE_SHADOWED')).toMatchObject({ rule: 1, message: expect.stringMatching(/^rule 2 is never used: rule 1 comes first/) });
    });

    it('RULE_SHADOWED: a literal origin covered by an earlier single-wildcard origin, headers covered by *', () => {
      const p = policyOf(
        { allowedOrigins: ['https://*.example.com'], allowedMethods: ['PUT', 'GET'], allowedHeaders: ['*'] },
        { allowedOrigins: ['https://app.example.com'], allowedMethods: ['PUT'], allowedHeaders: ['Content-Type'], exposeHeaders: ['ETag'] },
      );
      expect(codes(p)).toContain('RULE_SHADOWED');
    });

    it('is conservative: no claim when coverage depends on unknown wildcard semantics or is partial', () => {
      const spans = policyOf({ allowedOrigins: ['https://*.example.com'] }, { allowedOrigins: ['https://a.b.example.com'] });
      const partialMethods = policyOf({ allowedMethods: ['GET'] }, { allowedMethods: ['GET', 'PUT'], ...CLEAN_UPLOAD });
      const partialHeaders = policyOf({ allowedHeaders: ['content-type'] }, { allowedHeaders: ['content-type', 'x-amz-date'] });
      const patternVsPattern = policyOf({ allowedOrigins: ['https://*.example.com'] }, { allowedOrigins: ['https://*.app.example.com'] });
      for (const p of [spans, partialMethods, partialHeaders, patternVsPattern]) {
        expect(codes(p)).not.toContain('RULE_SHADOWED');
      }
    });

    it('RULE_DUPLICATE: the same rule twice (order and header case ignored)', () => {
      const p = policyOf(
        { allowedMethods: ['GET', 'HEAD'], allowedHeaders: ['Range'] },
        { allowedMethods: ['HEAD', 'GET'], allowedHeaders: ['range'], id: 'again' },
      );
      expect(codes(p)).toEqual(['RULE_DUPLICATE']);
    });

    it('DUPLICATE_ID: two rules with one ID', () => {
      expect(codes(policyOf({ id: 'a' }, { id: 'a', allowedOrigins: ['https://b.example.com'] }))).toEqual(['DUPLICATE_ID']);
    });
  });

  it('WILDCARD_ORIGIN_WRITE: * with PUT/POST/DELETE; not for * with GET', () => {
    expect(warning(policyOf({ ...CLEAN_UPLOAD, allowedOrigins: ['*'] }), 'WILDCARD_ORIGIN_WRITE')).toMatchObject({
      element: 'AllowedOrigin',
      message: expect.stringContaining('PUT, POST'),
    });
    expect(codes(policyOf({ allowedOrigins: ['*'], allowedMethods: ['GET', 'HEAD'] }))).toEqual([]);
  });

  it('ETAG_NOT_EXPOSED: PUT/POST without ETag in ExposeHeaders (any case counts)', () => {
    expect(codes(policyOf({ ...CLEAN_UPLOAD, exposeHeaders: [] }))).toEqual(['ETAG_NOT_EXPOSED']);
    expect(codes(policyOf({ ...CLEAN_UPLOAD, exposeHeaders: ['etag'] }))).toEqual([]);
  });

  it('CONTENT_TYPE_NOT_ALLOWED: uploads with AllowedHeaders that do not cover Content-Type', () => {
    expect(codes(policyOf({ ...CLEAN_UPLOAD, allowedHeaders: [] }))).toEqual(['CONTENT_TYPE_NOT_ALLOWED']);
    expect(codes(policyOf({ ...CLEAN_UPLOAD, allowedHeaders: ['Content-Type'] }))).toEqual([]);
  });

  describe('SDK_HEADERS_MISSING', () => {
    it('lists exactly what the AWS SDK for JS v3 sends and the rule omits, checksum headers included', () => {
      const p = policyOf({ ...CLEAN_UPLOAD, allowedHeaders: ['authorization', 'content-type', 'x-amz-date', 'x-amz-content-sha256'] });
      expect(warning(p, 'SDK_HEADERS_MISSING')?.message).toContain(
        'omits amz-sdk-invocation-id, amz-sdk-request, x-amz-user-agent, x-amz-security-token, x-amz-checksum-*, x-amz-sdk-checksum-algorithm;',
      );
    });

    it('is satisfied by x-amz-* plus the amz-sdk-* pair and authorization', () => {
      expect(
        codes(policyOf({ ...CLEAN_UPLOAD, allowedHeaders: ['Authorization', 'Content-Type', 'x-amz-*', 'amz-sdk-invocation-id', 'amz-sdk-request'] })),
      ).toEqual([]);
    });

    it('does not flag "*" (fine, also on a credentials-echoing rule), presigned-style content-type-only rules, or read-only rules', () => {
      expect(codes(policyOf(CLEAN_UPLOAD))).toEqual([]);
      expect(codes(policyOf({ ...CLEAN_UPLOAD, allowedHeaders: ['content-type'] }))).toEqual([]);
      expect(codes(policyOf({ allowedMethods: ['GET'], allowedHeaders: ['authorization'] }))).toEqual([]);
    });
  });

  it("MAX_AGE_ABOVE_BROWSER_CAP above Chromium's 7200 s; MAX_AGE_NEGATIVE below 0", () => {
    expect(codes(policyOf({ maxAgeSeconds: 7200 }))).toEqual([]);
    expect(warning(policyOf({ maxAgeSeconds: 86400 }), 'MAX_AGE_ABOVE_BROWSER_CAP')?.message).toMatch(/7200 s, Firefox at 86400 s/);
    expect(codes(policyOf({ maxAgeSeconds: -1 }))).toEqual(['MAX_AGE_NEGATIVE']);
  });

  it('reports parser notes (MULTIPLE_CONFIGURATIONS) as warnings', () => {
    const text =
      'A:\n  Type: AWS::S3::Bucket\n  Properties: {CorsConfiguration: {CorsRules: [{AllowedMethods: [GET], AllowedOrigins: ["*"]}]}}\nB:\n  Type: AWS::S3::Bucket\n  Properties: {CorsConfiguration: {CorsRules: [{AllowedMethods: [GET], AllowedOrigins: ["*"]}]}}\n';
    expect(codes(parsePolicy(text, { format: 'cloudformation' }))).toEqual(['MULTIPLE_CONFIGURATIONS']);
  });

  it('gives warnings the source position of the value they are about', () => {
    const policy = parsePolicy('[\n  {\n    "AllowedMethods": ["GET"],\n    "AllowedOrigins": ["https://ok.example.com", "https://app.example.com/"]\n  }\n]');
    expect(warning(policy, 'ORIGIN_HAS_PATH')).toMatchObject({ line: 4, column: 50, rule: 0, element: 'AllowedOrigin' });
  });
});

describe('lint on huge configurations', () => {
  it('reports the rule count S3 refuses', () => {
    const rules = Array.from({ length: 5000 }, (_, k) => ({ allowedOrigins: [`https://a${k}.example.com`], allowedMethods: ['GET'] }));
    expect(lintPolicy(policyOf(...rules)).errors.map((e) => e.code)).toContain('MalformedXML');
  });

  it('bounds the quadratic shadowing analysis to the first 300 rules (no clock: every later rule is shadowed, none reported)', () => {
    // Rule 1 matches every request of every later rule, so an unbounded analysis would report all 4999 of them.
    const rules = [
      { allowedOrigins: ['*'], allowedMethods: ['GET'] },
      ...Array.from({ length: 4999 }, (_, k) => ({ allowedOrigins: [`https://a${k}.example.com`], allowedMethods: ['GET'] })),
    ];
    const shadowed = lintPolicy(policyOf(...rules)).warnings.filter((w) => w.code === 'RULE_SHADOWED');
    expect(shadowed.map((w) => w.rule)).toEqual(Array.from({ length: 299 }, (_, k) => k + 1));
  });
});
