import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PanelController, type PanelDependencies } from '../../src/panel/controller.js';
import type { BackgroundServices } from '../../src/background/request-handlers.js';
import { memoryStore } from '../../src/platform/key-value-store.js';
import { harEntriesToExchanges, type HarEntry } from '../../src/core/har/index.js';
import type { ObservedExchange } from '../../src/core/evidence/types.js';
import type { PanelState } from '../../src/panel/model.js';
import { diagnose } from '../../src/core/diagnose/index.js';
import { parsePolicy } from '../../src/core/policy/index.js';
import { DiagnosisMemo } from '../../src/core/triage/shared-diagnosis.js';
import { controllerOverBackground } from '../support/controller-harness.js';

const entries = JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/har/real-chromium-demo-failures.har'), 'utf8')).log.entries as HarEntry[];
const captured: ObservedExchange[] = harEntriesToExchanges(entries, { browser: 'chromium' })
  .filter((e) => e.request.url.includes('/demo-uploads/'))
  .map((e) => ({ ...e, source: 'devtools' }));
const photo = captured.find((e) => e.request.url.includes('photo.json'))!;
const PAGE_ORIGIN = photo.pageOrigin!;

/** The bucket as the demo configures it (one rule: the page origin, PUT/POST/GET, content-type only). */
const DEMO_POLICY = `<CORSConfiguration><CORSRule><AllowedOrigin>${PAGE_ORIGIN}</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>POST</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>content-type</AllowedHeader></CORSRule></CORSConfiguration>`;

const flush = () => new Promise((r) => setTimeout(r, 0));

async function setup(services: Partial<BackgroundServices> = {}, deps: Partial<PanelDependencies> = {}) {
  const requestPermission = vi.fn(async (_origins: string[]) => true);
  const harness = await controllerOverBackground({
    stored: captured,
    services: {
      probeTransport: async () => ({ status: 200, headers: { 'access-control-allow-origin': PAGE_ORIGIN }, body: '' }),
      fetchPolicy: async (location) => ({ kind: 'config', bucket: location.bucket, region: 'us-east-1', xml: DEMO_POLICY }),
      ...services,
    },
    deps: { theme: 'dark', requestPermission, grantedOrigins: async () => ['http://127.0.0.1/*'], retest: { delayMs: 0, attempts: 3 }, ...deps },
    start: false,
  });
  const states: PanelState[] = [];
  harness.controller.subscribe((s) => states.push(s));
  await harness.controller.start();
  return { ...harness, requestPermission, states };
}

const codesOf = (controller: PanelController, id: string) => controller.row(id)!.diagnosis.findings.map((f) => f.code);

