import { createRequestHandler, CREDENTIALS_KEY, type BackgroundServices } from '../../src/background/request-handlers.js';
import { EvidenceStore } from '../../src/background/evidence-store.js';
import { memoryStore } from '../../src/platform/key-value-store.js';
import type { ObservedExchange } from '../../src/core/evidence/types.js';
import { inMemoryChannel } from './in-memory-bridge.js';

const failedPut: ObservedExchange = {
  id: 'dt-1',
  source: 'devtools',
  pageOrigin: 'http://127.0.0.1:8000',
  startedAt: '2026-01-01T00:00:00.000Z',
  request: { method: 'PUT', url: 'http://127.0.0.1:4568/demo-uploads/k.json', headers: { 'content-type': 'application/json' } },
  response: { status: 0, headers: {} },
  preflight: {
    request: {
      method: 'OPTIONS',
      url: 'http://127.0.0.1:4568/demo-uploads/k.json',
      headers: {
        origin: 'http://127.0.0.1:8000',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type,x-amz-meta-uploader',
      },
    },
    response: { status: 403, headers: {} },
  },
  error: 'net::ERR_FAILED',
};

function background(overrides: Partial<BackgroundServices> = {}) {
  const channel = inMemoryChannel();
  const session = memoryStore();
  const services: BackgroundServices = {
    evidence: new EvidenceStore(session),
    session,
    broadcast: (m) => channel.port.broadcast(m),
    probeTransport: async () => ({
      status: 403,
      headers: {},
      body: '<Error><Code>AccessForbidden</Code><Message>CORSResponse: CORS is not enabled for this bucket.</Message></Error>',
    }),
    fetchPolicy: async (location) => ({ kind: 'none-configured', bucket: location.bucket, region: 'us-east-1' }),
    hostCovers: async () => true,
    refreshCapture: async () => ['http://127.0.0.1/*'],
    probeOptions: { delayMs: 0 },
    ...overrides,
  };
  channel.port.serve(createRequestHandler(services));
  return { ...channel, session, services };
}

