// @vitest-environment happy-dom
/** The Fix tab states what the fix newly allows (issue 10 item 2): one line, from the diagnosis's access delta. */
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { App } from '../../src/panel/App.js';
import type { CapturedRow } from '../../src/panel/model.js';
import { blockedPut, panelState } from './fixtures.js';

afterEach(cleanup);

function fixTab(row: CapturedRow) {
  render(<App state={panelState({ rows: [row] })} actions={{}} />);
  fireEvent.click(screen.getByRole('tab', { name: /^Fix/ }));
  return screen.getByRole('tabpanel');
}

describe('the Fix tab', () => {
  it('shows the access the fix adds', () => {
    const text = 'Newly allowed: `https://app.example.com` may now send PUT (x-amz-checksum-crc32). Nothing else.';
    const fix = {
      ...blockedPut.diagnosis.fix!,
      accessDelta: { allows: [{ origin: 'https://app.example.com', method: 'PUT', header: 'x-amz-checksum-crc32' }], exposes: [], withinRequest: true, text },
    };
    const panel = fixTab({ ...blockedPut, diagnosis: { ...blockedPut.diagnosis, fix } });
    // Code spans are rendered as code, so the text reads without backticks.
    expect(panel.textContent).toContain(`What this newly allows: ${text.replaceAll('`', '')}`);
  });

  it('says nothing about access when the fix has no delta (advice only)', () => {
    const fix = { ...blockedPut.diagnosis.fix! };
    delete fix.accessDelta;
    expect(fixTab({ ...blockedPut, diagnosis: { ...blockedPut.diagnosis, fix } }).textContent).not.toContain('What this newly allows');
  });
});
