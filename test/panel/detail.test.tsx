// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import type { CorsConfiguration, RenderFormat } from '../../src/core/policy/index.js';
import { App } from '../../src/panel/App.js';
import type { PanelActions, PanelState, ProbeResult } from '../../src/panel/model.js';
import { blockedPut, panelState, PRESIGNED_PUT_URL, SECRET_SIGNATURE, signatureMismatch, uploadsPolicy } from './fixtures.js';

// The renderers belong to the policy core; here they are replaced by a recognisable stand-in so these tests pin the
// panel's behaviour (which format is asked for, what is copied, how a failure shows) and nothing else.
vi.mock('../../src/core/policy/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/core/policy/index.js')>();
  const standIn = (config: CorsConfiguration, format: RenderFormat, options: { bucket?: string } = {}) => {
    if (format === 'terraform') throw new Error('terraform renderer exploded');
    const origins = config.rules.flatMap((rule) => rule.allowedOrigins).join(',');
    return format === 'cli' ? `aws s3api put-bucket-cors --bucket ${options.bucket} # ${origins}` : `[${format}] ${origins}`;
  };
  return {
    ...original,
    renderPolicy: standIn,
    renderPolicyWithNotes: (config: CorsConfiguration, format: RenderFormat, options: { bucket?: string } = {}) => ({
      text: standIn(config, format, options),
      notes: [],
    }),
    diffPolicies: (before: CorsConfiguration | null, after: CorsConfiguration) => `- ${before ? before.rules.length : 0} rules\n+ ${after.rules.length} rules`,
  };
});

afterEach(cleanup);

/** Mounts the panel with only the blocked PUT captured, so it is the selected row. */
function mountPut(overrides: Partial<PanelState> = {}, actions: PanelActions = {}) {
  return render(<App state={panelState({ rows: [blockedPut], ...overrides })} actions={actions} />);
}

function openTab(name: string) {
  fireEvent.click(screen.getByRole('tab', { name: new RegExp(`^${name}`) }));
  return screen.getByRole('tabpanel');
}

