// @vitest-environment happy-dom
/**
 * Issue 14: the panel a first-time user understands — driven through the rendered panel (clicks, keys, typing) and
 * read from what is on screen. The demo's own capture (a real Chromium HAR) runs through the real controller and
 * core, as in the extension.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { App } from '../../src/panel/App.js';
import { harEntriesToExchanges, type HarEntry } from '../../src/core/har/index.js';
import { diagnose } from '../../src/core/diagnose/index.js';
import type { ObservedExchange } from '../../src/core/evidence/types.js';
import type { CapturedRow, PanelActions } from '../../src/panel/model.js';
import { controllerOverBackground } from '../support/controller-harness.js';
import { allowedGet, blockedPut, panelState } from './fixtures.js';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

const entries = JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/har/real-chromium-demo-failures.har'), 'utf8')).log.entries as HarEntry[];
const captured: ObservedExchange[] = harEntriesToExchanges(entries, { browser: 'chromium' })
  .filter((e) => e.request.url.includes('/demo-uploads/'))
  .map((e) => ({ ...e, source: 'devtools' }));
const PAGE_ORIGIN = captured.find((e) => e.request.url.includes('photo.json'))!.pageOrigin!;
const DEMO_POLICY = `[{"AllowedOrigins": ["${PAGE_ORIGIN}"], "AllowedMethods": ["PUT", "POST", "GET"], "AllowedHeaders": ["content-type"]}]`;

/** The real controller over an in-memory background, rendered as main.tsx renders it. */
async function mountDemo(extra: PanelActions = {}) {
  const { controller } = await controllerOverBackground({
    stored: captured,
    services: { probeTransport: async () => ({ status: 403, headers: {}, body: '' }) },
    deps: { grantedOrigins: async () => ['http://127.0.0.1/*'] },
  });
  const actions = { ...controller.actions, ...extra };
  const view = render(<App state={controller.state} actions={actions} />);
  controller.subscribe((state) => act(() => view.rerender(<App state={state} actions={actions} />)));
  return { controller, view };
}

const option = (text: string) => screen.getAllByRole('option').find((o) => o.textContent!.includes(text))!;
const tab = (name: string) => {
  fireEvent.click(screen.getByRole('tab', { name: new RegExp(`^${name}`) }));
  return screen.getByRole('tabpanel');
};

describe('lead with the cause', () => {
  it('names the likely cause of the demo upload before the policy is known, and offers to confirm it', async () => {
    const probe = vi.fn();
    await mountDemo({ probe });
    fireEvent.click(option('photo.json'));
    const likely = screen.getByRole('region', { name: 'Likely cause' });
    expect(likely.textContent).toContain('not confirmed');
    expect(within(likely).getByText('x-amz-meta-uploader', { selector: 'code' })).toBeTruthy();
    expect(likely.textContent).toContain('AllowedHeaders');
    fireEvent.click(within(likely).getByRole('button', { name: 'Confirm: probe the bucket' }));
    expect(probe).toHaveBeenCalledOnce();
    expect(screen.getByRole('tab', { name: 'Probe' }).getAttribute('aria-selected')).toBe('true');
  });

  it('without probing, the one action is to give the policy, which opens the Policy tab', () => {
    const row: CapturedRow = { exchange: blockedPut.exchange, diagnosis: diagnose(blockedPut.exchange, {}) };
    render(<App state={panelState({ rows: [row] })} />);
    const likely = screen.getByRole('region', { name: 'Likely cause' });
    expect(likely.textContent).toContain('x-amz-checksum-crc32');
    fireEvent.click(within(likely).getByRole('button', { name: 'Confirm: paste or fetch the policy' }));
    expect(screen.getByRole('tab', { name: 'Policy' }).getAttribute('aria-selected')).toBe('true');
  });

  it('reads the likely cause from the request headers when no preflight was captured (a HAR, Firefox)', () => {
    const exchange: ObservedExchange = {
      ...blockedPut.exchange,
      preflight: undefined,
      request: { ...blockedPut.exchange.request, headers: { 'content-type': 'image/jpeg', 'x-amz-meta-owner': 'me', priority: 'u=4' } },
    };
    const row: CapturedRow = { exchange, diagnosis: { ...blockedPut.diagnosis, trace: [] } };
    render(<App state={panelState({ rows: [row] })} />);
    const likely = screen.getByRole('region', { name: 'Likely cause' });
    expect(likely.textContent).toContain('non-standard header x-amz-meta-owner;');
    expect(likely.textContent).not.toContain('priority');
  });

  it('drops the guess once the policy is given: the diagnosis names the header itself', async () => {
    await mountDemo();
    fireEvent.click(option('photo.json'));
    const policy = tab('Policy');
    fireEvent.input(within(policy).getByLabelText(/S3 console JSON/), { target: { value: DEMO_POLICY } });
    fireEvent.click(within(policy).getByRole('button', { name: 'Use pasted policy' }));
    tab('Diagnosis');
    expect(screen.queryByRole('region', { name: 'Likely cause' })).toBeNull();
    expect(screen.getByText(/^Blocked: a request header is not allowed/, { selector: '.verdict' })).toBeTruthy();
  });

  it('opens on a blocked upload, not on the harmless rows captured before it', async () => {
    await mountDemo();
    const selected = screen.getAllByRole('option').find((o) => o.getAttribute('aria-selected') === 'true')!;
    expect(selected.textContent).toMatch(/^Blocked|Blocked:/m);
    expect(selected.className).toContain('tone-error');
  });
});

