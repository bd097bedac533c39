// @vitest-environment happy-dom
import { cleanup, createEvent, fireEvent, render, screen, within } from '@testing-library/preact';
import { App } from '../../src/panel/App.js';
import type { CapturedRow, PanelActions } from '../../src/panel/model.js';
import { allowedGet, blockedPut, panelState, RECORDED_ROWS, signatureMismatch, wrongOriginGet } from './fixtures.js';

afterEach(cleanup);

function options() {
  return screen.queryAllByRole('option');
}

function optionTexts() {
  return options().map((option) => option.textContent ?? '');
}

describe('the panel as a page', () => {
  it('lists captured requests in capture order with file name, method, status (0 as "blocked") and a plain verdict', () => {
    render(<App state={panelState()} />);
    const rows = options();
    expect(rows).toHaveLength(4);
    // Capture order, as DevTools' Network panel: new rows are appended at the bottom.
    expect(rows[0]!.textContent).toContain('dog.jpg');
    expect(rows[2]!.textContent).toContain('cat pic.jpg');
    expect(rows[2]!.textContent).toContain('blocked');
    expect(rows[2]!.textContent).toContain('Blocked: a request header is not allowed');
    expect(rows[2]!.textContent).not.toContain('HEADERS_NOT_ALLOWED');
    expect(rows[3]!.textContent).toContain('q3.pdf');
    expect(rows[0]!.textContent).toContain('200');
    expect(rows[0]!.textContent).toContain('GET');
    // The file name is the first column.
    expect(rows[2]!.firstElementChild!.textContent).toBe('cat pic.jpg');
  });

  it('colours each row by its worst finding', () => {
    render(<App state={panelState()} />);
    const [ok, origin, put, signature] = options();
    expect(signature!.className).toContain('tone-error');
    expect(put!.className).toContain('tone-error');
    expect(origin!.className).toContain('tone-error');
    expect(ok!.className).toContain('tone-ok');
  });

  it('filters to failures only and back', () => {
    render(<App state={panelState()} />);
    fireEvent.click(screen.getByRole('radio', { name: /Failures/ }));
    expect(optionTexts().some((text) => text.includes(allowedGet.diagnosis.verdict))).toBe(false);
    expect(options()).toHaveLength(3);
    fireEvent.click(screen.getByRole('radio', { name: 'All' }));
    expect(options()).toHaveLength(4);
  });

  it('searches by URL substring, case-insensitively', () => {
    render(<App state={panelState()} />);
    fireEvent.input(screen.getByRole('searchbox', { name: 'Filter requests' }), { target: { value: 'FONTS/' } });
    expect(options()).toHaveLength(1);
    expect(optionTexts()[0]).toContain('inter.woff2');
    expect(screen.getByText('1 of 4 requests')).toBeTruthy();
  });

  it('filters by verdict, finding code and status too', () => {
    render(<App state={panelState()} />);
    const search = screen.getByRole('searchbox', { name: 'Filter requests' });
    fireEvent.input(search, { target: { value: 'blocked' } });
    expect(optionTexts().map((text) => text.includes('Blocked'))).toEqual([true, true]);
    fireEvent.input(search, { target: { value: 'signature_mismatch' } });
    expect(optionTexts()).toEqual([expect.stringContaining('q3.pdf')]);
    fireEvent.input(search, { target: { value: '403' } });
    expect(optionTexts()).toEqual([expect.stringContaining('q3.pdf')]);
  });

  it('says honestly why the list is empty: no match for the filter, or no failure', () => {
    const { rerender } = render(<App state={panelState({ rows: [allowedGet] })} />);
    fireEvent.click(screen.getByRole('radio', { name: /Failures/ }));
    expect(screen.getByText('No failed request.')).toBeTruthy();
    rerender(<App state={panelState()} />);
    fireEvent.input(screen.getByRole('searchbox'), { target: { value: 'zebra' } });
    expect(screen.getByText('No request matches “zebra” among the failures.')).toBeTruthy();
    expect(screen.queryByText('No failed request.')).toBeNull();
  });

  it('says what to do when the search matches nothing, and offers to show everything', () => {
    render(<App state={panelState()} />);
    fireEvent.input(screen.getByRole('searchbox'), { target: { value: 'no-such-thing' } });
    expect(screen.getByText('No request matches “no-such-thing”.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Show all requests' }));
    expect(options()).toHaveLength(4);
  });

  it('opens on the most serious failure (a browser block before a non-CORS failure), and shows the clicked row instead', () => {
    // Capture order puts the non-CORS failure and the harmless GET before the block.
    render(<App state={panelState({ rows: [signatureMismatch, allowedGet, blockedPut] })} />);
    const heading = () => within(screen.getByRole('region', { name: 'Request details' })).getByRole('heading', { level: 2 }).textContent;
    expect(heading()).toContain('cat pic.jpg');
    expect(screen.getByText('Blocked: a request header is not allowed', { selector: '.verdict' })).toBeTruthy();
    fireEvent.click(options()[0]!);
    expect(options()[0]!.getAttribute('aria-selected')).toBe('true');
    expect(heading()).toContain('q3.pdf');
    expect(screen.getByText(/Failed, not a CORS problem: the request signature does not match/, { selector: '.verdict' })).toBeTruthy();
  });

  it('never changes the selection by itself when more requests arrive', () => {
    const { rerender } = render(<App state={panelState({ rows: [allowedGet, wrongOriginGet] })} />);
    const selectedText = () => options().find((o) => o.getAttribute('aria-selected') === 'true')?.textContent ?? '';
    expect(selectedText()).toContain('inter.woff2');
    // A more serious failure arriving later does not take the selection away.
    rerender(<App state={panelState({ rows: [allowedGet, wrongOriginGet, signatureMismatch, blockedPut] })} />);
    expect(selectedText()).toContain('inter.woff2');
    expect(options()[3]!.textContent).toContain('cat pic.jpg');
  });

  it('moves the selection with ArrowDown/ArrowUp/Home/End and opens the detail with Enter', () => {
    render(<App state={panelState()} />);
    const list = screen.getByRole('listbox');
    list.focus();
    // Opens on the first block (row 2); ArrowDown moves to row 3.
    expect(options()[1]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(options()[2]!.getAttribute('aria-selected')).toBe('true');
    expect(list.getAttribute('aria-activedescendant')).toBe(options()[2]!.id);
    fireEvent.keyDown(list, { key: 'End' });
    expect(options()[3]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(options()[3]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(list, { key: 'Home' });
    expect(options()[0]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'ArrowUp' });
    expect(options()[0]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(list, { key: 'Enter' });
    expect(document.activeElement?.tagName).toBe('H2');
    expect(document.activeElement?.textContent).toContain('dog.jpg');
  });

  it('shows the empty state with what to do next when nothing is captured', () => {
    const importHar = vi.fn();
    render(<App state={panelState({ rows: [] })} actions={{ importHar }} />);
    expect(screen.getByText('Reproduce the failing request with DevTools open — requests to S3 appear here. Or drop a HAR file.')).toBeTruthy();
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(screen.getAllByRole('button', { name: 'Import HAR…' }).length).toBeGreaterThan(0);
  });

  it('shows an adapter error as an alert and an info notice as a status', () => {
    const { rerender } = render(
      <App state={panelState({ notice: { kind: 'error', text: 'GetBucketCors: AccessDenied — this key lacks s3:GetBucketCORS.' } })} />,
    );
    expect(screen.getByRole('alert').textContent).toContain('lacks s3:GetBucketCORS');
    rerender(<App state={panelState({ notice: { kind: 'info', text: 'Fetching the configuration of uploads…' } })} />);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByText('Fetching the configuration of uploads…').closest('.notice')!.getAttribute('role')).toBe('status');
  });

  it('follows the DevTools theme through a class on the root', () => {
    const { container, rerender } = render(<App state={panelState({ theme: 'light' })} />);
    expect(container.firstElementChild!.classList.contains('theme-light')).toBe(true);
    rerender(<App state={panelState({ theme: 'dark' })} />);
    expect(container.firstElementChild!.classList.contains('theme-dark')).toBe(true);
    expect(container.firstElementChild!.classList.contains('theme-light')).toBe(false);
  });

  it('wires clear and preserve log to the adapter', () => {
    const actions: PanelActions = { clear: vi.fn(), setPreserveLog: vi.fn() };
    render(<App state={panelState({ preserveLog: false })} actions={actions} />);
    fireEvent.click(screen.getByRole('button', { name: 'Clear captured requests' }));
    expect(actions.clear).toHaveBeenCalledOnce();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Preserve log' }));
    expect(actions.setPreserveLog).toHaveBeenCalledWith(true);
  });

  it('imports a picked HAR file and refuses a file that is not one', async () => {
    const importHar = vi.fn();
    render(<App state={panelState()} actions={{ importHar }} />);
    const input = screen.getByLabelText('Import HAR…', { selector: 'input' }) as HTMLInputElement;
    const har = new File(['{"log":{"version":"1.2","entries":[]}}'], 'capture.har', { type: 'application/json' });
    Object.defineProperty(input, 'files', { value: [har], configurable: true });
    fireEvent.change(input);
    // The HAR goes on as bytes (a HAR can be larger than a string may be).
    await vi.waitFor(() => expect(importHar).toHaveBeenCalledWith(new TextEncoder().encode('{"log":{"version":"1.2","entries":[]}}'), 'capture.har'));
    expect(importHar.mock.calls[0]![0]).toBeInstanceOf(Uint8Array);

    const notHar = new File(['[{"AllowedOrigins":["*"]}]'], 'cors.json', { type: 'application/json' });
    Object.defineProperty(input, 'files', { value: [notHar], configurable: true });
    fireEvent.change(input);
    await vi.waitFor(() => expect(screen.getByRole('alert').textContent).toContain('cors.json is not a HAR file'));
    expect(importHar).toHaveBeenCalledOnce();
  });

  it('never renders markup from captured data', () => {
    const hostile = {
      ...blockedPut,
      exchange: {
        ...blockedPut.exchange,
        id: 'xss',
        request: { ...blockedPut.exchange.request, url: 'https://x.s3.amazonaws.com/<img src=x onerror=alert(1)>' },
      },
      diagnosis: {
        ...blockedPut.diagnosis,
        exchangeId: 'xss',
        verdict: '<b>bold</b>',
        findings: [{ ...blockedPut.diagnosis.findings[1]!, message: '<b>bold</b> and `<i>code</i>`' }],
      },
    };
    const { container } = render(<App state={panelState({ rows: [hostile] })} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b, i')).toBeNull();
    expect(screen.getAllByText(/<b>bold<\/b> and/).length).toBeGreaterThan(0);
    expect(screen.getAllByText('<i>code</i>', { selector: 'code' }).length).toBeGreaterThan(0);
  });

  it('keeps the list working when one captured row cannot be shown', () => {
    const malformed = { ...blockedPut, diagnosis: { ...blockedPut.diagnosis, provider: undefined } } as unknown as CapturedRow;
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    render(<App state={panelState({ rows: [allowedGet, malformed] })} />);
    expect(screen.getByRole('alert').textContent).toContain('Could not show the details of this PUT request');
    fireEvent.click(options()[0]!);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('region', { name: 'Request details' }).textContent).toContain('dog.jpg');
    errors.mockRestore();
  });

  it('imports a HAR dropped anywhere on the panel', async () => {
    const importHar = vi.fn();
    const { container } = render(<App state={panelState({ rows: [] })} actions={{ importHar }} />);
    const har = new File(['{"log":{"entries":[]}}'], 'dropped.har');
    const root = container.firstElementChild!;
    // happy-dom's DataTransfer cannot hold files, so the drop carries a plain one.
    const drop = createEvent.drop(root);
    Object.defineProperty(drop, 'dataTransfer', { value: { files: [har] } });
    fireEvent(root, drop);
    await vi.waitFor(() => expect(importHar).toHaveBeenCalledWith(new TextEncoder().encode('{"log":{"entries":[]}}'), 'dropped.har'));
  });

  it('says in one line when a picked HAR cannot be read, and imports nothing', async () => {
    const importHar = vi.fn();
    render(<App state={panelState()} actions={{ importHar }} />);
    const input = screen.getByLabelText('Import HAR…', { selector: 'input' }) as HTMLInputElement;
    const gone = new File(['{"log":{"entries":[]}}'], 'gone.har');
    gone.arrayBuffer = () => Promise.reject(new Error('the file was changed or removed'));
    Object.defineProperty(input, 'files', { value: [gone], configurable: true });
    fireEvent.change(input);
    await vi.waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Could not read gone.har: the file was changed or removed'));
    expect(importHar).not.toHaveBeenCalled();
  });

  it('tells a HAR from a policy by its first bytes only', async () => {
    const importHar = vi.fn();
    render(<App state={panelState()} actions={{ importHar }} />);
    const input = screen.getByLabelText('Import HAR…', { selector: 'input' }) as HTMLInputElement;
    const capture = new File([`{"log": {"version": "1.2", "entries": [${' '.repeat(1 << 20)}]}}`], 'capture.json');
    const text = vi.spyOn(capture, 'text');
    Object.defineProperty(input, 'files', { value: [capture], configurable: true });
    fireEvent.change(input);
    await vi.waitFor(() => expect(importHar).toHaveBeenCalledOnce());
    expect(text).not.toHaveBeenCalled();
  });

  it('exports every captured failure as a redacted Markdown report', () => {
    const download = vi.fn();
    render(<App state={panelState({ rows: RECORDED_ROWS })} actions={{ download }} />);
    fireEvent.click(screen.getAllByRole('button', { name: 'Export report' })[0]!);
    expect(download).toHaveBeenCalledOnce();
    const [fileName, mimeType, text] = download.mock.calls[0]!;
    expect(fileName).toMatch(/^s3-cors-report-.*\.md$/);
    expect(mimeType).toBe('text/markdown');
    expect(text).toMatch(/^# S3 CORS triage$/m);
    expect(text).not.toContain('X-Amz-Signature=f3a9');
  });
});
