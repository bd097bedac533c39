import { parsePolicy, validatePolicy, type CorsConfiguration, type CorsRule } from '../../../src/core/policy/index.js';

const MALFORMED = 'The XML you provided was not well-formed or did not validate against our published schema';

function rule(overrides: Partial<CorsRule> = {}): CorsRule {
  return { allowedOrigins: ['https://app.example.com'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [], ...overrides };
}

const config = (...rules: CorsRule[]): CorsConfiguration => ({ rules });

describe('PutBucketCors validation (spec §5 table)', () => {
  it('row "AllowedMethod outside the five (PATCH, OPTIONS, MYMETHOD)": InvalidRequest naming the first offender (recorded)', () => {
    const errors = validatePolicy(config(rule({ allowedMethods: ['GET', 'PATCH', 'OPTIONS'] }), rule({ allowedMethods: ['MYMETHOD'] })));
    expect(errors.map((e) => [e.code, e.message, e.rule, e.evidence])).toEqual([
      ['InvalidRequest', 'Found unsupported HTTP method in CORS config. Unsupported method is PATCH', 0, 'recorded'],
      ['InvalidRequest', 'Found unsupported HTTP method in CORS config. Unsupported method is OPTIONS', 0, 'recorded'],
      ['InvalidRequest', 'Found unsupported HTTP method in CORS config. Unsupported method is MYMETHOD', 1, 'recorded'],
    ]);
  });

  it('row "zero rules": MalformedXML with S3\'s message (recorded)', () => {
    expect(validatePolicy(config())).toEqual([expect.objectContaining({ code: 'MalformedXML', message: MALFORMED, rule: null, evidence: 'recorded' })]);
  });

  it('row "AllowedOrigin with two *": InvalidRequest with the origin quoted (recorded)', () => {
    const errors = validatePolicy(config(rule({ allowedOrigins: ['https://*.example.*', '*example*.com'] })));
    expect(errors.map((e) => [e.code, e.message, e.evidence])).toEqual([
      ['InvalidRequest', 'AllowedOrigin "https://*.example.*" can not have more than one wildcard.', 'recorded'],
      ['InvalidRequest', 'AllowedOrigin "*example*.com" can not have more than one wildcard.', 'recorded'],
    ]);
  });

  it('row "rule without AllowedOrigin or without AllowedMethod": MalformedXML (secondary)', () => {
    const errors = validatePolicy(config(rule({ allowedOrigins: [] }), rule({ allowedMethods: [] })));
    expect(errors.map((e) => [e.code, e.message, e.rule, e.element, e.evidence])).toEqual([
      ['MalformedXML', MALFORMED, 0, 'CORSRule', 'secondary'],
      ['MalformedXML', MALFORMED, 1, 'CORSRule', 'secondary'],
    ]);
  });

  it('row "lowercase method (get)": InvalidRequest (secondary)', () => {
    expect(validatePolicy(config(rule({ allowedMethods: ['get'] })))).toEqual([
      expect.objectContaining({
        code: 'InvalidRequest',
        message: 'Found unsupported HTTP method in CORS config. Unsupported method is get',
        evidence: 'secondary',
        detail: 'methods are case-sensitive: write GET (rule 1)',
      }),
    ]);
  });

  it('row "AllowedHeader with two *": InvalidRequest (secondary)', () => {
    expect(validatePolicy(config(rule({ allowedHeaders: ['x-*-*'] })))).toEqual([
      expect.objectContaining({ code: 'InvalidRequest', message: 'AllowedHeader "x-*-*" can not have more than one wildcard.', evidence: 'secondary' }),
    ]);
  });

  it('row "ExposeHeader containing *": InvalidRequest with the mirrored message (secondary)', () => {
    expect(validatePolicy(config(rule({ exposeHeaders: ['*'] })))).toEqual([
      expect.objectContaining({
        code: 'InvalidRequest',
        message: 'ExposeHeader "*" contains wildcard. We currently do not support wildcard for ExposeHeader',
        element: 'ExposeHeader',
        evidence: 'secondary',
      }),
    ]);
  });

  it('row "non-integer MaxAgeSeconds": MalformedXML (secondary), from a number or from XML text', () => {
    expect(validatePolicy(config(rule({ maxAgeSeconds: 1.5 })))).toEqual([
      expect.objectContaining({ code: 'MalformedXML', message: MALFORMED, element: 'MaxAgeSeconds', evidence: 'secondary' }),
    ]);
    const xml = parsePolicy(
      '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>\n<MaxAgeSeconds>ten</MaxAgeSeconds></CORSRule></CORSConfiguration>',
    );
    expect(validatePolicy(xml)).toEqual([
      expect.objectContaining({ code: 'MalformedXML', element: 'MaxAgeSeconds', line: 2, column: 1, evidence: 'secondary' }),
    ]);
  });

  it('row "more than 100 rules": our choice MalformedXML, marked unknown, pointing at rule 101', () => {
    const errors = validatePolicy(config(...Array.from({ length: 101 }, () => rule())));
    expect(errors).toEqual([expect.objectContaining({ code: 'MalformedXML', rule: 100, evidence: 'unknown' })]);
    expect(errors[0]!.detail).toMatch(/at most 100\. .*unknown/);
    expect(validatePolicy(config(...Array.from({ length: 100 }, () => rule())))).toEqual([]);
  });

  it('row "accepted": empty-string origin, non-URL origin localhost, explicit ports, mixed-case headers, x-amz-* headers', () => {
    expect(
      validatePolicy(
        config(
          rule({
            allowedOrigins: ['', 'localhost', 'http://localhost:4200', 'https://*.example.com', 'http://localhost:*'],
            allowedMethods: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'],
            allowedHeaders: ['Content-Type', 'X-Amz-Date', 'x-amz-*', '*'],
            exposeHeaders: ['ETag', 'x-amz-request-id'],
            maxAgeSeconds: 3000,
            id: 'x'.repeat(255),
          }),
        ),
      ),
    ).toEqual([]);
  });

  it('S26: a document above 64 KB is refused (code unknown, our choice MalformedXML)', () => {
    const big = config(...Array.from({ length: 10 }, () => rule({ allowedOrigins: Array.from({ length: 200 }, (_, k) => `https://site-${k}.example.com`) })));
    expect(validatePolicy(big)).toEqual([expect.objectContaining({ code: 'MalformedXML', evidence: 'unknown' })]);
  });

  it('S26: an ID above 255 characters is refused (code unknown, our choice InvalidRequest)', () => {
    expect(validatePolicy(config(rule({ id: 'x'.repeat(256) })))).toEqual([
      expect.objectContaining({ code: 'InvalidRequest', element: 'ID', evidence: 'unknown' }),
    ]);
  });

  it('puts schema failures first: errors[0] is the answer we expect from S3', () => {
    const errors = validatePolicy(config(rule({ allowedMethods: ['PATCH'] }), rule({ allowedOrigins: [] })));
    expect(errors.map((e) => e.code)).toEqual(['MalformedXML', 'InvalidRequest']);
  });

  it('points every error at the offending value in the source', () => {
    const policy = parsePolicy('[\n  {\n    "AllowedOrigins": ["https://a.example"],\n    "AllowedMethods": ["GET", "PATCH"]\n  }\n]', { file: 'c.json' });
    expect(validatePolicy(policy)).toEqual([expect.objectContaining({ rule: 0, element: 'AllowedMethod', line: 4, column: 31 })]);
  });

  it('points "zero rules" at the rule list', () => {
    expect(validatePolicy(parsePolicy('{\n  "CORSRules": []\n}'))).toEqual([expect.objectContaining({ code: 'MalformedXML', line: 2, column: 16 })]);
  });
});
