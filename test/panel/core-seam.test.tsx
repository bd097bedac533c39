// @vitest-environment happy-dom
/**
 * The panel fed by the real core rather than hand-written diagnoses: pins that the seams (Diagnosis, RuleTrace,
 * FixProposal, renderPolicy) fit together as the panel reads them.
 */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { diagnose } from '../../src/core/diagnose/index.js';
import { App } from '../../src/panel/App.js';
import type { CapturedRow } from '../../src/panel/model.js';
import { blockedPut, panelState, SECRET_SIGNATURE, uploadsPolicy } from './fixtures.js';

afterEach(cleanup);

function diagnosedRow(): CapturedRow {
  const exchange = blockedPut.exchange;
  return { exchange, diagnosis: diagnose(exchange, { bucket: { kind: 'cors', config: uploadsPolicy.policy!.config } }) };
}

describe('the panel with the core’s own diagnosis', () => {
  it('marks the refused header in the trace table of the rule that otherwise matches', () => {
    render(<App state={panelState({ rows: [diagnosedRow()] })} />);
    fireEvent.click(screen.getByRole('tab', { name: 'Rule trace' }));
    const table = within(screen.getByRole('tabpanel')).getByRole('table', { name: 'Rule trace' });
    const uploads = within(table).getByRole('rowheader', { name: 'rule 1 (ID: uploads)' }).closest('tr')!;
    expect(within(uploads).getByLabelText('origin: allowed')).toBeTruthy();
    expect(within(uploads).getByLabelText('method: allowed')).toBeTruthy();
    expect(within(uploads).getByLabelText('header x-amz-checksum-crc32: not allowed').closest('td')!.className).toBe('cond-fail');
  });

  it('renders the verified fix with the real renderers, and the put-bucket-cors command for the bucket', () => {
    const copyText = vi.fn();
    render(<App state={panelState({ rows: [diagnosedRow()] })} actions={{ copyText }} />);
    fireEvent.click(screen.getByRole('tab', { name: 'Fix' }));
    const panel = screen.getByRole('tabpanel');
    expect(panel.textContent).toContain('Verified');
    expect(within(panel).getByLabelText('Fixed configuration (console)').textContent).toContain('"x-amz-checksum-crc32"');
    fireEvent.click(within(panel).getByRole('radio', { name: 'XML' }));
    expect(within(panel).getByLabelText('Fixed configuration (xml)').textContent).toContain('<AllowedHeader>x-amz-checksum-crc32</AllowedHeader>');
    expect(within(panel).getByLabelText('aws s3api put-bucket-cors command').textContent).toContain('put-bucket-cors --bucket uploads');
    expect(within(panel).queryByRole('alert')).toBeNull();
  });

  it('shows the core’s console wording without the presigned signature', () => {
    render(<App state={panelState({ rows: [diagnosedRow()] })} />);
    const section = screen.getByRole('region', { name: 'Console message' });
    expect(section.textContent).toContain('has been blocked by CORS policy');
    expect(section.textContent).not.toContain(SECRET_SIGNATURE);
  });
});
