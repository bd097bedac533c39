/**
 * Recorded evidence for the panel tests: realistic captured exchanges with hand-written diagnoses, so the panel is
 * tested on its own, whatever state the diagnosis core is in.
 */
import type { CapturedRow, PanelState, PolicyState } from '../../src/panel/model.js';
import type { Diagnosis, Finding } from '../../src/core/diagnose/types.js';
import type { ObservedExchange } from '../../src/core/evidence/types.js';

export const PAGE_ORIGIN = 'https://app.example.com';
export const SECRET_SIGNATURE = 'f3a9c1d2e4b5a6978877665544332211aabbccddeeff00112233445566778899';
export const SECRET_TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN';
export const SECRET_CREDENTIAL = 'AKIAEXAMPLEKEY123456/20261128/eu-west-1/s3/aws4_request';

/** A presigned PUT from the AWS SDK with its default checksum header, refused by the preflight. */
export const PRESIGNED_PUT_URL =
  'https://uploads.s3.eu-west-1.amazonaws.com/photos/cat%20pic.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
  `&X-Amz-Credential=${encodeURIComponent(SECRET_CREDENTIAL)}&X-Amz-Date=20261128T075900Z&X-Amz-Expires=900` +
  `&X-Amz-Security-Token=${SECRET_TOKEN}&X-Amz-Signature=${SECRET_SIGNATURE}&X-Amz-SignedHeaders=host`;

function finding(partial: Partial<Finding> & Pick<Finding, 'code' | 'severity' | 'message'>): Finding {
  return { rule: null, detail: '', evidence: [], fix: '', ...partial };
}

const AWS = { id: 'aws', name: 'Amazon S3', notes: [] };

