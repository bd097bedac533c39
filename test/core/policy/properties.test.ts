import fc from 'fast-check';
import {
  PolicyParseError,
  lintPolicy,
  parsePolicy,
  renderPolicy,
  validatePolicy,
  type CorsConfiguration,
  type CorsRule,
  type ParsedPolicy,
  type RenderFormat,
} from '../../../src/core/policy/index.js';

const RUNS = Number(process.env.POLICY_PROPERTY_RUNS ?? 150);

/**
 * Characters a stored S3 CORS value can hold (XML 1.0 characters; U+FFFD excluded because the reader treats it as
 * a sign of non-UTF-8 input), weighted towards the ones each format must escape.
 */
const valueChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'abcXYZ019-_.:/'.split('')) },
  { weight: 4, arbitrary: fc.constantFrom(...` "'\\<>&;#$%{}[](),=!|\`@?+~`.split('')) },
  { weight: 1, arbitrary: fc.constantFrom('\t', '\n', '\r', '\u007f', '\u0085', '\u00a0', '\u2028', '\u2029', 'é', '中', '😀', '\ufeff') },
  { weight: 1, arbitrary: fc.constantFrom('${', '%{', '$${', '*/', '/*', '//', ']]>', '-->', '&amp;', '\\u0041', 'yes', 'null', '~') },
);
const text = (maxLength = 12) => fc.array(valueChar, { maxLength }).map((parts) => parts.join(''));
const withoutStar = (maxLength?: number) => text(maxLength).map((s) => s.replace(/\*/g, ''));
/** At most one `*`, as PutBucketCors requires of origins and allowed headers. */
const oneStarAtMost = fc.tuple(withoutStar(), fc.boolean(), withoutStar()).map(([a, star, b]) => (star ? `${a}*${b}` : `${a}${b}`));

const validRule: fc.Arbitrary<CorsRule> = fc.record(
  {
    id: withoutStar(20),
    allowedOrigins: fc.array(oneStarAtMost, { minLength: 1, maxLength: 3 }),
    allowedMethods: fc.subarray(['GET', 'PUT', 'POST', 'DELETE', 'HEAD'], { minLength: 1 }),
    allowedHeaders: fc.array(oneStarAtMost, { maxLength: 3 }),
    exposeHeaders: fc.array(withoutStar(), { maxLength: 3 }),
    maxAgeSeconds: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  },
  { requiredKeys: ['allowedOrigins', 'allowedMethods', 'allowedHeaders', 'exposeHeaders'] },
);
const validConfig: fc.Arbitrary<CorsConfiguration> = fc.array(validRule, { minLength: 1, maxLength: 4 }).map((rules) => ({ rules }));

const PARSEABLE_FORMATS: RenderFormat[] = ['console', 'cli-json', 'xml', 'cloudformation', 'cloudformation-json', 'terraform'];

