/**
 * A strict RFC 8259 JSON reader that keeps positions. Written here (not JSON.parse) because every rule and every
 * value must point back at its line and column, and because depth must be bounded.
 */
import { MAX_NESTING_DEPTH, describeChar, quote, type SourceText } from './source-text.js';
import type { ObjectEntry, ValueNode } from './value-tree.js';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function parseJsonTree(source: SourceText): ValueNode {
  const text = source.text;
  let i = 0;

  const skipWhitespace = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };

  // A declaration, not an arrow: TypeScript narrows after a call only to a declared `never` function.
  function fail(what: string, at = i): never {
    throw source.error(`${what}, in the JSON document`, at);
  }

  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    let out = '';
    let chunkStart = i;
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(chunkStart, i);
        i++;
        return out;
      }
      if (c < 0x20) fail(`${describeChar(text[i])} must be escaped inside a string`);
      if (c === 92) {
        out += text.slice(chunkStart, i);
        const esc = text[i + 1];
        if (esc === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape in string');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else if (esc !== undefined && ESCAPES[esc] !== undefined) {
          out += ESCAPES[esc];
          i += 2;
        } else {
          fail(`invalid escape: ${describeChar(esc)} after a backslash in a string`);
        }
        chunkStart = i;
        continue;
      }
      i++;
    }
  };

  const parseValue = (depth: number): ValueNode => {
    if (depth > MAX_NESTING_DEPTH) fail(`nesting deeper than ${MAX_NESTING_DEPTH} levels`);
    skipWhitespace();
    const position = source.position(i);
    const ch = text[i];
    if (ch === '{') {
      i++;
      const entries: ObjectEntry[] = [];
      skipWhitespace();
      if (text[i] === '}') {
        i++;
        return { kind: 'object', position, entries };
      }
      for (;;) {
        skipWhitespace();
        if (text[i] !== '"') fail(`expected a quoted key, found ${describeChar(text[i])}`);
        const keyPosition = source.position(i);
        const keyOffset = i;
        const key = parseString();
        if (entries.some((e) => e.key === key)) fail(`duplicate key ${quote(key)} (tools disagree on which one wins)`, keyOffset);
        skipWhitespace();
        if (text[i] !== ':') fail(`expected ':' after key ${quote(key)}, found ${describeChar(text[i])}`);
        i++;
        entries.push({ key, keyPosition, value: parseValue(depth + 1) });
        skipWhitespace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { kind: 'object', position, entries };
        }
        fail(`expected ',' or '}' in object, found ${describeChar(text[i])}`);
      }
    }
    if (ch === '[') {
      i++;
      const items: ValueNode[] = [];
      skipWhitespace();
      if (text[i] === ']') {
        i++;
        return { kind: 'array', position, items };
      }
      for (;;) {
        items.push(parseValue(depth + 1));
        skipWhitespace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { kind: 'array', position, items };
        }
        fail(`expected ',' or ']' in list, found ${describeChar(text[i])}`);
      }
    }
    if (ch === '"') return { kind: 'string', position, value: parseString() };
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) fail('invalid number');
      const raw = m[0];
      i += raw.length;
      return { kind: 'number', position, value: Number(raw), raw };
    }
    for (const [word, node] of [
      ['true', { kind: 'boolean', position, value: true }],
      ['false', { kind: 'boolean', position, value: false }],
      ['null', { kind: 'null', position }],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return node;
      }
    }
    return fail(`unexpected ${describeChar(ch)}`);
  };

  const root = parseValue(0);
  skipWhitespace();
  if (i < text.length) fail(`unexpected ${describeChar(text[i])} after the end of the document`);
  return root;
}
