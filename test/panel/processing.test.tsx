// @vitest-environment happy-dom
/** The "processing N…" indicator (issue 14 item 6): shown while the controller has captured requests not yet listed. */
import { cleanup, render, screen } from '@testing-library/preact';
import { App } from '../../src/panel/App.js';
import { panelState } from './fixtures.js';

afterEach(cleanup);

describe('the processing indicator', () => {
  it('says how many captured requests are not listed yet while the panel is behind', () => {
    render(<App state={panelState({ processing: 1_234 })} />);
    const indicator = screen.getByText('processing 1,234…');
    // Announced politely to screen readers, as a status.
    expect(indicator.getAttribute('role')).toBe('status');
  });

  it('is gone once the panel has caught up', () => {
    const { rerender } = render(<App state={panelState({ processing: 3 })} />);
    expect(screen.queryByText('processing 3…')).not.toBeNull();
    rerender(<App state={panelState({ processing: 0 })} />);
    expect(screen.queryByText(/processing/)).toBeNull();
    rerender(<App state={panelState()} />);
    expect(screen.queryByText(/processing/)).toBeNull();
  });
});
