// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { App } from '../../src/panel/App.js';
import { lintPolicy, parsePolicy } from '../../src/core/policy/index.js';
import type { PanelActions, PanelState } from '../../src/panel/model.js';
import { bucketOf } from '../../src/panel/view/rows.js';
import { blockedPut, panelState, uploadsPolicy } from './fixtures.js';

afterEach(cleanup);

const BUCKET = bucketOf(blockedPut.exchange);

function mountPolicyTab(overrides: Partial<PanelState> = {}, actions: PanelActions = {}) {
  const result = render(<App state={panelState({ rows: [blockedPut], ...overrides })} actions={actions} />);
  fireEvent.click(screen.getByRole('tab', { name: 'Policy' }));
  return { ...result, panel: screen.getByRole('tabpanel') };
}

/** Everything the panel shows: its text and the values of its fields. */
function shownText(root: HTMLElement): string {
  const values = [...root.querySelectorAll('input, textarea')].map((field) => (field as HTMLInputElement).value);
  return [root.textContent ?? '', ...values].join('\n');
}

function type(label: string | RegExp, value: string, root: HTMLElement) {
  fireEvent.input(within(root).getByLabelText(label), { target: { value } });
}

describe('fetching the bucket CORS with credentials', () => {
  it('hands typed credentials to the adapter, fetches, and clears the form', () => {
    const actions = { setCredentials: vi.fn(), fetchPolicy: vi.fn() };
    const { panel } = mountPolicyTab({}, actions);
    const form = within(panel).getByRole('form', { name: 'Credentials for GetBucketCors' });
    type('Access key ID', 'AKIATYPED', form);
    type('Secret access key', 'typed-secret', form);
    type(/Session token/, 'typed-token', form);
    type(/Region/, 'eu-west-1', form);
    fireEvent.click(within(form).getByRole('button', { name: 'Fetch bucket CORS' }));
    const credentials = { accessKeyId: 'AKIATYPED', secretAccessKey: 'typed-secret', sessionToken: 'typed-token', region: 'eu-west-1' };
    expect(actions.setCredentials).toHaveBeenCalledWith(credentials);
    expect(actions.fetchPolicy).toHaveBeenCalledWith(BUCKET, credentials);
    expect((within(form).getByLabelText('Secret access key') as HTMLInputElement).value).toBe('');
    expect(shownText(panel)).not.toContain('typed-secret');
  });

  it('accepts pasted export-credentials output instead of the fields', () => {
    const actions = { setCredentials: vi.fn(), fetchPolicy: vi.fn() };
    const { panel } = mountPolicyTab({}, actions);
    type(/export-credentials/, 'export AWS_ACCESS_KEY_ID=ASIAPASTED\nexport AWS_SECRET_ACCESS_KEY=pasted-secret\nexport AWS_SESSION_TOKEN=tok', panel);
    fireEvent.click(within(panel).getByRole('button', { name: 'Fetch bucket CORS' }));
    expect(actions.setCredentials).toHaveBeenCalledWith({ accessKeyId: 'ASIAPASTED', secretAccessKey: 'pasted-secret', sessionToken: 'tok' });
    expect(shownText(panel)).not.toContain('pasted-secret');
  });

  it('explains what is missing instead of fetching', () => {
    const actions = { setCredentials: vi.fn(), fetchPolicy: vi.fn() };
    const { panel } = mountPolicyTab({}, actions);
    type('Access key ID', 'AKIAONLY', panel);
    fireEvent.click(within(panel).getByRole('button', { name: 'Fetch bucket CORS' }));
    expect(within(panel).getByRole('alert').textContent).toContain('Enter an access key ID and secret access key');
    expect(actions.fetchPolicy).not.toHaveBeenCalled();
    type(/export-credentials/, 'export AWS_ACCESS_KEY_ID=A', panel);
    fireEvent.click(within(panel).getByRole('button', { name: 'Fetch bucket CORS' }));
    expect(within(panel).getByRole('alert').textContent).toBe('Pasted credentials: AWS_SECRET_ACCESS_KEY is missing');
  });

  it('with stored credentials, fetches without asking again and forgets them on request', () => {
    const actions = { fetchPolicy: vi.fn(), forgetCredentials: vi.fn() };
    const { panel } = mountPolicyTab({ hasCredentials: true }, actions);
    expect(within(panel).queryByLabelText('Secret access key')).toBeNull();
    fireEvent.click(within(panel).getByRole('button', { name: 'Fetch bucket CORS' }));
    expect(actions.fetchPolicy).toHaveBeenCalledWith(BUCKET, null);
    fireEvent.click(within(panel).getByRole('button', { name: 'Forget credentials' }));
    expect(actions.forgetCredentials).toHaveBeenCalledOnce();
  });
});

