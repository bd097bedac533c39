import { isFailure, isRelevant, isRelevantExchange, isS3Host } from '../../../src/core/evidence/relevance.js';

describe('which requests the capture keeps', () => {
  it('recognises AWS S3 hosts in every style, and nothing that merely contains "s3"', () => {
    for (const url of [
      'https://b.s3.amazonaws.com/k',
      'https://b.s3.eu-west-1.amazonaws.com/k',
      'https://s3.us-east-2.amazonaws.com/b/k',
      'https://b.s3-website-us-east-1.amazonaws.com/',
      'https://b.s3.dualstack.ap-south-1.amazonaws.com/k',
    ]) {
      expect(isS3Host(url), url).toBe(true);
    }
    expect(isS3Host('https://s3cdn.example.com/k')).toBe(false);
    expect(isS3Host('not a url')).toBe(false);
  });

  it('recognises S3 behind CloudFront or a custom domain by its response headers', () => {
    const facts = { url: 'https://assets.example.com/k', hasPreflight: false, status: 200 };
    expect(isRelevant({ ...facts, responseHeaders: { server: 'AmazonS3' } })).toBe(true);
    expect(isRelevant({ ...facts, responseHeaders: { 'x-amz-request-id': 'R' } })).toBe(true);
    expect(isRelevant({ ...facts, preflightResponseHeaders: { 'x-amz-cf-id': 'C' } })).toBe(true);
    expect(isRelevant({ ...facts, responseHeaders: { server: 'nginx' } })).toBe(false);
  });

  it('keeps cross-origin failures and preflighted requests to any host (s3rver, MinIO send no S3 header)', () => {
    const facts = { url: 'http://127.0.0.1:4568/b/k', pageOrigin: 'http://127.0.0.1:8000' };
    expect(isRelevant({ ...facts, hasPreflight: false, status: 0, error: 'net::ERR_FAILED' })).toBe(true);
    expect(isRelevant({ ...facts, hasPreflight: true, status: 200 })).toBe(true);
    expect(
      isRelevant({
        ...facts,
        hasPreflight: false,
        status: 200,
        responseHeaders: { 'access-control-allow-origin': '*' },
        requestHeaders: { origin: 'http://127.0.0.1:8000' },
      }),
    ).toBe(false);
    expect(
      isRelevant({ url: 'http://127.0.0.1:8000/app.js', pageOrigin: 'http://127.0.0.1:8000', hasPreflight: false, status: 0, error: 'net::ERR_FAILED' }),
    ).toBe(false);
  });

  it('does not count net::ERR_ABORTED with status 200 as a failure (the page did not read the body)', () => {
    expect(isFailure({ status: 200, error: 'net::ERR_ABORTED' })).toBe(false);
    expect(isFailure({ status: 0, error: 'net::ERR_ABORTED' })).toBe(true);
    expect(isFailure({ status: 0, error: 'NS_ERROR_DOM_BAD_URI' })).toBe(true);
  });

  it('judges an exchange with an unparsable URL without throwing', () => {
    expect(isRelevantExchange({ id: 'x', source: 'devtools', request: { method: 'GET', url: '::::', headers: {} } })).toBe(false);
  });
});
