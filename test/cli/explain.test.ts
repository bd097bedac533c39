import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const APP = 'https://app.example.com';
const OBJECT = 'https://photos.s3.us-east-1.amazonaws.com/uploads/photo.jpg';
const CONFIG = JSON.stringify([
  { ID: 'reads', AllowedOrigins: [APP], AllowedMethods: ['GET', 'HEAD'] },
  { ID: 'uploads', AllowedOrigins: [APP], AllowedMethods: ['PUT', 'POST'], AllowedHeaders: ['content-type'] },
]);

const run = (argv: string[], stdin = CONFIG) => runCli(['explain', ...argv], { stdin });

describe('s3-cors-doctor explain: the three most common failures', () => {
  it('missing header: names the rule and the header, and prints the verified one-header fix', async () => {
    const { code, stdout } = await run([
      '--config',
      '-',
      '--url',
      OBJECT,
      '--origin',
      APP,
      '--method',
      'PUT',
      '--header',
      'Content-Type: image/jpeg',
      '--header',
      'x-amz-checksum-crc32: q2dW1A==',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain(`BLOCKED  PUT ${OBJECT} from ${APP}`);
    expect(stdout).toContain('Preflight: needed (PUT, content-type, x-amz-checksum-crc32) → 403 — blocked (PreflightMissingAllowOriginHeader)');
    expect(stdout).toContain('rule 2 (ID: uploads) matches origin and method; header `x-amz-checksum-crc32` is not in its AllowedHeaders [content-type].');
    expect(stdout).toContain('rule 2 (ID: uploads): origin ✓  method ✓ PUT  headers ✓ content-type ✗ x-amz-checksum-crc32');
    expect(stdout).toContain('Fix (verified: the request passes the S3 and browser models with it):');
    expect(stdout).toContain('  + add x-amz-checksum-crc32 to the AllowedHeaders of rule 2 (ID: uploads)');
    expect(stdout).toContain('+       "x-amz-checksum-crc32"');
  });

  it('missing origin: says no rule allows it and adds a rule for the exact origin and method only, never *', async () => {
    const { code, stdout } = await run(['--config', '-', '--url', OBJECT, '--origin', 'https://staging.example.com', '--method', 'GET', '--fix-format', 'cli']);
    expect(code).toBe(0);
    expect(stdout).toContain('BLOCKED  GET');
    expect(stdout).toContain('Actual request: 200 — blocked (MissingAllowOriginHeader)');
    expect(stdout).toContain('No rule allows the origin `https://staging.example.com`.');
    // Adding the origin to rule 1 (GET, HEAD) would also let it send HEAD: a rule of its own grants only the GET.
    expect(stdout).toContain('  + add a rule for origin `https://staging.example.com`; methods GET');
    expect(stdout).toContain('  Access it adds: Newly allowed: `https://staging.example.com` may now send GET (no extra header). Nothing else.');
    expect(stdout).toContain("aws s3api put-bucket-cors --bucket photos --cors-configuration '");
    expect(stdout).toContain('{"AllowedMethods":["GET"],"AllowedOrigins":["https://staging.example.com"]}');
    expect(stdout).not.toContain('"*"');
  });

  it('ETag not exposed: allowed, with a problem, and the fix adds ETag to ExposeHeaders', async () => {
    const { code, stdout } = await run([
      '--config',
      '-',
      '--url',
      `${OBJECT}?partNumber=3&uploadId=abc`,
      '--origin',
      APP,
      '--method',
      'PUT',
      '--fix-format',
      'terraform',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('ALLOWED, WITH A PROBLEM  PUT');
    expect(stdout).toContain('The request succeeds, but script cannot read `ETag`: rule 2 (ID: uploads), the rule S3 uses, exposes none.');
    expect(stdout).toContain('  + add ETag to the ExposeHeaders of rule 2 (ID: uploads)');
    expect(stdout).toContain('expose_headers  = ["ETag"]');
  });
});

describe('s3-cors-doctor explain --json', () => {
  it('prints the documented JSON with a verified fix in the requested format', async () => {
    const { code, stdout } = await run([
      '--config',
      '-',
      '--url',
      OBJECT,
      '--origin',
      APP,
      '--method',
      'PUT',
      '-H',
      'Content-Type: image/jpeg',
      '-H',
      'x-amz-meta-owner: me',
      '--json',
      '--fix-format',
      'xml',
    ]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({
      outcome: 'blocked',
      preflight: { needed: true, response: { status: 403 } },
      actual: null,
      browser: { blockedAt: 'preflight', corsError: 'PreflightMissingAllowOriginHeader' },
      findings: [{ code: 'HEADERS_NOT_ALLOWED', severity: 'error', rule: 1 }],
      fix: { changes: [{ kind: 'add-header', rule: 1, value: 'x-amz-meta-owner' }] },
    });
    expect(json.fix.config[1].AllowedHeaders).toEqual(['content-type', 'x-amz-meta-owner']);
    expect(json.fix.rendered).toContain('<AllowedHeader>x-amz-meta-owner</AllowedHeader>');
  });

  it('with --config none explains S6 and proposes the smallest new configuration', async () => {
    const { code, stdout } = await run(['--config', 'none', '--url', OBJECT, '--origin', APP, '--method', 'GET', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.findings[0].code).toBe('NO_CORS_CONFIG');
    expect(json.fix.config).toEqual([{ AllowedMethods: ['GET'], AllowedOrigins: [APP] }]);
  });

  it('credentials include against a * rule: CREDENTIALS_WITH_WILDCARD_ORIGIN', async () => {
    const star = JSON.stringify([{ AllowedOrigins: ['*'], AllowedMethods: ['GET'] }]);
    const { stdout } = await run(['--config', '-', '--url', OBJECT, '--origin', APP, '--method', 'GET', '--credentials', 'include', '--json'], star);
    const json = JSON.parse(stdout);
    expect(json.browser.corsError).toBe('WildcardOriginNotAllowed');
    expect(json.findings[0].code).toBe('CREDENTIALS_WITH_WILDCARD_ORIGIN');
  });
});

describe("s3-cors-doctor explain: a configuration in a provider's own form", () => {
  /** The corpus case b2-rule-allows-native-api-not-s3-put: a rule of native-API operations, a presigned S3-compatible PUT. */
  const B2_RULES = JSON.stringify({
    corsRules: [
      {
        corsRuleName: 'downloadFromAnyOriginWithUpload',
        allowedOrigins: ['*'],
        allowedHeaders: ['*'],
        allowedOperations: ['b2_download_file_by_id', 'b2_download_file_by_name', 'b2_upload_file', 'b2_upload_part'],
        exposeHeaders: ['x-bz-content-sha1'],
        maxAgeSeconds: 3600,
      },
    ],
  });
  const B2_URL = 'https://example-bucket.s3.us-west-002.backblazeb2.com/uploads/file.bin';
  const LOCAL = 'http://localhost:3001';
  const b2Put = (extra: string[] = []) =>
    run(['--config', '-', '--url', B2_URL, '--origin', LOCAL, '--method', 'PUT', '--header', 'Content-Type: application/octet-stream', ...extra], B2_RULES);

  it('B2: native operations never allow the S3 PUT; the fix, in the B2 form, is a new rule for the origin with s3_put', async () => {
    const { code, stdout } = await b2Put(['--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.outcome).toBe('blocked');
    const method = result.findings.find((f: { code: string }) => f.code === 'METHOD_NOT_ALLOWED');
    expect(method.message).toBe(
      'rule 1 (ID: downloadFromAnyOriginWithUpload) matches the origin; PUT (s3_put) is not in its allowedOperations [b2_download_file_by_id, b2_download_file_by_name, b2_upload_file, b2_upload_part].',
    );
    expect(method.detail).toContain(
      "are B2 native API operations: they apply to B2's own API only, never to a request through the S3-compatible API such as this one, which needs s3_put.",
    );
    // Given as B2's own rules, the generic B2 advice is context, not a second cause.
    expect(result.findings.filter((f: { severity: string }) => f.severity !== 'info').map((f: { code: string }) => f.code)).toEqual(['METHOD_NOT_ALLOWED']);
    // The `*` rule is left as it was (s3_put on it would let every site upload); a rule for the page's origin is added.
    expect(result.fix.config).toEqual([
      {
        ID: 'downloadFromAnyOriginWithUpload',
        AllowedHeaders: ['*'],
        AllowedMethods: [],
        AllowedOrigins: ['*'],
        ExposeHeaders: ['x-bz-content-sha1'],
        MaxAgeSeconds: 3600,
      },
      { AllowedHeaders: ['content-type'], AllowedMethods: ['PUT'], AllowedOrigins: [LOCAL] },
    ]);
    expect(result.fix.accessDelta.withinRequest).toBe(true);
    expect(result.fix.accessDelta.allows.map((a: { origin: string; method: string; header: string | null }) => [a.origin, a.method, a.header])).toEqual([
      [LOCAL, 'PUT', null],
      [LOCAL, 'PUT', 'content-type'],
    ]);
    expect(JSON.parse(result.fix.rendered)).toEqual({
      corsRules: [
        JSON.parse(B2_RULES).corsRules[0],
        { corsRuleName: 'rule-2', allowedOrigins: [LOCAL], allowedOperations: ['s3_put'], allowedHeaders: ['content-type'], maxAgeSeconds: 5 },
      ],
    });
  });

  it('B2 in text: the fix and its diff in the B2 form, its access delta, and the provider notes without a second copy', async () => {
    const { stdout } = await b2Put();
    expect(stdout).toContain(`  + add a rule for origin \`${LOCAL}\`; methods PUT; headers content-type`);
    expect(stdout).toContain(`  Access it adds: Newly allowed: \`${LOCAL}\` may now send PUT (no extra header, content-type). Nothing else.`);
    expect(stdout).toContain('+       "allowedOperations": [\n+         "s3_put"\n+       ],');
    expect(stdout).toContain('Backblaze B2 (the form above):');
    expect(stdout.match(/"corsRuleName": "downloadFromAnyOriginWithUpload"/g)).toHaveLength(2); // the fix and its diff
  });

  it('B2 with --fix-format console: says the native-only rule cannot be expressed there and is left out', async () => {
    const { stdout } = await b2Put(['--fix-format', 'console']);
    expect(stdout).toContain(
      'note: rule 1 ("downloadFromAnyOriginWithUpload") allows only B2 native API operations (b2_download_file_by_id, b2_download_file_by_name, b2_upload_file, b2_upload_part), which this form cannot express: it is left out.',
    );
  });

  it('GCS: an origin without its port; the fix adds the origin with its port, in the GCS form', async () => {
    const gcs = '[{"origin": ["http://localhost"], "method": ["GET"], "responseHeader": ["Content-Type"], "maxAgeSeconds": 3600}]';
    const argv = ['--config', '-', '--url', 'https://storage.googleapis.com/example/data.json', '--origin', 'http://localhost:8080', '--method', 'GET'];
    const result = JSON.parse((await run([...argv, '--json'], gcs)).stdout);
    expect(result.findings.map((f: { code: string }) => f.code)).toEqual(['ORIGIN_NOT_ALLOWED']);
    expect(JSON.parse(result.fix.rendered)).toEqual([
      { origin: ['http://localhost', 'http://localhost:8080'], method: ['GET'], responseHeader: ['Content-Type'], maxAgeSeconds: 3600 },
    ]);
    const text = (await run(argv, gcs)).stdout;
    expect(text).toContain('-       "http://localhost"\n+       "http://localhost",\n+       "http://localhost:8080"');
    expect(text).toContain('The first entry matching origin and method decides');
  });
});

describe('s3-cors-doctor explain: bad input', () => {
  it.each([
    [['--url', OBJECT, '--origin', APP, '--method', 'GET'], '--config is required'],
    [['--config', 'none', '--url', OBJECT, '--origin', 'https://app.example.com/', '--method', 'GET'], 'is not a serialized origin'],
    [['--config', 'none', '--url', 'ftp://x/y', '--origin', APP, '--method', 'GET'], '--url must be http:// or https://'],
    [['--config', 'none', '--url', OBJECT, '--origin', APP, '--method', 'GET', '--header', 'no-colon'], 'must look like "Name: value"'],
    [['--config', 'none', '--url', OBJECT, '--origin', APP, '--method', 'GET', '--credentials', 'yes'], '--credentials must be one of'],
    [['--config', 'none', '--url', OBJECT, '--origin', APP, '--method', 'GET', '--fix-format', 'yaml'], '--fix-format must be one of'],
  ])('%j exits 2: %s', async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr.split('\n')[0]).not.toMatch(/at .*\.ts/);
  });

  it('exits 1 with one line for a configuration that is not one', async () => {
    const { code, stderr } = await run(['--config', '-', '--url', OBJECT, '--origin', APP, '--method', 'GET'], '{"not": "a config"');
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('s3-cors-doctor explain never prints secrets', () => {
  const signed = `${OBJECT}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261128%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261128T080000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Security-Token=FwoGZXIvYXdzEBYaDSECRETTOKEN&X-Amz-Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef`;
  const argv = [
    '--config',
    '-',
    '--url',
    signed,
    '--origin',
    APP,
    '--method',
    'PUT',
    '-H',
    'Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261128/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=feedfacefeedface',
    '-H',
    'Cookie: session=s3cr3t',
  ];

  it.each([
    ['text', []],
    ['json', ['--json']],
  ])('%s output masks the signature, token, key id, Authorization and cookies', async (_name, extra) => {
    const { code, stdout } = await run([...argv, ...extra]);
    expect(code).toBe(0);
    for (const secret of ['0123456789abcdef0123456789abcdef', 'SECRETTOKEN', 'AKIAIOSFODNN7EXAMPLE', 'feedfacefeedface', 's3cr3t'])
      expect(stdout).not.toContain(secret);
    expect(stdout).toContain('REDACTED');
  });
});

describe('s3-cors-doctor explain: states the configuration cannot say, and what was observed', () => {
  const codesOf = async (argv: string[]) => {
    const { code, stdout, stderr } = await run([...argv, '--json']);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as {
      outcome: string;
      findings: Array<{ code: string; severity: string; message: string; detail: string }>;
      fix: { config: unknown; rendered: string } | null;
    };
    return { result, codes: result.findings.map((f) => f.code) };
  };
  const PRESIGNED = `${OBJECT}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261128%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261128T080000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=0123456789abcdef`;

  it('--bucket-missing: the bucket does not exist (no --config needed), and no configuration fix', async () => {
    const { result, codes } = await codesOf(['--bucket-missing', '--url', OBJECT, '--origin', APP, '--method', 'PUT', '-H', 'Content-Type: image/jpeg']);
    expect(codes[0]).toBe('BUCKET_NOT_FOUND');
    expect(result.fix?.config ?? null).toBeNull();
  });

  it('--new-bucket: the global endpoint answers 307 to the preflight, and the regional endpoint is named', async () => {
    const { result, codes } = await codesOf([
      '--config',
      '-',
      '--new-bucket',
      '--region',
      'eu-west-1',
      '--url',
      'https://photos.s3.amazonaws.com/uploads/a.jpg',
      '--origin',
      APP,
      '--method',
      'PUT',
      '-H',
      'Content-Type: image/jpeg',
    ]);
    expect(codes[0]).toBe('PREFLIGHT_REDIRECT');
    expect(result.findings[0]!.message).toContain('307');
    expect(result.findings[0]!.message).toContain('https://photos.s3.eu-west-1.amazonaws.com');
    expect(result.outcome).toBe('blocked');
  });

  it('without --new-bucket the same global-endpoint request is served (DNS routes an established bucket)', async () => {
    const { codes } = await codesOf([
      '--config',
      '-',
      '--region',
      'eu-west-1',
      '--url',
      'https://photos.s3.amazonaws.com/uploads/a.jpg',
      '--origin',
      APP,
      '--method',
      'PUT',
      '-H',
      'Content-Type: image/jpeg',
    ]);
    expect(codes).not.toContain('PREFLIGHT_REDIRECT');
  });

  it("--cached-no-cors: the fetch is served from an earlier no-cors load's cache entry, though the rules allow it", async () => {
    const { result, codes } = await codesOf(['--config', '-', '--cached-no-cors', '--url', OBJECT, '--origin', APP, '--method', 'GET']);
    expect(result.outcome).toBe('blocked');
    expect(codes[0]).toBe('CACHED_RESPONSE_WITHOUT_CORS');
    expect(result.fix?.rendered).toContain('crossorigin');
  });

  it('--status 403 --error-code AccessDenied: S3 refused the request itself, not a CORS rule', async () => {
    const { codes } = await codesOf(['--config', '-', '--status', '403', '--error-code', 'AccessDenied', '--url', OBJECT, '--origin', APP, '--method', 'GET']);
    expect(codes[0]).toBe('NOT_CORS_ACCESS_DENIED');
    const { stdout } = await run(['--config', '-', '--status', '403', '--error-code', 'AccessDenied', '--url', OBJECT, '--origin', APP, '--method', 'GET']);
    expect(stdout).toContain('FAILED, NOT BY CORS  GET');
  });

  it('--status 403 --error-code SignatureDoesNotMatch: a signature problem', async () => {
    const { codes } = await codesOf([
      '--config',
      '-',
      '--status',
      '403',
      '--error-code',
      'SignatureDoesNotMatch',
      '--url',
      OBJECT,
      '--origin',
      APP,
      '--method',
      'GET',
    ]);
    expect(codes[0]).toBe('NOT_CORS_SIGNATURE_MISMATCH');
  });

  it('--error-code AccessDenied --error-message "Request has expired": an expired presigned URL', async () => {
    const { codes } = await codesOf([
      '--config',
      '-',
      '--status',
      '403',
      '--error-code',
      'AccessDenied',
      '--error-message',
      'Request has expired',
      '--url',
      PRESIGNED,
      '--origin',
      APP,
      '--method',
      'GET',
    ]);
    expect(codes[0]).toBe('NOT_CORS_REQUEST_EXPIRED');
  });

  it("--response-body <file>: S3's XML error body read from a file", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'explain-body-'));
    try {
      const file = join(dir, 'error.xml');
      writeFileSync(
        file,
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>',
      );
      const { codes } = await codesOf(['--config', '-', '--status', '403', '--response-body', file, '--url', OBJECT, '--origin', APP, '--method', 'GET']);
      expect(codes[0]).toBe('NOT_CORS_SIGNATURE_MISMATCH');
      const missing = await run(['--config', '-', '--response-body', join(dir, 'nope.xml'), '--url', OBJECT, '--origin', APP, '--method', 'GET']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('no such file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--at: the time of the request decides a presigned URL's expiry", async () => {
    const late = await codesOf(['--config', '-', '--at', '2026-11-28T09:00:00Z', '--url', PRESIGNED, '--origin', APP, '--method', 'GET']);
    expect(late.codes).toContain('NOT_CORS_REQUEST_EXPIRED');
    const inTime = await codesOf(['--config', '-', '--at', '2026-11-28T08:05:00Z', '--url', PRESIGNED, '--origin', APP, '--method', 'GET']);
    expect(inTime.codes).not.toContain('NOT_CORS_REQUEST_EXPIRED');
  });

  it('without --at an observed answer does not make the tool judge expiry at some date of its own', async () => {
    const old = PRESIGNED.replace('20261128T080000Z', '20250601T080000Z').replace('%2F20261128%2F', '%2F20250601%2F');
    const { codes } = await codesOf(['--config', '-', '--status', '403', '--error-code', 'AccessDenied', '--url', old, '--origin', APP, '--method', 'GET']);
    expect(codes).toContain('NOT_CORS_ACCESS_DENIED');
    expect(codes).not.toContain('NOT_CORS_REQUEST_EXPIRED');
  });

  it('--response-header with a CloudFront host and Via: a CDN in front that does not forward Origin', async () => {
    const { result, codes } = await codesOf([
      '--config',
      '-',
      '--url',
      'https://d111111abcdef8.cloudfront.net/uploads/photo.jpg',
      '--origin',
      APP,
      '--method',
      'GET',
      '--response-header',
      'Via: 1.1 abc.cloudfront.net (CloudFront)',
      '--response-header',
      'X-Cache: Miss from cloudfront',
    ]);
    expect(result.outcome).toBe('blocked');
    expect(codes[0]).toBe('CDN_NOT_FORWARDING_ORIGIN');
  });

  it('--response-header X-Cache: Hit and Age without Access-Control-Allow-Origin: a cached answer without CORS', async () => {
    const { codes } = await codesOf([
      '--config',
      '-',
      '--url',
      'https://d111111abcdef8.cloudfront.net/uploads/photo.jpg',
      '--origin',
      APP,
      '--method',
      'GET',
      '--response-header',
      'X-Cache: Hit from cloudfront',
      '--response-header',
      'Age: 120',
    ]);
    expect(codes[0]).toBe('CACHED_RESPONSE_WITHOUT_CORS');
  });

  it('--browser-error: a failure below HTTP is not a CORS problem; ERR_FAILED with no answer says the capture cannot tell which check failed', async () => {
    const refused = await codesOf(['--config', '-', '--browser-error', 'net::ERR_CONNECTION_REFUSED', '--url', OBJECT, '--origin', APP, '--method', 'GET']);
    expect(refused.codes[0]).toBe('NOT_CORS_NETWORK_ERROR');
    const failed = await codesOf(['--config', '-', '--browser-error', 'net::ERR_FAILED', '--url', OBJECT, '--origin', APP, '--method', 'GET']);
    expect(failed.result.outcome).toBe('blocked');
    expect(failed.codes).toEqual(['CORS_BLOCKED']);
  });

  it("--status 503 with S3's SlowDown: the server failed, not CORS", async () => {
    const { codes } = await codesOf(['--config', '-', '--status', '503', '--error-code', 'SlowDown', '--url', OBJECT, '--origin', APP, '--method', 'GET']);
    expect(codes[0]).toBe('NOT_CORS_NETWORK_ERROR');
  });

  it.each([
    [['--config', '-', '--browser-error', 'Failed to fetch'], 'is not a browser error string'],
    [['--bucket-missing', '--config', '-'], 'has no configuration'],
    [['--config', '-', '--new-bucket'], '--new-bucket needs --region'],
    [['--config', '-', '--status', '99'], 'is not an HTTP status'],
    [['--config', '-', '--at', 'yesterday'], 'is not an ISO time'],
    [['--config', '-', '--error-message', 'x'], '--error-message needs --error-code'],
    [['--config', '-', '--error-code', 'Access Denied'], 'is not an S3 error code'],
    [['--config', '-', '--error-code', 'AccessDenied', '--response-body', 'x.xml'], 'either --error-code or --response-body'],
    [['--config', '-', '--response-header', 'no-colon'], '--response-header "no-colon" must look like'],
  ])('%j exits 2: %s', async (argv, message) => {
    const { code, stderr } = await run([...argv, '--url', OBJECT, '--origin', APP, '--method', 'GET']);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('documents every flag in --help', async () => {
    const { stdout, stderr } = await runCli(['explain', '--help']);
    for (const flag of [
      '--bucket-missing',
      '--new-bucket',
      '--cached-no-cors',
      '--status',
      '--error-code',
      '--error-message',
      '--response-body',
      '--response-header',
      '--browser-error',
      '--at',
    ])
      expect(stdout + stderr).toContain(flag);
  });
});

describe('s3-cors-doctor explain: what was observed of the preflight, and a forced preflight', () => {
  const json = async (argv: string[], stdin = CONFIG) => {
    const { code, stdout, stderr } = await run([...argv, '--json'], stdin);
    expect(code, stderr).toBe(0);
    return JSON.parse(stdout) as {
      outcome: string;
      preflight: { request: { headers: Record<string, string> }; response: { status: number; headers: Record<string, string>; body?: string } } | null;
      actual: unknown;
      browser: { blockedAt: string | null; corsError: string | null };
      findings: Array<{ code: string; message: string; detail: string }>;
      fix: { config: unknown; rendered: string } | null;
    };
  };
  const PUT = ['--config', '-', '--url', OBJECT, '--origin', APP, '--method', 'PUT', '-H', 'Content-Type: image/jpeg'];

  it('--preflight-status with --preflight-error-code: the observed refusal replaces the model, which allows it', async () => {
    const allowed = await json(PUT);
    expect(allowed.outcome).toBe('allowed');
    const refused = await json([...PUT, '--preflight-status', '403', '--preflight-error-code', 'AccessDenied', '--preflight-header', 'Server: AmazonS3']);
    expect([refused.outcome, refused.browser.blockedAt, refused.actual]).toEqual(['blocked', 'preflight', null]);
    expect(refused.preflight?.response.status).toBe(403);
    // As for --response-header: the headers given are all of them, so the model's Access-Control-* are gone.
    expect(refused.preflight?.response.headers).toEqual({ server: 'AmazonS3' });
    expect(refused.preflight?.response.body).toContain('<Code>AccessDenied</Code>');
  });

  it('--preflight-status 307 with a Location: the redirected preflight, and where to send the request instead', async () => {
    const redirected = await json([
      '--config',
      '-',
      '--url',
      'https://photos.s3.amazonaws.com/uploads/photo.jpg',
      '--origin',
      APP,
      '--method',
      'PUT',
      '-H',
      'Content-Type: image/jpeg',
      '--preflight-status',
      '307',
      '--preflight-header',
      'Location: https://photos.s3-eu-west-1.amazonaws.com/uploads/photo.jpg',
      '--preflight-error-code',
      'TemporaryRedirect',
    ]);
    expect(redirected.outcome).toBe('blocked');
    expect(redirected.findings.map((f) => f.code)).toContain('PREFLIGHT_REDIRECT');
  });

  it('--preflight-error-message is printed redacted, like every other output', async () => {
    const signature = 'X-Amz-Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
    const { code, stdout } = await run([
      ...PUT,
      '--preflight-status',
      '403',
      '--preflight-error-code',
      'SignatureDoesNotMatch',
      '--preflight-error-message',
      `signed ${OBJECT}?${signature}`,
      '--json',
    ]);
    expect(code).toBe(0);
    expect(stdout).not.toContain('0123456789abcdef0123456789abcdef0123456789abcdef');
  });

  it('--force-preflight: an XHR form POST with upload listeners is preflighted, so a bucket without CORS refuses it', async () => {
    const post = ['--config', 'none', '--url', OBJECT, '--origin', APP, '--method', 'POST', '-H', 'Content-Type: multipart/form-data; boundary=x'];
    const simple = await json(post);
    expect(simple.preflight).toBeNull();
    const forced = await json([...post, '--force-preflight']);
    expect([forced.outcome, forced.browser.blockedAt]).toEqual(['blocked', 'preflight']);
    expect(forced.preflight?.request.headers['access-control-request-method']).toBe('POST');
    expect(forced.findings.map((f) => f.code)).toEqual(['NO_CORS_CONFIG']);
    const { stdout } = await run([...post, '--force-preflight']);
    expect(stdout).toContain('Preflight: needed (forced by the page: an upload with progress listeners or a streamed body) → 403');
  });

  it.each([
    [['--preflight-status', '99'], '--preflight-status "99" is not an HTTP status'],
    [['--preflight-error-message', 'x'], '--preflight-error-message needs --preflight-error-code'],
    [['--preflight-error-code', 'Access Denied'], '--preflight-error-code "Access Denied" is not an S3 error code'],
    [['--preflight-header', 'no-colon'], '--preflight-header "no-colon" must look like'],
    // A GET without headers is never preflighted unless the page forced it.
    [['--preflight-status', '403'], '--preflight-status: the browser sends no preflight for this request'],
    [['--preflight-header', 'Server: AmazonS3'], 'add --force-preflight'],
  ])('%j exits 2: %s', async (argv, message) => {
    const { code, stderr } = await run(['--config', '-', ...argv, '--url', OBJECT, '--origin', APP, '--method', 'GET']);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it.each([
    [['--preflight-status', '403', '--status', '200'], '--status: the browser sends no actual request after a preflight answered 403'],
    [['--preflight-status', '307', '--response-header', 'ETag: "x"'], '--response-header: the browser sends no actual request after a preflight answered 307'],
    [['--preflight-status', '500', '--error-code', 'AccessDenied'], '--error-code: the browser sends no actual request after a preflight answered 500'],
  ])('%j exits 2: a refused preflight leaves no actual answer to describe (%s)', async (argv, message) => {
    const { code, stderr } = await run([...PUT, ...argv]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('a refused preflight with a browser error only, or an ok preflight with an actual answer, is accepted', async () => {
    const refused = await json([...PUT, '--preflight-status', '403', '--browser-error', 'net::ERR_FAILED']);
    expect([refused.outcome, refused.browser.blockedAt]).toEqual(['blocked', 'preflight']);
    const ok = await json([...PUT, '--preflight-status', '200', '--status', '403', '--error-code', 'AccessDenied']);
    expect(ok.findings.map((f) => f.code)).toEqual(['NOT_CORS_ACCESS_DENIED']);
  });

  it('a forced GET takes the preflight flags', async () => {
    const forced = await json(['--config', '-', '--url', OBJECT, '--origin', APP, '--method', 'GET', '--force-preflight', '--preflight-status', '403']);
    expect([forced.outcome, forced.browser.blockedAt]).toEqual(['blocked', 'preflight']);
  });

  it('documents the preflight flags in --help', async () => {
    const { stdout, stderr } = await runCli(['explain', '--help']);
    for (const flag of ['--force-preflight', '--preflight-status', '--preflight-error-code', '--preflight-error-message', '--preflight-header'])
      expect(stdout + stderr).toContain(flag);
    expect(stdout + stderr).toContain('the page forced a preflight: an XHR upload with progress listeners, or a streamed body');
  });
});