describe('the detail view of a blocked PUT', () => {
  it('lists findings most important first, with code, message, detail, evidence and fix', () => {
    mountPut();
    const panel = screen.getByRole('tabpanel');
    const findings = within(panel)
      .getAllByRole('listitem')
      .filter((item) => item.classList.contains('finding'));
    expect(findings.map((item) => item.querySelector('.finding-code')?.textContent)).toEqual(['HEADERS_NOT_ALLOWED', 'SDK_CHECKSUM_HEADERS']);
    const first = findings[0]!;
    expect(first.textContent).toContain('header x-amz-checksum-crc32 is not in its AllowedHeaders');
    expect(first.textContent).toContain('S3 answered the preflight with 403 AccessForbidden');
    expect(within(first).getByRole('list', { name: 'Evidence' }).textContent).toContain('Access-Control-Request-Headers: content-type,x-amz-checksum-crc32');
    expect(first.textContent).not.toContain(SECRET_SIGNATURE);
    expect(first.textContent).toContain('Fix: Add x-amz-checksum-crc32 to AllowedHeaders of rule 1.');
  });

  it("shows this browser's console wording, and the other browser's only on demand", () => {
    mountPut({ browser: 'firefox' });
    const section = screen.getByRole('region', { name: 'Console message' });
    expect(section.textContent).not.toContain(SECRET_SIGNATURE);
    expect(within(section).getByText('Firefox (this browser) prints:')).toBeTruthy();
    expect(section.textContent).toContain('Reason: CORS preflight response did not succeed');
    expect(section.textContent).toContain('Reason: CORS request did not succeed');
    expect(section.textContent).not.toContain("Response to preflight request doesn't pass access control check");
    fireEvent.click(within(section).getByRole('button', { name: "Show Chrome's message" }));
    expect(section.textContent).toContain("Response to preflight request doesn't pass access control check");
    expect(section.textContent).not.toContain(SECRET_SIGNATURE);
    fireEvent.click(within(section).getByRole('button', { name: "Hide Chrome's message" }));
    expect(section.textContent).not.toContain("Response to preflight request doesn't pass access control check");
  });

  it('shows Chrome its own line first, in Chrome', () => {
    mountPut({ browser: 'chromium' });
    const section = screen.getByRole('region', { name: 'Console message' });
    expect(within(section).getByText('Chrome (this browser) prints:')).toBeTruthy();
    expect(section.textContent).toContain("Response to preflight request doesn't pass access control check");
    expect(section.textContent).not.toContain('Reason: CORS preflight response did not succeed');
    expect(within(section).getByRole('button', { name: "Show Firefox's message" })).toBeTruthy();
  });

  it('names what could not be determined and the provider notes', () => {
    mountPut();
    expect(screen.getByRole('region', { name: 'What could not be determined' }).textContent).toContain('The response body of the preflight was not visible');
    const notes = screen.getByRole('region', { name: 'About this endpoint (Amazon S3)' });
    expect(notes.textContent).toContain('case-insensitively');
    // The fixture's note cites the spec "(S12)"; the panel shows plain words.
    expect(notes.textContent).not.toContain('S12');
  });

  it('lists a rule failing on one condition as a near miss', () => {
    mountPut();
    const misses = screen.getByRole('region', { name: 'Near misses' });
    expect(misses.textContent).toContain('rule 1 (ID: uploads) would match except: header x-amz-checksum-crc32 is not in AllowedHeader');
    expect(misses.textContent).not.toContain('public-read');
  });

  it('marks each rule condition ✓ or ✗ in the trace table and highlights the failing ones', () => {
    mountPut();
    const panel = openTab('Rule trace');
    const table = within(panel).getByRole('table', { name: 'Rule trace' });
    const headerCells = within(table)
      .getAllByRole('columnheader')
      .map((cell) => cell.textContent);
    expect(headerCells.slice(3, 5)).toEqual(['content-type', 'x-amz-checksum-crc32']);
    const [uploads, publicRead] = within(table).getAllByRole('row').slice(1);
    const uploadMarks = within(uploads!)
      .getAllByRole('cell')
      .slice(0, 4)
      .map((cell) => cell.textContent?.[0]);
    expect(uploadMarks).toEqual(['✓', '✓', '✓', '✗']);
    expect(within(uploads!).getByLabelText('header x-amz-checksum-crc32: not allowed').closest('td')!.className).toBe('cond-fail');
    expect(within(uploads!).getByLabelText('origin: allowed').closest('td')!.className).toBe('cond-pass');
    expect(uploads!.className).toContain('rule-near-miss');
    expect(within(publicRead!).getByLabelText('method: not allowed').closest('td')!.className).toBe('cond-fail');
    expect(within(publicRead!).getByText('*', { selector: '.matched-by' })).toBeTruthy();
    // A pattern is named only when it says more than the value it matched.
    expect(uploads!.querySelector('.matched-by')).toBeNull();
  });

  it('highlights the rule S3 uses', () => {
    const used = {
      ...blockedPut,
      diagnosis: {
        ...blockedPut.diagnosis,
        trace: blockedPut.diagnosis.trace.map((rule, i) =>
          i === 1
            ? { ...rule, method: { ...rule.method, matched: true }, headers: rule.headers.map((h) => ({ ...h, matched: true })), matched: true, used: true }
            : rule,
        ),
      },
    };
    render(<App state={panelState({ rows: [used] })} />);
    const table = within(openTab('Rule trace')).getByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[1]!.className).toContain('rule-used');
    expect(rows[1]!.textContent).toContain('Used (first match)');
    expect(rows[0]!.className).not.toContain('rule-used');
  });

  it('says how to get a trace when the configuration is unknown', () => {
    render(<App state={panelState({ rows: [signatureMismatch] })} />);
    expect(openTab('Rule trace').textContent).toContain('Fetch it or paste it in the Policy tab');
    fireEvent.click(screen.getByRole('button', { name: 'Open the Policy tab' }));
    expect(screen.getByRole('tab', { name: 'Policy' }).getAttribute('aria-selected')).toBe('true');
  });

  it('shows preflight and actual headers side by side, masking credentials', () => {
    mountPut();
    const panel = openTab('Headers');
    const tables = within(panel).getAllByRole('table');
    expect(tables.map((table) => table.querySelector('caption')?.textContent)).toEqual([
      'Preflight request',
      'Preflight response — HTTP 403',
      'Request',
      'Actual response — no response (blocked)',
    ]);
    expect(tables[0]!.textContent).toContain('access-control-request-headers');
    expect(tables[2]!.textContent).toContain('authorization');
    expect(panel.textContent).not.toContain('Credential=AKIAEXAMPLE');
  });
});

