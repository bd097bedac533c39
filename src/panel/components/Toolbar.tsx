/** The DevTools-style toolbar: filter, search, capture controls and the whole-page actions. */
import type { PickedFile } from './FilePicker.js';
import { FilePicker } from './FilePicker.js';

interface ToolbarProps {
  failuresOnly: boolean;
  onFailuresOnly(value: boolean): void;
  search: string;
  onSearch(value: string): void;
  shown: number;
  total: number;
  failures: number;
  preserveLog: boolean;
  onPreserveLog?: (preserve: boolean) => void;
  onClear?: () => void;
  onImportHar?: (file: PickedFile) => void;
  onGeneratePolicy?: () => void;
  onExport?: () => void;
  /** Captured requests not yet shown (the controller's backlog under a busy page). */
  processing?: number;
}

/** "processing N…" while the panel is behind the page's requests; nothing once caught up. */
export function ProcessingIndicator({ count }: { count: number | undefined }) {
  if (!count || count <= 0) return null;
  return (
    <span class="muted processing" role="status" data-processing={count} title="Requests captured but not yet listed">
      processing {count.toLocaleString('en-US')}…
    </span>
  );
}

export function Toolbar(props: ToolbarProps) {
  const { failuresOnly, onFailuresOnly } = props;
  return (
    <div class="toolbar" role="toolbar" aria-label="Capture">
      <button type="button" class="icon-button" title="Clear" aria-label="Clear captured requests" disabled={!props.onClear} onClick={props.onClear}>
        ⊘
      </button>
      <span class="toolbar-divider" />
      <input
        type="search"
        class="search"
        placeholder="Filter: URL, verdict, code, status"
        aria-label="Filter requests"
        value={props.search}
        onInput={(event) => props.onSearch((event.currentTarget as HTMLInputElement).value)}
      />
      <div class="segmented" role="radiogroup" aria-label="Show">
        <label class={!failuresOnly ? 'checked' : ''}>
          <input type="radio" name="row-filter" checked={!failuresOnly} onChange={() => onFailuresOnly(false)} />
          All
        </label>
        <label class={failuresOnly ? 'checked' : ''}>
          <input type="radio" name="row-filter" checked={failuresOnly} onChange={() => onFailuresOnly(true)} />
          Failures <span class="count">{props.failures}</span>
        </label>
      </div>
      <label class="checkbox">
        <input
          type="checkbox"
          checked={props.preserveLog}
          disabled={!props.onPreserveLog}
          onChange={(event) => props.onPreserveLog?.((event.currentTarget as HTMLInputElement).checked)}
        />
        Preserve log
      </label>
      <span class="toolbar-divider" />
      {props.onImportHar && <FilePicker label="Import HAR…" accept=".har,.json,application/json" onFile={props.onImportHar} />}
      <button
        type="button"
        class="button"
        disabled={!props.onGeneratePolicy}
        onClick={props.onGeneratePolicy}
        title="Least-privilege configuration that lets every captured request pass"
      >
        Generate policy
      </button>
      <button type="button" class="button" disabled={!props.onExport} onClick={props.onExport} title="Markdown for a ticket, secrets redacted">
        Export report
      </button>
      <span class="toolbar-spacer" />
      <ProcessingIndicator count={props.processing} />
      <span class="muted counts" aria-live="polite">
        {props.shown === props.total ? `${props.total} requests` : `${props.shown} of ${props.total} requests`}
      </span>
    </div>
  );
}
