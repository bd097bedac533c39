/**
 * A fix's access delta — what the fixed configuration newly allows — as the core reports it (`fix.accessDelta`,
 * words and a JSON form). Read defensively: an older core has none, and the shape may still grow; anything
 * unexpected is shown as JSON or not at all, never a crash.
 */
export interface AccessDeltaView {
  words: string[];
  json: string | null;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() ? [value] : [];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string' && item.trim() !== '');
  return [];
}

function stringify(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  try {
    const text = JSON.stringify(value, null, 2);
    return text === undefined || text === '{}' || text === '[]' ? null : text;
  } catch {
    return null;
  }
}

export function accessDeltaOf(fix: unknown): AccessDeltaView | null {
  if (fix === null || typeof fix !== 'object') return null;
  const delta = (fix as { accessDelta?: unknown }).accessDelta;
  if (delta === undefined || delta === null) return null;
  if (typeof delta === 'string' || Array.isArray(delta)) {
    const words = strings(delta);
    return words.length ? { words, json: null } : null;
  }
  if (typeof delta !== 'object') return null;
  const record = delta as Record<string, unknown>;
  const words = [...strings(record.words), ...strings(record.summary), ...strings(record.text)];
  const json = 'json' in record ? stringify(record.json) : stringify(Object.fromEntries(Object.entries(record).filter(([key]) => !['words', 'summary', 'text'].includes(key))));
  return words.length || json ? { words, json } : null;
}
