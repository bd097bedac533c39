/**
 * The exchange read once into plain facts (issue 12 item 3): each header the diagnosis decides from is read here,
 * by name, case-insensitively; an absent header is undefined, never ''.
 */
import { answerFactsOf, readAnswerFacts, readExchangeFacts, readRequestFacts } from '../../../src/core/evidence/facts.js';

describe('readAnswerFacts', () => {
  it('reads each CORS, S3, cache and CDN header by name, whatever its case', () => {
    const facts = readAnswerFacts({
      status: 403,
      headers: {
        'Access-Control-Allow-Origin': 'https://app.example',
        'ACCESS-CONTROL-ALLOW-CREDENTIALS': 'true',
        'access-control-expose-headers': 'ETag, x-amz-version-id',
        'Access-Control-Allow-Private-Network': 'true',
        Vary: 'Origin, Access-Control-Request-Headers,  ,ACCESS-CONTROL-REQUEST-METHOD',
        Location: 'https://bucket.s3.eu-west-1.amazonaws.com/key',
        Server: 'AmazonS3',
        'X-Amz-Request-Id': 'R1',
        'x-amz-bucket-region': 'eu-west-1',
        Date: 'Thu, 03 Dec 2026 10:00:00 GMT',
        Age: '12',
        'Cache-Control': 'max-age=60',
        Expires: 'Thu, 03 Dec 2026 11:00:00 GMT',
        'Last-Modified': 'Wed, 02 Dec 2026 10:00:00 GMT',
        Via: '1.1 abc.cloudfront.net (CloudFront)',
        'X-Cache': 'Hit from cloudfront',
        'X-Amz-Cf-Id': 'id==',
        'X-Amz-Cf-Pop': 'FRA56-C1',
        'CF-Cache-Status': 'HIT',
        'cf-mitigated': 'challenge',
      },
    });
    expect(facts).toEqual({
      status: 403,
      allowOrigin: 'https://app.example',
      allowCredentials: 'true',
      exposeHeaders: 'ETag, x-amz-version-id',
      allowPrivateNetwork: true,
      anyAccessControlHeader: true,
      vary: ['origin', 'access-control-request-headers', 'access-control-request-method'],
      location: 'https://bucket.s3.eu-west-1.amazonaws.com/key',
      server: 'AmazonS3',
      requestId: 'R1',
      bucketRegion: 'eu-west-1',
      date: 'Thu, 03 Dec 2026 10:00:00 GMT',
      age: '12',
      cacheControl: 'max-age=60',
      expires: 'Thu, 03 Dec 2026 11:00:00 GMT',
      lastModified: 'Wed, 02 Dec 2026 10:00:00 GMT',
      via: '1.1 abc.cloudfront.net (CloudFront)',
      xCache: 'Hit from cloudfront',
      cloudFrontId: true,
      cloudFrontPop: 'FRA56-C1',
      cfCacheStatus: 'HIT',
      cfMitigated: 'challenge',
    });
  });

  it('leaves an absent header undefined (not ""), and an empty value as it was sent', () => {
    const facts = readAnswerFacts({ status: 200, headers: { 'access-control-allow-origin': '', etag: '"x"' } });
    expect(facts.allowOrigin).toBe('');
    expect(facts.exposeHeaders).toBeUndefined();
    expect(facts.vary).toEqual([]);
    expect(facts.cloudFrontId).toBe(false);
    expect(facts.allowPrivateNetwork).toBe(false);
    expect(facts.anyAccessControlHeader).toBe(true);
    expect(readAnswerFacts({ status: 204, headers: { etag: '"x"' } }).anyAccessControlHeader).toBe(false);
  });

  it('grants private network access only for the exact value "true"', () => {
    expect(readAnswerFacts({ status: 204, headers: { 'access-control-allow-private-network': 'TRUE' } }).allowPrivateNetwork).toBe(false);
  });

  it('takes the first matching name of a map that was not lower-cased (a related exchange as the source gave it)', () => {
    expect(readAnswerFacts({ status: 200, headers: { 'X-Amz-Request-Id': 'first', 'x-amz-request-id': 'exact' } }).requestId).toBe('exact');
    expect(readAnswerFacts({ status: 200, headers: { 'X-Amz-Request-Id': 'first', 'X-AMZ-REQUEST-ID': 'second' } }).requestId).toBe('first');
  });

  it('has no facts for a missing answer', () => {
    expect(answerFactsOf(undefined)).toBeNull();
    expect(answerFactsOf(null)).toBeNull();
  });
});

describe('readRequestFacts and readExchangeFacts', () => {
  it('read what a preflight asks and what the request carried', () => {
    expect(
      readRequestFacts({
        method: 'OPTIONS',
        url: 'https://b.s3.amazonaws.com/k',
        headers: {
          Origin: 'https://app.example',
          'Sec-Fetch-Mode': 'cors',
          'Access-Control-Request-Method': 'PUT',
          'Access-Control-Request-Headers': 'content-type,x-amz-meta-a',
          'Access-Control-Request-Private-Network': 'true',
        },
      }),
    ).toEqual({
      origin: 'https://app.example',
      fetchMode: 'cors',
      sentCookie: false,
      requestedMethod: 'PUT',
      requestedHeaders: 'content-type,x-amz-meta-a',
      askedPrivateNetwork: true,
    });
  });

  it('records a Cookie header as sent even when its value is empty', () => {
    expect(readRequestFacts({ method: 'GET', url: 'https://b.s3.amazonaws.com/k', headers: { cookie: '' } }).sentCookie).toBe(true);
  });

  it('reads an exchange answered with status 0 (a refused request) as an answer with that status', () => {
    const facts = readExchangeFacts({
      id: 'r1',
      source: 'har',
      request: { method: 'GET', url: 'https://b.s3.amazonaws.com/k', headers: { 'sec-fetch-mode': 'no-cors' } },
      response: { status: 0, headers: {} },
    });
    expect(facts.request.fetchMode).toBe('no-cors');
    expect(facts.request.origin).toBeUndefined();
    expect(facts.response?.status).toBe(0);
    expect(readExchangeFacts({ id: 'r2', source: 'har', request: { method: 'GET', url: 'https://b.s3.amazonaws.com/k', headers: {} } }).response).toBeNull();
  });
});