describe('signing for another endpoint', () => {
  const signingConfirm = { bucket: BUCKET, endpoint: 'https://evil.example', endpointLabel: 'https://evil.example', boundTo: 'AWS S3' };

  it('asks before signing with credentials entered for another endpoint, and passes the answer on', () => {
    const actions = { fetchPolicy: vi.fn(), confirmSigning: vi.fn() };
    const { panel } = mountPolicyTab({ hasCredentials: true, signingConfirm }, actions);
    const dialog = within(panel).getByRole('alertdialog', { name: 'Sign for another endpoint?' });
    expect(dialog.textContent).toContain('entered for AWS S3');
    expect(dialog.textContent).toContain('https://evil.example');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(actions.confirmSigning).toHaveBeenLastCalledWith(BUCKET, false);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Sign for https://evil.example' }));
    expect(actions.confirmSigning).toHaveBeenLastCalledWith(BUCKET, true);
    expect(actions.fetchPolicy).not.toHaveBeenCalled();
  });

  it('does not ask about another bucket', () => {
    const { panel } = mountPolicyTab({ hasCredentials: true, signingConfirm: { ...signingConfirm, bucket: 'other-bucket' } }, {});
    expect(within(panel).queryByRole('alertdialog')).toBeNull();
  });
});

describe('providing the policy by hand', () => {
  it('passes pasted text to the adapter for this bucket', () => {
    const pastePolicy = vi.fn();
    const { panel } = mountPolicyTab({}, { pastePolicy });
    const button = within(panel).getByRole('button', { name: 'Use pasted policy' });
    expect(button).toHaveProperty('disabled', true);
    type(/S3 console JSON/, '[{"AllowedOrigins":["*"],"AllowedMethods":["GET"]}]', panel);
    fireEvent.click(button);
    expect(pastePolicy).toHaveBeenCalledWith(BUCKET, '[{"AllowedOrigins":["*"],"AllowedMethods":["GET"]}]');
  });

  it('reads a picked file and passes its name along', async () => {
    const pastePolicy = vi.fn();
    const { panel } = mountPolicyTab({}, { pastePolicy });
    const input = within(panel).getByLabelText('Choose policy file…', { selector: 'input' }) as HTMLInputElement;
    const xml = '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>';
    Object.defineProperty(input, 'files', { value: [new File([xml], 'cors.xml')], configurable: true });
    fireEvent.change(input);
    await vi.waitFor(() => expect(pastePolicy).toHaveBeenCalledWith(BUCKET, xml, 'cors.xml'));
  });

  it('says in one line when a picked policy file cannot be read', async () => {
    const pastePolicy = vi.fn();
    const { panel } = mountPolicyTab({}, { pastePolicy });
    const input = within(panel).getByLabelText('Choose policy file…', { selector: 'input' }) as HTMLInputElement;
    const gone = new File(['<CORSConfiguration/>'], 'cors.xml');
    gone.text = () => Promise.reject(new Error('the file was changed or removed'));
    Object.defineProperty(input, 'files', { value: [gone], configurable: true });
    fireEvent.change(input);
    await vi.waitFor(() => expect(within(panel).getByRole('alert').textContent).toBe('Could not read cors.xml: the file was changed or removed'));
    expect(pastePolicy).not.toHaveBeenCalled();
  });

  it('shows where the configuration came from and its lint warnings with their position', () => {
    const { panel } = mountPolicyTab({ policies: { [BUCKET]: { ...uploadsPolicy, bucket: BUCKET } } });
    const lint = within(panel).getByRole('list', { name: 'Lint' });
    expect(lint.textContent).toContain('WILDCARD_ORIGIN');
    expect(lint.textContent).toContain('(line 9, column 25 of your text, rule 2, AllowedOrigin)');
    expect(panel.textContent).toContain('(pasted)');
  });

  it('gives no line and column for a fetched configuration: the XML S3 returned is not what the panel shows', () => {
    const { panel } = mountPolicyTab({ policies: { [BUCKET]: { ...uploadsPolicy, bucket: BUCKET, source: 'fetched' } } });
    const lint = within(panel).getByRole('list', { name: 'Lint' });
    expect(lint.textContent).toContain('(rule 2, AllowedOrigin)');
    expect(lint.textContent).not.toContain('line 9');
  });

  it('says plainly when GetBucketCors found no configuration', () => {
    const { panel } = mountPolicyTab({ policies: { [BUCKET]: { bucket: BUCKET, source: 'none-configured', policy: null, lint: null } } });
    expect(panel.textContent).toContain('The bucket has no CORS configuration, so S3 answers every preflight with 403.');
  });
});