describe('background request handlers', () => {
  it('stores evidence per tab and broadcasts what changed', async () => {
    const { bridge, broadcasts } = background();
    expect(await bridge.send({ type: 'evidence/add', tabId: 4, exchanges: [failedPut] })).toEqual({ stored: 1 });
    expect(broadcasts).toEqual([{ type: 'evidence/changed', tabId: 4, exchanges: [failedPut], cleared: false }]);
    expect(await bridge.send({ type: 'evidence/get', tabId: 4 })).toEqual({ exchanges: [failedPut], preserveLog: false });
  });

  it('clears on navigation unless preserve-log is on, and says so', async () => {
    const { bridge } = background();
    await bridge.send({ type: 'evidence/add', tabId: 4, exchanges: [failedPut] });
    await bridge.send({ type: 'preserve-log/set', tabId: 4, preserve: true });
    expect(await bridge.send({ type: 'tab/navigated', tabId: 4, url: 'http://127.0.0.1:8000/next' })).toEqual({ cleared: false });
    await bridge.send({ type: 'preserve-log/set', tabId: 4, preserve: false });
    expect(await bridge.send({ type: 'tab/navigated', tabId: 4, url: 'http://127.0.0.1:8000/next' })).toEqual({ cleared: true });
    expect((await bridge.send({ type: 'evidence/get', tabId: 4 })).exchanges).toEqual([]);
  });

  it('keeps credentials in the session store only, without extra fields, and forgets them', async () => {
    const { bridge, session } = background();
    await bridge.send({ type: 'credentials/set', credentials: { accessKeyId: 'AKIA1', secretAccessKey: 's3cr3t', sessionToken: '' } });
    expect(await session.get(CREDENTIALS_KEY)).toEqual({ accessKeyId: 'AKIA1', secretAccessKey: 's3cr3t', endpoints: ['aws'] });
    expect(await bridge.send({ type: 'credentials/status' })).toEqual({ hasCredentials: true });
    await bridge.send({ type: 'credentials/forget' });
    expect(await session.get(CREDENTIALS_KEY)).toBeUndefined();
    expect(await bridge.send({ type: 'credentials/status' })).toEqual({ hasCredentials: false });
  });

  it('rejects incomplete credentials with a message, not a crash', async () => {
    const { bridge } = background();
    await expect(bridge.send({ type: 'credentials/set', credentials: { accessKeyId: 'AKIA1', secretAccessKey: '' } })).rejects.toThrow(
      'an access key id and a secret access key',
    );
  });

  it("tells the DevTools side whether its webRequest capture sees every URL (each one's host granted)", async () => {
    const granted = new Set(['http://127.0.0.1:4568/demo-uploads/a.json']);
    const { bridge } = background({ hostCovers: async (url) => granted.has(url) });
    expect(await bridge.send({ type: 'capture/covers', urls: ['http://127.0.0.1:4568/demo-uploads/a.json'] })).toEqual({ covered: true });
    expect(await bridge.send({ type: 'capture/covers', urls: ['http://127.0.0.1:4568/demo-uploads/a.json', 'https://other.example/b'] })).toEqual({
      covered: false,
    });
    expect(await bridge.send({ type: 'capture/covers', urls: [] })).toEqual({ covered: false });
  });

  it('fetches the policy only with credentials and the host permission', async () => {
    let covered = false;
    const { bridge } = background({ hostCovers: async () => covered });
    const location = { bucket: 'demo-uploads', requestUrl: failedPut.request.url };
    await expect(bridge.send({ type: 'policy/fetch', location })).rejects.toThrow('no credentials');
    await bridge.send({ type: 'credentials/set', credentials: { accessKeyId: 'AKIA1', secretAccessKey: 's' }, endpointUrl: failedPut.request.url });
    await expect(bridge.send({ type: 'policy/fetch', location })).rejects.toThrow('needs access to 127.0.0.1:4568');
    covered = true;
    expect(await bridge.send({ type: 'policy/fetch', location })).toEqual({ kind: 'none-configured', bucket: 'demo-uploads', region: 'us-east-1' });
  });

  // Issue 11, item 1: keys entered for AWS are never signed for another endpoint without the user's say-so.
  it('signs only for the endpoint the credentials were entered for, and asks before another', async () => {
    const fetched: Array<{ bucket: string; endpoint: string }> = [];
    const { bridge, session } = background({
      fetchPolicy: async (location, _credentials, options) => (
        fetched.push({ bucket: location.bucket, endpoint: options.endpoint }), { kind: 'none-configured', bucket: location.bucket, region: 'us-east-1' }
      ),
    });
    await bridge.send({ type: 'credentials/set', credentials: { accessKeyId: 'AKIA1', secretAccessKey: 's' } });
    const aws = { bucket: 'uploads', requestUrl: 'https://uploads.s3.eu-west-1.amazonaws.com/k' };
    const custom = { bucket: 'uploads', requestUrl: 'https://evil.example/uploads/k' };
    expect(await bridge.send({ type: 'policy/fetch', location: aws })).toMatchObject({ kind: 'none-configured' });
    expect(await bridge.send({ type: 'policy/fetch', location: custom })).toEqual({
      kind: 'confirm-endpoint',
      bucket: 'uploads',
      endpoint: 'https://evil.example',
      boundTo: ['aws'],
    });
    expect(await bridge.send({ type: 'policy/fetch', location: custom, confirmEndpoint: 'https://other.example' })).toMatchObject({ kind: 'confirm-endpoint' });
    expect(fetched).toEqual([{ bucket: 'uploads', endpoint: 'aws' }]);
    expect(await bridge.send({ type: 'policy/fetch', location: custom, confirmEndpoint: 'https://evil.example' })).toMatchObject({ kind: 'none-configured' });
    expect(await session.get(CREDENTIALS_KEY)).toMatchObject({ endpoints: ['aws', 'https://evil.example'] });
    // Entering credentials again binds them afresh.
    await bridge.send({ type: 'credentials/set', credentials: { accessKeyId: 'AKIA1', secretAccessKey: 's' }, endpointUrl: 'http://127.0.0.1:9000/uploads/k' });
    expect(await bridge.send({ type: 'policy/fetch', location: aws })).toMatchObject({ kind: 'confirm-endpoint', boundTo: ['http://127.0.0.1:9000'] });
    expect(fetched).toHaveLength(2);
  });

  it('passes the host check on to the fetch, for the URL actually fetched', async () => {
    const asked: string[] = [];
    const { bridge } = background({
      hostCovers: async (url) => (asked.push(url), true),
      fetchPolicy: async (location, _credentials, options) => (
        await options.hostCovers('https://uploads.s3.eu-west-1.amazonaws.com/?cors'), { kind: 'none-configured', bucket: location.bucket, region: 'eu-west-1' }
      ),
    });
    await bridge.send({ type: 'credentials/set', credentials: { accessKeyId: 'AKIA1', secretAccessKey: 's' } });
    await bridge.send({ type: 'policy/fetch', location: { bucket: 'uploads', requestUrl: 'https://s3.eu-west-1.amazonaws.com/uploads/k' } });
    expect(asked).toEqual(['https://s3.eu-west-1.amazonaws.com/uploads/k', 'https://uploads.s3.eu-west-1.amazonaws.com/?cors']);
  });

  it("probes the failing request's own preflight, only to its host, and only with its permission", async () => {
    const sent: unknown[] = [];
    let covered = false;
    const { bridge } = background({
      hostCovers: async () => covered,
      probeTransport: async (p) => {
        sent.push(p);
        return { status: 403, headers: {}, body: '<Error><Message>CORSResponse: CORS is not enabled for this bucket.</Message></Error>' };
      },
    });
    await bridge.send({ type: 'evidence/add', tabId: 4, exchanges: [failedPut] });
    await expect(bridge.send({ type: 'probe/run', tabId: 4, exchangeId: 'dt-1' })).rejects.toThrow('grant it from the panel first');
    expect(sent).toEqual([]);
    covered = true;
    const result = await bridge.send({ type: 'probe/run', tabId: 4, exchangeId: 'dt-1' });
    expect(result).toMatchObject({ exchangeId: 'dt-1', status: 'done', summary: expect.stringMatching(/^CORS is not enabled/) });
    expect(sent).toEqual([{ url: failedPut.request.url, origin: 'http://127.0.0.1:8000', method: 'PUT', headers: ['content-type', 'x-amz-meta-uploader'] }]);
  });

  it('names an unknown exchange in the probe error', async () => {
    const { bridge } = background();
    await expect(bridge.send({ type: 'probe/run', tabId: 4, exchangeId: 'nope' })).rejects.toThrow('no captured request nope');
  });

  it('records the devtools page readiness per tab (the end-to-end tests wait for it)', async () => {
    const { bridge, session } = background();
    await bridge.send({ type: 'devtools/ready', tabId: 9, browser: 'firefox' });
    expect(await session.get('devtools-ready:9')).toMatchObject({ browser: 'firefox' });
  });
});
