/**
 * AllowedOrigin / AllowedHeader patterns (S9, S10, S12), compiled once per configuration.
 *
 * A pattern is split at its `*`s; matching is then a prefix test, a suffix test and an ordered search for the
 * pieces in between. S3 accepts one `*` per value, but the model must not throw on configurations PutBucketCors
 * would reject, so several `*`s are matched as a glob too.
 */

export interface CompiledPattern {
  /** The value exactly as configured (reported in the trace as `by`). */
  text: string;
  /** The pieces between `*`s; a single piece means a literal pattern. Lower-cased for header patterns. */
  parts: string[];
  /** Sum of the pieces' lengths: the shortest string that can match. */
  minLength: number;
}

export function compilePattern(text: string, lowerCase: boolean): CompiledPattern {
  const parts = (lowerCase ? text.toLowerCase() : text).split('*');
  return { text, parts, minLength: parts.reduce((sum, part) => sum + part.length, 0) };
}

/** Glob match where `*` matches any run of characters, including none and including `.`, `/` and `:` (S10 choice). */
export function globMatch(pattern: CompiledPattern, value: string): boolean {
  const { parts } = pattern;
  if (parts.length === 1) return value === parts[0];
  if (value.length < pattern.minLength) return false;
  // compilePattern splits on `*`, so there is always a first and a last part.
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (first === undefined || last === undefined || !value.startsWith(first) || !value.endsWith(last)) return false;
  const end = value.length - last.length;
  let position = first.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i];
    if (part === undefined) continue;
    const found = value.indexOf(part, position);
    if (found === -1 || found + part.length > end) return false;
    position = found + part.length;
  }
  return true;
}

/**
 * What the single `*` of a pattern stood for in a match, or null when the pattern has no single `*`.
 * Used to tell the user when an answer rests on an unrecorded reading of S10 (empty match, spanning `.` `/` `:`).
 */
export function wildcardSpan(pattern: CompiledPattern, value: string): string | null {
  const [head, tail] = pattern.parts;
  if (pattern.parts.length !== 2 || head === undefined || tail === undefined) return null;
  return value.slice(head.length, value.length - tail.length);
}

/**
 * AllowedOrigin matching (S9, S10): literal over the whole string — scheme, host and port all count, nothing is
 * normalised — with one `*` anywhere as a glob anchored at both ends.
 * Case: S3's case sensitivity is not recorded; the model compares case-sensitively ("nothing is normalised")
 * and says so in its notes whenever the other reading would change the answer.
 */
export function matchOrigin(pattern: string, origin: string): boolean {
  if (typeof pattern !== 'string' || typeof origin !== 'string') return false;
  return globMatch(compilePattern(pattern, false), origin);
}

/** AllowedHeader matching (S12): case-insensitive; `*` alone matches any name; one `*` inside works as a glob. */
export function matchHeader(pattern: string, name: string): boolean {
  if (typeof pattern !== 'string' || typeof name !== 'string') return false;
  return globMatch(compilePattern(pattern, true), name.toLowerCase());
}
