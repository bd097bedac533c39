/**
 * The captured S3 requests as a virtualised listbox, like DevTools' Network panel: rows in capture order (new ones
 * at the bottom, so nothing moves under the pointer), the object's file name first, resizable columns, and
 * auto-scroll only while the user is already at the bottom. A fixed row height lets the window math render only
 * the rows in view, so the list stays smooth with 10,000 entries. Keyboard: ArrowUp/Down, PageUp/Down, Home/End
 * move the selection, Enter opens the detail view; a column's resize handle takes ArrowLeft/Right.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { CapturedRow } from '../model.js';
import { redactUrl } from '../view/redaction.js';
import { displayName, httpError, importedFrom, plainVerdict, requestTarget, rowTone, statusLabel } from '../view/rows.js';
import { scrollTopToReveal, visibleWindow } from '../view/virtual-window.js';
import { clampWidth, gridColumns, loadWidths, saveWidths, type ColumnWidths, type ListColumn } from '../view/layout.js';

export const ROW_HEIGHT = 20;
/** Used until the container has been measured (and in DOM implementations without layout). */
const FALLBACK_VIEWPORT_HEIGHT = 600;

interface RequestListProps {
  rows: CapturedRow[];
  selectedId: string | null;
  onSelect(id: string): void;
  onOpen(id: string): void;
}

