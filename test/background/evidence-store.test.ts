import { EvidenceStore } from '../../src/background/evidence-store.js';
import { isSameRequest } from '../../src/core/evidence/merge.js';
import { memoryStore } from '../../src/platform/key-value-store.js';
import type { ObservedExchange } from '../../src/core/evidence/types.js';

// Counted (not replaced): the store must not compare an incoming exchange with every record it holds.
vi.mock('../../src/core/evidence/merge.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/core/evidence/merge.js')>();
  return { ...original, isSameRequest: vi.fn(original.isSameRequest) };
});

function exchange(id: string, overrides: Partial<ObservedExchange> = {}): ObservedExchange {
  return {
    id,
    source: 'devtools',
    startedAt: '2026-01-01T00:00:00.000Z',
    request: { method: 'PUT', url: `https://b.s3.amazonaws.com/${id}`, headers: {} },
    ...overrides,
  };
}

describe('the per-tab evidence store', () => {
  it('keeps at most `capacity` exchanges per tab, dropping the oldest (ring buffer)', async () => {
    const store = new EvidenceStore(memoryStore(), { capacity: 3 });
    await store.add(1, [exchange('a'), exchange('b'), exchange('c'), exchange('d')]);
    await store.add(1, [exchange('e')]);
    expect((await store.get(1)).exchanges.map((e) => e.id)).toEqual(['c', 'd', 'e']);
  });

  it('defaults to 2,000 exchanges per tab', async () => {
    const store = new EvidenceStore(memoryStore());
    await store.add(
      7,
      Array.from({ length: 2_100 }, (_, i) => exchange(`x${i}`)),
    );
    const { exchanges } = await store.get(7);
    expect(exchanges).toHaveLength(2_000);
    expect(exchanges[0]!.id).toBe('x100');
  });

  it('keeps tabs apart', async () => {
    const store = new EvidenceStore(memoryStore());
    await store.add(1, [exchange('a')]);
    await store.add(2, [exchange('b')]);
    expect((await store.get(1)).exchanges.map((e) => e.id)).toEqual(['a']);
    expect((await store.get(2)).exchanges.map((e) => e.id)).toEqual(['b']);
  });

  it('survives a service-worker restart: a new store over the same storage reads everything back', async () => {
    const storage = memoryStore();
    await new EvidenceStore(storage).add(1, [exchange('a'), exchange('b')]);
    await new EvidenceStore(storage).setPreserveLog(1, true);
    const restarted = new EvidenceStore(storage);
    expect(await restarted.get(1)).toEqual({ exchanges: [exchange('a'), exchange('b')], preserveLog: true });
  });

  it('updates an exchange reported again under the same id instead of duplicating it', async () => {
    const store = new EvidenceStore(memoryStore());
    await store.add(1, [exchange('a')]);
    await store.add(1, [exchange('a', { error: 'net::ERR_FAILED' })]);
    const { exchanges } = await store.get(1);
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]!.error).toBe('net::ERR_FAILED');
  });

  it('merges the devtools and webRequest views of the same request into one exchange, keeping the devtools id', async () => {
    const store = new EvidenceStore(memoryStore());
    const fromWebRequest = exchange('wr-1', {
      source: 'webrequest',
      startedAt: '2026-01-01T00:00:00.400Z',
      request: { method: 'PUT', url: 'https://b.s3.amazonaws.com/dt-1', headers: { origin: 'https://app.example' } },
      error: 'net::ERR_FAILED',
    });
    await store.add(1, [fromWebRequest]);
    const [merged] = await store.add(1, [exchange('dt-1', { response: { status: 0, headers: {} } })]);
    expect(merged!.id).toBe('dt-1');
    expect(merged!.request.headers.origin).toBe('https://app.example');
    expect(merged!.error).toBe('net::ERR_FAILED');
    expect((await store.get(1)).exchanges).toHaveLength(1);
    // A later update of the webRequest side lands on the merged exchange.
    await store.add(1, [{ ...fromWebRequest, fromCache: false }]);
    expect((await store.get(1)).exchanges).toHaveLength(1);
    expect(await store.find(1, 'wr-1')).toMatchObject({ id: 'dt-1', fromCache: false });
  });

  it('does not merge requests to the same URL that started seconds apart', async () => {
    const store = new EvidenceStore(memoryStore());
    await store.add(1, [exchange('dt-1', { request: { method: 'PUT', url: 'https://b.s3.amazonaws.com/k', headers: {} } })]);
    await store.add(1, [
      exchange('wr-9', {
        source: 'webrequest',
        startedAt: '2026-01-01T00:00:05.000Z',
        request: { method: 'PUT', url: 'https://b.s3.amazonaws.com/k', headers: {} },
      }),
    ]);
    expect((await store.get(1)).exchanges).toHaveLength(2);
  });

  it('clears a tab on navigation unless preserve-log is on', async () => {
    const store = new EvidenceStore(memoryStore());
    await store.add(1, [exchange('a')]);
    await store.setPreserveLog(1, true);
    expect(await store.navigated(1)).toBe(false);
    expect((await store.get(1)).exchanges).toHaveLength(1);
    await store.setPreserveLog(1, false);
    expect(await store.navigated(1)).toBe(true);
    expect((await store.get(1)).exchanges).toHaveLength(0);
  });

  it('forgets a closed tab entirely, also in storage', async () => {
    const storage = memoryStore();
    const store = new EvidenceStore(storage);
    await store.add(3, [exchange('a')]);
    await store.forgetTab(3);
    expect(await storage.keys('evidence:')).toEqual([]);
  });

  it('stores no secrets: cookies, signatures, tokens and presigned signatures are masked, their presence kept', async () => {
    const storage = memoryStore();
    const store = new EvidenceStore(storage);
    const presigned =
      'https://b.s3.amazonaws.com/k?X-Amz-Date=20260101T000000Z&X-Amz-Expires=300&X-Amz-Signature=abcdef0123456789&X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLE';
    await store.add(1, [
      exchange('a', {
        request: {
          method: 'PUT',
          url: presigned,
          headers: {
            cookie: 'session=s3cr3t-cookie-value',
            authorization:
              'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=0123456789abcdef',
            'x-amz-security-token': 'FQoGZXIvYXdzEXAMPLE',
          },
        },
      }),
    ]);
    const text = JSON.stringify(storage.dump());
    for (const secret of ['s3cr3t-cookie-value', 'AKIAIOSFODNN7EXAMPLE', '0123456789abcdef', 'FQoGZXIvYXdzEXAMPLE', 'abcdef0123456789'])
      expect(text).not.toContain(secret);
    const [stored] = (await store.get(1)).exchanges;
    expect(Object.keys(stored!.request.headers).sort()).toEqual(['authorization', 'cookie', 'x-amz-security-token']);
    expect(stored!.request.headers.authorization).toContain('eu-west-1/s3/aws4_request');
    expect(stored!.request.url).toContain('X-Amz-Expires=300');
  });

  it('gives up its oldest exchanges rather than a write when storage.session is full', async () => {
    const storage = memoryStore();
    const set = storage.set.bind(storage);
    // A quota that fits 4 exchanges of this tab, whichever keys hold them.
    const storedRecords = () => Object.values(storage.dump()).reduce<number>((n, value) => n + ((value as { records?: unknown[] }).records?.length ?? 0), 0);
    storage.set = async (values) => {
      const before = structuredClone(storage.dump());
      await set(values);
      if (storedRecords() > 4) {
        for (const key of Object.keys(values))
          if (key in before) await set({ [key]: before[key] });
          else await storage.remove(key);
        throw new Error('Resource::kQuotaBytes quota exceeded');
      }
    };
    const store = new EvidenceStore(storage, { chunkSize: 2 });
    await store.add(
      1,
      ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => exchange(id)),
    );
    const kept = (await new EvidenceStore(storage).get(1)).exchanges.map((e) => e.id);
    expect(kept).toEqual(['c', 'd', 'e', 'f']);
  });

  it('writes only what changed: a new exchange in a full buffer writes its own chunk, not the whole buffer', async () => {
    const storage = memoryStore();
    const writes: Array<Record<string, unknown>> = [];
    const set = storage.set.bind(storage);
    storage.set = async (values) => {
      writes.push(values);
      await set(values);
    };
    const store = new EvidenceStore(storage, { chunkSize: 100 });
    await store.add(
      1,
      Array.from({ length: 1_990 }, (_, i) => exchange(`x${i}`)),
    );
    writes.length = 0;
    await store.add(1, [exchange('new')]);
    const written = writes.flatMap((values) => Object.values(values) as Array<{ records?: unknown[] }>);
    const recordsWritten = written.reduce((n, value) => n + (value.records?.length ?? 0), 0);
    expect(recordsWritten).toBeLessThanOrEqual(100);
    expect(recordsWritten).toBeGreaterThan(0);
    // Updating an old exchange rewrites its chunk only.
    writes.length = 0;
    await store.add(1, [exchange('x5', { error: 'net::ERR_FAILED' })]);
    expect(
      writes.flatMap((values) => Object.values(values) as Array<{ records?: unknown[] }>).reduce((n, value) => n + (value.records?.length ?? 0), 0),
    ).toBeLessThanOrEqual(100);
    // And all of it reads back after a restart, in order, with the update.
    const { exchanges } = await new EvidenceStore(storage, { chunkSize: 100 }).get(1);
    expect(exchanges).toHaveLength(1_991);
    expect(exchanges.at(-1)!.id).toBe('new');
    expect(exchanges[5]).toMatchObject({ id: 'x5', error: 'net::ERR_FAILED' });
  });

  it('by default a new exchange rewrites at most 5 stored records (its chunk), however full the buffer', async () => {
    const storage = memoryStore();
    const store = new EvidenceStore(storage);
    await store.add(
      1,
      Array.from({ length: 1_003 }, (_, i) => exchange(`x${i}`)),
    );
    const written: Array<Record<string, unknown>> = [];
    const set = storage.set.bind(storage);
    storage.set = async (values) => {
      written.push(values);
      await set(values);
    };
    await store.add(1, [exchange('new')]);
    const records = written
      .flatMap((values) => Object.values(values) as Array<{ records?: unknown[] }>)
      .reduce((n, value) => n + (value.records?.length ?? 0), 0);
    expect(records).toBeGreaterThan(0);
    expect(records).toBeLessThanOrEqual(5);
  });

  it('sends a burst of calls as one write, each call resolving once its exchanges are in storage', async () => {
    const storage = memoryStore();
    const writes: Array<Record<string, unknown>> = [];
    const set = storage.set.bind(storage);
    storage.set = async (values) => {
      writes.push(values);
      await set(values);
    };
    const store = new EvidenceStore(storage);
    await Promise.all(['a', 'b', 'c', 'd'].map((id) => store.add(1, [exchange(id)])));
    // Before: one write per call (the later ones sending the settings key only).
    expect(writes).toHaveLength(1);
    expect((await new EvidenceStore(storage).get(1)).exchanges.map((e) => e.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reads back a ring buffer that rotated across chunks, and drops the chunks it rotated out', async () => {
    const storage = memoryStore();
    const store = new EvidenceStore(storage, { capacity: 5, chunkSize: 2 });
    for (let i = 0; i < 12; i++) await store.add(1, [exchange(`x${i}`)]);
    expect((await new EvidenceStore(storage, { capacity: 5, chunkSize: 2 }).get(1)).exchanges.map((e) => e.id)).toEqual(['x7', 'x8', 'x9', 'x10', 'x11']);
    // x7..x11 live in chunks 3..5; chunks 0..2 are gone.
    expect((await storage.keys('evidence:1:')).sort()).toEqual(['evidence:1:3', 'evidence:1:4', 'evidence:1:5']);
  });

  it('matches a request reported by the other source in time independent of the buffer size (no scan of every record)', async () => {
    const store = new EvidenceStore(memoryStore());
    await store.add(
      1,
      Array.from({ length: 1_999 }, (_, i) => exchange(`x${i}`)),
    );
    vi.mocked(isSameRequest).mockClear();
    await store.add(1, [
      exchange('wr-x1500', {
        source: 'webrequest',
        request: { method: 'PUT', url: 'https://b.s3.amazonaws.com/x1500', headers: { origin: 'https://app.example' } },
      }),
    ]);
    expect(vi.mocked(isSameRequest).mock.calls.length).toBeLessThan(10);
    expect(await store.find(1, 'wr-x1500')).toMatchObject({ id: 'x1500', request: { headers: { origin: 'https://app.example' } } });
    expect((await store.get(1)).exchanges).toHaveLength(1_999);
  });
});

