/**
 * Windowing math for the request list: with a fixed row height, the rows in view follow from the scroll offset
 * alone, so only those (plus a little overscan) are rendered and 10,000 captured requests cost the same as 30.
 */

export interface WindowInput {
  /** Number of rows in the (filtered) list. */
  count: number;
  rowHeight: number;
  scrollTop: number;
  viewportHeight: number;
  /** Extra rows rendered above and below the viewport so fast scrolling does not flash empty space. */
  overscan?: number;
}

export interface VisibleWindow {
  /** First rendered row index (inclusive). */
  start: number;
  /** Last rendered row index (exclusive). */
  end: number;
  /** Pixel offset of the first rendered row from the top of the scroll content. */
  offsetTop: number;
  /** Height of the whole scroll content, so the scrollbar reflects every row. */
  totalHeight: number;
}

export function visibleWindow({ count, rowHeight, scrollTop, viewportHeight, overscan = 8 }: WindowInput): VisibleWindow {
  const totalHeight = Math.max(0, count) * rowHeight;
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, offsetTop: 0, totalHeight };
  const maxScroll = Math.max(0, totalHeight - viewportHeight);
  const top = Math.min(Math.max(0, scrollTop), maxScroll);
  const firstInView = Math.floor(top / rowHeight);
  const inView = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, firstInView - overscan);
  const end = Math.min(count, firstInView + inView + overscan);
  return { start, end, offsetTop: start * rowHeight, totalHeight };
}

/**
 * The scrollTop that brings row `index` fully into view while moving as little as possible
 * (what keyboard navigation needs); the current scrollTop when it already is.
 */
export function scrollTopToReveal(index: number, rowHeight: number, scrollTop: number, viewportHeight: number): number {
  const rowTop = index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  if (rowTop < scrollTop) return rowTop;
  if (rowBottom > scrollTop + viewportHeight) return Math.max(0, rowBottom - viewportHeight);
  return scrollTop;
}
