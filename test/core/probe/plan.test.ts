import { simulateS3, type BucketState } from '../../../src/core/s3/index.js';
import { classifyPreflightAnswer, runProbe, type PreflightToSend, type PreflightTransport } from '../../../src/core/probe/index.js';
import type { CorsRule } from '../../../src/core/policy/index.js';

const URL = 'https://uploads.s3.eu-west-1.amazonaws.com/users/42/photo.jpg';
const ORIGIN = 'https://app.example.com';

const rule = (r: Partial<CorsRule>): CorsRule => ({ allowedOrigins: [ORIGIN], allowedMethods: ['GET', 'PUT'], allowedHeaders: [], exposeHeaders: [], ...r });

/** A transport answered by the S3 model, counting what it is asked. */
function s3(bucket: BucketState) {
  const sent: PreflightToSend[] = [];
  const send: PreflightTransport = async (p) => {
    sent.push(p);
    const headers: Record<string, string> = { origin: p.origin, 'access-control-request-method': p.method };
    if (p.headers.length) headers['access-control-request-headers'] = p.headers.join(',');
    const answer = simulateS3(bucket, { method: 'OPTIONS', url: p.url, headers });
    return { status: answer.status, headers: answer.headers, body: answer.body };
  };
  return { send, sent };
}

const noPause = { delayMs: 0 };
const cors = (...rules: CorsRule[]): BucketState => ({ kind: 'cors', config: { rules } });

describe('runProbe against the S3 model', () => {
  it('stops after one preflight when it is allowed', async () => {
    const { send, sent } = s3(cors(rule({ allowedHeaders: ['*'] })));
    const run = await runProbe({ url: URL, origin: ORIGIN, method: 'PUT', headers: ['content-type'] }, send, noPause);
    expect(run.firstVerdict).toBe('allowed');
    expect(sent).toHaveLength(1);
  });

  it('finds the one refused header among five by bisection, in fewer requests than trying each', async () => {
    const headers = ['content-type', 'x-amz-acl', 'x-amz-checksum-crc32', 'x-amz-meta-a', 'x-amz-sdk-checksum-algorithm'];
    const { send, sent } = s3(cors(rule({ allowedHeaders: ['content-type', 'x-amz-acl', 'x-amz-meta-*', 'x-amz-sdk-checksum-algorithm'] })));
    const run = await runProbe({ url: URL, origin: ORIGIN, method: 'PUT', headers }, send, noPause);
    expect(run.refused).toEqual({ headers: ['x-amz-checksum-crc32'] });
    expect(run.summary).toBe(`refused: header x-amz-checksum-crc32 not allowed for PUT from ${ORIGIN}`);
    expect(sent.length).toBeLessThan(2 + headers.length);
  });

  it('finds several refused headers', async () => {
    const { send } = s3(cors(rule({ allowedHeaders: ['content-type'] })));
    const run = await runProbe(
      { url: URL, origin: ORIGIN, method: 'PUT', headers: ['content-type', 'x-amz-checksum-crc32', 'x-amz-sdk-checksum-algorithm'] },
      send,
      noPause,
    );
    expect(run.refused.headers).toEqual(['x-amz-checksum-crc32', 'x-amz-sdk-checksum-algorithm']);
  });

  it('says when each header passes alone but no single rule allows them together (S8)', async () => {
    const { send } = s3(cors(rule({ allowedHeaders: ['content-type'] }), rule({ allowedHeaders: ['x-amz-acl'] })));
    const run = await runProbe({ url: URL, origin: ORIGIN, method: 'PUT', headers: ['content-type', 'x-amz-acl'] }, send, noPause);
    expect(run.refused.headers).toEqual([]);
    expect(run.headersOnlyTogether).toBe(true);
    expect(run.summary).toMatch(/no single rule allows all of them together/);
  });

  it('identifies a refused method when another method passes for the origin', async () => {
    const { send } = s3(cors(rule({ allowedMethods: ['GET'], allowedHeaders: ['*'] })));
    const run = await runProbe({ url: URL, origin: ORIGIN, method: 'DELETE', headers: ['x-amz-meta-a'] }, send, noPause);
    expect(run.refused).toEqual({ method: 'DELETE', headers: [] });
    expect(run.untestedHeaders).toEqual(['x-amz-meta-a']);
  });

  it('identifies a refused origin when no method passes', async () => {
    const { send, sent } = s3(cors(rule({ allowedOrigins: ['https://other.example.com'] })));
    const run = await runProbe({ url: URL, origin: ORIGIN, method: 'PUT', headers: [] }, send, noPause);
    expect(run.refused.origin).toBe(ORIGIN);
    expect(sent).toHaveLength(5);
  });

  it('stops at once on a bucket without CORS configuration (S6) or a missing bucket (S5)', async () => {
    for (const [bucket, verdict] of [
      [{ kind: 'no-cors' }, 'cors-not-enabled'],
      [{ kind: 'missing' }, 'bucket-missing'],
    ] as const) {
      const { send, sent } = s3(bucket);
      const run = await runProbe({ url: URL, origin: ORIGIN, method: 'PUT', headers: ['content-type'] }, send, noPause);
      expect(run.firstVerdict).toBe(verdict);
      expect(sent).toHaveLength(1);
    }
  });

  it('never sends more than the budget', async () => {
    const { send, sent } = s3(cors(rule({ allowedHeaders: [] })));
    const run = await runProbe({ url: URL, origin: ORIGIN, method: 'PUT', headers: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] }, send, {
      delayMs: 0,
      maxRequests: 4,
    });
    expect(sent).toHaveLength(4);
    expect(run.status).toBe('limit');
  });

  it('pauses between preflights, not before the first', async () => {
    const pauses: number[] = [];
    const { send } = s3(cors(rule({ allowedOrigins: ['https://x.example'] })));
    await runProbe({ url: URL, origin: ORIGIN, method: 'GET', headers: [] }, send, { delayMs: 300, sleep: async (ms) => void pauses.push(ms) });
    expect(pauses).toEqual([300, 300, 300, 300]);
  });

  it('ends cleanly when the transport fails (timeout, network)', async () => {
    const run = await runProbe(
      { url: URL, origin: ORIGIN, method: 'GET', headers: [] },
      async () => {
        throw new Error('timed out after 5000 ms');
      },
      noPause,
    );
    expect(run.status).toBe('error');
    expect(run.summary).toBe('probe failed: timed out after 5000 ms');
    expect(run.steps[0]!.error).toBe('timed out after 5000 ms');
  });
});

describe('classifyPreflightAnswer', () => {
  it('treats a 2xx without an allowing Access-Control-Allow-Origin as a refusal (MinIO answers 204)', () => {
    expect(classifyPreflightAnswer({ status: 204, headers: {}, body: '' }, ORIGIN)).toBe('refused');
    expect(classifyPreflightAnswer({ status: 200, headers: { 'access-control-allow-origin': '*' }, body: '' }, ORIGIN)).toBe('allowed');
    expect(classifyPreflightAnswer({ status: 307, headers: { location: 'x' }, body: '' }, ORIGIN)).toBe('redirect');
  });
});
