/**
 * The fix: what changes, whether the models verified it, and the fixed configuration in the user's chosen form
 * with one-click copy and the command that applies it.
 */
import type { CorsConfiguration } from '../../core/policy/index.js';
import type { CapturedRow } from '../model.js';
import { renderApplyCommand, renderFix, type FixView as FixFormat } from '../view/fix.js';
import { BusyButton, CodeBlock, CopyButton, Section } from './common.js';
import { FormatPicker } from './FormatPicker.js';

interface FixViewProps {
  row: CapturedRow;
  bucket: string;
  current: CorsConfiguration | null;
  format: FixFormat;
  onFormat(format: FixFormat): void;
  onCopy?: (text: string) => void;
  onRetest?: () => void;
  /** A re-test of this request is running. */
  retesting?: boolean;
}

export function FixView({ row, bucket, current, format, onFormat, onCopy, onRetest, retesting = false }: FixViewProps) {
  const fix = row.diagnosis.fix;
  if (!fix) {
    return <p class="muted">No fix to propose: the diagnosis found nothing to change, or could not tell what would help.</p>;
  }
  const rendered = fix.config ? renderFix({ rules: fix.config, view: format, bucket, current }) : null;
  const apply = fix.config ? renderApplyCommand(fix.config, bucket) : null;
  return (
    <div class="fix-view">
      <Section title="What to change">
        <p class={fix.verified ? 'verified' : 'unverified'}>
          {fix.verified
            ? '✓ Verified: the request passes the S3 and browser models with this configuration.'
            : 'Not verified: the models could not confirm this change makes the request pass.'}
        </p>
        {fix.accessDelta && <p class="access-delta">Access it adds: {fix.accessDelta.text}</p>}
        {(fix.changes.length > 0 || fix.advice.length > 0) && (
          <ul class="changes">
            {fix.changes.map((change, i) => (
              <li key={`c${i}`}>{change.description}</li>
            ))}
            {fix.advice.map((advice, i) => (
              <li key={`a${i}`}>{advice}</li>
            ))}
          </ul>
        )}
      </Section>

      {fix.config && rendered && (
        <Section
          title={fix.partial ? 'Rules to add' : 'Fixed configuration'}
          actions={rendered.ok ? <CopyButton label="Copy" text={rendered.text} onCopy={onCopy} /> : undefined}
        >
          {fix.partial && (
            <p class="unverified">
              The bucket's configuration is not known, so these are only the rules to add: merge them into it, before any
              broader rule (S3 uses the first rule that matches). Fetch or paste the configuration for a complete fix.
            </p>
          )}
          <FormatPicker name="fix-format" value={format} onChange={onFormat} />
          {rendered.ok ? (
            <CodeBlock label={`Fixed configuration (${format})`} text={rendered.text} />
          ) : (
            <p class="inline-error" role="alert">
              Could not render this format: {rendered.error}
            </p>
          )}
        </Section>
      )}

      {apply && (
        <Section
          title="Apply with the AWS CLI"
          actions={
            <>
              {apply.ok && <CopyButton label="Copy command" text={apply.text} onCopy={onCopy} />}
              {onRetest && (
                <BusyButton
                  label="Re-test after applying"
                  busyLabel="Re-testing…"
                  busy={retesting}
                  onClick={onRetest}
                  title="Re-probe until S3 answers as expected (changes take a moment to propagate)"
                />
              )}
            </>
          }
        >
          {fix.partial && (
            <p class="unverified">put-bucket-cors replaces the whole configuration: run it only with the merged rules.</p>
          )}
          {apply.ok ? (
            <CodeBlock label="aws s3api put-bucket-cors command" text={apply.text} />
          ) : (
            <p class="inline-error" role="alert">
              Could not build the command: {apply.error}
            </p>
          )}
        </Section>
      )}
    </div>
  );
}
