/**
 * Ceph RGW answers a presigned form POST with 204 and no CORS headers although a rule matches (failure mode 28; the
 * corpus case ceph-presigned-post-204-without-cors-headers). That quirk explains the refusal: the configuration is
 * live, so CONFIG_NOT_APPLIED (another configuration is live) must not be said beside it.
 */
import { diagnose } from '../../../src/core/diagnose/index.js';
import type { ObservedExchange } from '../../../src/core/evidence/types.js';
import type { BucketState } from '../../../src/core/s3/index.js';

const APP = 'https://app.example.com';
const bucket: BucketState = {
  kind: 'cors',
  config: { rules: [{ allowedOrigins: [APP], allowedMethods: ['GET', 'POST', 'PUT'], allowedHeaders: ['*'], exposeHeaders: [] }] },
};

function formPost(url: string, server: string): ObservedExchange {
  return {
    id: 'post',
    source: 'har',
    browser: 'chromium',
    pageOrigin: APP,
    request: { method: 'POST', url, headers: { origin: APP, 'content-type': 'multipart/form-data; boundary=----x' } },
    response: { status: 204, headers: { server } },
    error: 'net::ERR_FAILED',
  };
}

describe('a Ceph form POST answered 204 without CORS headers, with a configuration that allows it', () => {
  it('names the 204 quirk, not a configuration that is not live', () => {
    const codes = diagnose(formPost('https://photos.fsn1.your-objectstorage.com/', 'Ceph Object Gateway'), { bucket }).findings.map((f) => f.code);
    expect(codes).toContain('SUCCESS_WITHOUT_CORS_HEADERS');
    expect(codes).not.toContain('CONFIG_NOT_APPLIED');
  });

  it('on AWS the same answer still says the live configuration differs (S3 adds CORS headers when a rule matches)', () => {
    const codes = diagnose(formPost('https://photos.s3.us-east-1.amazonaws.com/', 'AmazonS3'), { bucket }).findings.map((f) => f.code);
    expect(codes).toContain('CONFIG_NOT_APPLIED');
  });
});