function optionId(id: string): string {
  return `request-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

const COLUMN_LABEL: Record<ListColumn, string> = { name: 'Name', method: 'Method', status: 'Status', bucket: 'Bucket' };
const RESIZE_STEP = 16;

function ColumnHeader({
  column,
  widths,
  onResize,
}: {
  column: ListColumn;
  widths: ColumnWidths;
  onResize(column: ListColumn, width: number, done: boolean): void;
}) {
  const width = widths[column];
  return (
    <span class={`col-${column} col-head`} role="columnheader">
      {COLUMN_LABEL[column]}
      <span
        class="col-resize"
        role="separator"
        aria-orientation="vertical"
        aria-label={`Resize the ${COLUMN_LABEL[column]} column`}
        aria-valuenow={width}
        tabIndex={0}
        onKeyDown={(event) => {
          const step = event.key === 'ArrowRight' ? RESIZE_STEP : event.key === 'ArrowLeft' ? -RESIZE_STEP : 0;
          if (!step) return;
          event.preventDefault();
          onResize(column, width + step, true);
        }}
        onPointerDown={(event) => {
          event.preventDefault();
          const startX = event.clientX;
          const handle = event.currentTarget as HTMLElement;
          handle.setPointerCapture?.(event.pointerId);
          const move = (e: PointerEvent) => onResize(column, width + e.clientX - startX, false);
          const up = (e: PointerEvent) => {
            handle.removeEventListener('pointermove', move);
            handle.removeEventListener('pointerup', up);
            onResize(column, width + e.clientX - startX, true);
          };
          handle.addEventListener('pointermove', move);
          handle.addEventListener('pointerup', up);
        }}
      />
    </span>
  );
}

export function RequestList({ rows, selectedId, onSelect, onOpen }: RequestListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(FALLBACK_VIEWPORT_HEIGHT);
  const [widths, setWidths] = useState<ColumnWidths>(loadWidths);
  /** Whether the user is at the bottom of the list: only then do new rows scroll it (as DevTools' console does). */
  const atBottom = useRef(true);

  function resize(column: ListColumn, width: number, done: boolean) {
    const next = { ...widths, [column]: clampWidth(width) };
    setWidths(next);
    if (done) saveWidths(next);
  }

  // New rows arrive at the bottom: follow them only if the user was already there, never otherwise.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element || !atBottom.current) return;
    const bottom = rows.length * ROW_HEIGHT - element.clientHeight;
    if (bottom > element.scrollTop) {
      element.scrollTop = bottom;
      setScrollTop(element.scrollTop);
    }
  }, [rows.length]);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = () => setViewportHeight(element.clientHeight > 0 ? element.clientHeight : FALLBACK_VIEWPORT_HEIGHT);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const selectedIndex = selectedId === null ? -1 : rows.findIndex((row) => row.exchange.id === selectedId);

  // Keep the keyboard selection in view: scroll by the least amount that reveals it.
  useEffect(() => {
    const element = scroller.current;
    if (!element || selectedIndex < 0) return;
    const target = scrollTopToReveal(selectedIndex, ROW_HEIGHT, element.scrollTop, viewportHeight - ROW_HEIGHT);
    if (target !== element.scrollTop) {
      element.scrollTop = target;
      setScrollTop(target);
    }
  }, [selectedIndex, viewportHeight]);

  const frame = visibleWindow({ count: rows.length, rowHeight: ROW_HEIGHT, scrollTop, viewportHeight });
  const pageSize = Math.max(1, Math.floor(viewportHeight / ROW_HEIGHT) - 1);

  function move(to: number) {
    const row = rows[Math.min(rows.length - 1, Math.max(0, to))];
    if (row) onSelect(row.exchange.id);
  }

  function onKeyDown(event: KeyboardEvent) {
    const from = selectedIndex;
    switch (event.key) {
      case 'ArrowDown':
        move(from < 0 ? 0 : from + 1);
        break;
      case 'ArrowUp':
        move(from < 0 ? 0 : from - 1);
        break;
      case 'PageDown':
        move(from + pageSize);
        break;
      case 'PageUp':
        move(from - pageSize);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(rows.length - 1);
        break;
      case 'Enter':
        if (selectedId !== null) onOpen(selectedId);
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  return (
    <div class="request-list" style={{ '--list-columns': gridColumns(widths) }}>
      <div class="list-header" role="row" aria-label="Columns">
        {(['name', 'method', 'status', 'bucket'] as const).map((column) => (
          <ColumnHeader key={column} column={column} widths={widths} onResize={resize} />
        ))}
        <span class="col-verdict col-head" role="columnheader">
          Verdict
        </span>
      </div>
      <div
        ref={scroller}
        class="list-scroller"
        role="listbox"
        tabIndex={0}
        aria-label={`Captured S3 requests, ${rows.length} shown, in capture order`}
        aria-activedescendant={selectedIndex >= 0 && selectedId !== null ? optionId(selectedId) : undefined}
        onScroll={(event) => {
          const element = event.currentTarget as HTMLDivElement;
          atBottom.current = element.scrollTop + element.clientHeight >= element.scrollHeight - ROW_HEIGHT / 2;
          setScrollTop(element.scrollTop);
        }}
        onKeyDown={onKeyDown}
      >
        <div class="list-spacer" style={{ height: `${frame.totalHeight}px` }}>
          <div class="list-window" style={{ transform: `translateY(${frame.offsetTop}px)` }}>
            {rows.slice(frame.start, frame.end).map((row, offset) => {
              const id = row.exchange.id;
              const target = requestTarget(row.exchange);
              const status = statusLabel(row);
              const name = displayName(target.key || '/');
              const harFile = importedFrom(row.exchange);
              const verdict = plainVerdict(row);
              const http = httpError(row);
              return (
                <div
                  key={id}
                  id={optionId(id)}
                  role="option"
                  aria-selected={id === selectedId}
                  aria-setsize={rows.length}
                  aria-posinset={frame.start + offset + 1}
                  class={`list-row tone-${rowTone(row)}${id === selectedId ? ' selected' : ''}`}
                  style={{ height: `${ROW_HEIGHT}px` }}
                  // The verdict column is the narrowest for its text; the tooltip gives it whole, with the URL.
                  title={`${redactUrl(row.exchange.request.url)}\n${verdict}${harFile ? `\nImported from ${harFile}` : ''}`}
                  onClick={() => onSelect(id)}
                  onDblClick={() => onOpen(id)}
                >
                  <span class="col-name">
                    {harFile && (
                      <span class="tag tag-har" aria-label="imported from a HAR file">
                        HAR
                      </span>
                    )}
                    <span class="key-name">{name.name}</span>
                    {name.prefix && <span class="key-prefix">{name.prefix}</span>}
                  </span>
                  <span class="col-method">{row.exchange.request.method}</span>
                  <span class={`col-status${status === 'blocked' || http ? ' status-blocked' : ''}`}>{status}</span>
                  <span class="col-bucket">{target.bucket || target.host}</span>
                  <span class="col-verdict">{verdict}</span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
