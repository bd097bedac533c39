/**
 * The fix: what changes, what it newly allows, whether the models verified it, and the configuration in the
 * user's chosen form with one-click copy. With the bucket's configuration unknown, only the rule to add is shown:
 * `put-bucket-cors` replaces the whole configuration, so no command that would drop the bucket's other rules is
 * offered for copying.
 */
import type { CorsConfiguration } from '../../core/policy/index.js';
import type { CapturedRow } from '../model.js';
import { PROVIDER_FIX_VIEWS, providerFormOf, renderApplyCommand, renderFix, type FixView as FixFormat } from '../view/fix.js';
import { accessDeltaOf } from '../view/access-delta.js';
import { BusyButton, CodeBlock, CopyButton, Section } from './common.js';
import { FormatPicker } from './FormatPicker.js';
import { Prose } from './Markdown.js';

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
  /** The bucket's configuration is known: only then can a fix be verified as a whole configuration. */
  configKnown?: boolean;
  /** Opens the place to fetch or paste the configuration. */
  onFetchFirst?: () => void;
}

/** A unified diff with added and removed lines marked (and coloured by the stylesheet). */
function DiffBlock({ text, label }: { text: string; label: string }) {
  return (
    <pre class="code-block diff" aria-label={label} tabIndex={0}>
      <code>
        {text.split('\n').map((line, i) => {
          const kind =
            line.startsWith('+') && !line.startsWith('+++')
              ? 'add'
              : line.startsWith('-') && !line.startsWith('---')
                ? 'del'
                : line.startsWith('@@')
                  ? 'hunk'
                  : 'same';
          return (
            <span key={i} class={`diff-line diff-${kind}`}>
              {line}
              {'\n'}
            </span>
          );
        })}
      </code>
    </pre>
  );
}

export function FixView({ row, bucket, current, format, onFormat, onCopy, onRetest, retesting = false, configKnown = true, onFetchFirst }: FixViewProps) {
  const fix = row.diagnosis.fix;
  if (!fix) {
    return <p class="muted">No fix to propose: the diagnosis found nothing to change, or could not tell what would help.</p>;
  }
  const partial = fix.partial === true || (fix.config !== null && !configKnown);
  const rendered = fix.config ? renderFix({ rules: fix.config, view: partial && format === 'diff' ? 'console' : format, bucket, current }) : null;
  // A configuration given as GCS JSON or B2 corsRules: its own form is offered, its notes shown (what another form
  // leaves out, how to apply it), and no `aws s3api` command, which would not apply it (GCS) or would replace B2's
  // native rules.
  const own = fix.config ? providerFormOf(fix.config) : null;
  const notes = own && rendered?.ok && format !== 'diff' ? rendered.notes : [];
  const apply = fix.config && !partial && format !== 'cli' && !own ? renderApplyCommand(fix.config, bucket) : null;
  const delta = accessDeltaOf(fix);
  const retest = onRetest && (
    <BusyButton
      label="Re-test after applying"
      busyLabel="Re-testing…"
      busy={retesting}
      onClick={onRetest}
      title="Re-probe until S3 answers as expected (changes take a moment to propagate)"
    />
  );
  return (
    <div class="fix-view">
      <Section title="What to change">
        {fix.config && (
          <p class={fix.verified && !partial ? 'verified' : 'unverified'}>
            {fix.verified && !partial
              ? '✓ Verified: with this configuration the request passes the S3 and browser models.'
              : partial
                ? 'Not verified: the bucket’s configuration is not known, so the models cannot check the whole result.'
                : 'Not verified: the models could not confirm this change makes the request pass.'}
          </p>
        )}
        {(fix.changes.length > 0 || fix.advice.length > 0) && (
          <ul class="changes">
            {fix.changes.map((change, i) => (
              <li key={`c${i}`}>
                <Prose text={change.description} />
              </li>
            ))}
            {fix.advice
              .filter((advice) => !fix.changes.some((change) => change.description === advice))
              .map((advice, i) => (
                <li key={`a${i}`}>
                  <Prose text={advice} />
                </li>
              ))}
          </ul>
        )}
        {delta && (
          <div class="access-delta" role="group" aria-label="What this fix newly allows">
            <strong>What this newly allows: </strong>
            <Prose text={delta.words} />
            <details>
              <summary>As JSON</summary>
              <CodeBlock label="Access delta (JSON)" text={delta.json} />
            </details>
          </div>
        )}
      </Section>

      {fix.config && rendered && (
        <Section
          title={partial ? 'Rule to add' : format === 'cli' ? 'Apply with the AWS CLI' : 'Fixed configuration'}
          actions={
            <>
              {rendered.ok && !(partial && format === 'cli') && (
                <CopyButton label={format === 'cli' ? 'Copy command' : 'Copy'} text={rendered.text} onCopy={onCopy} />
              )}
              {format === 'cli' && !partial && retest}
            </>
          }
        >
          {partial && (
            <div class="replace-warning" role="note">
              <p>
                The bucket’s current CORS configuration is not known. <code>put-bucket-cors</code> replaces the whole configuration, so applying only this rule
                would remove every other rule the bucket has. Add it to the current configuration, before any broader rule (S3 uses the first rule that
                matches).
              </p>
              {onFetchFirst && (
                <button type="button" class="button primary" onClick={onFetchFirst}>
                  Fetch the current configuration first
                </button>
              )}
            </div>
          )}
          <FormatPicker
            name="fix-format"
            value={format}
            onChange={onFormat}
            includeDiff={!partial}
            extra={PROVIDER_FIX_VIEWS.filter((view) => view.id === own)}
          />
          {partial && format === 'cli' ? (
            <p class="muted">No command is offered until the current configuration is known: it would replace it.</p>
          ) : rendered.ok ? (
            format === 'diff' && !partial ? (
              <DiffBlock label="Fixed configuration (diff)" text={rendered.text} />
            ) : (
              <>
                <CodeBlock label={`${partial ? 'Rule to add' : 'Fixed configuration'} (${format})`} text={rendered.text} />
                {notes.length > 0 && (
                  <ul class="render-notes" aria-label="Notes on this form">
                    {notes.map((note, i) => (
                      <li key={i} class="muted">
                        <Prose text={note} />
                      </li>
                    ))}
                  </ul>
                )}
              </>
            )
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
              {retest}
            </>
          }
        >
          {apply.ok ? (
            <CodeBlock label="aws s3api put-bucket-cors command" text={apply.text} />
          ) : (
            <p class="inline-error" role="alert">
              Could not build the command: {apply.error}
            </p>
          )}
        </Section>
      )}
      {!fix.config && retest && <div class="button-row">{retest}</div>}
    </div>
  );
}
