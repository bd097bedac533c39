// @vitest-environment happy-dom
/** The list like DevTools' own (issue 14 item 4): resizable columns, a remembered split, auto-scroll only at the bottom. */
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { App } from '../../src/panel/App.js';
import { ROW_HEIGHT } from '../../src/panel/components/RequestList.js';
import { manyRows, panelState, RECORDED_ROWS } from './fixtures.js';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe('the split between list and detail', () => {
  it('moves with the keyboard (and the pointer), and is remembered by the next panel', () => {
    const { unmount } = render(<App state={panelState()} />);
    const splitter = screen.getByRole('separator', { name: 'Resize the request list' });
    expect(splitter.getAttribute('aria-valuenow')).toBe('45');
    fireEvent.keyDown(splitter, { key: 'ArrowRight' });
    fireEvent.keyDown(splitter, { key: 'ArrowRight' });
    expect(splitter.getAttribute('aria-valuenow')).toBe('49');
    expect((splitter.parentElement as HTMLElement).style.gridTemplateColumns).toBe('49% 5px minmax(0, 1fr)');
    unmount();
    render(<App state={panelState()} />);
    expect(screen.getByRole('separator', { name: 'Resize the request list' }).getAttribute('aria-valuenow')).toBe('49');
  });

  it('follows a pointer drag across the panel', () => {
    render(<App state={panelState()} />);
    const splitter = screen.getByRole('separator', { name: 'Resize the request list' });
    const split = splitter.parentElement as HTMLElement;
    split.getBoundingClientRect = () => ({ left: 0, top: 0, width: 1000, height: 600, right: 1000, bottom: 600, x: 0, y: 0, toJSON: () => ({}) });
    fireEvent.pointerDown(splitter, { clientX: 450, pointerId: 1 });
    fireEvent.pointerMove(splitter, { clientX: 300, pointerId: 1 });
    fireEvent.pointerUp(splitter, { clientX: 300, pointerId: 1 });
    expect(splitter.getAttribute('aria-valuenow')).toBe('30');
    expect(localStorage.getItem('s3cd.split')).toBe('30');
  });
});

describe('the list columns', () => {
  it('lead with the file name and resize from their header, remembered', () => {
    const { unmount } = render(<App state={panelState()} />);
    const headers = screen.getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['Name', 'Method', 'Status', 'Bucket', 'Verdict']);
    const handle = screen.getByRole('separator', { name: 'Resize the Name column' });
    expect(handle.getAttribute('aria-valuenow')).toBe('170');
    fireEvent.keyDown(handle, { key: 'ArrowRight' });
    expect(handle.getAttribute('aria-valuenow')).toBe('186');
    const list = screen.getByRole('listbox').parentElement as HTMLElement;
    expect(list.style.getPropertyValue('--list-columns')).toBe('186px 56px 60px 92px minmax(120px, 1fr)');
    unmount();
    render(<App state={panelState()} />);
    expect(screen.getByRole('separator', { name: 'Resize the Name column' }).getAttribute('aria-valuenow')).toBe('186');
  });
});

describe('auto-scroll', () => {
  function withLayout(list: HTMLElement, viewport: number) {
    Object.defineProperty(list, 'clientHeight', { configurable: true, get: () => viewport });
    Object.defineProperty(list, 'scrollHeight', {
      configurable: true,
      get: () =>
        list.querySelector<HTMLElement>('.list-spacer')!.offsetHeight || Number.parseInt(list.querySelector<HTMLElement>('.list-spacer')!.style.height, 10),
    });
  }

  it('follows new rows while the user is at the bottom, and leaves the list alone otherwise', () => {
    const rows = manyRows(100);
    const { rerender } = render(<App state={panelState({ rows: rows.slice(0, 60) })} />);
    const list = screen.getByRole('listbox');
    withLayout(list, 200);
    // At the bottom: new rows scroll into view.
    list.scrollTop = 60 * ROW_HEIGHT - 200;
    fireEvent.scroll(list);
    rerender(<App state={panelState({ rows: rows.slice(0, 70) })} />);
    expect(list.scrollTop).toBe(70 * ROW_HEIGHT - 200);
    // Scrolled up: new rows do not move what the user is looking at.
    list.scrollTop = 100;
    fireEvent.scroll(list);
    rerender(<App state={panelState({ rows: rows.slice(0, 80) })} />);
    expect(list.scrollTop).toBe(100);
  });

  it('appends new rows at the bottom, so the row under the pointer stays', () => {
    const { rerender } = render(<App state={panelState({ rows: RECORDED_ROWS.slice(0, 2) })} />);
    const first = screen.getAllByRole('option')[0]!.textContent;
    rerender(<App state={panelState({ rows: RECORDED_ROWS })} />);
    expect(screen.getAllByRole('option')[0]!.textContent).toBe(first);
  });
});
