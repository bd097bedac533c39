// @vitest-environment happy-dom
/**
 * Plain words on screen (issue 14 item 3) and a fix that cannot hurt (item 2): every evidence fixture diagnosed by the
 * real core and rendered, every tab opened, and the visible text scanned for internal references and raw Markdown.
 */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { App } from '../../src/panel/App.js';
import { diagnose } from '../../src/core/diagnose/index.js';
import type { CapturedRow, PanelState, PolicyState } from '../../src/panel/model.js';
import { INTERNAL_REFERENCE, plainText } from '../../src/panel/view/plain.js';
import { lintPolicy } from '../../src/core/policy/index.js';
import { policyKeyOf } from '../../src/panel/view/rows.js';
import { loadEvidenceFixtures } from '../core/diagnose/evidence-fixtures.js';
import { blockedPut, panelState, uploadsPolicy, wrongOriginGet } from './fixtures.js';

afterEach(cleanup);

const TABS = ['Diagnosis', 'Rule trace', 'Headers', 'Fix', 'Probe', 'Policy'];

function visibleText(): string {
  return document.body.textContent ?? '';
}

describe('no internal identifiers and no raw Markdown on screen', () => {
  it('removes spec citations from text, keeping the explanation', () => {
    expect(plainText('one unmatched name fails the rule (S12, S16).')).toBe('one unmatched name fails the rule.');
    expect(plainText('rule 2 is never used (S8: the first match wins)')).toBe('rule 2 is never used (the first match wins)');
    expect(plainText('its CORS may differ from AWS (spec §7).')).toBe('its CORS may differ from AWS.');
    expect(plainText('looks like a CORS failure (failure mode 30).')).toBe('looks like a CORS failure.');
    expect(plainText('`<input>:6:3`: unexpected token')).toBe('line 6, column 3: unexpected token');
    expect(plainText('no AllowedHeaders, S13)')).toBe('no AllowedHeaders)');
    expect(plainText('S3 answered 403')).toBe('S3 answered 403');
    expect(plainText('the preflight is cached (C5/F3) per origin')).toBe('the preflight is cached per origin');
    expect(plainText('S3 answers 403 (S27, failure mode 30). The preflight fails')).toBe('S3 answers 403. The preflight fails');
    expect(plainText('(S3 then echoes it)')).toBe('(S3 then echoes it)');
    expect(plainText('they fail at CompleteMultipartUpload (failure-modes 11) (line 1)')).toBe('they fail at CompleteMultipartUpload (line 1)');
    expect(plainText('S3 never exposes it by default (S18), so')).toBe('S3 never exposes it by default, so');
  });

  const fixtures = loadEvidenceFixtures();
  it.each(fixtures.map((fixture) => [fixture.file, fixture] as const))('%s', (_file, fixture) => {
    const row: CapturedRow = { exchange: fixture.exchange, diagnosis: diagnose(fixture.exchange, fixture.context) };
    const policies: PanelState['policies'] = {};
    const bucket = fixture.context.bucket;
    if (bucket?.kind === 'cors') {
      const parsed = { format: 'console-json' as const, config: bucket.config, sources: [] };
      const state: PolicyState = { bucket: policyKeyOf(fixture.exchange), source: 'pasted', policy: parsed, lint: lintPolicy(parsed) };
      policies[policyKeyOf(fixture.exchange)] = state;
    }
    render(<App state={panelState({ rows: [row], policies, browser: fixture.exchange.browser === 'firefox' ? 'firefox' : 'chromium' })} />);
    // A row that is not a failure is not selected by itself: select it as a user would.
    fireEvent.click(screen.getByRole('option'));
    const seen: string[] = [];
    for (const name of TABS) {
      fireEvent.click(screen.getByRole('tab', { name: new RegExp(`^${name}`) }));
      for (const button of screen.queryAllByRole('button', { name: /^(Learn more|Show (Chrome|Firefox)'s message)$/ })) fireEvent.click(button);
      for (const format of screen.queryAllByRole('radio', { name: /^(AWS CLI|Diff)$/ })) fireEvent.click(format);
      seen.push(visibleText());
    }
    fireEvent.click(screen.getByRole('button', { name: 'Generate policy' }));
    seen.push(visibleText());
    const text = seen.join('\n');
    expect(text.match(INTERNAL_REFERENCE)?.[0] ?? null).toBeNull();
    // Code spans are rendered, not shown with their backticks (shell commands and JSON have none).
    expect(text.match(/`[^`\n]{1,80}`/)?.[0] ?? null).toBeNull();
  });
});

describe('finding headlines and Learn more', () => {
  it('leads each finding with a plain headline, the code as a small tag', () => {
    render(<App state={panelState({ rows: [blockedPut] })} />);
    const finding = screen.getAllByRole('listitem').find((item) => item.classList.contains('finding'))!;
    expect(finding.querySelector('.finding-title')!.textContent).toBe('A request header is not allowed');
    expect(finding.querySelector('.finding-code')!.textContent).toBe('HEADERS_NOT_ALLOWED');
    // The verdict is said once, in the header, without the code in the sentence.
    expect(screen.getByText('Blocked: a request header is not allowed', { selector: '.verdict' })).toBeTruthy();
  });

  it('opens the bundled finding page in the panel, safely, and has no link for a code without a page', () => {
    render(<App state={panelState({ rows: [blockedPut] })} />);
    const [headers, sdk] = screen.getAllByRole('listitem').filter((item) => item.classList.contains('finding'));
    // Every finding code has its page (test/meta/finding-docs.test.ts), so both findings link to one.
    expect(within(sdk!).getByRole('button', { name: 'Learn more' })).toBeTruthy();
    fireEvent.click(within(headers!).getByRole('button', { name: 'Learn more' }));
    const page = within(headers!).getByRole('article', { name: 'About: A request header is not allowed' });
    expect(within(page).getByRole('heading', { name: 'Cause' })).toBeTruthy();
    expect(within(page).getAllByText('Access-Control-Request-Headers', { selector: 'code' }).length).toBeGreaterThan(0);
    const link = within(page).getByRole('link', { name: 'CORS configuration elements — Amazon S3 User Guide' });
    expect(link.getAttribute('href')).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(link.getAttribute('rel')).toContain('noopener');
    expect(page.textContent).not.toContain('`');
    fireEvent.click(within(headers!).getByRole('button', { name: 'Hide the explanation' }));
    expect(within(headers!).queryByRole('article')).toBeNull();
  });

  it('has no Learn more link for a code without a page', () => {
    const finding = { ...blockedPut.diagnosis.findings[0]!, code: 'NO_SUCH_FINDING_CODE' };
    const row = { ...blockedPut, diagnosis: { ...blockedPut.diagnosis, findings: [finding] } } as typeof blockedPut;
    render(<App state={panelState({ rows: [row] })} />);
    const item = screen.getAllByRole('listitem').find((li) => li.classList.contains('finding'))!;
    expect(within(item).queryByRole('button', { name: 'Learn more' })).toBeNull();
  });
});

describe('a fix that cannot hurt', () => {
  it('says "Verified" only with the configuration known', () => {
    render(<App state={panelState({ rows: [blockedPut], policies: { uploads: uploadsPolicy } })} />);
    fireEvent.click(screen.getByRole('tab', { name: 'Fix' }));
    expect(screen.getByRole('tabpanel').textContent).toContain('✓ Verified');
  });

  it('with the configuration unknown: the rule to add, the replace warning, fetch first, and no command to copy', () => {
    const unknown: CapturedRow = {
      ...wrongOriginGet,
      diagnosis: { ...wrongOriginGet.diagnosis, fix: { ...wrongOriginGet.diagnosis.fix!, verified: true, partial: true } },
    };
    const copyText = vi.fn();
    render(<App state={panelState({ rows: [unknown] })} actions={{ copyText }} />);
    let panel = screen.getByRole('tabpanel');
    fireEvent.click(screen.getByRole('tab', { name: 'Fix' }));
    panel = screen.getByRole('tabpanel');
    expect(panel.textContent).not.toContain('Verified:');
    expect(panel.textContent).toContain('Not verified: the bucket’s configuration is not known');
    const section = within(panel).getByRole('region', { name: 'Rule to add' });
    expect(section.textContent).toContain('replaces the whole configuration');
    fireEvent.click(within(panel).getByRole('radio', { name: 'AWS CLI' }));
    expect(within(screen.getByRole('tabpanel')).queryByRole('button', { name: 'Copy command' })).toBeNull();
    expect(screen.getByRole('tabpanel').textContent).not.toContain('aws s3api put-bucket-cors --bucket');
    fireEvent.click(within(screen.getByRole('tabpanel')).getByRole('button', { name: 'Fetch the current configuration first' }));
    expect(screen.getByRole('tab', { name: 'Policy' }).getAttribute('aria-selected')).toBe('true');
  });

  it('shows what each fix newly allows, in words and as JSON, when the core gives it', () => {
    const delta = {
      allows: [{ origin: 'https://staging.example.com', method: 'GET', header: null }],
      exposes: [],
      withinRequest: true,
      text: 'Lets `https://staging.example.com` GET objects of assets.',
    };
    const withDelta: CapturedRow = {
      ...wrongOriginGet,
      diagnosis: { ...wrongOriginGet.diagnosis, fix: { ...wrongOriginGet.diagnosis.fix!, accessDelta: delta } },
    };
    render(<App state={panelState({ rows: [withDelta] })} />);
    fireEvent.click(screen.getByRole('tab', { name: 'Fix' }));
    const group = within(screen.getByRole('tabpanel')).getByRole('group', { name: 'What this fix newly allows' });
    expect(group.textContent).toContain('Lets https://staging.example.com GET objects of assets.');
    expect(within(group).getByLabelText('Access delta (JSON)').textContent).toContain('"allows"');
  });

  it('shows the put-bucket-cors command once when the CLI form is picked', () => {
    render(<App state={panelState({ rows: [blockedPut], policies: { uploads: uploadsPolicy } })} actions={{ copyText: vi.fn() }} />);
    fireEvent.click(screen.getByRole('tab', { name: 'Fix' }));
    fireEvent.click(within(screen.getByRole('tabpanel')).getByRole('radio', { name: 'AWS CLI' }));
    const panel = screen.getByRole('tabpanel');
    expect(panel.textContent!.split('put-bucket-cors --bucket').length - 1).toBe(1);
    expect(within(panel).getAllByRole('button', { name: 'Copy command' })).toHaveLength(1);
  });
});
