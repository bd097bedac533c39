/**
 * Advice matches the provider (issue 10, item 4): provider-specific text only where the URL or the server identifies
 * that provider, and no bucket findings or bucket fix for a request to the service endpoint (no bucket).
 */
import { diagnose, type Diagnosis } from '../../../src/core/diagnose/index.js';
import type { ObservedExchange } from '../../../src/core/evidence/types.js';
import type { BucketState } from '../../../src/core/s3/index.js';

const PROVIDER_WORDS = /Ceph|RGW|Hetzner|success_action_status|Cloudflare|\bR2\b|GCS|Google|Backblaze|\bB2\b|MinIO|Wasabi|LocalStack|DigitalOcean|OVH/;

function allText(diagnosis: Diagnosis): string {
  return [
    ...diagnosis.findings.flatMap((f) => [f.message, f.detail, f.fix, ...f.evidence]),
    ...(diagnosis.fix?.advice ?? []),
    ...(diagnosis.fix?.changes.map((c) => c.description) ?? []),
  ].join('\n');
}

function formPost(url: string, responseHeaders: Record<string, string>): ObservedExchange {
  return {
    id: 'post',
    source: 'har',
    browser: 'chromium',
    pageOrigin: 'https://app.example.com',
    request: { method: 'POST', url, headers: { origin: 'https://app.example.com', 'content-type': 'multipart/form-data; boundary=----x' } },
    response: { status: 204, headers: responseHeaders },
    error: 'net::ERR_FAILED',
  };
}

describe('provider-specific advice only for the provider the evidence identifies', () => {
  it('a form POST to an AWS bucket answered 204 without CORS headers: no Ceph or success_action_status advice', () => {
    const diagnosis = diagnose(formPost('https://photos.s3.us-east-1.amazonaws.com/', { server: 'AmazonS3', 'x-amz-request-id': 'ABCDEF0123456789' }));
    expect(diagnosis.findings.map((f) => f.code)).toContain('SUCCESS_WITHOUT_CORS_HEADERS');
    expect(allText(diagnosis)).not.toMatch(PROVIDER_WORDS);
  });

  it('the same POST to Ceph RGW (Hetzner host, Ceph server) gets the Ceph advice', () => {
    const diagnosis = diagnose(formPost('https://photos.fsn1.your-objectstorage.com/', { server: 'Ceph Object Gateway' }));
    const finding = diagnosis.findings.find((f) => f.code === 'SUCCESS_WITHOUT_CORS_HEADERS')!;
    expect(finding.detail).toContain('Ceph');
    expect(finding.fix).toContain('success_action_status=201');
  });

  it('a custom domain whose Server header says Ceph gets the Ceph advice', () => {
    const diagnosis = diagnose(formPost('https://uploads.example.net/', { server: 'Ceph Object Gateway (squid)' }));
    expect(diagnosis.findings.find((f) => f.code === 'SUCCESS_WITHOUT_CORS_HEADERS')!.fix).toContain('success_action_status=201');
  });

  it("an AWS presigned URL valid for more than 7 days is not explained with another provider's error text", () => {
    const url =
      'https://photos.s3.us-east-1.amazonaws.com/a.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261128%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261128T080000Z&X-Amz-Expires=999999&X-Amz-SignedHeaders=host&X-Amz-Signature=abc';
    const diagnosis = diagnose({
      id: 'x',
      source: 'har',
      pageOrigin: 'https://app.example.com',
      request: { method: 'GET', url, headers: { origin: 'https://app.example.com' } },
    });
    expect(diagnosis.findings.map((f) => f.code)).toContain('NOT_CORS_REQUEST_EXPIRED');
    expect(allText(diagnosis)).not.toMatch(PROVIDER_WORDS);
  });

  it("a configuration that is not live, on AWS, names no other provider's propagation delay", () => {
    const exchange: ObservedExchange = {
      id: 'x',
      source: 'har',
      pageOrigin: 'https://app.example.com',
      request: { method: 'GET', url: 'https://photos.s3.us-east-1.amazonaws.com/a.jpg', headers: { origin: 'https://app.example.com' } },
      response: { status: 200, headers: { server: 'AmazonS3' } },
      error: 'net::ERR_FAILED',
    };
    const bucket: BucketState = {
      kind: 'cors',
      config: { rules: [{ allowedOrigins: ['https://app.example.com'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [] }] },
    };
    const diagnosis = diagnose(exchange, { bucket });
    expect(diagnosis.findings.map((f) => f.code)).toContain('CONFIG_NOT_APPLIED');
    expect(allText(diagnosis)).not.toMatch(PROVIDER_WORDS);
  });
});

describe('a request to the service endpoint (no bucket)', () => {
  const listBuckets: ObservedExchange = {
    id: 'list',
    source: 'har',
    browser: 'chromium',
    pageOrigin: 'https://app.example.com',
    request: {
      method: 'GET',
      url: 'https://s3.amazonaws.com/',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261128/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=abc' },
    },
    response: { status: 0, headers: {} },
    error: 'net::ERR_FAILED',
    preflight: {
      request: {
        method: 'OPTIONS',
        url: 'https://s3.amazonaws.com/',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,x-amz-date' },
      },
      response: {
        status: 403,
        headers: { server: 'AmazonS3' },
        body: '<Error><Code>AccessForbidden</Code><Message>CORSResponse: Bucket not found</Message></Error>',
      },
    },
  };
  const BUCKET_CODES = [
    'BUCKET_NOT_FOUND',
    'NO_CORS_CONFIG',
    'ORIGIN_NOT_ALLOWED',
    'METHOD_NOT_ALLOWED',
    'HEADERS_NOT_ALLOWED',
    'NO_RULE_MATCHED',
    'RULE_SHADOWED',
    'CONFIG_NOT_APPLIED',
    'CREDENTIALS_WITH_WILDCARD_ORIGIN',
    'HEADER_NOT_EXPOSED',
  ];
  const states: Array<[string, BucketState | undefined]> = [
    ['unknown bucket state', undefined],
    ['no configuration given', { kind: 'no-cors' }],
    [
      'a configuration given',
      { kind: 'cors', config: { rules: [{ allowedOrigins: ['https://other.example.com'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [] }] } },
    ],
    ['bucket given as missing', { kind: 'missing' }],
  ];
  for (const [label, bucket] of states) {
    it(`${label}: only the service-endpoint finding, no bucket finding, no bucket CORS fix`, () => {
      const diagnosis = diagnose(listBuckets, bucket ? { bucket } : {});
      const codes = diagnosis.findings.map((f) => f.code);
      expect(codes).toContain('SERVICE_ENDPOINT_NO_CORS');
      for (const code of BUCKET_CODES) expect(codes).not.toContain(code);
      expect(allText(diagnosis)).not.toContain('(unknown)');
      expect(diagnosis.fix?.config ?? null).toBeNull();
      expect(diagnosis.fix?.changes.every((c) => c.kind === 'non-cors') ?? true).toBe(true);
    });
  }
});