/** A GCS CORS document: any values, methods including `*`, OPTIONS and lower case; `origin` always there (it marks the form). */
const gcsDocument = fc.array(
  fc.record(
    {
      origin: fc.array(text(), { maxLength: 3 }),
      method: fc.array(fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD', '*', 'OPTIONS', 'PATCH', 'get'), { maxLength: 4 }),
      responseHeader: fc.array(text(), { maxLength: 3 }),
      maxAgeSeconds: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    },
    { requiredKeys: ['origin'] },
  ),
  { minLength: 1, maxLength: 3 },
);

const B2_OPERATIONS = [
  's3_get',
  's3_head',
  's3_put',
  's3_post',
  's3_delete',
  'b2_download_file_by_id',
  'b2_download_file_by_name',
  'b2_upload_file',
  'b2_upload_part',
];
/** B2 corsRules B2 accepts the names of (6–50 letters, digits, '-', unique); any other values. */
const b2Document = fc
  .array(
    fc.record(
      {
        allowedOrigins: fc.array(fc.oneof(text(), fc.constantFrom('*', 'https', 'https://*')), { minLength: 1, maxLength: 3 }),
        allowedOperations: fc.array(fc.oneof(fc.constantFrom(...B2_OPERATIONS), text(8)), { minLength: 1, maxLength: 4 }),
        allowedHeaders: fc.array(text(), { maxLength: 3 }),
        exposeHeaders: fc.array(text(), { maxLength: 3 }),
        maxAgeSeconds: fc.integer({ min: 0, max: 86400 }),
      },
      { requiredKeys: ['allowedOrigins', 'allowedOperations', 'maxAgeSeconds'] },
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((rules) => ({ corsRules: rules.map((rule, k) => ({ corsRuleName: `rule-from-b2-${k}`, ...rule })) }));

/** The contract: a configuration or a PolicyParseError, never anything else; what parses can be linted. */
function parsesOrRefusesCleanly(input: string): void {
  let policy: ParsedPolicy;
  try {
    policy = parsePolicy(input, { file: 'fuzz' });
  } catch (err) {
    if (!(err instanceof PolicyParseError)) throw err;
    expect(err.message).not.toContain('\n');
    expect(err.message.startsWith('fuzz')).toBe(true);
    // The last-resort wrapper in parsePolicy turns internal failures into PolicyParseError; it must never be needed.
    expect(err.message).not.toMatch(/could not parse the document/);
    return;
  }
  lintPolicy(policy);
}

describe('policy properties', () => {
  it('the generated configurations are valid for PutBucketCors', () => {
    fc.assert(
      fc.property(validConfig, (config) => validatePolicy(config).length === 0),
      { numRuns: RUNS },
    );
  });

  for (const format of PARSEABLE_FORMATS) {
    it(`render as ${format} then parse gives back the same configuration`, () => {
      fc.assert(
        fc.property(validConfig, (config) => {
          const policy = parsePolicy(renderPolicy(config, format));
          expect(policy.config).toEqual(config);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it("a GCS document reads back the same after it is written back in GCS's form", () => {
    fc.assert(
      fc.property(gcsDocument, (entries) => {
        const policy = parsePolicy(JSON.stringify(entries));
        expect(policy.format).toBe('gcs-json');
        expect(parsePolicy(renderPolicy(policy.config, 'gcs')).config).toEqual(policy.config);
      }),
      { numRuns: RUNS },
    );
  });

  it("B2 corsRules read back the same after they are written back in B2's form (native operations and all)", () => {
    fc.assert(
      fc.property(b2Document, (document) => {
        const policy = parsePolicy(JSON.stringify(document));
        expect(policy.format).toBe('b2-json');
        expect(parsePolicy(renderPolicy(policy.config, 'b2')).config).toEqual(policy.config);
      }),
      { numRuns: RUNS },
    );
  });

  it('the cli command carries the same configuration as cli-json', () => {
    fc.assert(
      fc.property(validConfig, (config) => {
        const command = renderPolicy(config, 'cli').trimEnd();
        const argument = command.slice(command.indexOf('--cors-configuration ') + '--cors-configuration '.length);
        const json = argument.slice(1, -1).replace(/'\\''/g, "'");
        expect(parsePolicy(json).config).toEqual(config);
      }),
      { numRuns: RUNS },
    );
  });

  it('the cdk form writes every value as a TypeScript string literal that evaluates back to it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (id) => {
        const cdk = renderPolicy({ rules: [{ id, allowedOrigins: ['*'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [] }] }, 'cdk');
        const literal = /^ {6}id: (.*),$/m.exec(cdk)![1]!;
        // Evaluating only a string literal our escaper produced; a broken escaper fails here instead of compiling wrongly.
        expect(new Function(`return ${literal};`)()).toBe(id);
      }),
      { numRuns: RUNS },
    );
  });

  it('parsePolicy throws nothing but PolicyParseError on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), parsesOrRefusesCleanly), { numRuns: RUNS });
  });

  it("parsePolicy throws nothing but PolicyParseError on arbitrary strings behind each format's opening", () => {
    const openings = [
      '[',
      '{"CORSRules":',
      '<CORSConfiguration>',
      'CorsRules:\n  - ',
      'resource "aws_s3_bucket_cors_configuration" "x" {\n cors_rule {',
      '[{"origin":',
      '{"cors": [',
      '{"corsRules": [{"corsRuleName":',
    ];
    const noise = fc.array(
      fc.oneof(valueChar, fc.constantFrom('<', '>', '/', '"', '{', '}', '[', ']', ':', ',', '\n', '  ', '- ', '!Ref ', '&', '=', '*a', '&a ')),
      {
        maxLength: 80,
      },
    );
    fc.assert(
      fc.property(fc.constantFrom(...openings), noise, (opening, parts) => parsesOrRefusesCleanly(opening + parts.join(''))),
      { numRuns: RUNS * 2 },
    );
  });

  it('parsePolicy throws nothing but PolicyParseError on mutated valid documents', () => {
    const mutation = fc.record({
      start: fc.nat(),
      length: fc.nat({ max: 8 }),
      insert: fc.array(fc.oneof(valueChar, fc.constantFrom('<', '>', '"', '{', '}', '[', ']', '\n', ':', '=', '!', '&')), { maxLength: 6 }),
    });
    fc.assert(
      fc.property(
        validConfig,
        fc.constantFrom(...PARSEABLE_FORMATS, 'gcs', 'b2'),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (config, format, mutations) => {
          let doc = renderPolicy(config, format);
          for (const m of mutations) {
            const at = m.start % (doc.length + 1);
            doc = doc.slice(0, at) + m.insert.join('') + doc.slice(at + m.length);
          }
          parsesOrRefusesCleanly(doc);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });
});
