/**
 * The bucket's CORS configuration as known this session — fetched with GetBucketCors, pasted, or read from a
 * file — with its lint warnings, and the ways to provide it.
 */
import { useState } from 'preact/hooks';
import { POLICY_FORMAT_NAMES, elementName, fixFormatFor, type PolicyFormat } from '../../core/policy/index.js';
import type { Credentials, PanelState, PolicyState } from '../model.js';
import { renderFix } from '../view/fix.js';
import { checkPolicyText, type PolicyCheck } from '../view/policy-check.js';
import { CodeBlock, Section } from './common.js';
import { Prose } from './Markdown.js';
import { CredentialsForm } from './CredentialsForm.js';
import { droppedFile, FilePicker, readFailure, type PickedFile } from './FilePicker.js';

const SOURCE_LABEL: Record<PolicyState['source'], string> = {
  fetched: 'fetched with GetBucketCors',
  pasted: 'pasted',
  file: 'read from a file',
  'none-configured': 'GetBucketCors: no CORS configuration',
};

interface PolicyViewProps {
  bucket: string;
  /** Where the policy is kept: the bucket, or the HAR file and bucket for an imported row (see policyKeyOf). */
  policyKey?: string;
  /** The HAR file an imported row came from; its policy is the one given with the HAR. */
  harFile?: string | null;
  policy: PolicyState | undefined;
  hasCredentials: boolean;
  onPastePolicy?: (bucket: string, text: string, fileName?: string) => void;
  onSetCredentials?: (credentials: Credentials) => void;
  onFetchPolicy?: (bucket: string, credentials: Credentials | null) => void;
  onForgetCredentials?: () => void;
  signingConfirm?: PanelState['signingConfirm'];
  onConfirmSigning?: (bucket: string, confirmed: boolean) => void;
  /** GetBucketCors for this bucket is in flight. */
  fetching?: boolean;
}

/**
 * Where a lint item points. Line and column only for text the user gave (pasted or a file): a fetched configuration
 * is XML the user never saw, and the panel shows it re-rendered, so a position in it would point nowhere.
 */
function sourcePosition(
  item: { line?: number; column?: number; rule: number | null; element?: Parameters<typeof elementName>[1] },
  typed: boolean,
  format: PolicyFormat,
): string {
  const parts: string[] = [];
  if (typed && item.line !== undefined) parts.push(`line ${item.line}${item.column !== undefined ? `, column ${item.column}` : ''} of your text`);
  if (item.rule !== null) parts.push(`rule ${item.rule + 1}`);
  // The element as the user's own form names it (responseHeader, allowedOperations, …).
  if (item.element) parts.push(elementName(format, item.element));
  return parts.join(', ');
}

/** How a provider's own form was read into S3's rules, in a sentence (see the readers in core/policy/formats). */
const FORM_READING: Partial<Record<PolicyFormat, string>> = {
  'gcs-json': 'Each entry is judged as an S3 rule: responseHeader both allows request headers and exposes response headers; only "*" alone is a wildcard.',
  'b2-json':
    'Each rule is judged as an S3 rule: only its s3_* operations allow requests through the S3-compatible API; b2_* operations are B2’s native API and are shown, not judged.',
};

function PolicyProblems({ check }: { check: Extract<PolicyCheck, { ok: false }> }) {
  return (
    <div class="policy-problems" role="alert">
      <p>
        {check.kind === 'syntax'
          ? 'This is not a configuration the panel can read:'
          : 'S3 would refuse this configuration (PutBucketCors fails), so the bucket cannot have it:'}
      </p>
      <ul>
        {check.problems.map((problem, i) => (
          <li key={i}>
            {problem.line !== undefined && (
              <strong>
                Line {problem.line}
                {problem.column !== undefined ? `, column ${problem.column}` : ''}:{' '}
              </strong>
            )}
            {problem.message}
            {problem.excerpt && (
              <pre class="policy-excerpt">
                <code>{`${problem.excerpt.text}\n${problem.excerpt.caret}`}</code>
              </pre>
            )}
          </li>
        ))}
      </ul>
      <p class="muted">The active configuration has not changed.</p>
    </div>
  );
}

