/**
 * The list's column widths and the list/detail split, as the user dragged them, remembered in the panel page's
 * localStorage (per extension, per browser profile). Missing or unreadable storage falls back to the defaults.
 */
export const LIST_COLUMNS = ['name', 'method', 'status', 'bucket'] as const;
export type ListColumn = (typeof LIST_COLUMNS)[number];
export type ColumnWidths = Record<ListColumn, number>;

export const DEFAULT_WIDTHS: ColumnWidths = { name: 170, method: 56, status: 60, bucket: 92 };
export const MIN_COLUMN_WIDTH = 36;
export const MAX_COLUMN_WIDTH = 1200;
/** The list's share of the panel's width, in percent. */
export const DEFAULT_SPLIT = 45;
export const MIN_SPLIT = 15;
export const MAX_SPLIT = 85;

const WIDTHS_KEY = 's3cd.list-columns';
const SPLIT_KEY = 's3cd.split';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

export function clampWidth(width: number): number {
  return clamp(Math.round(width), MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH);
}

export function clampSplit(percent: number): number {
  return clamp(Math.round(percent * 10) / 10, MIN_SPLIT, MAX_SPLIT);
}

export function loadWidths(): ColumnWidths {
  try {
    const saved = JSON.parse(storage()?.getItem(WIDTHS_KEY) ?? 'null') as Partial<Record<ListColumn, unknown>> | null;
    const widths = { ...DEFAULT_WIDTHS };
    for (const column of LIST_COLUMNS) {
      const value = saved?.[column];
      if (typeof value === 'number' && Number.isFinite(value)) widths[column] = clampWidth(value);
    }
    return widths;
  } catch {
    return { ...DEFAULT_WIDTHS };
  }
}

export function saveWidths(widths: ColumnWidths): void {
  try {
    storage()?.setItem(WIDTHS_KEY, JSON.stringify(widths));
  } catch {
    // Not remembered: the widths still apply for this session.
  }
}

export function loadSplit(): number {
  const value = Number(storage()?.getItem(SPLIT_KEY) ?? NaN);
  return Number.isFinite(value) ? clampSplit(value) : DEFAULT_SPLIT;
}

export function saveSplit(percent: number): void {
  try {
    storage()?.setItem(SPLIT_KEY, String(percent));
  } catch {
    // As above.
  }
}

/** The list's grid columns: the resizable ones in pixels, the verdict taking the rest. */
export function gridColumns(widths: ColumnWidths): string {
  return `${LIST_COLUMNS.map((column) => `${widths[column]}px`).join(' ')} minmax(120px, 1fr)`;
}