describe('policy paste as an editor', () => {
  it('shows a syntax error under the box at the typed position, and keeps the active policy', async () => {
    const { controller } = await mountDemo();
    fireEvent.click(option('photo.json'));
    let policy = tab('Policy');
    const box = within(policy).getByLabelText(/S3 console JSON/);
    fireEvent.input(box, { target: { value: DEMO_POLICY } });
    fireEvent.click(within(policy).getByRole('button', { name: 'Use pasted policy' }));
    policy = screen.getByRole('tabpanel');
    const broken = '[\n  {\n    "AllowedOrigins": ["https://a.example"],\n    "AllowedMethods": ["GET"],\n  }\n]';
    fireEvent.input(within(policy).getByLabelText(/S3 console JSON/), { target: { value: broken } });
    fireEvent.click(within(policy).getByRole('button', { name: 'Use pasted policy' }));
    const alert = within(screen.getByRole('tabpanel')).getByRole('alert');
    // The comma at the end of line 4 is the mistake, not the brace after it.
    expect(alert.textContent).toContain('Line 4, column 30:');
    expect(alert.textContent).toContain('"AllowedMethods": ["GET"],');
    expect(alert.textContent).toContain('The active configuration has not changed.');
    // Not a banner at the top of the panel.
    expect(screen.queryByRole('alert', { name: /./ })).toBeNull();
    expect(controller.state.notice).toBeNull();
    expect(screen.getByRole('tabpanel').textContent).toContain(PAGE_ORIGIN);
    expect(within(screen.getByRole('tabpanel')).getByLabelText(/S3 console JSON/)).toHaveProperty('value', broken);
  });

  it('reports a configuration S3 would refuse as such, and never turns an observed success into a block', async () => {
    await mountDemo();
    const successes = () => screen.getAllByRole('option').filter((o) => o.textContent!.includes('video.bin'));
    expect(successes().every((o) => !o.textContent!.includes('Blocked'))).toBe(true);
    fireEvent.click(option('photo.json'));
    const policy = tab('Policy');
    const patch = `[\n  {\n    "AllowedOrigins": ["${PAGE_ORIGIN}"],\n    "AllowedMethods": ["PATCH"]\n  }\n]`;
    fireEvent.input(within(policy).getByLabelText(/S3 console JSON/), { target: { value: patch } });
    fireEvent.click(within(policy).getByRole('button', { name: 'Use pasted policy' }));
    const alert = within(screen.getByRole('tabpanel')).getByRole('alert');
    expect(alert.textContent).toContain('S3 would refuse this configuration');
    expect(alert.textContent).toContain('Line 4, column');
    expect(alert.textContent).toContain('PATCH');
    expect(successes().length).toBeGreaterThan(0);
    expect(successes().every((o) => !o.textContent!.includes('Blocked'))).toBe(true);
  });
});

describe('a refused configuration reaching the controller (a remembered or dropped one)', () => {
  it('is not taken for the bucket’s: outcomes the browser observed stand', async () => {
    const { controller } = await mountDemo();
    const verdicts = () => screen.getAllByRole('option').map((o) => o.textContent);
    const before = verdicts();
    act(() => controller.actions.pastePolicy!('demo-uploads', `[{"AllowedOrigins": ["${PAGE_ORIGIN}"], "AllowedMethods": ["PATCH"]}]`));
    expect(verdicts()).toEqual(before);
    fireEvent.click(option('photo.json'));
    expect(tab('Policy').textContent).toContain(
      'S3 would refuse this configuration (PutBucketCors fails), so the bucket cannot have it: requests are not judged by it.',
    );
  });
});

