// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { App } from '../../src/panel/App.js';
import { bucketOf } from '../../src/panel/view/rows.js';
import { allowedGet, blockedPut, panelState, wrongOriginGet } from './fixtures.js';

afterEach(cleanup);

function openDialog(actions = {}) {
  render(<App state={panelState({ rows: [allowedGet, blockedPut, wrongOriginGet] })} actions={actions} />);
  fireEvent.click(screen.getByRole('button', { name: 'Generate policy' }));
  return screen.getByRole('dialog', { name: 'Policy from everything captured' });
}

describe('generating a policy from everything captured', () => {
  it('synthesizes per bucket, starting with the selected request’s bucket, covering every method and header seen', () => {
    const dialog = openDialog();
    // The newest failure, the blocked PUT to the uploads bucket, is selected.
    expect(within(dialog).getByRole('combobox')).toHaveProperty('value', bucketOf(blockedPut.exchange));
    expect(within(dialog).getByRole('list', { name: 'Rules' }).textContent).toContain('https://app.example.com');
    const config = within(dialog).getByLabelText('Generated configuration').textContent!;
    expect(config).toContain('PUT');
    expect(config).toContain('GET');
    expect(config.toLowerCase()).toContain('x-amz-checksum-crc32');
    expect(config).not.toContain('staging.example.com');
  });

  it('switches to another bucket captured on the page', () => {
    const dialog = openDialog();
    fireEvent.change(within(dialog).getByRole('combobox'), { target: { value: bucketOf(wrongOriginGet.exchange) } });
    expect(within(dialog).getByRole('list', { name: 'Rules' }).textContent).toContain('https://staging.example.com');
    const config = within(dialog).getByLabelText('Generated configuration').textContent!;
    expect(config).toContain('https://staging.example.com');
    expect(config).not.toContain('x-amz-checksum-crc32');
  });

  it('renders in the chosen format and copies it', () => {
    const copyText = vi.fn();
    const dialog = openDialog({ copyText });
    fireEvent.click(within(dialog).getByRole('radio', { name: 'XML' }));
    const xml = within(dialog).getByLabelText('Generated configuration').textContent!;
    expect(xml).toContain('<CORSRule>');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Copy' }));
    expect(copyText).toHaveBeenCalledWith(xml);
  });

  it('closes on Escape and on the close button, returning focus', () => {
    const dialog = openDialog();
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Generate policy' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('a fix proposed without knowing the configuration', () => {
  it('is presented as rules to merge, warning that put-bucket-cors replaces everything', () => {
    const partial = { ...wrongOriginGet, diagnosis: { ...wrongOriginGet.diagnosis, fix: { ...wrongOriginGet.diagnosis.fix!, partial: true } } };
    render(<App state={panelState({ rows: [partial] })} />);
    fireEvent.click(screen.getByRole('tab', { name: 'Fix' }));
    const panel = screen.getByRole('tabpanel');
    const section = within(panel).getByRole('region', { name: 'Rule to add' });
    expect(section.textContent).toContain('put-bucket-cors replaces the whole configuration');
    expect(section.textContent).toContain('before any broader rule');
  });
});
