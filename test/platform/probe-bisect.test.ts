import { bisectPreflight, classifyPreflight } from '../../src/platform/probe-bisect.js';
import type { PreflightToSend, PreflightTransport } from '../../src/platform/probe-transport.js';

const S16 =
  '<Error><Code>AccessForbidden</Code><Message>CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource&apos;s CORS spec.</Message></Error>';

/** A one-rule bucket answering like S3 (S15, S16): origin, method and every header must match. */
function bucket(rule: { origins: string[]; methods: string[]; headers: string[] }): { transport: PreflightTransport; sent: PreflightToSend[] } {
  const sent: PreflightToSend[] = [];
  const transport: PreflightTransport = async (p) => {
    sent.push(p);
    const ok = rule.origins.includes(p.origin) && rule.methods.includes(p.method) && p.headers.every((h) => rule.headers.includes(h));
    const headers: Record<string, string> = ok ? { 'access-control-allow-origin': p.origin } : {};
    return { status: ok ? 200 : 403, headers, body: ok ? '' : S16 };
  };
  return { transport, sent };
}

const target: PreflightToSend = { url: 'https://b.s3.amazonaws.com/k', origin: 'https://app.example', method: 'PUT', headers: ['content-type', 'x-amz-checksum-crc32'] };

describe('probe bisection', () => {
  it('names the one refused header when origin and method pass', async () => {
    const { transport } = bucket({ origins: ['https://app.example'], methods: ['PUT'], headers: ['content-type'] });
    const result = await bisectPreflight('e1', target, transport);
    expect(result).toMatchObject({ status: 'done', refused: { headers: ['x-amz-checksum-crc32'] } });
    expect(result.summary).toBe('no rule matches: header x-amz-checksum-crc32 refused');
    expect(result.steps.map((s) => s.response?.status)).toEqual([403, 200, 200, 403]);
  });

  it('names a refused method when another method passes for the origin', async () => {
    const { transport } = bucket({ origins: ['https://app.example'], methods: ['GET'], headers: ['content-type', 'x-amz-checksum-crc32'] });
    const result = await bisectPreflight('e1', target, transport);
    expect(result.refused).toEqual({ method: 'PUT', headers: [] });
    expect(result.summary).toContain('method PUT refused for origin https://app.example');
  });

  it('names the origin when no method passes for it', async () => {
    const { transport } = bucket({ origins: ['https://other.example'], methods: ['PUT', 'GET'], headers: ['*'] });
    const result = await bisectPreflight('e1', target, transport);
    expect(result.refused).toEqual({ origin: 'https://app.example', headers: [] });
  });

  it('stops at "CORS is not enabled" and "bucket not found" (S5, S6): no bisection can help', async () => {
    const noCors: PreflightTransport = async () => ({ status: 403, headers: {}, body: '<Error><Code>AccessForbidden</Code><Message>CORSResponse: CORS is not enabled for this bucket.</Message></Error>' });
    expect((await bisectPreflight('e1', target, noCors)).summary).toMatch(/^CORS is not enabled/);
    const missing: PreflightTransport = async () => ({ status: 403, headers: {}, body: '<Error><Code>AccessForbidden</Code><Message>CORSResponse: Bucket not found</Message></Error>' });
    const result = await bisectPreflight('e1', target, missing);
    expect(result.summary).toMatch(/^the bucket does not exist/);
    expect(result.steps).toHaveLength(1);
  });

  it('reports a preflight that passes now', async () => {
    const { transport } = bucket({ origins: ['https://app.example'], methods: ['PUT'], headers: ['content-type', 'x-amz-checksum-crc32'] });
    expect((await bisectPreflight('e1', target, transport)).summary).toMatch(/^S3 allows this preflight now/);
  });

  it('turns a transport failure into an error result that keeps the steps', async () => {
    const failing: PreflightTransport = async () => {
      throw new Error('net::ERR_CONNECTION_REFUSED');
    };
    const result = await bisectPreflight('e1', target, failing);
    expect(result).toMatchObject({ status: 'error', summary: 'probe failed: net::ERR_CONNECTION_REFUSED' });
    expect(result.steps[0]).toMatchObject({ response: null, error: 'net::ERR_CONNECTION_REFUSED' });
  });

  it("classifies s3rver's CORSResponse code as a refusal", () => {
    expect(classifyPreflight({ status: 403, headers: {}, body: '<Error><Code>CORSResponse</Code><Message>This CORS request is not allowed.</Message></Error>' })).toBe('refused');
    expect(classifyPreflight({ status: 307, headers: {}, body: '' })).toBe('redirect');
  });
});