describe('the smaller points', () => {
  it('clears the notices with Clear', async () => {
    const download = vi.fn();
    const clear = vi.fn();
    render(<App state={panelState({ notice: { kind: 'info', text: 'imported 3 requests from a.har' } })} actions={{ download, clear }} />);
    fireEvent.click(within(screen.getByRole('region', { name: 'Request details' })).getByRole('button', { name: 'Export report' }));
    expect(screen.getByText(/^Report saved as s3-cors-report-.*\.md/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Clear captured requests' }));
    expect(clear).toHaveBeenCalledOnce();
    expect(screen.queryByText(/^Report saved as/)).toBeNull();
  });

  it('the controller drops its notice on Clear', async () => {
    const { controller } = await mountDemo();
    const har = readFileSync(resolve(import.meta.dirname, '../fixtures/har/real-firefox-demo-failures.har'));
    act(() => controller.actions.importHar!(new Uint8Array(har), 'firefox.har'));
    expect(screen.getByText(/^imported \d+ requests from firefox\.har/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Clear captured requests' }));
    expect(screen.queryByText(/^imported \d+ requests/)).toBeNull();
  });

  it('keeps Escape inside the Generate policy dialog (DevTools would open its console drawer)', () => {
    const outside = vi.fn();
    document.addEventListener('keydown', outside);
    render(<App state={panelState()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Generate policy' }));
    const dialog = screen.getByRole('dialog');
    fireEvent.keyDown(within(dialog).getAllByRole('radio')[0]!, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(outside).not.toHaveBeenCalled();
    document.removeEventListener('keydown', outside);
  });

  it('shows an HTTP error status beside the CORS verdict: a 404 GET is not a green "Allowed"', () => {
    const missing: CapturedRow = { ...allowedGet, exchange: { ...allowedGet.exchange, response: { ...allowedGet.exchange.response!, status: 404 } } };
    render(<App state={panelState({ rows: [missing] })} />);
    const row = screen.getByRole('option');
    expect(row.textContent).toContain('HTTP 404 Not Found — CORS allowed');
    expect(row.className).not.toContain('tone-ok');
    fireEvent.click(row);
    const detail = screen.getByRole('region', { name: 'Request details' });
    expect(within(detail).getByRole('heading', { level: 2 }).textContent).toContain('HTTP 404 Not Found');
  });

  it('marks imported HAR rows and keeps their policy apart from the live bucket’s', () => {
    const pastePolicy = vi.fn();
    const imported: CapturedRow = { ...blockedPut, exchange: { ...blockedPut.exchange, id: 'old.har#0', source: 'har' } };
    render(<App state={panelState({ rows: [allowedGet, imported] })} actions={{ pastePolicy }} />);
    const row = option('cat pic.jpg');
    expect(within(row).getByText('HAR')).toBeTruthy();
    expect(row.title).toContain('Imported from old.har');
    expect(within(option('dog.jpg')).queryByText('HAR')).toBeNull();
    fireEvent.click(row);
    const policy = tab('Policy');
    expect(policy.textContent).toContain('imported from old.har');
    fireEvent.input(within(policy).getByLabelText(/S3 console JSON/), { target: { value: '[{"AllowedOrigins":["*"],"AllowedMethods":["GET"]}]' } });
    fireEvent.click(within(policy).getByRole('button', { name: 'Use pasted policy' }));
    expect(pastePolicy).toHaveBeenCalledWith('old.har › uploads', '[{"AllowedOrigins":["*"],"AllowedMethods":["GET"]}]');
  });

  it('judges imported rows by the policy given with the HAR, not the live bucket’s', async () => {
    const { controller } = await mountDemo();
    const har = readFileSync(resolve(import.meta.dirname, '../fixtures/har/real-chromium-demo-failures.har'));
    act(() => controller.actions.importHar!(new Uint8Array(har), 'old.har'));
    const photoRow = (imported: boolean) =>
      screen.getAllByRole('option').find((o) => o.textContent!.includes('HAR') === imported && o.textContent!.includes('photo.json'))!.textContent;
    const importedBefore = photoRow(true);
    const liveBefore = photoRow(false);
    // A live policy for demo-uploads: the live rows are judged by it, the imported ones are not.
    act(() => controller.actions.pastePolicy!('demo-uploads', DEMO_POLICY));
    expect(photoRow(false)).not.toBe(liveBefore);
    expect(photoRow(false)).toContain('a request header is not allowed');
    expect(photoRow(true)).toBe(importedBefore);
    expect(photoRow(true)).not.toContain('a request header is not allowed');
  });
});