describe('the live capture store keeps no secret anywhere (issue 11 item 2)', () => {
  it('redacts console text, errors, gaps, the preflight error and custom auth headers with the one core redactor', async () => {
    const store = new EvidenceStore(memoryStore());
    const presigned =
      'https://b.s3.amazonaws.com/k?X%2DAmz%2DCredential=AKIAIOSFODNN7EXAMPLE%2F20261128%2Fus-east-1%2Fs3%2Faws4_request&X%2DAmz%2DSignature=livesig0123456789';
    await store.add(1, [
      exchange('s', {
        request: { method: 'PUT', url: 'https://user:livepass99@b.s3.amazonaws.com/k?jwt=livejwt0123', headers: { 'x-custom-auth': 'livecustom0123' } },
        consoleMessage: `Access to fetch at '${presigned}' from origin 'https://app.example.com' has been blocked by CORS policy`,
        error: `net::ERR_FAILED ${presigned}`,
        gaps: [`preflight of ${presigned} not seen`],
        preflight: { request: { method: 'OPTIONS', url: presigned, headers: {} }, error: `failed: ${presigned}` },
      }),
    ]);
    const stored = JSON.stringify(await store.get(1));
    for (const secret of ['IOSFODNN7EXAMPLE', 'livesig0123456789', 'livepass99', 'livejwt0123', 'livecustom0123']) expect(stored, secret).not.toContain(secret);
    expect(stored).toContain('has been blocked by CORS policy');
  });
});
