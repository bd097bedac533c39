/**
 * Every finding the diagnosis can make from a HAR can be reached from `explain` too (issue 10, item 5), except the
 * those that exist only where a capture lacks something explain always has (the preflight, the Origin, the configuration). A new finding code fails this test until it is given a command line here.
 */
import { FINDING_CODES } from '../../src/core/diagnose/index.js';
import { runCli } from './run-cli.js';

const APP = 'https://app.example.com';
const OBJECT = 'https://photos.s3.us-east-1.amazonaws.com/uploads/photo.jpg';
const RULES = (extra: object = {}) => JSON.stringify([{ AllowedOrigins: [APP], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['content-type'], ...extra }]);
const PRESIGNED = `${OBJECT}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261128%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261128T080000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=0123456789abcdef`;

/** About the capture, not the request: explain describes a request, it does not capture one. */
const CAPTURE_ONLY: Record<string, string> = {
  PREFLIGHT_NOT_OBSERVED: 'says a capture lacks the preflight; explain always models it',
  NOT_A_CORS_REQUEST: 'a request sent without Origin (an <img>); explain takes the page origin, so its request is a CORS request',
  NO_RULE_MATCHED:
    'S3 refused a preflight and the configuration is unknown; explain always has the configuration, so it names the failing conditions (ORIGIN_NOT_ALLOWED, METHOD_NOT_ALLOWED, HEADERS_NOT_ALLOWED) instead',
};

const GET = ['--url', OBJECT, '--origin', APP, '--method', 'GET'];
const PUT = ['--url', OBJECT, '--origin', APP, '--method', 'PUT', '-H', 'Content-Type: image/jpeg'];

