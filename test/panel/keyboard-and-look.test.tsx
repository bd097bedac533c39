// @vitest-environment happy-dom
/**
 * Keyboard navigation across list → detail actions → tabs → tab panel (WAI-ARIA listbox and tabs patterns), the
 * row layout that keeps the key information readable in a narrow column, and the themes' contrast.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { App } from '../../src/panel/App.js';
import { displayName, splitKey } from '../../src/panel/view/rows.js';
import { blockedPut, panelState } from './fixtures.js';

afterEach(cleanup);

/** What Tab visits, in order: enabled controls and tabIndex ≥ 0 elements (roving tabIndex -1 ones are skipped). */
function tabSequence(root: Element): HTMLElement[] {
  const candidates = root.querySelectorAll<HTMLElement>('button, input, textarea, select, a[href], [tabindex]');
  return [...candidates].filter((element) => !(element as HTMLButtonElement).disabled && element.tabIndex >= 0 && element.getAttribute('tabindex') !== '-1');
}

describe('keyboard navigation', () => {
  it('tabs from the list to the detail actions, then into the tablist once, then into the tab panel', () => {
    const { container } = render(
      <App state={panelState({ rows: [blockedPut] })} actions={{ probe: vi.fn(), retest: vi.fn(), copyText: vi.fn(), download: vi.fn() }} />,
    );
    const sequence = tabSequence(container);
    const list = screen.getByRole('listbox');
    const probe = screen.getByRole('button', { name: 'Probe this bucket' });
    const tabs = screen.getAllByRole('tab');
    const tabpanel = screen.getByRole('tabpanel');
    const position = (element: HTMLElement) => sequence.indexOf(element);
    expect(position(list)).toBeGreaterThanOrEqual(0);
    expect(position(list)).toBeLessThan(position(probe));
    // Roving tabIndex: exactly one tab (the selected one) is in the Tab order.
    expect(tabs.filter((tab) => sequence.includes(tab))).toEqual([screen.getByRole('tab', { selected: true })]);
    expect(position(probe)).toBeLessThan(position(screen.getByRole('tab', { selected: true })));
    expect(position(screen.getByRole('tab', { selected: true }))).toBeLessThan(position(tabpanel));
  });

  it('moves between tabs with ArrowLeft/ArrowRight (wrapping) and Home/End, focusing the new tab', () => {
    render(<App state={panelState({ rows: [blockedPut] })} />);
    const tablist = screen.getByRole('tablist');
    fireEvent.keyDown(tablist, { key: 'End' });
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Policy' }));
    expect(screen.getByRole('tab', { name: 'Policy' }).getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(tablist, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: /^Diagnosis/ }));
    fireEvent.keyDown(tablist, { key: 'Home' });
    expect(screen.getByRole('tab', { name: /^Diagnosis/ }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tab', { name: 'Policy' }).tabIndex).toBe(-1);
  });

  it('links the selected tab and its panel both ways, and points no tab at a panel that is not there', () => {
    render(<App state={panelState({ rows: [blockedPut] })} />);
    fireEvent.click(screen.getByRole('tab', { name: 'Headers' }));
    const tabpanel = screen.getByRole('tabpanel');
    const selected = screen.getByRole('tab', { selected: true });
    expect(selected.getAttribute('aria-controls')).toBe(tabpanel.id);
    expect(tabpanel.getAttribute('aria-labelledby')).toBe(selected.id);
    for (const tab of screen.getAllByRole('tab')) {
      const controls = tab.getAttribute('aria-controls');
      if (controls !== null) expect(document.getElementById(controls)).not.toBeNull();
    }
  });
});

describe('messages', () => {
  it('can be dismissed, and a new message from the adapter shows again', () => {
    const first = { kind: 'error' as const, text: 'AccessDenied: this key lacks s3:GetBucketCORS' };
    const { rerender } = render(<App state={panelState({ notice: first })} />);
    fireEvent.click(within(screen.getByRole('alert')).getByRole('button', { name: 'Dismiss message' }));
    expect(screen.queryByRole('alert')).toBeNull();
    rerender(<App state={panelState({ notice: first })} />);
    expect(screen.queryByRole('alert')).toBeNull();
    rerender(<App state={panelState({ notice: { kind: 'error', text: 'AccessDenied again' } })} />);
    expect(screen.getByRole('alert').textContent).toContain('AccessDenied again');
  });
});

describe('rows in a narrow list column', () => {
  it('splits a key before its last "/" so the folder can be elided and the object name stays', () => {
    expect(splitKey('photos/2026/cat pic.jpg')).toEqual({ folder: 'photos/2026/', name: 'cat pic.jpg' });
    expect(splitKey('q3.pdf')).toEqual({ folder: '', name: 'q3.pdf' });
    expect(splitKey('exports/')).toEqual({ folder: '', name: 'exports/' });
    expect(splitKey('/')).toEqual({ folder: '', name: '/' });
  });

  it('renders the object name first in its own element and gives the URL and verdict in the row tooltip', () => {
    render(<App state={panelState({ rows: [blockedPut] })} />);
    const row = screen.getByRole('option');
    expect(within(row).getByText('cat pic.jpg').className).toBe('key-name');
    expect(row.firstElementChild!.textContent).toBe('cat pic.jpg');
    expect(row.title.split('\n')).toEqual([expect.stringContaining('photos/cat%20pic.jpg'), 'Blocked: a request header is not allowed']);
  });

  it('leads with the readable file name, not a timestamp prefix', () => {
    expect(displayName('uploads/1796311525807-photo.json')).toEqual({ name: 'photo.json', prefix: '1796311525807-' });
    expect(displayName('a/3f2b8c1e-9d4a-4b7e-8f00-1234567890ab_report.pdf')).toEqual({ name: 'report.pdf', prefix: '3f2b8c1e-9d4a-4b7e-8f00-1234567890ab_' });
    expect(displayName('2026-report.pdf')).toEqual({ name: '2026-report.pdf', prefix: '' });
    const stamped = {
      ...blockedPut,
      exchange: {
        ...blockedPut.exchange,
        request: { ...blockedPut.exchange.request, url: 'https://uploads.s3.eu-west-1.amazonaws.com/uploads/1796311525807-photo.json' },
      },
    };
    render(<App state={panelState({ rows: [stamped] })} />);
    const name = screen.getByRole('option').firstElementChild!;
    expect(name.firstElementChild!.textContent).toBe('photo.json');
    expect(name.textContent).toBe('photo.json1796311525807-');
  });
});

describe('theme contrast (WCAG AA 4.5:1 for text)', () => {
  const css = readFileSync(resolve(import.meta.dirname, '../../src/panel/styles.css'), 'utf8');
  function variables(selector: string): Record<string, string> {
    const start = css.indexOf(`${selector} {`);
    const block = css.slice(start, css.indexOf('}', start));
    return Object.fromEntries([...block.matchAll(/--([a-z-]+):\s*(#[0-9a-f]{6})/g)].map((match) => [match[1]!, match[2]!]));
  }
  function luminance(hex: string): number {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  }
  function contrast(a: string, b: string): number {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light! + 0.05) / (dark! + 0.05);
  }
  const light = variables('.app');
  const themes = { light, dark: { ...light, ...variables('.app.theme-dark') } };
  // Text colour on the backgrounds it is drawn on: rows (plain, striped, selected), notices, badges, buttons.
  const PAIRS: Array<[string, string]> = [
    ['text', 'bg'],
    ['text', 'selection'],
    ['muted', 'bg'],
    ['muted', 'bg-alt'],
    ['muted', 'toolbar'],
    ['muted', 'code-bg'],
    ['error', 'bg'],
    ['error', 'bg-alt'],
    ['error', 'selection'],
    ['error', 'selection-inactive'],
    ['error', 'error-bg'],
    ['warning', 'bg'],
    ['warning', 'warning-bg'],
    ['info', 'info-bg'],
    ['ok', 'bg'],
    ['ok', 'ok-bg'],
    ['accent-text', 'accent'],
  ];

  for (const [theme, colours] of Object.entries(themes)) {
    it(`keeps every text colour readable in the ${theme} theme`, () => {
      const tooFaint = PAIRS.filter(([text, background]) => contrast(colours[text]!, colours[background]!) < 4.5).map(
        ([text, background]) => `${text} on ${background}`,
      );
      expect(tooFaint).toEqual([]);
    });
  }
});
