/**
 * The least-privilege configuration for everything captured, per bucket, in a modal dialog: what each rule is for,
 * whether the models verified it, which requests were left out and why, the chosen format and a copy button.
 * Escape or the close button dismisses it and focus returns to where it was.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { RenderFormat } from '../../core/policy/index.js';
import type { CapturedRow } from '../model.js';
import { renderApplyCommand, renderFix, type FixView } from '../view/fix.js';
import { rowsByBucket, synthesizeCapturedPolicy } from '../view/synthesis.js';
import { ruleLabel } from '../view/trace.js';
import { CodeBlock, CopyButton } from './common.js';
import { Prose } from './Markdown.js';
import { redactUrl } from '../view/redaction.js';
import { FormatPicker } from './FormatPicker.js';

interface GeneratePolicyDialogProps {
  rows: readonly CapturedRow[];
  /** The bucket to show first (the selected request's). */
  initialBucket: string | null;
  format: RenderFormat;
  onFormat(format: FixView): void;
  onCopy?: (text: string) => void;
  onClose(): void;
}

export function GeneratePolicyDialog({ rows, initialBucket, format, onFormat, onCopy, onClose }: GeneratePolicyDialogProps) {
  const dialog = useRef<HTMLDivElement>(null);
  const buckets = useMemo(() => rowsByBucket(rows), [rows]);
  const names = [...buckets.keys()];
  const [bucket, setBucket] = useState(initialBucket !== null && buckets.has(initialBucket) ? initialBucket : (names[0] ?? ''));
  const bucketRows = buckets.get(bucket) ?? [];
  const result = useMemo(() => synthesizeCapturedPolicy(bucketRows), [bucketRows]);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    dialog.current?.focus();
    return () => previous?.focus();
  }, []);
  const policy = result.ok ? result.policy : null;
  const hasRules = policy !== null && policy.config.rules.length > 0;
  const rendered = hasRules ? renderFix({ rules: policy.config.rules, view: format, bucket, current: null }) : null;
  const apply = hasRules ? renderApplyCommand(policy.config.rules, bucket) : null;

  return (
    <div class="dialog-backdrop" onClick={(event) => event.target === event.currentTarget && onClose()}>
      <div
        ref={dialog}
        class="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="generate-policy-title"
        tabIndex={-1}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            // DevTools opens its console drawer on an Escape that reaches it; the dialog's Escape stays here.
            event.stopPropagation();
            onClose();
          }
        }}
      >
        <header class="dialog-header">
          <h2 id="generate-policy-title">Policy from everything captured</h2>
          <button type="button" class="icon-button" aria-label="Close" onClick={onClose}>
            ✕
          </button>
        </header>
        <div class="dialog-body">
          {names.length > 1 && (
            <label class="inline-label">
              Bucket{' '}
              <select value={bucket} onChange={(event) => setBucket((event.currentTarget as HTMLSelectElement).value)}>
                {[...buckets].map(([name, rowsOfBucket]) => (
                  <option key={name} value={name}>
                    {name} ({rowsOfBucket.length})
                  </option>
                ))}
              </select>
            </label>
          )}
          <p class="muted">
            Least privilege for the {bucketRows.length} request(s) captured to <code>{bucket}</code>: exact origins, only the methods and headers seen, and only
            the response headers the page must read.
          </p>
          {!result.ok && (
            <p class="inline-error" role="alert">
              Could not generate a policy: {result.error}
            </p>
          )}
          {policy && (
            <>
              {!hasRules && <p>No captured request to this bucket needs CORS, so no rule is needed.</p>}
              {hasRules && (
                <p class={policy.verified ? 'verified' : 'unverified'}>
                  {policy.verified
                    ? '✓ Verified: every included request passes the S3 and browser models with this configuration.'
                    : 'Not verified: some requests still fail in the models (listed below).'}
                </p>
              )}
              {policy.rules.length > 0 && (
                <ul class="purposes" aria-label="Rules">
                  {policy.rules.map((rule) => (
                    <li key={rule.rule}>
                      <strong>{ruleLabel({ rule: rule.rule, id: policy.config.rules[rule.rule]?.id })}</strong>: <Prose text={rule.purpose} />{' '}
                      <span class="muted">({rule.requests.length} request(s))</span>
                    </li>
                  ))}
                </ul>
              )}
              {policy.failures.length > 0 && (
                <ul class="gaps" aria-label="Still failing">
                  {policy.failures.map((failure) => (
                    <li key={failure.request} class="inline-error">
                      <Prose text={failure.reason} />
                    </li>
                  ))}
                </ul>
              )}
              {policy.skipped.length > 0 && (
                <details class="skipped">
                  <summary>{policy.skipped.length} request(s) left out</summary>
                  <ul>
                    {policy.skipped.map((skip) => (
                      <li key={skip.request}>
                        {bucketRows[skip.request]?.exchange.request.method} {redactUrl(bucketRows[skip.request]?.exchange.request.url ?? '')}:{' '}
                        <Prose text={skip.reason} />
                      </li>
                    ))}
                  </ul>
                </details>
              )}
              {rendered && (
                <>
                  <div class="section-header">
                    <FormatPicker name="generated-policy-format" value={format} onChange={onFormat} includeDiff={false} />
                    {rendered.ok && <CopyButton label="Copy" text={rendered.text} onCopy={onCopy} />}
                  </div>
                  {rendered.ok ? (
                    <CodeBlock label="Generated configuration" text={rendered.text} />
                  ) : (
                    <p class="inline-error" role="alert">
                      Could not render this format: {rendered.error}
                    </p>
                  )}
                </>
              )}
              {apply?.ok && format !== 'cli' && (
                <div class="section-header">
                  <span class="muted">put-bucket-cors replaces the bucket's whole configuration.</span>
                  <CopyButton label="Copy put-bucket-cors command" text={apply.text} onCopy={onCopy} />
                </div>
              )}
            </>
          )}
        </div>
      </div>
    </div>
  );
}
