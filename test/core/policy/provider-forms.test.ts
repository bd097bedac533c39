/**
 * The providers' own forms read into the S3 rule model: Google Cloud Storage CORS JSON and Backblaze B2 corsRules —
 * both wrappers of each, the mapping of their semantics (GCS responseHeader in both roles; B2's native-API operations
 * giving no S3 method), their shape errors with line:column and the form's name, what each provider refuses, lint in
 * the form's own words, and rendering back in the form as written.
 */
import {
  PolicyParseError,
  detectFormat,
  lintPolicy,
  parsePolicy,
  renderPolicy,
  renderPolicyWithNotes,
  validatePolicy,
  type ParsedPolicy,
  type RuleElement,
} from '../../../src/core/policy/index.js';

function at(policy: ParsedPolicy, rule: number, element: RuleElement, index = 0) {
  const found = policy.sources[rule]!.elements.find((e) => e.element === element && e.index === index);
  return found && { line: found.position.line, column: found.position.column, raw: found.raw };
}

function parseError(text: string): string {
  try {
    parsePolicy(text, { file: 'cors.json' });
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyParseError);
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
  throw new Error('expected a PolicyParseError');
}

const codes = (policy: ParsedPolicy) => lintPolicy(policy).warnings.map((w) => w.code);

const GCS = `[
  {
    "origin": ["https://app.example.com", "http://localhost:8080"],
    "method": ["GET", "PUT"],
    "responseHeader": ["Content-Type", "ETag"],
    "maxAgeSeconds": 3600
  }
]`;

