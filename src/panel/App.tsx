/// <reference types="vite/client" />
/**
 * The S3 CORS Doctor panel. Purely props-driven: everything captured or fetched arrives in `state`, every effect
 * leaves through `actions`; local state is only what the user is looking at (selection, filter, search, tab).
 * Only main.tsx touches extension APIs, so this component is tested as a plain page with recorded evidence.
 */
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { CapturedRow, PanelActions, PanelState } from './model.js';
import { bucketOf, isFailure, mostSerious, visibleRows } from './view/rows.js';
import { clampSplit, loadSplit, saveSplit } from './view/layout.js';
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
  /** The panel's own messages (an export saved); cleared by Clear like the adapter's. */
  const [localNotice, setLocalNotice] = useState<string | null>(null);
  const [split, setSplit] = useState(loadSplit);
  const detailHeading = useRef<HTMLHeadingElement>(null);
  const splitRef = useRef<HTMLDivElement>(null);

  const rows = useMemo(() => visibleRows(state.rows, { failuresOnly, search }), [state.rows, failuresOnly, search]);
  const failureCount = useMemo(() => state.rows.reduce((count, row) => count + (isFailure(row) ? 1 : 0), 0), [state.rows]);

  // Until the user picks a row, show the most serious failure — what the user opened the panel for — and keep it:
  // the selection never changes by itself as more requests arrive.
  const picked = useMemo(() => (selectedId === null ? undefined : state.rows.find((row) => row.exchange.id === selectedId)), [state.rows, selectedId]);
  const automatic = useMemo(() => (picked ? null : mostSerious(rows)), [picked, rows]);
  const selected: CapturedRow | null = picked ?? automatic;
  useLayoutEffect(() => {
    if (automatic && selectedId !== automatic.exchange.id) setSelectedId(automatic.exchange.id);
    else if (!automatic && !picked && selectedId !== null) setSelectedId(null);
  }, [automatic, picked, selectedId]);

  const fixFormat: FixFormat = chosenFormat ?? state.fixFormat;
  function chooseFormat(format: FixFormat) {
    setChosenFormat(format);
    if (format !== 'diff') actions.setFixFormat?.(format);
  }

  function download(rowsToReport: readonly CapturedRow[]) {
    const generatedAt = new Date();
    const report = buildMarkdownReport({ rows: rowsToReport, policies: state.policies });
    const fileName = reportFileName(generatedAt);
    actions.download?.(fileName, 'text/markdown', report);
    setLocalNotice(`Report saved as ${fileName} (in the browser's downloads).`);
  }

  function clear() {
    setLocalNotice(null);
    setFileError(null);
    setSelectedId(null);
    actions.clear?.();
  }

  function resizeSplit(percent: number, done: boolean) {
    const next = clampSplit(percent);
    setSplit(next);
    if (done) saveSplit(next);
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
        onClear={actions.clear ? clear : undefined}
        onImportHar={importHar}
        onGeneratePolicy={state.rows.length > 0 ? () => setGenerating(true) : undefined}
        onExport={actions.download && state.rows.length > 0 ? () => download(state.rows) : undefined}
        processing={state.processing}
      />

      {state.notice && state.notice !== dismissedNotice && (
        <Notice kind={state.notice.kind} text={state.notice.text} onDismiss={() => setDismissedNotice(state.notice)} />
      )}
      {fileError && <Notice kind="error" text={fileError} onDismiss={() => setFileError(null)} />}
      {localNotice && <Notice kind="info" text={localNotice} onDismiss={() => setLocalNotice(null)} />}

      {state.rows.length === 0 && state.pending?.capture ? (
        <EmptyState title="Reading the requests captured in this tab…" busy />
      ) : state.rows.length === 0 ? (
        <EmptyState title="Reproduce the failing request with DevTools open — requests to S3 appear here. Or drop a HAR file.">
          <p class="muted">Requests made before DevTools opened are not captured by the browser; reload the page or repeat the upload.</p>
          {importHar && <FilePicker label="Import HAR…" accept=".har,.json,application/json" onFile={importHar} />}
        </EmptyState>
      ) : (
        <div class="split" ref={splitRef} style={{ gridTemplateColumns: `${split}% 5px minmax(0, 1fr)` }}>
          <div class="list-pane">
            {rows.length === 0 ? (
              <EmptyState title={search.trim() ? `No request matches “${search.trim()}”${failuresOnly ? ' among the failures' : ''}.` : 'No failed request.'}>
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
          <div
            class="splitter"
            role="separator"
            aria-orientation="vertical"
            aria-label="Resize the request list"
            aria-valuenow={split}
            aria-valuemin={15}
            aria-valuemax={85}
            tabIndex={0}
            onKeyDown={(event) => {
              const step = event.key === 'ArrowRight' ? 2 : event.key === 'ArrowLeft' ? -2 : 0;
              if (!step) return;
              event.preventDefault();
              resizeSplit(split + step, true);
            }}
            onPointerDown={(event) => {
              const box = splitRef.current?.getBoundingClientRect();
              if (!box || box.width <= 0) return;
              event.preventDefault();
              const handle = event.currentTarget as HTMLElement;
              handle.setPointerCapture?.(event.pointerId);
              const at = (e: PointerEvent) => ((e.clientX - box.left) / box.width) * 100;
              const move = (e: PointerEvent) => resizeSplit(at(e), false);
              const up = (e: PointerEvent) => {
                handle.removeEventListener('pointermove', move);
                handle.removeEventListener('pointerup', up);
                resizeSplit(at(e), true);
              };
              handle.addEventListener('pointermove', move);
              handle.addEventListener('pointerup', up);
            }}
          />
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
                  fixFormatChosen={chosenFormat !== null}
                  onFixFormat={chooseFormat}
                  onExport={(row) => download([row])}
                  headingRef={detailHeading}
                />
              </RenderGuard>
            ) : (
              <EmptyState title="Select a request to see how S3 and the browser judged it." />
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