describe('the fix', () => {
  it('renders the fixed configuration in the chosen format and copies it in one click', () => {
    const actions = { copyText: vi.fn(), setFixFormat: vi.fn() };
    mountPut({}, actions);
    const panel = openTab('Fix');
    expect(panel.textContent).toContain('Verified');
    expect(within(panel).getByLabelText('Fixed configuration (console)').textContent).toBe('[console] https://app.example.com,*');
    fireEvent.click(within(panel).getByRole('radio', { name: 'XML' }));
    expect(actions.setFixFormat).toHaveBeenCalledWith('xml');
    expect(within(panel).getByLabelText('Fixed configuration (xml)').textContent).toBe('[xml] https://app.example.com,*');
    fireEvent.click(within(panel).getByRole('button', { name: 'Copy' }));
    expect(actions.copyText).toHaveBeenCalledWith('[xml] https://app.example.com,*');
  });

  it('starts from the format the adapter remembered', () => {
    mountPut({ fixFormat: 'cloudformation' });
    expect(within(openTab('Fix')).getByRole('radio', { name: 'CloudFormation' })).toHaveProperty('checked', true);
  });

  it('shows the diff against the bucket configuration as known', () => {
    mountPut({ policies: { uploads: uploadsPolicy, [new URL(PRESIGNED_PUT_URL).host]: uploadsPolicy } });
    const panel = openTab('Fix');
    fireEvent.click(within(panel).getByRole('radio', { name: 'Diff' }));
    const diff = within(panel).getByLabelText('Fixed configuration (diff)');
    expect(diff.textContent).toBe('- 2 rules\n+ 2 rules\n');
    // Removed and added lines are marked for colour.
    expect(within(diff).getByText('- 2 rules').className).toContain('diff-del');
    expect(within(diff).getByText('+ 2 rules').className).toContain('diff-add');
  });

  it('shows a renderer failure inline instead of breaking the panel', () => {
    mountPut({}, { copyText: vi.fn() });
    const panel = openTab('Fix');
    fireEvent.click(within(panel).getByRole('radio', { name: 'Terraform' }));
    expect(within(panel).getByRole('alert').textContent).toContain('terraform renderer exploded');
    expect(within(panel).queryByRole('button', { name: 'Copy' })).toBeNull();
  });

  it('offers the put-bucket-cors command with copy, and re-test', () => {
    const actions = { copyText: vi.fn(), retest: vi.fn() };
    mountPut({}, actions);
    const panel = openTab('Fix');
    const command = within(panel).getByLabelText('aws s3api put-bucket-cors command').textContent!;
    expect(command).toMatch(/^aws s3api put-bucket-cors --bucket /);
    fireEvent.click(within(panel).getByRole('button', { name: 'Copy command' }));
    expect(actions.copyText).toHaveBeenCalledWith(command);
    fireEvent.click(within(panel).getByRole('button', { name: 'Re-test after applying' }));
    expect(actions.retest).toHaveBeenCalledWith('put-checksum');
    expect(screen.getByRole('tab', { name: 'Probe' }).getAttribute('aria-selected')).toBe('true');
  });

  it('gives advice without a configuration when the cause is not CORS', () => {
    render(<App state={panelState({ rows: [signatureMismatch] })} />);
    const panel = openTab('Fix');
    expect(panel.textContent).toContain('Regenerate the presigned URL');
    expect(within(panel).queryByRole('radiogroup')).toBeNull();
  });
});

