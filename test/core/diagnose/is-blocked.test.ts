/**
 * One answer to "did the browser refuse this exchange?" (checks/support.ts isBlocked), used by the outcome (run.ts)
 * and by the provider check before the configuration checks run. The two copies there were disagreed in two cases;
 * the outcome's reading was right in both, and the provider check now follows it:
 *
 * - a preflight answered and passed, then the actual request failed with `net::ERR_FAILED` and no response: that is
 *   how Chromium ends a refused actual request (browser-capture.md), so the exchange is blocked — the old copy said
 *   "not blocked" as soon as any response was recorded, and MinIO's server-wide-CORS warning was missing;
 * - a no-cors load (an <img> without crossorigin) that failed: the CORS check never refuses one, so it is not
 *   blocked — the old copy said "blocked" and gave a MinIO CORS warning for an image load.
 */
import { diagnose } from '../../../src/core/diagnose/index.js';
import type { ObservedExchange } from '../../../src/core/evidence/types.js';

const PAGE = 'http://localhost:3000';
const OBJECT = 'http://localhost:9000/photos/a.jpg';

describe('isBlocked: one reading of a refused exchange', () => {
  it('a passed preflight then net::ERR_FAILED without an answer is blocked (MinIO: the server-wide CORS warning)', () => {
    const exchange: ObservedExchange = {
      id: 'put',
      source: 'fixture',
      pageOrigin: PAGE,
      startedAt: '2026-11-28T08:00:00.000Z',
      request: { method: 'PUT', url: OBJECT, headers: { origin: PAGE, 'content-type': 'image/jpeg' } },
      response: { status: 0, headers: {} },
      error: 'net::ERR_FAILED',
      preflight: {
        request: {
          method: 'OPTIONS',
          url: OBJECT,
          headers: { origin: PAGE, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
        },
        response: {
          status: 204,
          headers: {
            server: 'MinIO',
            vary: 'Origin',
            'access-control-allow-origin': PAGE,
            'access-control-allow-methods': 'PUT',
            'access-control-allow-headers': 'content-type',
          },
        },
      },
    };
    const diagnosis = diagnose(exchange);
    expect(diagnosis.provider.id).toBe('minio');
    expect(diagnosis.outcome).toBe('blocked');
    expect(diagnosis.findings.map((f) => `${f.code}:${f.severity}`)).toEqual(['PROVIDER_QUIRK:warning']);
    expect(diagnosis.findings[0]!.message).toContain('MinIO community edition has no per-bucket CORS');
  });

  it('a failed no-cors image load is not blocked by CORS (no MinIO CORS warning)', () => {
    const exchange: ObservedExchange = {
      id: 'img',
      source: 'fixture',
      pageOrigin: PAGE,
      resourceType: 'image',
      request: { method: 'GET', url: OBJECT, headers: {} },
      response: { status: 0, headers: {} },
      error: 'net::ERR_FAILED',
    };
    const diagnosis = diagnose(exchange);
    expect(diagnosis.provider.id).toBe('minio');
    expect(diagnosis.outcome).toBe('unknown');
    expect(diagnosis.findings.map((f) => f.code)).toEqual(['NOT_A_CORS_REQUEST']);
  });
});
