/**
 * The least-privilege configuration for everything captured, in a modal dialog: the rules, what each is for,
 * the chosen format and a copy button. Escape or the close button dismisses it and focus returns to the page.
 */
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { RenderFormat } from '../../core/policy/index.js';
import type { CapturedRow } from '../model.js';
import { renderFix, type FixView } from '../view/fix.js';
import { synthesizeCapturedPolicy } from '../view/synthesis.js';
import { ruleLabel } from '../view/trace.js';
import { CodeBlock, CopyButton } from './common.js';
import { FormatPicker } from './FormatPicker.js';

interface GeneratePolicyDialogProps {
  rows: readonly CapturedRow[];
  format: RenderFormat;
  onFormat(format: FixView): void;
  onCopy?: (text: string) => void;
  onClose(): void;
}

export function GeneratePolicyDialog({ rows, format, onFormat, onCopy, onClose }: GeneratePolicyDialogProps) {
  const dialog = useRef<HTMLDivElement>(null);
  const result = useMemo(() => synthesizeCapturedPolicy(rows), [rows]);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    dialog.current?.focus();
    return () => previous?.focus();
  }, []);
  const rendered = result.ok ? renderFix({ rules: result.policy.config.rules, view: format, bucket: '', current: null }) : null;

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
            onClose();
          }
        }}
      >
        <header class="dialog-header">
          <h2 id="generate-policy-title">Policy for everything captured</h2>
          <button type="button" class="icon-button" aria-label="Close" onClick={onClose}>
            ✕
          </button>
        </header>
        <div class="dialog-body">
          <p class="muted">
            Least privilege for the {rows.length} captured request(s): exact origins, only the methods and headers seen,
            and only the response headers the page reads.
          </p>
          {!result.ok && (
            <p class="inline-error" role="alert">
              {result.error}
            </p>
          )}
          {result.ok && (
            <>
              {result.policy.purposes.some(Boolean) && (
                <ul class="purposes">
                  {result.policy.purposes.map((purpose, index) => (
                    <li key={index}>
                      <strong>{ruleLabel({ rule: index, id: result.policy.config.rules[index]?.id })}</strong>: {purpose}
                    </li>
                  ))}
                </ul>
              )}
              <div class="section-header">
                <FormatPicker value={format} onChange={onFormat} includeDiff={false} />
                {rendered?.ok && <CopyButton label="Copy" text={rendered.text} onCopy={onCopy} />}
              </div>
              {rendered &&
                (rendered.ok ? (
                  <CodeBlock label="Generated configuration" text={rendered.text} />
                ) : (
                  <p class="inline-error" role="alert">
                    Could not render this format: {rendered.error}
                  </p>
                ))}
            </>
          )}
        </div>
      </div>
    </div>
  );
}
