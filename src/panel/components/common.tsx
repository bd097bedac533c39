/** Small building blocks shared by the detail views. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { HeaderMap } from '../../core/http/index.js';
import { redactHeaders } from '../view/redaction.js';

interface CopyButtonProps {
  text: string;
  label: string;
  onCopy?: (text: string) => void;
  /** What exactly is copied, as a tooltip. */
  description?: string;
}

/** Copies through the adapter (the clipboard needs the extension page's document) and says so for a moment. */
export function CopyButton({ text, label, onCopy, description }: CopyButtonProps) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <button
      type="button"
      class="button"
      disabled={!onCopy}
      title={onCopy ? description : 'Copying is not available here'}
      onClick={() => {
        onCopy?.(text);
        setCopied(true);
      }}
    >
      {copied ? 'Copied' : label}
    </button>
  );
}

interface BusyButtonProps {
  label: string;
  /** Shown instead of the label while the action runs, e.g. "Fetching…". */
  busyLabel: string;
  busy: boolean;
  disabled?: boolean;
  primary?: boolean;
  type?: 'button' | 'submit';
  title?: string;
  onClick?: () => void;
}

/**
 * A button for an action the adapter finishes later: while it runs the button says so, is disabled (a second click
 * would start the same request again) and is marked aria-busy for screen readers.
 */
export function BusyButton({ label, busyLabel, busy, disabled = false, primary = false, type = 'button', title, onClick }: BusyButtonProps) {
  return (
    <button type={type} class={primary ? 'button primary' : 'button'} disabled={busy || disabled} aria-busy={busy} title={title} onClick={onClick}>
      {busy ? busyLabel : label}
    </button>
  );
}

export function Section({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section class="section" aria-label={title}>
      <header class="section-header">
        <h3>{title}</h3>
        {actions && <div class="section-actions">{actions}</div>}
      </header>
      <div class="section-body">{children}</div>
    </section>
  );
}

/**
 * Headers as captured, secret-bearing ones masked: panel screenshots end up in tickets as often as reports do.
 */
export function HeadersTable({ headers, caption }: { headers: HeaderMap | undefined; caption: string }) {
  const entries = headers ? Object.entries(redactHeaders(headers)).sort(([a], [b]) => a.localeCompare(b)) : [];
  return (
    <table class="headers-table">
      <caption>{caption}</caption>
      <tbody>
        {entries.length === 0 ? (
          <tr>
            <td class="muted" colSpan={2}>
              Not captured
            </td>
          </tr>
        ) : (
          entries.map(([name, value]) => (
            <tr key={name} class={name.startsWith('access-control-') || name === 'origin' ? 'cors-header' : undefined}>
              <th scope="row">{name}</th>
              <td>{value}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

export function CodeBlock({ text, label }: { text: string; label: string }) {
  return (
    <pre class="code-block" aria-label={label} tabIndex={0}>
      <code>{text}</code>
    </pre>
  );
}
