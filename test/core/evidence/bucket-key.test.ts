import { bucketOfPolicyKey, bucketOfTarget, importedFrom, policyKey, requestTargetOf } from '../../../src/core/evidence/bucket-key.js';
import type { ObservedExchange } from '../../../src/core/evidence/types.js';

const exchange = (id: string, source: ObservedExchange['source'], url: string): ObservedExchange => ({
  id,
  source,
  request: { method: 'GET', url, headers: {} },
});

describe('the bucket a request addresses and the key its policy is kept under', () => {
  it('reads the bucket from every S3 URL style, and falls back to the host for an endpoint it does not know', () => {
    expect(bucketOfTarget(requestTargetOf('https://photos.s3.eu-west-1.amazonaws.com/a/b.jpg'))).toBe('photos');
    expect(bucketOfTarget(requestTargetOf('https://s3.us-east-2.amazonaws.com/photos/a.jpg'))).toBe('photos');
    expect(requestTargetOf('https://cdn.example.com/a.jpg')).toMatchObject({ host: 'cdn.example.com', bucket: '' });
    expect(bucketOfTarget(requestTargetOf('https://cdn.example.com/a.jpg'))).toBe('cdn.example.com');
    expect(bucketOfTarget(requestTargetOf('not a url'))).toBe('');
  });

  it('keeps a live row per bucket and an imported row per HAR file and bucket, and reads the bucket back', () => {
    const live = exchange('dt-1', 'devtools', 'https://photos.s3.amazonaws.com/k');
    const imported = exchange('trace.har#3', 'har', 'https://photos.s3.amazonaws.com/k');
    expect(importedFrom(live)).toBeNull();
    expect(importedFrom(imported)).toBe('trace.har');
    expect(policyKey(live, 'photos')).toBe('photos');
    expect(policyKey(imported, 'photos')).toBe('trace.har › photos');
    expect(bucketOfPolicyKey(policyKey(imported, 'photos'))).toBe('photos');
    expect(bucketOfPolicyKey('photos')).toBe('photos');
  });
});
