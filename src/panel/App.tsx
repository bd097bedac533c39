/// <reference types="vite/client" />
/**
 * The S3 CORS Doctor panel. Purely props-driven: everything captured or fetched arrives in `state`, every effect
 * leaves through `actions`; local state is only what the user is looking at (selection, filter, search, tab).
 * Only main.tsx touches extension APIs, so this component is tested as a plain page with recorded evidence.
 */
import { useMemo, useRef, useState } from 'preact/hooks';
import type { CapturedRow, PanelActions, PanelState } from './model.js';
import { bucketOf, isFailure, visibleRows } from './view/rows.js';
import { buildMarkdownReport, reportFileName } from './view/report.js';
import { looksLikeHar } from './view/files.js';
import type { FixView as FixFormat } from './view/fix.js';
import { Toolbar } from './components/Toolbar.js';
import { RequestList } from './components/RequestList.js';
import { DetailView, type DetailTab } from './components/DetailView.js';
import { EmptyState } from './components/EmptyState.js';
import { droppedFile, FilePicker, readFailure, type PickedFile } from './components/FilePicker.js';
import { GeneratePolicyDialog } from './components/GeneratePolicyDialog.js';
import { RenderGuard } from './components/RenderGuard.js';
import './styles.css';

export interface AppProps {
  state: PanelState;
  actions?: PanelActions;
}

const NO_ACTIONS: PanelActions = {};

function Notice({ kind, text, onDismiss }: { kind: 'info' | 'error'; text: string; onDismiss(): void }) {
  return (
    <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <span class="notice-text">{text}</span>
      <button type="button" class="icon-button notice-dismiss" aria-label="Dismiss message" title="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}

export function App({ state, actions = NO_ACTIONS }: AppProps) {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [failuresOnly, setFailuresOnly] = useState(false);
  const [search, setSearch] = useState('');
  const [tab, setTab] = useState<DetailTab>('diagnosis');
  const [chosenFormat, setChosenFormat] = useState<FixFormat | null>(null);
  const [generating, setGenerating] = useState(false);
  const [fileError, setFileError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  // The notice the user closed; a new notice from the adapter is a new object, so it shows again.
  const [dismissedNotice, setDismissedNotice] = useState<PanelState['notice']>(null);
  const detailHeading = useRef<HTMLHeadingElement>(null);

  const rows = useMemo(() => visibleRows(state.rows, { failuresOnly, search }), [state.rows, failuresOnly, search]);
  const failureCount = useMemo(() => state.rows.reduce((count, row) => count + (isFailure(row) ? 1 : 0), 0), [state.rows]);

  // Until the user picks a row (or when the filter hides their pick), show the newest failure: that is what the
  // user opened the panel for.
  const selected: CapturedRow | null = useMemo(() => {
    const picked = selectedId === null ? undefined : rows.find((row) => row.exchange.id === selectedId);
    return picked ?? rows.find(isFailure) ?? null;
  }, [rows, selectedId]);

  const fixFormat: FixFormat = chosenFormat ?? state.fixFormat;
  function chooseFormat(format: FixFormat) {
    setChosenFormat(format);
    if (format !== 'diff') actions.setFixFormat?.(format);
  }

  function download(rowsToReport: readonly CapturedRow[]) {
    const generatedAt = new Date();
    const report = buildMarkdownReport({ rows: rowsToReport, policies: state.policies, generatedAt });
    actions.download?.(reportFileName(generatedAt), 'text/markdown', report);
  }

  async function importFile(file: PickedFile) {
    setFileError(null);
    let bytes: Uint8Array;
    try {
      if (!looksLikeHar(file.name, await file.head(256))) {
        setFileError(`${file.name} is not a HAR file. To use a bucket policy, select a request and drop it in the Policy tab.`);
        return;
      }
      bytes = await file.bytes();
    } catch (error) {
      setFileError(readFailure(file, error));
      return;
    }
    actions.importHar?.(bytes, file.name);
  }

  const importHar = actions.importHar ? (file: PickedFile) => void importFile(file) : undefined;

  return (
    <div
      class={`app theme-${state.theme}${dragging ? ' dragging' : ''}`}
      data-browser={state.browser}
      onDragOver={(event) => {
        if (!importHar) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (event.currentTarget === event.target) setDragging(false);
      }}
      onDrop={(event) => {
        if (!importHar) return;
        event.preventDefault();
        setDragging(false);
        const file = droppedFile(event);
        if (file) importHar(file);
      }}
    >
      <Toolbar
        failuresOnly={failuresOnly}
        onFailuresOnly={setFailuresOnly}
        search={search}
        onSearch={setSearch}
        shown={rows.length}
        total={state.rows.length}
        failures={failureCount}
        preserveLog={state.preserveLog}
        onPreserveLog={actions.setPreserveLog}
        onClear={actions.clear}
        onImportHar={importHar}
        onGeneratePolicy={state.rows.length > 0 ? () => setGenerating(true) : undefined}
        onExport={actions.download && state.rows.length > 0 ? () => download(state.rows) : undefined}
        processing={state.processing}
      />

      {state.notice && state.notice !== dismissedNotice && (
        <Notice kind={state.notice.kind} text={state.notice.text} onDismiss={() => setDismissedNotice(state.notice)} />
      )}
      {fileError && <Notice kind="error" text={fileError} onDismiss={() => setFileError(null)} />}

      {state.rows.length === 0 && state.pending?.capture ? (
        <EmptyState title="Reading the requests captured in this tab…" busy />
      ) : state.rows.length === 0 ? (
        <EmptyState title="Reproduce the failing request with DevTools open — requests to S3 appear here. Or drop a HAR file.">
          <p class="muted">
            Requests made before DevTools opened are not captured by the browser; reload the page or repeat the upload.
          </p>
          {importHar && <FilePicker label="Import HAR…" accept=".har,.json,application/json" onFile={importHar} />}
        </EmptyState>
      ) : (
        <div class="split">
          <div class="list-pane">
            {rows.length === 0 ? (
              <EmptyState title={search ? `No request URL contains “${search}”.` : 'No failed requests.'}>
                <button
                  type="button"
                  class="button"
                  onClick={() => {
                    setSearch('');
                    setFailuresOnly(false);
                  }}
                >
                  Show all requests
                </button>
              </EmptyState>
            ) : (
              <RequestList
                rows={rows}
                selectedId={selected?.exchange.id ?? null}
                onSelect={setSelectedId}
                onOpen={(id) => {
                  setSelectedId(id);
                  detailHeading.current?.focus();
                }}
              />
            )}
          </div>
          <div class="detail-pane">
            {selected ? (
              <RenderGuard key={selected.exchange.id} what={`the details of this ${selected.exchange.request.method} request`}>
                <DetailView
                  row={selected}
                  state={state}
                  actions={actions}
                  tab={tab}
                  onTab={setTab}
                  fixFormat={fixFormat}
                  onFixFormat={chooseFormat}
                  onExport={(row) => download([row])}
                  headingRef={detailHeading}
                />
              </RenderGuard>
            ) : (
              <EmptyState title="No failed request. Select a request to see how S3 and the browser judged it." />
            )}
          </div>
        </div>
      )}

      {generating && (
        <GeneratePolicyDialog
          rows={state.rows}
          initialBucket={selected ? bucketOf(selected.exchange) : null}
          format={fixFormat === 'diff' ? state.fixFormat : fixFormat}
          onFormat={chooseFormat}
          onCopy={actions.copyText}
          onClose={() => setGenerating(false)}
        />
      )}
    </div>
  );
}
