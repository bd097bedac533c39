import { accessDelta } from '../../../src/core/fix/index.js';
import type { CorsRule } from '../../../src/core/policy/index.js';

const APP = 'https://app.example.com';
const rule = (allowedOrigins: string[], allowedMethods: string[], allowedHeaders: string[] = []): CorsRule => ({
  allowedOrigins,
  allowedMethods,
  allowedHeaders,
  exposeHeaders: [],
});
const request = { origin: APP, methods: ['PUT'], headers: ['content-type'], mustRead: [] };

describe('accessDelta: what a changed configuration newly allows', () => {
  it('names every website when a write method reaches a `*` rule, and calls it beyond the request', () => {
    const delta = accessDelta({ rules: [rule(['*'], ['GET'])] }, { rules: [rule(['*'], ['GET', 'PUT'])] }, request);
    expect(delta.withinRequest).toBe(false);
    expect(delta.allows).toContainEqual({
      origin: 'https://unrelated-site.example',
      stands: '*',
      method: 'PUT',
      header: null,
      reason: 'not needed by the failing request',
    });
    expect(delta.text).toContain('every website (`*`) may now send PUT');
  });

  it('grants nothing new when rules are only reordered', () => {
    const a = rule([APP], ['GET']);
    const b = rule(['https://b.example.com'], ['PUT']);
    expect(accessDelta({ rules: [a, b] }, { rules: [b, a] }, request).allows).toEqual([]);
  });

  it('finds a grant to another origin of a changed rule even when the configuration lists more origins than it probes', () => {
    const many = Array.from({ length: 60 }, (_, i) => `https://site${i}.example.com`);
    const before = { rules: [rule(many, ['GET'])] };
    const after = { rules: [rule([...many.slice(0, 59)], ['GET']), rule([many[59]!], ['GET', 'DELETE'])] };
    const delta = accessDelta(before, after, request);
    expect(delta.allows).toContainEqual(expect.objectContaining({ origin: 'https://site59.example.com', method: 'DELETE', header: null }));
    expect(delta.withinRequest).toBe(false);
  });
});
