import type { CorsRule } from '../../../src/core/policy/types.js';

/** `count` distinct, realistic rules (ID, two origins one with a wildcard, three methods, headers, MaxAge): large configurations for the parse test and the policy benchmark. */
export function manyRules(count: number): CorsRule[] {
  return Array.from({ length: count }, (_, k) => ({
    id: `rule-${k}`,
    allowedOrigins: [`https://app${k}.example.com`, `https://*.site${k}.example.com`],
    allowedMethods: ['GET', 'PUT', 'POST'],
    allowedHeaders: ['content-type', 'x-amz-*', 'authorization'],
    exposeHeaders: ['ETag'],
    maxAgeSeconds: 3000,
  }));
}