export const blockedPut: CapturedRow = {
  exchange: {
    id: 'put-checksum',
    source: 'devtools',
    browser: 'chromium',
    pageOrigin: PAGE_ORIGIN,
    startedAt: '2026-11-28T07:59:01.000Z',
    resourceType: 'fetch',
    request: {
      method: 'PUT',
      url: PRESIGNED_PUT_URL,
      headers: {
        'content-type': 'image/jpeg',
        'x-amz-checksum-crc32': 'AAAAAA==',
        origin: PAGE_ORIGIN,
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE',
      },
    },
    response: { status: 0, headers: {} },
    preflight: {
      request: {
        method: 'OPTIONS',
        url: PRESIGNED_PUT_URL,
        headers: { origin: PAGE_ORIGIN, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type,x-amz-checksum-crc32' },
      },
      response: {
        status: 403,
        headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'R4ND0M1D', server: 'AmazonS3' },
        body: '<Error><Code>AccessForbidden</Code><Message>CORSResponse: This CORS request is not allowed.</Message></Error>',
      },
    },
    error: 'net::ERR_FAILED',
    gaps: ['The response body of the preflight was not visible to devtools.network.'],
  },
  diagnosis: {
    exchangeId: 'put-checksum',
    outcome: 'blocked',
    verdict: 'Preflight refused: header x-amz-checksum-crc32 not allowed by rule 1',
    findings: [
      finding({
        code: 'SDK_CHECKSUM_HEADERS',
        severity: 'info',
        message: 'The AWS SDK adds x-amz-checksum-crc32 by default since 2025.',
        fix: 'Allow the header, or set requestChecksumCalculation: "WHEN_REQUIRED".',
      }),
      finding({
        code: 'HEADERS_NOT_ALLOWED',
        severity: 'error',
        rule: 0,
        message: 'Rule 1 (ID: uploads) matches origin and method; header x-amz-checksum-crc32 is not in its AllowedHeaders.',
        detail: 'S3 answered the preflight with 403 AccessForbidden, so no rule matched (S8).',
        evidence: [`preflight 403 AccessForbidden for ${PRESIGNED_PUT_URL}`, 'Access-Control-Request-Headers: content-type,x-amz-checksum-crc32'],
        fix: 'Add x-amz-checksum-crc32 to AllowedHeaders of rule 1.',
      }),
    ],
    trace: [
      {
        rule: 0,
        id: 'uploads',
        origin: { value: PAGE_ORIGIN, matched: true, by: PAGE_ORIGIN },
        method: { value: 'PUT', source: 'access-control-request-method', matched: true },
        headers: [
          { name: 'content-type', matched: true, by: 'content-type' },
          { name: 'x-amz-checksum-crc32', matched: false },
        ],
        matched: false,
        used: false,
      },
      {
        rule: 1,
        id: 'public-read',
        origin: { value: PAGE_ORIGIN, matched: true, by: '*' },
        method: { value: 'PUT', source: 'access-control-request-method', matched: false },
        headers: [
          { name: 'content-type', matched: false },
          { name: 'x-amz-checksum-crc32', matched: false },
        ],
        matched: false,
        used: false,
      },
    ],
    browser: {
      outcome: 'blocked',
      preflight: null,
      actual: null,
      failure: {
        blockedAt: 'preflight',
        corsError: 'PreflightInvalidStatus',
        messages: {
          chrome: `Access to fetch at '${PRESIGNED_PUT_URL}' from origin '${PAGE_ORIGIN}' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status.`,
          firefox: `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${PRESIGNED_PUT_URL}. (Reason: CORS preflight response did not succeed). Status code: 403.`,
          firefoxFollowUp: `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${PRESIGNED_PUT_URL}. (Reason: CORS request did not succeed). Status code: (null).`,
        },
      },
      readableHeaders: [],
    },
    fix: {
      config: [
        {
          id: 'uploads',
          allowedOrigins: [PAGE_ORIGIN],
          allowedMethods: ['PUT'],
          allowedHeaders: ['content-type', 'x-amz-checksum-crc32'],
          exposeHeaders: ['ETag'],
        },
        { id: 'public-read', allowedOrigins: ['*'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [] },
      ],
      changes: [
        { kind: 'add-header', rule: 0, value: 'x-amz-checksum-crc32', description: 'Add x-amz-checksum-crc32 to AllowedHeaders of rule 1 (ID: uploads).' },
      ],
      verified: true,
      advice: [],
    },
    provider: { ...AWS, notes: ['S3 compares AllowedHeader case-insensitively (S12).'] },
  },
};

export const allowedGet: CapturedRow = {
  exchange: {
    id: 'get-ok',
    source: 'devtools',
    browser: 'chromium',
    pageOrigin: PAGE_ORIGIN,
    startedAt: '2026-11-28T07:58:30.000Z',
    request: { method: 'GET', url: 'https://uploads.s3.eu-west-1.amazonaws.com/photos/dog.jpg', headers: { origin: PAGE_ORIGIN } },
    response: { status: 200, headers: { 'access-control-allow-origin': PAGE_ORIGIN, vary: 'Origin', etag: '"abc"' } },
  },
  diagnosis: {
    exchangeId: 'get-ok',
    outcome: 'allowed',
    verdict: 'Allowed by rule 2',
    findings: [],
    trace: [],
    browser: null,
    fix: null,
    provider: AWS,
  },
};

export const wrongOriginGet: CapturedRow = {
  exchange: {
    id: 'get-origin',
    source: 'devtools',
    browser: 'chromium',
    pageOrigin: 'https://staging.example.com',
    startedAt: '2026-11-28T07:58:45.000Z',
    request: { method: 'GET', url: 'https://assets.s3.us-east-1.amazonaws.com/fonts/inter.woff2', headers: { origin: 'https://staging.example.com' } },
    response: { status: 200, headers: { 'content-type': 'font/woff2' } },
    error: 'net::ERR_FAILED',
  },
  diagnosis: {
    exchangeId: 'get-origin',
    outcome: 'blocked',
    verdict: 'Origin https://staging.example.com is not allowed',
    findings: [
      finding({
        code: 'ORIGIN_NOT_ALLOWED',
        severity: 'error',
        message: 'No rule allows origin https://staging.example.com.',
        evidence: ['200 response without Access-Control-Allow-Origin'],
        fix: 'Add https://staging.example.com to AllowedOrigins.',
      }),
    ],
    trace: [],
    browser: null,
    fix: {
      config: [{ allowedOrigins: ['https://staging.example.com'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [] }],
      changes: [{ kind: 'add-rule', rule: null, description: 'Add a rule allowing GET from https://staging.example.com.' }],
      verified: false,
      advice: [],
    },
    provider: AWS,
  },
};

export const signatureMismatch: CapturedRow = {
  exchange: {
    id: 'put-signature',
    source: 'har',
    browser: 'firefox',
    pageOrigin: PAGE_ORIGIN,
    startedAt: '2026-11-28T07:59:30.000Z',
    request: { method: 'PUT', url: 'https://reports.s3.amazonaws.com/q3.pdf?AWSAccessKeyId=AKIAOLDSTYLE&Signature=c2VjcmV0&Expires=1790000000', headers: {} },
    response: {
      status: 403,
      headers: { 'access-control-allow-origin': PAGE_ORIGIN },
      body: '<Error><Code>SignatureDoesNotMatch</Code><AWSAccessKeyId>AKIAOLDSTYLE</AWSAccessKeyId><SignatureProvided>c2VjcmV0</SignatureProvided></Error>',
    },
    gaps: ['HAR has no preflight entries'],
  },
  diagnosis: {
    exchangeId: 'put-signature',
    outcome: 'failed-not-cors',
    verdict: 'Not CORS: SignatureDoesNotMatch',
    findings: [
      finding({
        code: 'NOT_CORS_SIGNATURE_MISMATCH',
        severity: 'error',
        message: 'S3 rejected the signature; CORS passed.',
        evidence: ['403 SignatureDoesNotMatch <SignatureProvided>c2VjcmV0</SignatureProvided>'],
        fix: 'Sign the request with the same Content-Type the browser sends.',
      }),
    ],
    trace: [],
    browser: null,
    fix: { config: null, changes: [], verified: false, advice: ['Regenerate the presigned URL with the Content-Type the upload sends.'] },
    provider: AWS,
  },
};

export const RECORDED_ROWS: CapturedRow[] = [allowedGet, wrongOriginGet, blockedPut, signatureMismatch];

export const uploadsPolicy: PolicyState = {
  bucket: 'uploads',
  source: 'pasted',
  policy: {
    format: 'console-json',
    config: {
      rules: [
        { id: 'uploads', allowedOrigins: [PAGE_ORIGIN], allowedMethods: ['PUT'], allowedHeaders: ['content-type'], exposeHeaders: ['ETag'] },
        { id: 'public-read', allowedOrigins: ['*'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [] },
      ],
    },
    sources: [],
  },
  lint: {
    valid: true,
    format: 'console-json',
    errors: [],
    warnings: [
      {
        code: 'WILDCARD_ORIGIN',
        message: 'AllowedOrigin * lets any site read these objects.',
        rule: 1,
        element: 'AllowedOrigin',
        line: 9,
        column: 25,
        fix: 'List the origins.',
      },
    ],
  },
};

export function panelState(overrides: Partial<PanelState> = {}): PanelState {
  return {
    rows: RECORDED_ROWS,
    policies: {},
    probes: {},
    hasCredentials: false,
    preserveLog: false,
    theme: 'light',
    browser: 'chromium',
    grantedOrigins: [],
    notice: null,
    fixFormat: 'console',
    ...overrides,
  };
}

/** n captured rows, every third one a failure, for the virtualisation tests. */
export function manyRows(count: number): CapturedRow[] {
  const rows: CapturedRow[] = [];
  for (let i = 0; i < count; i++) {
    const failed = i % 3 === 0;
    const exchange: ObservedExchange = {
      id: `bulk-${i}`,
      source: 'devtools',
      pageOrigin: PAGE_ORIGIN,
      request: { method: failed ? 'PUT' : 'GET', url: `https://bulk.s3.amazonaws.com/objects/item-${i}.bin`, headers: {} },
      response: { status: failed ? 0 : 200, headers: {} },
    };
    const diagnosis: Diagnosis = {
      exchangeId: exchange.id,
      outcome: failed ? 'blocked' : 'allowed',
      verdict: failed ? `Blocked item ${i}` : `Allowed item ${i}`,
      findings: failed ? [finding({ code: 'NO_CORS_CONFIG', severity: 'error', message: 'The bucket has no CORS configuration.' })] : [],
      trace: [],
      browser: null,
      fix: null,
      provider: AWS,
    };
    rows.push({ exchange, diagnosis });
  }
  return rows;
}
