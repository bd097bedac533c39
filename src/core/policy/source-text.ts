/**
 * What every policy parser shares: explicit input limits, offset → line/column mapping and the one error type.
 */
import { PolicyParseError, type SourcePosition } from './types.js';

/**
 * The parse limit. S3 itself accepts at most 64 KB (S26, reported by validatePolicy); we read up to 1 MiB so that a
 * pretty-printed CloudFormation template or Terraform file around the configuration still parses, and refuse
 * anything larger before looking at it.
 */
export const MAX_POLICY_CHARS = 1024 * 1024;
/** No CORS document needs more than a handful of levels; deep nesting is an attack or an accident. */
export const MAX_NESTING_DEPTH = 64;

/** Maps string offsets to 1-based line/column; built once per document, looked up by binary search. */
export class SourceText {
  readonly text: string;
  readonly file?: string;
  private readonly lineStarts: number[];

  constructor(text: string, file?: string) {
    this.text = text;
    this.file = file;
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  position(offset: number): SourcePosition {
    const starts = this.lineStarts;
    let lo = 0;
    let loStart = 0; // starts[0]: the first line starts the text
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const start = starts[mid];
      if (start !== undefined && start <= offset) {
        lo = mid;
        loStart = start;
      } else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - loStart + 1 };
  }

  error(message: string, at: number | SourcePosition): PolicyParseError {
    const pos = typeof at === 'number' ? this.position(at) : at;
    return new PolicyParseError(message, { file: this.file, line: pos.line, column: pos.column });
  }
}

/** Show a character in a message without letting control characters or quotes break the one-line rule. */
export function describeChar(ch: string | undefined): string {
  if (ch === undefined) return 'end of input';
  const code = ch.codePointAt(0);
  if (code === undefined) return `'${ch}'`;
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || code === 0x2028 || code === 0x2029) {
    return `character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `'${ch}'`;
}

/** Quote a user value for a one-line message (JSON escaping keeps newlines and controls visible). */
export function quote(value: string, max = 80): string {
  const shown = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(shown);
}

/** C0 controls other than tab/LF/CR, the non-characters U+FFFE/U+FFFF, and U+FFFD (what a UTF-8 decoder leaves for bad bytes). */
const NOT_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffd\ufffe\uffff]/;

/**
 * Checks that apply to every format before any parser runs: size, and text-ness. No supported format allows raw
 * C0 control characters other than tab, LF and CR, so one of them means binary data or a corrupted file.
 */
export function checkPolicyText(text: string, file?: string): SourceText {
  if (text.length > MAX_POLICY_CHARS) {
    throw new PolicyParseError(
      `document is ${text.length} characters, above the ${MAX_POLICY_CHARS}-character parse limit (S3 itself accepts at most 64 KB), in the document`,
      { file },
    );
  }
  const source = new SourceText(text, file);
  const bad = NOT_TEXT.exec(text);
  if (bad) {
    if (bad[0] === '\ufffd') throw source.error('the file is not valid UTF-8 text (binary data?), in the document', bad.index);
    throw source.error(`${describeChar(bad[0])} is not allowed in a text configuration (binary data?), in the document`, bad.index);
  }
  return source;
}
