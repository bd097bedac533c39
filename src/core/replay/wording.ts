/** How rules, lists and values are named in messages, so every finding speaks the same way. */
import type { CorsConfiguration } from '../policy/types.js';

/** "rule 2 (ID: uploads)" — 1-based like the S3 console; the ID when the rule has one. */
export function ruleLabel(config: CorsConfiguration | null, index: number): string {
  const id = config?.rules[index]?.id;
  return id ? `rule ${index + 1} (ID: ${id})` : `rule ${index + 1}`;
}

/** `a`, `a and b`, `a, b and c` */
export function listText(values: readonly string[], quote = true): string {
  const items = values.map((v) => (quote ? `\`${v}\`` : v));
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `[GET, HEAD]`, or `none` for an empty list. */
export function bracketList(values: readonly string[]): string {
  return values.length ? `[${values.join(', ')}]` : 'none';
}

export function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}