const REACH: Record<string, { argv: string[]; config?: string }> = {
  NO_CORS_CONFIG: { argv: ['--config', 'none', ...GET] },
  BUCKET_NOT_FOUND: { argv: ['--bucket-missing', ...GET] },
  ORIGIN_NOT_ALLOWED: { argv: ['--config', '-', '--url', OBJECT, '--origin', 'https://other.example.com', '--method', 'GET'] },
  METHOD_NOT_ALLOWED: { argv: ['--config', '-', '--url', OBJECT, '--origin', APP, '--method', 'DELETE'] },
  HEADERS_NOT_ALLOWED: { argv: ['--config', '-', ...PUT, '-H', 'x-amz-meta-owner: me'] },
  CREDENTIALS_WITH_WILDCARD_ORIGIN: {
    argv: ['--config', '-', ...GET, '--credentials', 'include'],
    config: JSON.stringify([{ AllowedOrigins: ['*'], AllowedMethods: ['GET'] }]),
  },
  PREFLIGHT_REDIRECT: {
    argv: [
      '--config',
      '-',
      '--new-bucket',
      '--region',
      'eu-west-1',
      '--url',
      'https://photos.s3.amazonaws.com/a.jpg',
      '--origin',
      APP,
      '--method',
      'PUT',
      '-H',
      'Content-Type: image/jpeg',
    ],
  },
  REGION_REDIRECT: { argv: ['--config', '-', '--region', 'eu-west-1', ...GET] },
  HEADER_NOT_EXPOSED: { argv: ['--config', '-', ...GET, '--expose', 'ETag'] },
  RULE_SHADOWED: {
    argv: ['--config', '-', '--url', `${OBJECT}?partNumber=1&uploadId=abc`, '--origin', APP, '--method', 'PUT', '-H', 'Content-Type: application/octet-stream'],
    config: JSON.stringify([
      { ID: 'public', AllowedOrigins: ['https://*.example.com'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'] },
      { ID: 'app-uploads', AllowedOrigins: [APP], AllowedMethods: ['PUT', 'POST'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'] },
    ]),
  },
  CACHED_RESPONSE_WITHOUT_CORS: { argv: ['--config', '-', '--cached-no-cors', ...GET] },
  CDN_NOT_FORWARDING_ORIGIN: {
    argv: [
      '--config',
      '-',
      '--url',
      'https://d111111abcdef8.cloudfront.net/a.jpg',
      '--origin',
      APP,
      '--method',
      'GET',
      '--response-header',
      'Via: 1.1 abc.cloudfront.net (CloudFront)',
    ],
  },
  SERVICE_ENDPOINT_NO_CORS: { argv: ['--config', '-', '--url', 'https://s3.amazonaws.com/', '--origin', APP, '--method', 'GET'] },
  NOT_CORS_SIGNATURE_MISMATCH: { argv: ['--config', '-', ...GET, '--status', '403', '--error-code', 'SignatureDoesNotMatch'] },
  NOT_CORS_REQUEST_EXPIRED: { argv: ['--config', '-', '--url', PRESIGNED, '--origin', APP, '--method', 'GET', '--at', '2026-11-28T09:00:00Z'] },
  NOT_CORS_ACCESS_DENIED: { argv: ['--config', '-', ...GET, '--status', '403', '--error-code', 'AccessDenied'] },
  NOT_CORS_NETWORK_ERROR: { argv: ['--config', '-', ...GET, '--browser-error', 'net::ERR_CONNECTION_REFUSED'] },
  UNSUPPORTED_ENDPOINT: { argv: ['--config', '-', '--url', 'http://photos.s3-website-us-east-1.amazonaws.com/a.jpg', '--origin', APP, '--method', 'PUT'] },
  SDK_CHECKSUM_HEADERS: { argv: ['--config', '-', ...PUT, '-H', 'x-amz-checksum-crc32: AAAAAA=='] },
  PRIVATE_NETWORK_ACCESS: {
    argv: ['--config', '-', '--url', 'http://localhost:9000/photos/a.jpg', '--origin', APP, '--method', 'GET', '--browser-error', 'net::ERR_FAILED'],
  },
  CORS_BLOCKED: { argv: ['--config', '-', ...GET, '--browser-error', 'net::ERR_FAILED'] },
  SUCCESS_WITHOUT_CORS_HEADERS: { argv: ['--config', '-', ...PUT, '--status', '200', '--response-header', 'Server: AmazonS3'] },
  OPTIONS_IN_ALLOWED_METHODS: { argv: ['--config', '-', ...GET], config: JSON.stringify([{ AllowedOrigins: [APP], AllowedMethods: ['GET', 'OPTIONS'] }]) },
  CONFIG_REJECTED: { argv: ['--config', '-', ...GET], config: JSON.stringify([{ AllowedOrigins: [APP], AllowedMethods: ['GET', 'PATCH'] }]) },
  CONFIG_NOT_APPLIED: { argv: ['--config', '-', ...GET, '--response-header', 'Server: AmazonS3'] },
  PROVIDER_QUIRK: {
    argv: [
      '--config',
      '-',
      '--url',
      'http://127.0.0.1:9000/photos/a.jpg',
      '--origin',
      'http://localhost:3000',
      '--method',
      'PUT',
      '-H',
      'Content-Type: image/jpeg',
      '--response-header',
      'Server: MinIO',
    ],
    config: RULES({ AllowedOrigins: ['http://localhost:5173'] }),
  },
  MIXED_CONTENT: { argv: ['--config', '-', '--url', 'http://photos.s3.us-east-1.amazonaws.com/a.jpg', '--origin', APP, '--method', 'GET'] },
};

describe('every finding a HAR can lead to is reachable from explain', () => {
  it('each finding code has a command line here, or is about a capture itself', () => {
    for (const code of FINDING_CODES) expect(code in REACH || code in CAPTURE_ONLY, `${code}: no explain command line`).toBe(true);
  });

  for (const [code, { argv, config }] of Object.entries(REACH)) {
    it(`${code}: explain ${argv
      .filter((a) => a !== '-')
      .join(' ')
      .slice(0, 140)}`, async () => {
      const { code: exit, stdout, stderr } = await runCli(['explain', ...argv, '--json'], { stdin: config ?? RULES() });
      expect(exit, stderr).toBe(0);
      const codes = (JSON.parse(stdout) as { findings: Array<{ code: string }> }).findings.map((f) => f.code);
      expect(codes, codes.join(', ')).toContain(code);
    });
  }
});

/**
 * Findings a HAR reaches through its recorded preflight answer (or a preflight the page forced) are reached the same
 * way from explain, through the preflight observation flags, not only through the configuration's model.
 */
const REACH_BY_PREFLIGHT: Record<string, string[]> = {
  PREFLIGHT_REDIRECT: [
    '--url',
    'https://photos.s3.amazonaws.com/a.jpg',
    '--origin',
    APP,
    '--method',
    'PUT',
    '-H',
    'Content-Type: image/jpeg',
    '--preflight-status',
    '307',
    '--preflight-header',
    'Location: https://photos.s3-eu-west-1.amazonaws.com/a.jpg',
    '--preflight-error-code',
    'TemporaryRedirect',
  ],
  PROVIDER_QUIRK: [
    '--url',
    'https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com/photos/a.jpg',
    '--origin',
    APP,
    ...PUT.slice(4),
    '--preflight-status',
    '403',
    '--preflight-header',
    'Server: cloudflare',
    '--preflight-error-code',
    'SignatureDoesNotMatch',
  ],
  NO_CORS_CONFIG: [
    '--url',
    OBJECT,
    '--origin',
    APP,
    '--method',
    'POST',
    '--force-preflight',
    '--preflight-status',
    '403',
    '--preflight-error-code',
    'AccessForbidden',
  ],
};

describe('findings a recorded preflight leads to are reachable from explain through the preflight flags', () => {
  for (const [code, argv] of Object.entries(REACH_BY_PREFLIGHT)) {
    it(code, async () => {
      const {
        code: exit,
        stdout,
        stderr,
      } = await runCli(['explain', '--config', code === 'NO_CORS_CONFIG' ? 'none' : '-', ...argv, '--json'], {
        stdin: RULES(),
      });
      expect(exit, stderr).toBe(0);
      const result = JSON.parse(stdout) as { outcome: string; browser: { blockedAt: string | null }; findings: Array<{ code: string }> };
      expect([result.outcome, result.browser.blockedAt]).toEqual(['blocked', 'preflight']);
      expect(result.findings.map((f) => f.code)).toContain(code);
    });
  }
});