describe('actions on the selected request', () => {
  it('copies the preflight as cURL with the presigned credentials redacted', () => {
    const copyText = vi.fn();
    mountPut({}, { copyText });
    fireEvent.click(screen.getByRole('button', { name: 'Copy as cURL' }));
    const command: string = copyText.mock.calls[0]![0];
    expect(command).toMatch(/^curl -i -X OPTIONS -H 'Origin: https:\/\/app\.example\.com' -H 'Access-Control-Request-Method: PUT'/);
    expect(command).toContain("-H 'Access-Control-Request-Headers: content-type,x-amz-checksum-crc32'");
    expect(command).not.toContain(SECRET_SIGNATURE);
  });

  it('probes the bucket and shows the steps and what S3 refused', () => {
    const probe = vi.fn();
    const { rerender } = mountPut({}, { probe });
    fireEvent.click(screen.getByRole('button', { name: 'Probe this bucket' }));
    expect(probe).toHaveBeenCalledWith('put-checksum');
    expect(screen.getByRole('tab', { name: 'Probe' }).getAttribute('aria-selected')).toBe('true');

    const running: ProbeResult = { exchangeId: 'put-checksum', summary: 'Replaying the preflight…', refused: { headers: [] }, steps: [], status: 'running' };
    rerender(<App state={panelState({ rows: [blockedPut], probes: { 'put-checksum': running } })} actions={{ probe }} />);
    expect(screen.getByRole('tabpanel').querySelector('[aria-busy="true"]')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Probing…' })).toHaveProperty('disabled', true);

    const done: ProbeResult = {
      exchangeId: 'put-checksum',
      summary: 'No rule matches: header x-amz-checksum-crc32 refused',
      refused: { headers: ['x-amz-checksum-crc32'] },
      status: 'done',
      steps: [
        {
          description: 'Replay the preflight',
          request: { method: 'OPTIONS', url: PRESIGNED_PUT_URL, headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'PUT' } },
          response: { status: 403, headers: {} },
        },
        {
          description: 'Without x-amz-checksum-crc32',
          request: { method: 'OPTIONS', url: PRESIGNED_PUT_URL, headers: { origin: 'https://app.example.com' } },
          response: { status: 200, headers: { 'access-control-allow-origin': 'https://app.example.com' } },
        },
      ],
    };
    rerender(<App state={panelState({ rows: [blockedPut], probes: { 'put-checksum': done } })} actions={{ probe }} />);
    const panel = screen.getByRole('tabpanel');
    expect(within(panel).getByRole('status').textContent).toContain('header x-amz-checksum-crc32 refused');
    expect(panel.querySelector('.refused')!.textContent).toContain('Refused headersx-amz-checksum-crc32');
    const steps = within(panel).getByRole('table', { name: 'Probe steps' });
    expect(within(steps).getAllByRole('row')).toHaveLength(3);
    const [, replay, without] = within(steps).getAllByRole('row');
    // "Sent" shows what was sent: the method and URL, then the headers the probe varies, each labelled.
    const sent = replay!.querySelectorAll('td')[2]!;
    expect(sent.querySelector('code')!.textContent).toBe('OPTIONS uploads.s3.eu-west-1.amazonaws.com/photos/cat%20pic.jpg');
    expect(sent.textContent).toContain('Originhttps://app.example.com');
    expect(sent.textContent).toContain('Method askedPUT');
    expect(without!.querySelectorAll('td')[2]!.textContent).not.toContain('Method asked');
    expect(steps.textContent).not.toContain(SECRET_SIGNATURE);
    expect(steps.textContent).toContain('HTTP 200 · CORS headers present');
  });

  it('offers the host permission when the request host is not granted, and hides it once granted', () => {
    const requestHostPermission = vi.fn();
    const { rerender } = mountPut({ grantedOrigins: [] }, { requestHostPermission });
    const host = new URL(PRESIGNED_PUT_URL).hostname;
    const banner = screen.getByRole('region', { name: 'Host permission' });
    expect(banner.textContent).toContain('probe the bucket');
    fireEvent.click(within(banner).getByRole('button', { name: `Grant access to ${host}` }));
    expect(requestHostPermission).toHaveBeenCalledWith([`https://${host}/*`]);
    rerender(<App state={panelState({ rows: [blockedPut], grantedOrigins: ['*://*.amazonaws.com/*'] })} actions={{ requestHostPermission }} />);
    expect(screen.queryByRole('region', { name: 'Host permission' })).toBeNull();
  });

  it('exports the selected request alone', () => {
    const download = vi.fn();
    render(<App state={panelState()} actions={{ download }} />);
    fireEvent.click(screen.getAllByRole('option').find((option) => option.textContent!.includes('q3.pdf'))!);
    const detail = screen.getByRole('region', { name: 'Request details' });
    fireEvent.click(within(detail).getByRole('button', { name: 'Export report' }));
    const [fileName, , text] = download.mock.calls[0]! as [string, string, string];
    // The same report as `har --markdown`, of this one request.
    expect(text).toContain('- **Requests in capture:** 1\n- **S3 requests:** 1\n');
    expect(text).toContain('NOT_CORS_SIGNATURE_MISMATCH');
    expect(text).not.toContain('c2VjcmV0');
    // Export confirms with the file name.
    expect(screen.getByText(`Report saved as ${fileName} (in the browser's downloads).`).closest('[role=status]')).not.toBeNull();
  });

  it('switches tabs with the arrow keys', () => {
    mountPut();
    const tablist = screen.getByRole('tablist');
    fireEvent.keyDown(tablist, { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { name: 'Rule trace' }).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Rule trace' }));
    fireEvent.keyDown(tablist, { key: 'ArrowLeft' });
    fireEvent.keyDown(tablist, { key: 'ArrowLeft' });
    expect(screen.getByRole('tab', { name: 'Policy' }).getAttribute('aria-selected')).toBe('true');
  });
});
