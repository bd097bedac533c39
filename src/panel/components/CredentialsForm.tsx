/**
 * Credentials for GetBucketCors. They go straight to the adapter (kept in session storage only) and the form
 * forgets them on submit: the secret is never rendered back, logged or exported.
 */
import { useState } from 'preact/hooks';
import type { Credentials, PanelState } from '../model.js';
import { parseExportedCredentials } from '../view/credentials.js';
import { BusyButton } from './common.js';

interface CredentialsFormProps {
  bucket: string;
  hasCredentials: boolean;
  onSetCredentials?: (credentials: Credentials) => void;
  onFetchPolicy?: (bucket: string, credentials: Credentials | null) => void;
  onForgetCredentials?: () => void;
  /** GetBucketCors for this bucket is in flight. */
  fetching?: boolean;
  /** The stored credentials were entered for another endpoint: ask before signing for this one. */
  signingConfirm?: PanelState['signingConfirm'];
  onConfirmSigning?: (bucket: string, confirmed: boolean) => void;
}

const EMPTY = { accessKeyId: '', secretAccessKey: '', sessionToken: '', region: '', exported: '' };

export function CredentialsForm({
  bucket,
  hasCredentials,
  onSetCredentials,
  onFetchPolicy,
  onForgetCredentials,
  fetching = false,
  signingConfirm,
  onConfirmSigning,
}: CredentialsFormProps) {
  const [fields, setFields] = useState(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const bindField = (name: keyof typeof EMPTY) => (event: Event) => setFields({ ...fields, [name]: (event.currentTarget as HTMLInputElement).value });

  function credentialsFromForm(): Credentials | string {
    if (fields.exported.trim() !== '') {
      const parsed = parseExportedCredentials(fields.exported);
      if (!parsed.ok) return `Pasted credentials: ${parsed.error}`;
      const region = fields.region.trim();
      return region && !parsed.credentials.region ? { ...parsed.credentials, region } : parsed.credentials;
    }
    if (!fields.accessKeyId.trim() || !fields.secretAccessKey.trim()) {
      return 'Enter an access key ID and secret access key, or paste the output of aws configure export-credentials --format env.';
    }
    const credentials: Credentials = { accessKeyId: fields.accessKeyId.trim(), secretAccessKey: fields.secretAccessKey.trim() };
    if (fields.sessionToken.trim()) credentials.sessionToken = fields.sessionToken.trim();
    if (fields.region.trim()) credentials.region = fields.region.trim();
    return credentials;
  }

  function submit(event: Event) {
    event.preventDefault();
    if (fetching) return;
    const credentials = credentialsFromForm();
    if (typeof credentials === 'string') {
      setError(credentials);
      return;
    }
    setError(null);
    setFields(EMPTY);
    setEditing(false);
    onSetCredentials?.(credentials);
    onFetchPolicy?.(bucket, credentials);
  }

  const canFetch = Boolean(onFetchPolicy) && bucket !== '';

  if (hasCredentials && !editing && signingConfirm) {
    return (
      <div class="credentials-stored" role="alertdialog" aria-label="Sign for another endpoint?">
        <p>
          The stored credentials were entered for <code>{signingConfirm.boundTo}</code>. Fetching the CORS configuration of <code>{bucket}</code> sends a
          request signed with them (access key ID, session token) to <code>{signingConfirm.endpointLabel}</code>. Continue only if you trust that endpoint.
        </p>
        <div class="button-row">
          <button type="button" class="button danger" onClick={() => onConfirmSigning?.(bucket, true)}>
            Sign for {signingConfirm.endpointLabel}
          </button>
          <button type="button" class="button" onClick={() => onConfirmSigning?.(bucket, false)}>
            Cancel
          </button>
          <button type="button" class="button" onClick={() => (onConfirmSigning?.(bucket, false), setEditing(true))}>
            Use other credentials
          </button>
        </div>
      </div>
    );
  }

  if (hasCredentials && !editing) {
    return (
      <div class="credentials-stored">
        <p>Credentials are stored for this browser session only (never written to disk or included in reports).</p>
        <div class="button-row">
          <BusyButton
            primary
            label="Fetch bucket CORS"
            busyLabel="Fetching…"
            busy={fetching}
            disabled={!canFetch}
            onClick={() => onFetchPolicy?.(bucket, null)}
          />
          <button type="button" class="button" onClick={() => setEditing(true)}>
            Use other credentials
          </button>
          <button type="button" class="button danger" disabled={!onForgetCredentials} onClick={() => onForgetCredentials?.()}>
            Forget credentials
          </button>
        </div>
      </div>
    );
  }

  return (
    <form class="credentials-form" onSubmit={submit} aria-label="Credentials for GetBucketCors" autocomplete="off">
      <p class="muted">
        Needs a key allowed <code>s3:GetBucketCORS</code> on <code>{bucket || 'the bucket'}</code>. Stored for this browser session only.
      </p>
      <div class="form-grid">
        <label>
          Access key ID
          <input value={fields.accessKeyId} onInput={bindField('accessKeyId')} spellcheck={false} autocomplete="off" />
        </label>
        <label>
          Secret access key
          <input type="password" value={fields.secretAccessKey} onInput={bindField('secretAccessKey')} autocomplete="off" />
        </label>
        <label>
          <span>
            Session token <span class="muted">(optional)</span>
          </span>
          <input type="password" value={fields.sessionToken} onInput={bindField('sessionToken')} autocomplete="off" />
        </label>
        <label>
          <span>
            Region <span class="muted">(optional, found from the bucket otherwise)</span>
          </span>
          <input value={fields.region} onInput={bindField('region')} spellcheck={false} placeholder="us-east-1" />
        </label>
      </div>
      <label class="block-label">
        <span>
          Or paste the output of <code>aws configure export-credentials --format env</code>
        </span>
        <textarea rows={4} value={fields.exported} onInput={bindField('exported')} spellcheck={false} placeholder="export AWS_ACCESS_KEY_ID=…" />
      </label>
      {error && (
        <p class="inline-error" role="alert">
          {error}
        </p>
      )}
      <div class="button-row">
        <BusyButton type="submit" primary label="Fetch bucket CORS" busyLabel="Fetching…" busy={fetching} disabled={!canFetch} />
        {hasCredentials && (
          <button type="button" class="button" onClick={() => setEditing(false)}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
