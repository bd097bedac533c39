// @vitest-environment happy-dom
/**
 * Loading states: between a click and the adapter's answer (state.pending) the panel says what is running, refuses
 * a second start and marks the control aria-busy.
 */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { App } from '../../src/panel/App.js';
import type { PanelActions, PanelState, ProbeResult } from '../../src/panel/model.js';
import { bucketOf } from '../../src/panel/view/rows.js';
import { blockedPut, panelState, wrongOriginGet } from './fixtures.js';

afterEach(cleanup);

const BUCKET = bucketOf(blockedPut.exchange);
const PUT_ID = blockedPut.exchange.id;

function mount(overrides: Partial<PanelState> = {}, actions: PanelActions = {}) {
  return render(<App state={panelState({ rows: [blockedPut], ...overrides })} actions={actions} />);
}

function openTab(name: string): HTMLElement {
  fireEvent.click(screen.getByRole('tab', { name: new RegExp(`^${name}`) }));
  return screen.getByRole('tabpanel');
}

function detailButton(name: string | RegExp): HTMLButtonElement {
  return within(screen.getByRole('region', { name: 'Request details' })).getAllByRole('button', { name })[0] as HTMLButtonElement;
}

describe('fetching the bucket CORS is shown as running until the adapter answers', () => {
  it('with stored credentials: the button reads "Fetching…", is disabled and aria-busy, and says what runs', () => {
    const fetchPolicy = vi.fn();
    mount({ hasCredentials: true, pending: { fetchPolicy: BUCKET } }, { fetchPolicy });
    const panel = openTab('Policy');
    const button = within(panel).getByRole('button', { name: 'Fetching…' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.getAttribute('aria-busy')).toBe('true');
    expect(within(panel).getByRole('status').textContent).toContain(`Fetching the CORS configuration of ${BUCKET}`);
    fireEvent.click(button);
    expect(fetchPolicy).not.toHaveBeenCalled();
  });

  it('with the credentials form: submitting again while fetching does not start a second fetch', () => {
    const actions = { setCredentials: vi.fn(), fetchPolicy: vi.fn() };
    mount({ pending: { fetchPolicy: BUCKET } }, actions);
    const panel = openTab('Policy');
    const form = within(panel).getByRole('form', { name: 'Credentials for GetBucketCors' });
    fireEvent.input(within(form).getByLabelText('Access key ID'), { target: { value: 'AKIAAGAIN' } });
    fireEvent.input(within(form).getByLabelText('Secret access key'), { target: { value: 'again-secret' } });
    expect((within(form).getByRole('button', { name: 'Fetching…' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.submit(form);
    expect(actions.fetchPolicy).not.toHaveBeenCalled();
    expect(actions.setCredentials).not.toHaveBeenCalled();
  });

  it('returns to "Fetch bucket CORS" when the result arrives, and is not busy for another bucket', () => {
    const fetchPolicy = vi.fn();
    const { rerender } = mount({ hasCredentials: true, pending: { fetchPolicy: 'some-other-bucket' } }, { fetchPolicy });
    const panel = openTab('Policy');
    const idle = within(panel).getByRole('button', { name: 'Fetch bucket CORS' }) as HTMLButtonElement;
    expect(idle.disabled).toBe(false);
    expect(idle.getAttribute('aria-busy')).not.toBe('true');

    rerender(<App state={panelState({ rows: [blockedPut], hasCredentials: true, pending: { fetchPolicy: BUCKET } })} actions={{ fetchPolicy }} />);
    expect(within(screen.getByRole('tabpanel')).getByRole('button', { name: 'Fetching…' })).toBeTruthy();
    rerender(<App state={panelState({ rows: [blockedPut], hasCredentials: true, pending: {} })} actions={{ fetchPolicy }} />);
    fireEvent.click(within(screen.getByRole('tabpanel')).getByRole('button', { name: 'Fetch bucket CORS' }));
    expect(fetchPolicy).toHaveBeenCalledWith(BUCKET, null);
  });
});

describe('a re-test is shown as running across its probes', () => {
  // Between two probes of a re-test the probe reads "done", yet the re-test goes on (S26).
  const between: ProbeResult = { exchangeId: PUT_ID, summary: 'No rule matches', refused: { headers: [] }, steps: [], status: 'done' };

  it('the header button reads "Re-testing…", disabled and aria-busy, and probing is refused meanwhile', () => {
    const actions = { retest: vi.fn(), probe: vi.fn() };
    mount({ pending: { retest: PUT_ID }, probes: { [PUT_ID]: between } }, actions);
    const retest = detailButton('Re-testing…');
    expect(retest.disabled).toBe(true);
    expect(retest.getAttribute('aria-busy')).toBe('true');
    const probe = detailButton('Probe this bucket');
    expect(probe.disabled).toBe(true);
    fireEvent.click(retest);
    fireEvent.click(probe);
    expect(actions.retest).not.toHaveBeenCalled();
    expect(actions.probe).not.toHaveBeenCalled();
  });

  it('the Probe and Fix tabs show the same running re-test', () => {
    mount({ pending: { retest: PUT_ID }, probes: { [PUT_ID]: between } }, { retest: vi.fn(), probe: vi.fn() });
    const probePanel = openTab('Probe');
    expect(probePanel.querySelector('.probe-view')!.getAttribute('aria-busy')).toBe('true');
    expect((within(probePanel).getByRole('button', { name: 'Re-testing…' }) as HTMLButtonElement).disabled).toBe(true);
    expect((within(probePanel).getByRole('button', { name: 'Probe again' }) as HTMLButtonElement).disabled).toBe(true);
    expect(
      within(probePanel)
        .getByText(/^Re-testing: probing again/)
        .getAttribute('role'),
    ).toBe('status');
    const fixPanel = openTab('Fix');
    expect((within(fixPanel).getByRole('button', { name: 'Re-testing…' }) as HTMLButtonElement).getAttribute('aria-busy')).toBe('true');
  });

  it("another request's re-test leaves this one's buttons alone", () => {
    const retest = vi.fn();
    mount({ rows: [blockedPut, wrongOriginGet], pending: { retest: wrongOriginGet.exchange.id } }, { retest, probe: vi.fn() });
    fireEvent.click(screen.getAllByRole('option').find((option) => option.textContent!.includes('cat pic'))!);
    const button = detailButton('Re-test');
    expect(button.disabled).toBe(false);
    fireEvent.click(button);
    expect(retest).toHaveBeenCalledWith(PUT_ID);
  });
});

describe('opening the panel', () => {
  it('says the capture is being read instead of "nothing captured" while the evidence loads', () => {
    render(<App state={panelState({ rows: [], pending: { capture: true } })} />);
    const status = screen.getByRole('status');
    expect(status.textContent).toBe('Reading the requests captured in this tab…');
    expect(status.getAttribute('aria-busy')).toBe('true');
    expect(screen.queryByText(/Reproduce the failing request/)).toBeNull();
  });

  it('once loaded with nothing captured, tells the user how to capture', () => {
    render(<App state={panelState({ rows: [], pending: {} })} />);
    expect(screen.getByText(/Reproduce the failing request with DevTools open/)).toBeTruthy();
  });
});