describe('GCS CORS JSON', () => {
  it('reads the list gcloud/gsutil take: responseHeader both allows request headers and exposes response headers', () => {
    const policy = parsePolicy(GCS, { file: 'cors.json' });
    expect(policy.format).toBe('gcs-json');
    expect(policy.config.rules).toEqual([
      {
        allowedOrigins: ['https://app.example.com', 'http://localhost:8080'],
        allowedMethods: ['GET', 'PUT'],
        allowedHeaders: ['Content-Type', 'ETag'],
        exposeHeaders: ['Content-Type', 'ETag'],
        maxAgeSeconds: 3600,
        provider: { form: 'gcs' },
      },
    ]);
    expect(policy.rulesPosition).toEqual({ line: 1, column: 1 });
    expect(policy.sources[0]!.position).toEqual({ line: 2, column: 3 });
    expect(at(policy, 0, 'AllowedOrigin', 1)).toEqual({ line: 3, column: 43, raw: 'http://localhost:8080' });
    expect(at(policy, 0, 'AllowedMethod', 1)).toEqual({ line: 4, column: 23, raw: 'PUT' });
    expect(at(policy, 0, 'AllowedHeader', 1)).toEqual({ line: 5, column: 40, raw: 'ETag' });
    expect(at(policy, 0, 'ExposeHeader', 1)).toEqual(at(policy, 0, 'AllowedHeader', 1));
    expect(at(policy, 0, 'MaxAgeSeconds')).toEqual({ line: 6, column: 22, raw: '3600' });
    expect(validatePolicy(policy)).toEqual([]);
    expect(lintPolicy(policy)).toMatchObject({ valid: true, format: 'gcs-json' });
  });

  it('reads the bucket resource {"cors": [...]} and gcloud describe {"cors_config": [...]}, ignoring the other settings', () => {
    const entry = { origin: ['*'], method: ['GET'], maxAgeSeconds: 60 };
    const resource = JSON.stringify({ kind: 'storage#bucket', name: 'b', location: 'EU', cors: [entry], lifecycle: { rule: [] } }, null, 2);
    const described = JSON.stringify({ name: 'b', storage_url: 'gs://b/', cors_config: [entry] });
    for (const text of [resource, described]) {
      const policy = parsePolicy(text);
      expect(policy.format).toBe('gcs-json');
      expect(policy.config.rules).toEqual([
        { allowedOrigins: ['*'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [], maxAgeSeconds: 60, provider: { form: 'gcs' } },
      ]);
    }
    expect(parsePolicy(resource).rulesPosition).toEqual({ line: 5, column: 11 });
  });

  it('reads "*" as any method; keeps what GCS matches literally or the model cannot judge out of the model', () => {
    const policy = parsePolicy(
      JSON.stringify([
        { origin: ['https://*.example.com', 'https://app.example.com'], method: ['*', 'OPTIONS', 'PATCH'], responseHeader: ['*', 'x-goog-meta-*'] },
      ]),
    );
    expect(policy.config.rules[0]).toEqual({
      allowedOrigins: ['https://app.example.com'],
      allowedMethods: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'],
      allowedHeaders: ['*'],
      exposeHeaders: [],
      provider: { form: 'gcs', anyMethod: true, unmodelled: { origins: ['https://*.example.com'], methods: ['OPTIONS', 'PATCH'], headers: ['x-goog-meta-*'] } },
    });
    // GCS accepts these: no PutBucketCors error (OPTIONS, the wildcards) applies to a GCS document.
    expect(validatePolicy(policy)).toEqual([]);
    const literal = lintPolicy(policy).warnings.filter((w) => w.code === 'GCS_WILDCARD_LITERAL');
    expect(literal.map((w) => w.message)).toEqual([
      'rule 1: origin "https://*.example.com" is matched literally by Cloud Storage, where only "*" alone is a wildcard: no browser\'s Origin ever matches it',
      'rule 1: responseHeader "x-goog-meta-*" is matched literally by Cloud Storage, where only "*" alone is a wildcard: no request header ever matches it',
    ]);
    expect(codes(policy)).not.toContain('OPTIONS_IN_METHODS');
  });

  it("names the form, the entry and the key of a shape error, with line and column, and suggests GCS's spelling", () => {
    expect(parseError('[\n  {"origins": ["*"], "method": ["GET"]}\n]')).toBe(
      'cors.json:2:4: unknown key "origins" (did you mean origin?); expected one of origin, method, responseHeader, maxAgeSeconds, in GCS cors[0]',
    );
    expect(parseError('[{"origin": ["*"], "AllowedMethods": ["GET"]}]')).toMatch(/unknown key "AllowedMethods" \(did you mean method\?\).*in GCS cors\[0\]$/);
    expect(parseError('{"cors": [{"origin": ["*"], "method": "GET"}]}')).toBe(
      'cors.json:1:39: expected a list of strings, found a string, in GCS cors[0] method',
    );
    expect(parseError('[{"origin": ["*"], "method": [1]}]')).toBe('cors.json:1:31: expected a string, found a number, in GCS cors[0] method[0]');
    expect(parseError('[{"origin": ["*"], "method": ["GET"], "maxAgeSeconds": "3600"}]')).toBe(
      'cors.json:1:56: expected a number of seconds, found a string, in GCS cors[0] maxAgeSeconds',
    );
    expect(parseError('{"cors": {"origin": ["*"]}}')).toBe('cors.json:1:10: expected a list of rules, found an object, in GCS cors');
    expect(parseError('["https://app.example.com"]')).toMatch(/^cors\.json:1:2: expected a rule object, found a string, in /);
    expect(parseError('{"name": "b", "cors": [], "cors_config": []}')).toBe('cors.json:1:27: both cors and cors_config are set; keep one, in the document');
  });

  it('warns about an entry GCS never uses (no origin or no method)', () => {
    const policy = parsePolicy('[{"origin": ["https://app.example.com"], "responseHeader": ["ETag"]}]');
    const warning = lintPolicy(policy).warnings.find((w) => w.code === 'RULE_NEVER_MATCHES');
    expect(warning).toMatchObject({ rule: 0, message: 'rule 1 has no method: Cloud Storage never uses it', line: 1, column: 2 });
  });

  it('speaks of the GCS keys in lint warnings', () => {
    const policy = parsePolicy('[{"origin": ["https://app.example.com"], "method": ["PUT"], "responseHeader": ["Content-Type"]}]');
    const etag = lintPolicy(policy).warnings.find((w) => w.code === 'ETAG_NOT_EXPOSED')!;
    expect(etag.message).toContain('responseHeader lacks ETag');
    expect(etag.fix).toBe('Add "ETag" to responseHeader.');
  });
});

/** The rule of the Backblaze example repository (corpus: b2-rule-allows-native-api-not-s3-put), in the b2 CLI's wrapper. */
const B2_NATIVE = `{
  "corsRules": [
    {
      "corsRuleName": "downloadFromAnyOriginWithUpload",
      "allowedOrigins": ["*"],
      "allowedHeaders": ["*"],
      "allowedOperations": ["b2_download_file_by_id", "b2_download_file_by_name", "b2_upload_file", "b2_upload_part"],
      "exposeHeaders": ["x-bz-content-sha1"],
      "maxAgeSeconds": 3600
    }
  ]
}`;

describe('Backblaze B2 corsRules', () => {
  it('reads a rule of native-API operations only as one that allows no S3 method, keeping the operations', () => {
    const policy = parsePolicy(B2_NATIVE, { file: 'bucket.json' });
    expect(policy.format).toBe('b2-json');
    expect(policy.config.rules).toEqual([
      {
        id: 'downloadFromAnyOriginWithUpload',
        allowedOrigins: ['*'],
        allowedMethods: [],
        allowedHeaders: ['*'],
        exposeHeaders: ['x-bz-content-sha1'],
        maxAgeSeconds: 3600,
        provider: {
          form: 'b2',
          operations: ['b2_download_file_by_id', 'b2_download_file_by_name', 'b2_upload_file', 'b2_upload_part'],
          otherOperations: ['b2_download_file_by_id', 'b2_download_file_by_name', 'b2_upload_file', 'b2_upload_part'],
        },
      },
    ]);
    expect(policy.rulesPosition).toEqual({ line: 2, column: 16 });
    expect(at(policy, 0, 'ID')).toEqual({ line: 4, column: 23, raw: 'downloadFromAnyOriginWithUpload' });
    // B2 accepts it: no "rule without AllowedMethod" (S3's MalformedXML) for a B2 document.
    expect(validatePolicy(policy)).toEqual([]);
  });

  it('says in lint that such a rule applies to the native API only — and counts its uploads as writes for "*"', () => {
    const result = lintPolicy(parsePolicy(B2_NATIVE));
    const native = result.warnings.find((w) => w.code === 'B2_NATIVE_ONLY')!;
    expect(native).toMatchObject({ rule: 0, line: 3, column: 5 });
    expect(native.message).toBe(
      "rule 1: allowedOperations lists only B2 native API operations (b2_download_file_by_id, b2_download_file_by_name, b2_upload_file, b2_upload_part): the rule applies to B2's own API only, and no request through the S3-compatible API (presigned S3 URLs, the AWS SDKs) ever matches it",
    );
    expect(native.fix).toBe(
      'If the bucket is used through the S3-compatible API, allow the S3 operations too (s3_get, s3_head, s3_put, s3_post) — the uploads in a rule for your own origins, not "*".',
    );
    const wildcard = result.warnings.find((w) => w.code === 'WILDCARD_ORIGIN_WRITE')!;
    expect(wildcard.message).toMatch(/^rule 1: origin "\*" with b2_upload_file, b2_upload_part: /);
    expect(result.valid).toBe(true);
  });

  it('maps s3_* operations to methods, keeps native ones beside them, and reads the bare list', () => {
    const policy = parsePolicy(
      JSON.stringify([
        {
          corsRuleName: 'uploadsFromApp',
          allowedOrigins: ['https://app.example.com', 'https'],
          allowedOperations: ['b2_upload_file', 's3_put', 's3_head'],
          allowedHeaders: ['content-type', 'x-bz-info-*'],
          exposeHeaders: ['ETag'],
          maxAgeSeconds: 600,
        },
      ]),
    );
    expect(policy.format).toBe('b2-json');
    expect(policy.config.rules[0]).toEqual({
      id: 'uploadsFromApp',
      allowedOrigins: ['https://app.example.com', 'https://*'],
      allowedMethods: ['PUT', 'HEAD'],
      allowedHeaders: ['content-type', 'x-bz-info-*'],
      exposeHeaders: ['ETag'],
      maxAgeSeconds: 600,
      provider: { form: 'b2', operations: ['b2_upload_file', 's3_put', 's3_head'], otherOperations: ['b2_upload_file'], anyHttps: true },
    });
    expect(codes(policy)).not.toContain('B2_NATIVE_ONLY');
  });

  it('reads a bucket as the b2 CLI prints it, ignoring its other settings', () => {
    const bucket = {
      accountId: '0123456789ab',
      bucketId: '4a48fe8875c6214145260818',
      bucketInfo: {},
      bucketName: 'example-bucket',
      bucketType: 'allPrivate',
      corsRules: [{ corsRuleName: 'downloads', allowedOrigins: ['*'], allowedOperations: ['s3_get'], maxAgeSeconds: 60 }],
      lifecycleRules: [],
      options: ['s3'],
      revision: 3,
    };
    expect(parsePolicy(JSON.stringify(bucket)).config.rules).toEqual([
      {
        id: 'downloads',
        allowedOrigins: ['*'],
        allowedMethods: ['GET'],
        allowedHeaders: [],
        exposeHeaders: [],
        maxAgeSeconds: 60,
        provider: { form: 'b2', operations: ['s3_get'], otherOperations: [] },
      },
    ]);
  });

  it("names the form, the rule and the key of a shape error, with line and column, and suggests B2's spelling", () => {
    expect(parseError('{"corsRules": [\n  {"corsRuleName": "downloads", "AllowedMethods": ["GET"]}\n]}')).toBe(
      'cors.json:2:33: unknown key "AllowedMethods" (did you mean allowedOperations?); expected one of corsRuleName, allowedOrigins, allowedOperations, allowedHeaders, exposeHeaders, maxAgeSeconds, in B2 corsRules[0]',
    );
    expect(parseError('[{"corsRuleName": "downloads", "allowedOrigins": ["*"], "allowedOperations": "s3_get"}]')).toBe(
      'cors.json:1:78: expected a list of strings, found a string, in B2 corsRules[0] allowedOperations',
    );
    expect(parseError('[{"corsRuleName": 7, "allowedOrigins": ["*"]}]')).toBe(
      'cors.json:1:19: expected a string, found a number, in B2 corsRules[0] corsRuleName',
    );
    expect(parseError('{"corsRules": "none"}')).toBe('cors.json:1:15: expected a list of rules, found a string, in B2 corsRules');
    expect(parseError('[{"corsRuleName": "downloads", "maxAgeSeconds": null}]')).toBe(
      'cors.json:1:49: expected a number of seconds, found null, in B2 corsRules[0] maxAgeSeconds',
    );
  });

  it('reports what b2_update_bucket refuses as bad_request errors at their place, and still reads the rules', () => {
    const text = `[
  {
    "corsRuleName": "b2-mine",
    "allowedOrigins": ["*", "https://app.example.com"],
    "allowedOperations": ["s3_upload", "b2_download_file_by_name"],
    "allowedHeaders": ["x-*-y"],
    "exposeHeaders": ["x-bz-*"],
    "maxAgeSeconds": 90000
  },
  { "corsRuleName": "ab", "allowedOrigins": [], "allowedOperations": [] }
]`;
    const policy = parsePolicy(text);
    expect(policy.config.rules).toHaveLength(2);
    const errors = validatePolicy(policy);
    expect(errors.every((e) => e.code === 'bad_request' && e.evidence === 'docs')).toBe(true);
    expect(errors.map((e) => [e.rule, e.line, e.column, e.message])).toEqual([
      [0, 3, 21, 'rule 1: corsRuleName "b2-mine" starts with "b2-", which Backblaze reserves'],
      [0, 4, 23, 'rule 1: allowedOrigins lists "*" beside other origins; "*" must be the only one'],
      [
        0,
        5,
        27,
        'rule 1: unknown operation "s3_upload"; B2 knows s3_get, s3_head, s3_put, s3_post, s3_delete, b2_download_file_by_id, b2_download_file_by_name, b2_upload_file, b2_upload_part',
      ],
      [0, 6, 24, 'rule 1: allowedHeaders value "x-*-y" has a "*" before its end'],
      [0, 7, 23, 'rule 1: exposeHeaders value "x-bz-*" is not a complete header name'],
      [0, 8, 22, 'rule 1: maxAgeSeconds 90000 is not a whole number from 0 to 86400'],
      [1, 10, 21, 'rule 2: corsRuleName "ab" is not 6 to 50 letters, digits and "-"'],
      [1, 10, 3, 'rule 2: no allowedOrigins'],
      [1, 10, 3, 'rule 2: no allowedOperations (at least one is required)'],
      [1, 10, 3, 'rule 2: no maxAgeSeconds (required, 0 to 86400)'],
    ]);
    expect(
      parsePolicy('[{"corsRuleName": "downloads", "allowedOrigins": ["*"], "allowedOperations": ["S3_GET"], "maxAgeSeconds": 5}]').schemaErrors?.[0]?.message,
    ).toBe(
      'rule 1: unknown operation "S3_GET" (did you mean s3_get?); B2 knows s3_get, s3_head, s3_put, s3_post, s3_delete, b2_download_file_by_id, b2_download_file_by_name, b2_upload_file, b2_upload_part',
    );
    expect(lintPolicy(policy).valid).toBe(false);
  });

  it("speaks of B2's keys and operations in lint warnings", () => {
    const policy = parsePolicy(
      '[{"corsRuleName": "uploads", "allowedOrigins": ["https://app.example.com"], "allowedOperations": ["s3_put"], "maxAgeSeconds": 5}]',
    );
    const etag = lintPolicy(policy).warnings.find((w) => w.code === 'ETAG_NOT_EXPOSED')!;
    expect(etag.message).toBe(
      'rule 1: s3_put/s3_post are allowed but exposeHeaders lacks ETag; B2 never exposes it by default, so multipart uploads cannot read part ETags and fail at CompleteMultipartUpload',
    );
    expect(etag.fix).toBe('Add "ETag" to exposeHeaders.');
  });

  it('does not call a rule shadowed when it holds native operations the earlier rule lacks', () => {
    const policy = parsePolicy(
      JSON.stringify([
        { corsRuleName: 'downloads', allowedOrigins: ['*'], allowedOperations: ['s3_get'], maxAgeSeconds: 5 },
        { corsRuleName: 'nativeDownloads', allowedOrigins: ['*'], allowedOperations: ['s3_get', 'b2_download_file_by_name'], maxAgeSeconds: 5 },
      ]),
    );
    expect(codes(policy)).not.toContain('RULE_SHADOWED');
  });
});

describe('names that are also properties of every JavaScript object', () => {
  it('B2: an operation named "constructor" or "toString" is an unknown operation, never a method', () => {
    const policy = parsePolicy(
      '[{"corsRuleName": "rule-one", "allowedOrigins": ["https://a.example.com"], "allowedOperations": ["constructor", "toString", "s3_get"], "maxAgeSeconds": 5}]',
    );
    expect(policy.config.rules[0]!.allowedMethods).toEqual(['GET']);
    const messages = validatePolicy(policy).map((e) => e.message);
    expect(messages.filter((m) => /unknown operation "(constructor|toString)"/.test(m))).toHaveLength(2);
    expect(renderPolicy(policy.config, 'b2')).toContain('"constructor"');
  });

  it('a key named "constructor" is an unknown key with no suggestion taken from the object prototype', () => {
    expect(parseError('[{"corsRuleName": "rule-one", "constructor": ["GET"]}]')).toBe(
      'cors.json:1:31: unknown key "constructor"; expected one of corsRuleName, allowedOrigins, allowedOperations, allowedHeaders, exposeHeaders, maxAgeSeconds, in B2 corsRules[0]',
    );
    expect(parseError('[{"origin": ["*"], "toString": ["GET"]}]')).toMatch(/^cors\.json:1:20: unknown key "toString"; expected one of /);
  });
});

describe('format detection of the provider forms', () => {
  it.each([
    ['[{"origin": ["*"], "method": ["GET"]}]', 'gcs-json'],
    ['{"cors": []}', 'gcs-json'],
    ['{"name": "b", "cors_config": [{"origin": ["*"]}]}', 'gcs-json'],
    ['[{"corsRuleName": "downloads", "allowedOrigins": ["*"]}]', 'b2-json'],
    ['{"bucketName": "b", "corsRules": []}', 'b2-json'],
    ['[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]', 'console-json'],
    ['[]', 'console-json'],
    ['{"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]}', 'cli-json'],
    ['[{"origin": ["*"], "AllowedMethods": ["GET"]}]', 'gcs-json'],
    ['{"name": "app", "dependencies": {"cors": "^2.8.5"}}', null],
  ])('%s is %s', (text, format) => {
    expect(detectFormat(text)).toBe(format);
  });

  it('names both forms when nothing fits', () => {
    expect(parseError('{"rules": []}')).toMatch(/GCS CORS JSON or Backblaze B2 corsRules\), in the document$/);
  });
});