describe('the panel controller (main.tsx adapters) over an in-memory background', () => {
  it("shows the tab's stored evidence as diagnosed rows, with the DevTools theme and browser", async () => {
    const { controller } = await setup();
    expect(controller.state.rows.map((r) => r.exchange.id).sort()).toEqual(captured.map((e) => e.id).sort());
    expect(controller.state).toMatchObject({ theme: 'dark', browser: 'chromium', grantedOrigins: ['http://127.0.0.1/*'], hasCredentials: false });
    expect(controller.row(photo.id)!.diagnosis.outcome).toBe('blocked');
  });

  it('names the refused header once the policy is fetched, and remembers the policy for the session', async () => {
    const { controller, session, channel } = await setup();
    controller.actions.fetchPolicy!('demo-uploads', { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
    await vi.waitFor(() => expect(controller.state.policies['demo-uploads']?.source).toBe('fetched'));
    expect(controller.state.hasCredentials).toBe(true);
    const finding = controller.row(photo.id)!.diagnosis.findings.find((f) => f.code === 'HEADERS_NOT_ALLOWED');
    expect(finding?.message).toContain('x-amz-meta-uploader');
    // A new panel (reload) over the same session storage still knows the policy.
    const again = new PanelController({ ...(controller as unknown as { deps: PanelDependencies }).deps, bridge: channel.bridge, memory: session });
    await again.start();
    expect(again.state.policies['demo-uploads']?.source).toBe('fetched');
    expect(codesOf(again, photo.id)).toContain('HEADERS_NOT_ALLOWED');
  });

  // Issue 11, item 1: credentials entered without a bucket are bound to AWS S3; the demo bucket lives on a local
  // endpoint, so the panel asks before anything is signed for it.
  it('asks before signing for an endpoint the credentials were not entered for', async () => {
    const fetched: string[] = [];
    const { controller } = await setup({
      fetchPolicy: async (l, _c, o) => (fetched.push(o.endpoint), { kind: 'config', bucket: l.bucket, region: 'us-east-1', xml: DEMO_POLICY }),
    });
    controller.actions.setCredentials!({ accessKeyId: 'AKIA1', secretAccessKey: 's' });
    await vi.waitFor(() => expect(controller.state.hasCredentials).toBe(true));
    controller.actions.fetchPolicy!('demo-uploads', null);
    const local = new URL(photo.request.url).origin;
    await vi.waitFor(() =>
      expect(controller.state.signingConfirm).toEqual({ bucket: 'demo-uploads', endpoint: local, endpointLabel: local, boundTo: 'AWS S3' }),
    );
    await vi.waitFor(() => expect(controller.state.pending?.fetchPolicy).toBeUndefined());
    expect(fetched).toEqual([]);
    controller.actions.confirmSigning!('demo-uploads', false);
    expect(controller.state.signingConfirm).toBeUndefined();
    controller.actions.fetchPolicy!('demo-uploads', null);
    await vi.waitFor(() => expect(controller.state.signingConfirm?.bucket).toBe('demo-uploads'));
    controller.actions.confirmSigning!('demo-uploads', true);
    await vi.waitFor(() => expect(controller.state.policies['demo-uploads']?.source).toBe('fetched'));
    expect(fetched).toEqual([local]);
  });

  it("binds credentials typed for a bucket to that bucket's endpoint (no question asked)", async () => {
    const { controller, session } = await setup();
    controller.actions.fetchPolicy!('demo-uploads', { accessKeyId: 'A', secretAccessKey: 'B' });
    await vi.waitFor(() => expect(controller.state.policies['demo-uploads']?.source).toBe('fetched'));
    expect(controller.state.signingConfirm).toBeUndefined();
    expect(await session.get('credentials')).toMatchObject({ endpoints: [new URL(photo.request.url).origin] });
  });

  it('shows a fetch error (AccessDenied) as a notice, keeping the rows', async () => {
    const { controller } = await setup({
      fetchPolicy: async (l) => ({ kind: 'error', bucket: l.bucket, message: 'AccessDenied: this key lacks s3:GetBucketCORS on the bucket' }),
    });
    controller.actions.fetchPolicy!('demo-uploads', { accessKeyId: 'A', secretAccessKey: 'B' });
    await vi.waitFor(() => expect(controller.state.notice).toEqual({ kind: 'error', text: 'AccessDenied: this key lacks s3:GetBucketCORS on the bucket' }));
    expect(controller.state.rows).toHaveLength(captured.length);
  });

  it('treats NoSuchCORSConfiguration as a bucket without configuration (S25)', async () => {
    const { controller } = await setup({ fetchPolicy: async (l) => ({ kind: 'none-configured', bucket: l.bucket, region: 'us-east-1' }) });
    controller.actions.fetchPolicy!('demo-uploads', { accessKeyId: 'A', secretAccessKey: 'B' });
    await vi.waitFor(() =>
      expect(controller.state.policies['demo-uploads']).toEqual({ bucket: 'demo-uploads', source: 'none-configured', policy: null, lint: null }),
    );
    expect(codesOf(controller, photo.id)).toContain('NO_CORS_CONFIG');
  });

  it('accepts a pasted policy with its lint, and reports a broken one in one line naming the place', async () => {
    const { controller } = await setup();
    controller.actions.pastePolicy!('demo-uploads', DEMO_POLICY, 'cors.xml');
    expect(controller.state.policies['demo-uploads']).toMatchObject({ source: 'file', lint: { valid: true } });
    controller.actions.pastePolicy!('demo-uploads', '<CORSConfiguration><CORSRule>', 'broken.xml');
    expect(controller.state.notice?.kind).toBe('error');
    expect(controller.state.notice?.text).toMatch(/^broken\.xml:\d+:\d+: /);
    expect(controller.state.notice?.text).not.toContain('\n');
  });

  it('imports a HAR given as bytes: its S3 requests become diagnosed rows; a broken one is a notice naming line and column', async () => {
    const { controller } = await setup();
    const har = readFileSync(resolve(import.meta.dirname, '../fixtures/har/real-firefox-demo-failures.har'));
    controller.actions.importHar!(new Uint8Array(har), 'firefox.har');
    expect(controller.state.notice).toMatchObject({ kind: 'info' });
    expect(controller.state.notice?.text).toMatch(/^imported \d+ requests from firefox\.har/);
    const imported = controller.state.rows.filter((r) => r.exchange.id.startsWith('firefox.har#'));
    expect(imported.length).toBeGreaterThan(0);
    expect(imported.some((r) => r.diagnosis.outcome === 'blocked')).toBe(true);

    controller.actions.importHar!(new TextEncoder().encode('{"log": {"entries": [\n  {"a": "café", "b": [1,2}\n]}}'), 'broken.har');
    expect(controller.state.notice).toEqual({ kind: 'error', text: "broken.har: line 2, column 26: unexpected '}'" });
  });

  it('diagnoses an imported HAR of many uploads with one shared diagnosis, each row quoting its own request', async () => {
    const share = vi.spyOn(DiagnosisMemo.prototype, 'diagnose');
    const { controller } = await setup();
    const start = Date.parse('2026-01-01T00:00:00Z');
    const entries = Array.from({ length: 40 }, (_, i) => ({
      startedDateTime: new Date(start + i * 10).toISOString(),
      _resourceType: 'fetch',
      request: {
        method: 'PUT',
        url: `http://127.0.0.1:4568/demo-uploads/imported/${i}.json`,
        headers: [
          { name: 'Origin', value: PAGE_ORIGIN },
          { name: 'Content-Type', value: 'application/json' },
        ],
      },
      response: { status: 0, headers: [], _error: 'net::ERR_FAILED' },
    }));
    controller.actions.importHar!(new TextEncoder().encode(JSON.stringify({ log: { version: '1.2', entries } })), 'uploads.har');
    // The HAR's own policy: every row is diagnosed again, in one pass, with the S3 and browser models.
    controller.actions.pastePolicy!('uploads.har › demo-uploads', DEMO_POLICY, 'cors.xml');
    const bucket = { kind: 'cors' as const, config: parsePolicy(DEMO_POLICY).config };
    const imported = controller.state.rows.filter((r) => r.exchange.id.startsWith('uploads.har#'));
    expect(imported).toHaveLength(40);
    for (const row of imported) {
      // Each row as diagnose() gives it for that request alone (other URLs' exchanges are never read).
      expect(JSON.parse(JSON.stringify(row.diagnosis))).toEqual(JSON.parse(JSON.stringify(diagnose(row.exchange, { bucket }))));
      expect(JSON.stringify(row.diagnosis.browser)).toContain(row.exchange.request.url);
    }
    const memos = share.mock.contexts as DiagnosisMemo[];
    const shared = Math.max(0, ...memos.map((memo) => memo.sharedCount));
    expect(shared).toBeGreaterThanOrEqual(38);
    share.mockRestore();
  });

  it('runs the probe through the background and keeps its result per request', async () => {
    const { controller } = await setup();
    controller.actions.probe!(photo.id);
    expect(controller.state.probes[photo.id]?.status).toBe('running');
    await vi.waitFor(() => expect(controller.state.probes[photo.id]?.status).toBe('done'));
    expect(controller.state.probes[photo.id]!.summary).toMatch(/^allowed: /);
  });

  it('re-tests until S3 accepts the preflight, since a fix takes a moment to propagate (S26)', async () => {
    let answers = 0;
    const { controller } = await setup({
      probeTransport: async (): Promise<{ status: number; headers: Record<string, string>; body: string }> => {
        answers++;
        return answers < 4
          ? { status: 403, headers: {}, body: '<Error><Message>CORSResponse: This CORS request is not allowed.</Message></Error>' }
          : { status: 200, headers: { 'access-control-allow-origin': PAGE_ORIGIN }, body: '' };
      },
    });
    controller.actions.retest!(photo.id);
    await vi.waitFor(() => expect(controller.state.notice?.text).toMatch(/^re-test: S3 now accepts the preflight/));
  });

  it('asks for the host permission synchronously, inside the click (a user gesture)', async () => {
    const { controller, requestPermission } = await setup();
    controller.actions.requestHostPermission!(['http://127.0.0.1/*']);
    expect(requestPermission).toHaveBeenCalledWith(['http://127.0.0.1/*']);
    await vi.waitFor(() => expect(controller.state.notice).toEqual({ kind: 'info', text: 'access granted to http://127.0.0.1/*' }));
  });

  it('follows evidence broadcasts for its own tab only, and a clear', async () => {
    const { controller, channel } = await setup();
    const extra: ObservedExchange = { ...photo, id: 'dt-new' };
    channel.port.broadcast({ type: 'evidence/changed', tabId: 2, exchanges: [extra], cleared: false });
    expect(controller.row('dt-new')).toBeUndefined();
    channel.port.broadcast({ type: 'evidence/changed', tabId: 1, exchanges: [extra], cleared: false });
    expect(controller.row('dt-new')).toBeDefined();
    channel.port.broadcast({ type: 'evidence/changed', tabId: 1, exchanges: [], cleared: true });
    expect(controller.state.rows).toEqual([]);
  });

  it('forgets credentials on request', async () => {
    const { controller, session } = await setup();
    controller.actions.setCredentials!({ accessKeyId: 'A', secretAccessKey: 'B' });
    await vi.waitFor(() => expect(controller.state.hasCredentials).toBe(true));
    controller.actions.forgetCredentials!();
    await vi.waitFor(() => expect(controller.state.hasCredentials).toBe(false));
    expect(await session.get('credentials')).toBeUndefined();
    await flush();
  });

  it('diagnoses each exchange once while nothing about it changes (10,000 rows stay cheap)', async () => {
    const { controller } = await setup();
    const before = controller.row(photo.id)!.diagnosis;
    controller.setTheme('light');
    expect(controller.row(photo.id)!.diagnosis).toBe(before);
  });

  it('marks a policy fetch as pending from the click until the answer, then clears it', async () => {
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const { controller } = await setup({
      fetchPolicy: async (location) => {
        await answered;
        return { kind: 'config', bucket: location.bucket, region: 'us-east-1', xml: DEMO_POLICY };
      },
    });
    controller.actions.fetchPolicy!('demo-uploads', { accessKeyId: 'A', secretAccessKey: 'B' });
    expect(controller.state.pending).toEqual({ fetchPolicy: 'demo-uploads' });
    await flush();
    expect(controller.state.pending?.fetchPolicy).toBe('demo-uploads');
    answer();
    await vi.waitFor(() => expect(controller.state.policies['demo-uploads']?.source).toBe('fetched'));
    await vi.waitFor(() => expect(controller.state.pending).toEqual({}));
  });

  it('clears the pending policy fetch when it fails, leaving the error notice', async () => {
    const { controller } = await setup({ fetchPolicy: async (l) => ({ kind: 'error', bucket: l.bucket, message: 'AccessDenied' }) });
    controller.actions.fetchPolicy!('demo-uploads', { accessKeyId: 'A', secretAccessKey: 'B' });
    expect(controller.state.pending?.fetchPolicy).toBe('demo-uploads');
    await vi.waitFor(() => expect(controller.state.pending?.fetchPolicy).toBeUndefined());
    expect(controller.state.notice).toEqual({ kind: 'error', text: 'AccessDenied' });
  });

  it('keeps a re-test pending across its probes and the waits between them (S26), until it ends', async () => {
    let answers = 0;
    const pendingDuringWaits: Array<string | undefined> = [];
    const { controller } = await setup(
      {
        probeTransport: async (): Promise<{ status: number; headers: Record<string, string>; body: string }> => {
          answers++;
          return answers < 3
            ? { status: 403, headers: {}, body: '<Error><Message>CORSResponse: This CORS request is not allowed.</Message></Error>' }
            : { status: 200, headers: { 'access-control-allow-origin': PAGE_ORIGIN }, body: '' };
        },
      },
      { sleep: async () => void pendingDuringWaits.push(controller.state.pending?.retest) },
    );
    controller.actions.retest!(photo.id);
    expect(controller.state.pending).toEqual({ retest: photo.id });
    await vi.waitFor(() => expect(controller.state.notice?.text).toMatch(/^re-test: S3 now accepts the preflight/));
    await vi.waitFor(() => expect(controller.state.pending?.retest).toBeUndefined());
    expect(pendingDuringWaits.length).toBeGreaterThan(0);
    expect(pendingDuringWaits.every((id) => id === photo.id)).toBe(true);
  });

  it('clears the pending re-test when S3 still refuses after the last attempt', async () => {
    const { controller } = await setup({
      probeTransport: async () => ({ status: 403, headers: {}, body: '<Error><Message>CORSResponse: This CORS request is not allowed.</Message></Error>' }),
    });
    controller.actions.retest!(photo.id);
    await vi.waitFor(() => expect(controller.state.notice?.text).toMatch(/^re-test: S3 still refuses after 3 attempts/));
    await vi.waitFor(() => expect(controller.state.pending?.retest).toBeUndefined());
  });

  it('is "reading the capture" until start() has the evidence, including when start fails', async () => {
    const { controller, channel } = await controllerOverBackground({ start: false });
    channel.port.serve(async () => {
      throw new Error('the background is not answering');
    });
    expect(controller.state.pending).toEqual({ capture: true });
    await expect(controller.start()).rejects.toThrow('the background is not answering');
    expect(controller.state.pending).toEqual({});

    const { controller: started } = await setup();
    expect(started.state.pending).toEqual({});
  });

  it('starts without remembered policies where storage.session is unavailable', async () => {
    const broken = memoryStore();
    broken.get = async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'get')");
    };
    const { controller } = await setup({}, { memory: broken });
    expect(controller.state.rows).toHaveLength(captured.length);
    expect(controller.state.policies).toEqual({});
  });
});
