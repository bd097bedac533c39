/**
 * The pasted (or dropped) policy checked before it replaces anything: a syntax error, or a configuration S3 would
 * refuse (PutBucketCors fails, so the bucket cannot have it), is reported at its place in the text as typed —
 * line and column of the user's own text, with that line quoted — and the active policy stays as it was.
 */
import { lintPolicy, parsePolicy, PolicyParseError, type ParsedPolicy } from '../../core/policy/index.js';
import { plainText } from './plain.js';

export interface PolicyProblem {
  line?: number;
  column?: number;
  message: string;
  /** The typed line the position points into, and a caret under the column. */
  excerpt?: { text: string; caret: string };
}

export type PolicyCheck = { ok: true } | { ok: false; kind: 'syntax' | 'refused'; problems: PolicyProblem[] };

const MAX_EXCERPT = 120;

function excerptAt(text: string, line: number | undefined, column: number | undefined): PolicyProblem['excerpt'] {
  if (line === undefined) return undefined;
  // Walk to the line without splitting the whole text (a pasted file may be large).
  let start = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return undefined;
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  let lineText = text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
  let col = Math.max(1, column ?? 1);
  if (lineText.length > MAX_EXCERPT) {
    const from = Math.max(0, col - 1 - MAX_EXCERPT / 2);
    lineText = lineText.slice(from, from + MAX_EXCERPT);
    col -= from;
  }
  return { text: lineText.replace(/\t/g, ' '), caret: `${' '.repeat(col - 1)}^` };
}

/** Offset of (line, column) in the text, 1-based both; -1 when past the end. */
function offsetOf(text: string, line: number, column: number): number {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return -1;
    start = next + 1;
  }
  return start + column - 1;
}

function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * JSON's most common slip: a comma before `}` or `]`. The parser stops at the bracket; the mistake is the comma,
 * so the position moves back to it.
 */
function trailingComma(text: string, line: number | undefined, column: number | undefined): PolicyProblem | null {
  if (line === undefined || column === undefined) return null;
  const at = offsetOf(text, line, column);
  if (at < 0 || (text[at] !== '}' && text[at] !== ']')) return null;
  let i = at - 1;
  while (i >= 0 && /\s/.test(text.charAt(i))) i--;
  if (text[i] !== ',') return null;
  const where = lineColumnOf(text, i);
  return { ...where, message: `a comma before '${text[at]}': remove it (JSON allows no trailing comma)`, excerpt: excerptAt(text, where.line, where.column) };
}

function stripPlace(message: string): string {
  // PolicyParseError messages start with "<file>:<line>:<column>: "; the position is shown on its own.
  return plainText(message.replace(/^[^\n]*?:\d+(?::\d+)?: /, ''));
}

export function checkPolicyText(text: string, fileName?: string): PolicyCheck {
  let policy: ParsedPolicy;
  try {
    policy = parsePolicy(text, fileName ? { file: fileName } : {});
  } catch (error) {
    if (error instanceof PolicyParseError) {
      const comma = trailingComma(text, error.line, error.column);
      if (comma) return { ok: false, kind: 'syntax', problems: [comma] };
      return {
        ok: false,
        kind: 'syntax',
        problems: [{ line: error.line, column: error.column, message: stripPlace(error.message), excerpt: excerptAt(text, error.line, error.column) }],
      };
    }
    return { ok: false, kind: 'syntax', problems: [{ message: plainText(error instanceof Error ? error.message : String(error)) }] };
  }
  const lint = lintPolicy(policy);
  if (lint.errors.length > 0) {
    return {
      ok: false,
      kind: 'refused',
      problems: lint.errors.map((e) => ({
        line: e.line,
        column: e.column,
        message: plainText(`${e.message}${e.detail ? ` — ${e.detail}` : ''}`),
        excerpt: excerptAt(text, e.line, e.column),
      })),
    };
  }
  return { ok: true };
}