describe('rendering back in the form as written', () => {
  it('GCS: "*" methods, literal wildcards and the other methods come back; responseHeader once', () => {
    const text = `${JSON.stringify(
      [
        {
          origin: ['https://app.example.com', 'https://*.example.com'],
          method: ['*', 'OPTIONS'],
          responseHeader: ['Content-Type', 'x-goog-meta-*'],
          maxAgeSeconds: 3600,
        },
        { origin: ['*'], method: ['GET'], responseHeader: [] },
      ],
      null,
      2,
    )}\n`;
    const policy = parsePolicy(text);
    const rendered = renderPolicy(policy.config, 'gcs');
    expect(JSON.parse(rendered)).toEqual([
      {
        origin: ['https://app.example.com', 'https://*.example.com'],
        method: ['*', 'OPTIONS'],
        responseHeader: ['Content-Type', 'x-goog-meta-*'],
        maxAgeSeconds: 3600,
      },
      { origin: ['*'], method: ['GET'], responseHeader: [] },
    ]);
    expect(parsePolicy(rendered).config).toEqual(policy.config);
  });

  it('B2: operations in their order (native ones kept), names, "https" and every value come back', () => {
    const rules = [
      {
        corsRuleName: 'uploadsFromApp',
        allowedOrigins: ['https'],
        allowedOperations: ['b2_upload_file', 's3_put', 'b2_upload_part'],
        allowedHeaders: ['content-type'],
        exposeHeaders: ['ETag'],
        maxAgeSeconds: 600,
      },
    ];
    const policy = parsePolicy(JSON.stringify({ corsRules: rules }));
    const rendered = renderPolicy(policy.config, 'b2');
    expect(JSON.parse(rendered)).toEqual({ corsRules: rules });
    expect(parsePolicy(rendered).config).toEqual(policy.config);
    expect(JSON.parse(renderPolicy(parsePolicy(B2_NATIVE).config, 'b2'))).toEqual(JSON.parse(B2_NATIVE));
  });

  it('B2 in an S3 form: a native-only rule cannot be expressed and is left out, saying so', () => {
    const policy = parsePolicy(
      JSON.stringify([
        { corsRuleName: 'nativeUploads', allowedOrigins: ['*'], allowedOperations: ['b2_upload_file'], maxAgeSeconds: 5 },
        { corsRuleName: 'downloads', allowedOrigins: ['*'], allowedOperations: ['s3_get', 'b2_download_file_by_name'], maxAgeSeconds: 5 },
      ]),
    );
    const rendered = renderPolicyWithNotes(policy.config, 'console');
    expect(JSON.parse(rendered.text)).toEqual([{ ID: 'downloads', AllowedMethods: ['GET'], AllowedOrigins: ['*'], MaxAgeSeconds: 5 }]);
    expect(rendered.notes.slice(0, 2)).toEqual([
      'rule 1 ("nativeUploads") allows only B2 native API operations (b2_upload_file), which this form cannot express: it is left out. Setting this form through B2\'s S3-compatible API replaces the bucket\'s corsRules, so that rule would be lost; the B2 form (b2 bucket update --cors-rules) keeps it.',
      'rule 2 ("downloads"): its B2 native API operations (b2_download_file_by_name) cannot be expressed here and are left out; the B2 form keeps them.',
    ]);
  });
});