function CurrentPolicy({ bucket, policy }: { bucket: string; policy: PolicyState }) {
  const lint = policy.lint;
  const typed = policy.source === 'pasted' || policy.source === 'file';
  const format = policy.policy?.format ?? 'xml';
  // Shown in the form it was given in: a provider's own form keeps what S3's cannot hold (B2's native operations).
  const view = fixFormatFor(format);
  const rendered = policy.policy ? renderFix({ rules: policy.policy.config.rules, view, bucket, current: null }) : null;
  return (
    <Section title={`Configuration of ${bucket} (${SOURCE_LABEL[policy.source]}${policy.policy?.file ? `: ${policy.policy.file}` : ''})`}>
      {policy.source === 'none-configured' && <p>The bucket has no CORS configuration, so S3 answers every preflight with 403.</p>}
      {typed && policy.policy && (
        <p class="muted policy-format">
          Read as {POLICY_FORMAT_NAMES[format]}.{FORM_READING[format] ? ` ${FORM_READING[format]}` : ''}
        </p>
      )}
      {lint && lint.errors.length > 0 && (
        <p class="inline-error">S3 would refuse this configuration (PutBucketCors fails), so the bucket cannot have it: requests are not judged by it.</p>
      )}
      {lint && lint.errors.length + lint.warnings.length > 0 && (
        <ul class="lint" aria-label="Lint">
          {lint.errors.map((error, i) => (
            <li key={`e${i}`} class="lint-error">
              <span class="badge badge-error">Error</span> <code>{error.code}</code> <Prose text={error.message} />
              {sourcePosition(error, typed, format) && <span class="muted"> ({sourcePosition(error, typed, format)})</span>}
            </li>
          ))}
          {lint.warnings.map((warning, i) => (
            <li key={`w${i}`} class="lint-warning">
              <span class="badge badge-warning">Warning</span> <code>{warning.code}</code> <Prose text={warning.message} />
              {sourcePosition(warning, typed, format) && <span class="muted"> ({sourcePosition(warning, typed, format)})</span>}
              {warning.fix && (
                <div class="muted">
                  <Prose text={warning.fix} />
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {lint && lint.errors.length + lint.warnings.length === 0 && <p class="muted">No lint warnings.</p>}
      {rendered &&
        (rendered.ok ? (
          <CodeBlock label={view === 'console' ? 'Current configuration' : `Current configuration (${POLICY_FORMAT_NAMES[format]})`} text={rendered.text} />
        ) : (
          <p class="inline-error">Could not render the configuration: {rendered.error}</p>
        ))}
    </Section>
  );
}

export function PolicyView(props: PolicyViewProps) {
  const { bucket, policy, onPastePolicy, harFile } = props;
  const policyKey = props.policyKey ?? bucket;
  const [pasted, setPasted] = useState('');
  const [problems, setProblems] = useState<Extract<PolicyCheck, { ok: false }> | null>(null);
  /** Checked here first: only a configuration S3 would accept replaces the active one. */
  const submit = (text: string, fileName?: string) => {
    const check = checkPolicyText(text, fileName);
    if (!check.ok) {
      setProblems(check);
      return;
    }
    setProblems(null);
    if (fileName === undefined) onPastePolicy?.(policyKey, text);
    else onPastePolicy?.(policyKey, text, fileName);
  };
  const [dragging, setDragging] = useState(false);
  const [readError, setReadError] = useState<string | null>(null);
  const submitPolicyFile = async (file: PickedFile) => {
    setReadError(null);
    let text: string;
    try {
      text = await file.text();
    } catch (error) {
      setReadError(readFailure(file, error));
      return;
    }
    submit(text, file.name);
  };

  return (
    <div class="policy-view">
      {policy ? (
        <CurrentPolicy bucket={bucket} policy={policy} />
      ) : (
        <p class="muted">
          The configuration of <code>{bucket || 'this bucket'}</code> is not known yet. With it, the diagnosis names the exact rule and condition that fails.
        </p>
      )}
      {harFile && (
        <p class="muted">
          This request was imported from <code>{harFile}</code>: it is judged against the policy given here for that file, not against the live bucket's.
        </p>
      )}

      <Section title="Fetch the bucket's CORS configuration">
        {props.fetching && (
          <p class="muted" role="status">
            Fetching the CORS configuration of <code>{bucket}</code> with GetBucketCors…
          </p>
        )}
        <CredentialsForm
          fetching={props.fetching ?? false}
          bucket={policyKey}
          hasCredentials={props.hasCredentials}
          onSetCredentials={props.onSetCredentials}
          onFetchPolicy={props.onFetchPolicy}
          onForgetCredentials={props.onForgetCredentials}
          signingConfirm={props.signingConfirm}
          onConfirmSigning={props.onConfirmSigning}
        />
      </Section>

      <Section title="Paste or drop a policy">
        <div
          class={`drop-zone${dragging ? ' dragging' : ''}`}
          onDragOver={(event) => {
            event.preventDefault();
            event.stopPropagation();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(event) => {
            event.preventDefault();
            event.stopPropagation();
            setDragging(false);
            const file = droppedFile(event);
            if (file) void submitPolicyFile(file);
          }}
        >
          <label class="block-label">
            <span>
              S3 console JSON, <code>aws s3api</code> JSON, XML, CloudFormation, Terraform, GCS CORS JSON or Backblaze B2 <code>corsRules</code>
            </span>
            <textarea
              rows={6}
              value={pasted}
              spellcheck={false}
              aria-invalid={problems ? true : undefined}
              onInput={(event) => setPasted((event.currentTarget as HTMLTextAreaElement).value)}
              placeholder='[{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["PUT"], …}]'
            />
          </label>
          <div class="button-row">
            <button type="button" class="button primary" disabled={!onPastePolicy || pasted.trim() === '' || bucket === ''} onClick={() => submit(pasted)}>
              Use pasted policy
            </button>
            <FilePicker
              label="Choose policy file…"
              accept=".json,.xml,.yaml,.yml,.tf,.txt"
              disabled={!onPastePolicy || bucket === ''}
              onFile={(file) => void submitPolicyFile(file)}
            />
            <span class="muted">or drop a file here</span>
          </div>
          {problems && <PolicyProblems check={problems} />}
          {readError && (
            <p class="inline-error" role="alert">
              {readError}
            </p>
          )}
        </div>
      </Section>
    </div>
  );
}
