// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { App } from '../../src/panel/App.js';
import { ROW_HEIGHT } from '../../src/panel/components/RequestList.js';
import { manyRows, panelState } from './fixtures.js';

afterEach(cleanup);

describe('the request list with 10,000 captured requests', () => {
  const rows = manyRows(10_000);

  it('renders only the rows in view (plus overscan), yet sizes the scroll area for all of them', () => {
    render(<App state={panelState({ rows })} />);
    const options = screen.getAllByRole('option');
    expect(options.length).toBeGreaterThan(10);
    expect(options.length).toBeLessThan(80);
    const list = screen.getByRole('listbox');
    const spacer = list.firstElementChild as HTMLElement;
    expect(spacer.style.height).toBe(`${10_000 * ROW_HEIGHT}px`);
    // Capture order: the first captured row is on top.
    expect(options[0]!.textContent).toContain('item-0.bin');
    expect(options[0]!.getAttribute('aria-setsize')).toBe('10000');
  });

  it('renders the rows under the scroll position after a scroll', () => {
    render(<App state={panelState({ rows })} />);
    const list = screen.getByRole('listbox');
    list.scrollTop = 5_000 * ROW_HEIGHT;
    fireEvent.scroll(list);
    const options = screen.getAllByRole('option');
    expect(options.length).toBeLessThan(80);
    const texts = options.map((option) => option.textContent ?? '');
    // Row index 5,000 is capture 5,000.
    expect(texts.some((text) => text.includes('item-5000.bin'))).toBe(true);
    expect(texts.some((text) => text.includes('item-0.bin'))).toBe(false);
    expect(Number(options[0]!.getAttribute('aria-posinset'))).toBeGreaterThan(4_900);
  });

  it('keeps the keyboard selection rendered when End jumps to the last row', () => {
    render(<App state={panelState({ rows })} />);
    const list = screen.getByRole('listbox');
    fireEvent.keyDown(list, { key: 'End' });
    const selected = screen.getAllByRole('option').find((option) => option.getAttribute('aria-selected') === 'true');
    expect(selected?.textContent).toContain('item-9999.bin');
    expect(list.getAttribute('aria-activedescendant')).toBe(selected?.id);
    expect(screen.getAllByRole('option').length).toBeLessThan(80);
  });

  it('moves a page at a time with PageDown and PageUp', () => {
    render(<App state={panelState({ rows })} />);
    const list = screen.getByRole('listbox');
    fireEvent.keyDown(list, { key: 'Home' });
    fireEvent.keyDown(list, { key: 'PageDown' });
    const selectedPosition = () =>
      Number(
        screen
          .getAllByRole('option')
          .find((o) => o.getAttribute('aria-selected') === 'true')!
          .getAttribute('aria-posinset'),
      );
    const afterPageDown = selectedPosition();
    // A page is the rows that fit the viewport less one, so the previously selected row stays in sight.
    expect(afterPageDown).toBeGreaterThan(10);
    fireEvent.keyDown(list, { key: 'PageUp' });
    expect(selectedPosition()).toBe(1);
  });

  it('filters 10,000 rows to failures only and still windows them', () => {
    render(<App state={panelState({ rows })} />);
    fireEvent.click(screen.getByRole('radio', { name: /Failures/ }));
    const options = screen.getAllByRole('option');
    expect(options.length).toBeLessThan(80);
    expect(options.every((option) => option.textContent!.includes('blocked'))).toBe(true);
    expect(options[0]!.getAttribute('aria-setsize')).toBe('3334');
  });
});