describe("a configuration given in a provider's own form (GCS JSON, Backblaze B2 corsRules)", () => {
  const B2 =
    '{"corsRules": [{"corsRuleName": "downloadFromAnyOriginWithUpload", "allowedOrigins": ["*"], "allowedOperations": ["b2_download_file_by_name", "b2_upload_file"], "maxAgeSeconds": 3600}]}';
  const pasted = (text: string) => {
    const policy = parsePolicy(text);
    return { [BUCKET]: { bucket: BUCKET, source: 'pasted' as const, policy, lint: lintPolicy(policy) } };
  };

  it('offers the forms in the paste box', () => {
    const { panel } = mountPolicyTab();
    expect(within(panel).getByLabelText(/GCS CORS JSON or Backblaze B2 corsRules/).tagName).toBe('TEXTAREA');
  });

  it('names the form it was read as, shows it in that form and lints it in its own words', () => {
    const { panel } = mountPolicyTab({ policies: pasted(B2) });
    expect(panel.textContent).toContain('Read as Backblaze B2 corsRules. Each rule is judged as an S3 rule: only its s3_* operations');
    const preview = within(panel).getByLabelText('Current configuration (Backblaze B2 corsRules)');
    expect(preview.textContent).toContain('"allowedOperations": [\n        "b2_download_file_by_name",\n        "b2_upload_file"\n      ]');
    const lint = within(panel).getByRole('list', { name: 'Lint' });
    expect(lint.textContent).toContain('B2_NATIVE_ONLY');
    expect(lint.textContent).toContain('(line 1, column 87 of your text, rule 1, allowedOrigins)');
  });

  it('names GCS JSON and keeps its keys in the preview', () => {
    const { panel } = mountPolicyTab({ policies: pasted('[{"origin": ["http://localhost:8080"], "method": ["GET"], "responseHeader": ["Content-Type"]}]') });
    expect(panel.textContent).toContain('Read as Google Cloud Storage CORS JSON. Each entry is judged as an S3 rule: responseHeader both allows');
    expect(within(panel).getByLabelText('Current configuration (Google Cloud Storage CORS JSON)').textContent).toContain('"responseHeader": [');
  });

  it('gives the fix in the B2 form until another is picked, and says what an S3 form leaves out', () => {
    const policies = pasted(B2);
    const [nativeRule] = policies[BUCKET]!.policy.config.rules;
    const added = { allowedOrigins: ['https://app.example.com'], allowedMethods: ['PUT'], allowedHeaders: ['content-type'], exposeHeaders: [] };
    const row = {
      ...blockedPut,
      diagnosis: {
        ...blockedPut.diagnosis,
        fix: {
          config: [nativeRule!, added],
          changes: [{ kind: 'add-rule' as const, rule: 1, description: 'add a rule for origin `https://app.example.com`; methods PUT' }],
          verified: true,
          advice: [],
        },
      },
    };
    render(<App state={panelState({ rows: [row], policies })} actions={{}} />);
    fireEvent.click(screen.getByRole('tab', { name: 'Fix' }));
    const panel = screen.getByRole('tabpanel');
    const b2 = within(panel).getByLabelText('Fixed configuration (b2)');
    expect(b2.textContent).toContain('"b2_upload_file"');
    expect(b2.textContent).toContain('"s3_put"');
    expect((within(panel).getByRole('radio', { name: 'Backblaze B2' }) as HTMLInputElement).checked).toBe(true);
    // `aws s3api put-bucket-cors` would replace B2's native rules: not offered.
    expect(within(panel).queryByText('aws s3api put-bucket-cors', { exact: false })).toBeNull();
    fireEvent.click(within(panel).getByRole('radio', { name: 'S3 console' }));
    expect(within(panel).getByLabelText('Fixed configuration (console)').textContent).not.toContain('downloadFromAnyOriginWithUpload');
    expect(within(panel).getByRole('list', { name: 'Notes on this form' }).textContent).toContain(
      'allows only B2 native API operations (b2_download_file_by_name, b2_upload_file), which this form cannot express: it is left out.',
    );
  });
});
