/**
 * The captured S3 requests as a virtualised listbox: a fixed row height lets the window math render only the rows
 * in view, so the list stays smooth with 10,000 entries. Keyboard: ArrowUp/Down, PageUp/Down, Home/End move the
 * selection, Enter opens the detail view.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { CapturedRow } from '../model.js';
import { redactUrl } from '../view/redaction.js';
import { requestTarget, rowTone, splitKey, statusLabel } from '../view/rows.js';
import { scrollTopToReveal, visibleWindow } from '../view/virtual-window.js';

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

export function RequestList({ rows, selectedId, onSelect, onOpen }: RequestListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(FALLBACK_VIEWPORT_HEIGHT);

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
    if (rows.length === 0) return;
    const index = Math.min(rows.length - 1, Math.max(0, to));
    onSelect(rows[index]!.exchange.id);
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
    <div class="request-list">
      <div class="list-header" aria-hidden="true">
        <span class="col-method">Method</span>
        <span class="col-bucket">Bucket</span>
        <span class="col-key">Key</span>
        <span class="col-status">Status</span>
        <span class="col-verdict">Verdict</span>
      </div>
      <div
        ref={scroller}
        class="list-scroller"
        role="listbox"
        tabIndex={0}
        aria-label={`Captured S3 requests, ${rows.length} shown, newest first`}
        aria-activedescendant={selectedIndex >= 0 ? optionId(selectedId!) : undefined}
        onScroll={(event) => setScrollTop((event.currentTarget as HTMLDivElement).scrollTop)}
        onKeyDown={onKeyDown}
      >
        <div class="list-spacer" style={{ height: `${frame.totalHeight}px` }}>
          <div class="list-window" style={{ transform: `translateY(${frame.offsetTop}px)` }}>
            {rows.slice(frame.start, frame.end).map((row, offset) => {
              const id = row.exchange.id;
              const target = requestTarget(row.exchange);
              const status = statusLabel(row);
              const key = splitKey(target.key || '/');
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
                  title={`${redactUrl(row.exchange.request.url)}\n${row.diagnosis.verdict}`}
                  onClick={() => onSelect(id)}
                  onDblClick={() => onOpen(id)}
                >
                  <span class="col-method">{row.exchange.request.method}</span>
                  <span class="col-bucket">{target.bucket || target.host}</span>
                  <span class="col-key">
                    {key.folder && (
                      <span class="key-folder">
                        <bdi>{key.folder}</bdi>
                      </span>
                    )}
                    <span class="key-name">{key.name}</span>
                  </span>
                  <span class={`col-status${status === 'blocked' ? ' status-blocked' : ''}`}>{status}</span>
                  <span class="col-verdict">{row.diagnosis.verdict}</span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
