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
    const { code, stdout } = await run(['--config', '-', '--url', OBJECT, '--origin', APP, '--method', 'PUT', '--header', 'Content-Type: image/jpeg', '--header', 'x-amz-checksum-crc32: q2dW1A==']);
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
    const { code, stdout } = await run(['--config', '-', '--url', `${OBJECT}?partNumber=3&uploadId=abc`, '--origin', APP, '--method', 'PUT', '--fix-format', 'terraform']);
    expect(code).toBe(0);
    expect(stdout).toContain('ALLOWED, WITH A PROBLEM  PUT');
    expect(stdout).toContain('The request succeeds, but script cannot read `ETag`: rule 2 (ID: uploads), the rule S3 uses, exposes none.');
    expect(stdout).toContain('  + add ETag to the ExposeHeaders of rule 2 (ID: uploads)');
    expect(stdout).toContain('expose_headers  = ["ETag"]');
  });
});

describe('s3-cors-doctor explain --json', () => {
  it('prints the documented JSON with a verified fix in the requested format', async () => {
    const { code, stdout } = await run(['--config', '-', '--url', OBJECT, '--origin', APP, '--method', 'PUT', '-H', 'Content-Type: image/jpeg', '-H', 'x-amz-meta-owner: me', '--json', '--fix-format', 'xml']);
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
  const argv = ['--config', '-', '--url', signed, '--origin', APP, '--method', 'PUT', '-H', 'Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261128/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=feedfacefeedface', '-H', 'Cookie: session=s3cr3t'];

  it.each([['text', []], ['json', ['--json']]])('%s output masks the signature, token, key id, Authorization and cookies', async (_name, extra) => {
    const { code, stdout } = await run([...argv, ...extra]);
    expect(code).toBe(0);
    for (const secret of ['0123456789abcdef0123456789abcdef', 'SECRETTOKEN', 'AKIAIOSFODNN7EXAMPLE', 'feedfacefeedface', 's3cr3t']) expect(stdout).not.toContain(secret);
    expect(stdout).toContain('REDACTED');
  });
});
