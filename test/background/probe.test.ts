import { probeBucket } from '../../src/background/probe.js';
import type { PreflightToSend, PreflightTransport } from '../../src/platform/probe-transport.js';
import type { ProbeOutcome } from '../../src/messages.js';

const S16 =
  '<Error><Code>AccessForbidden</Code><Message>CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource&apos;s CORS spec.</Message></Error>';

/** One rule, answered as S3 does (S15, S16): origin, method and every requested header must match. */
function oneRuleBucket(rule: { origin: string; methods: string[]; headers: string[] }): PreflightTransport {
  return async (p) => {
    const ok = p.origin === rule.origin && rule.methods.includes(p.method) && p.headers.every((h) => rule.headers.includes(h));
    const headers: Record<string, string> = ok ? { 'access-control-allow-origin': p.origin } : {};
    return { status: ok ? 200 : 403, headers, body: ok ? '' : S16 };
  };
}

const target: PreflightToSend = {
  url: 'http://127.0.0.1:4568/demo-uploads/k.json',
  origin: 'http://127.0.0.1:8000',
  method: 'PUT',
  headers: ['content-type', 'x-amz-meta-uploader'],
};

describe('the probe (triage planner + declarativeNetRequest transport) as the panel sees it', () => {
  it('names the refused header and shows every preflight it sent with its answer', async () => {
    const progress: ProbeOutcome[] = [];
    const result = await probeBucket(
      'dt-1',
      target,
      oneRuleBucket({ origin: target.origin, methods: ['PUT'], headers: ['content-type'] }),
      (p) => progress.push(p),
      { delayMs: 0 },
    );
    expect(result).toMatchObject({ exchangeId: 'dt-1', status: 'done', firstVerdict: 'refused', refused: { headers: ['x-amz-meta-uploader'] } });
    expect(result.summary).toContain('x-amz-meta-uploader');
    expect(result.steps[0]).toEqual({
      description: expect.any(String),
      request: {
        method: 'OPTIONS',
        url: target.url,
        headers: { origin: target.origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type,x-amz-meta-uploader' },
      },
      response: { status: 403, headers: {}, body: S16 },
    });
    // The panel sees each step as it happens.
    expect(progress.map((p) => p.status)).toEqual(result.steps.map(() => 'running'));
    expect(progress.at(-1)!.steps).toHaveLength(result.steps.length);
  });

  it('reports a preflight S3 now accepts as allowed (what re-test waits for)', async () => {
    const result = await probeBucket('dt-1', target, oneRuleBucket({ origin: target.origin, methods: ['PUT'], headers: target.headers }), undefined, {
      delayMs: 0,
    });
    expect(result.firstVerdict).toBe('allowed');
    expect(result.steps).toHaveLength(1);
  });

  it('keeps a failed transport as an error result, with the failed step', async () => {
    const result = await probeBucket('dt-1', target, async () => Promise.reject(new TypeError('Failed to fetch')), undefined, { delayMs: 0 });
    expect(result.status).toBe('error');
    expect(result.summary).toContain('Failed to fetch');
  });
});
