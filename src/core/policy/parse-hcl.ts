/**
 * A small reader for the subset of HCL (Terraform) that CORS configurations are written in: blocks with labels,
 * attributes, quoted strings, numbers, booleans, null, lists and objects, and the three comment styles. Anything
 * else on the right of `=` (references like `aws_s3_bucket.b.id`, function calls, interpolations, heredocs,
 * `for` expressions) is skipped and kept as an 'expression' node, so that it is an error only where a literal
 * value is needed (a cors_rule attribute), and the message names it and its line/column.
 */
import { MAX_NESTING_DEPTH, describeChar, quote, type SourceText } from './source-text.js';
import type { ObjectEntry, ValueNode } from './value-tree.js';
import type { SourcePosition } from './types.js';

export interface HclAttribute {
  kind: 'attribute';
  name: string;
  position: SourcePosition;
  value: ValueNode;
}

export interface HclBlock {
  kind: 'block';
  type: string;
  labels: string[];
  position: SourcePosition;
  body: Array<HclAttribute | HclBlock>;
}

const IDENTIFIER = /[A-Za-z_][\w-]*/y;
const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

export function parseHclBody(source: SourceText): Array<HclAttribute | HclBlock> {
  const text = source.text;
  let i = 0;

  // A declaration, not an arrow: TypeScript narrows after a call only to a declared `never` function.
  function fail(what: string, context: string, at = i): never {
    throw source.error(`${what}, ${context}`, at);
  }

  /** Skips spaces and comments; newlines too unless `stopAtNewline`. Returns true if a newline was crossed. */
  const skipTrivia = (stopAtNewline: boolean): boolean => {
    let crossedNewline = false;
    while (i < text.length) {
      const ch = text.charAt(i);
      if (ch === ' ' || ch === '\t' || ch === '\r') i++;
      else if (ch === '\n') {
        if (stopAtNewline) return crossedNewline;
        crossedNewline = true;
        i++;
      } else if (ch === '#' || text.startsWith('//', i)) {
        while (i < text.length && text[i] !== '\n') i++;
      } else if (text.startsWith('/*', i)) {
        const end = text.indexOf('*/', i + 2);
        if (end === -1) fail('unterminated /* comment', 'in the Terraform file');
        for (let k = i; k < end; k++) if (text[k] === '\n') crossedNewline = true;
        i = end + 2;
      } else break;
    }
    return crossedNewline;
  };

  const readIdentifier = (): string | undefined => {
    IDENTIFIER.lastIndex = i;
    const m = IDENTIFIER.exec(text);
    if (!m) return undefined;
    i += m[0].length;
    return m[0];
  };

  /** How many interpolations deep the skipping currently is (strings inside `${ … }` inside strings …). */
  let interpolationDepth = 0;

  /** Skips a quoted template, including `${ … }` interpolations with their own nested strings. */
  const skipQuoted = (context: string) => {
    const start = i;
    i++;
    while (i < text.length) {
      const ch = text.charAt(i);
      if (ch === '\\') i += 2;
      else if (ch === '"') {
        i++;
        return;
      } else if (ch === '\n') break;
      else if ((ch === '$' || ch === '%') && text[i + 1] === ch && text[i + 2] === '{') {
        i += 3; // `$${` / `%%{` are escapes for a literal `${` / `%{`
      } else if ((ch === '$' || ch === '%') && text[i + 1] === '{') {
        if (++interpolationDepth > MAX_NESTING_DEPTH) fail(`nesting deeper than ${MAX_NESTING_DEPTH} levels`, context);
        i += 2;
        skipExpressionRest(context, true);
        if (text[i] !== '}') fail('unterminated interpolation', context, start);
        i++;
        interpolationDepth--;
      } else i++;
    }
    fail('unterminated string', context, start);
  };

  /**
   * Skips the rest of an expression we do not evaluate. Stops before a newline, ',' or a closing bracket at depth 0
   * (or, inside an interpolation, before its closing '}').
   */
  const skipExpressionRest = (context: string, insideInterpolation = false) => {
    let depth = 0;
    while (i < text.length) {
      const ch = text.charAt(i);
      if (depth === 0) {
        if (insideInterpolation ? ch === '}' : ch === ',' || ch === '\n' || ch === ']' || ch === ')' || ch === '}') return;
      }
      if (ch === '"') {
        skipQuoted(context);
        continue;
      }
      if (ch === '#' || text.startsWith('//', i) || text.startsWith('/*', i)) {
        skipTrivia(depth === 0 && !insideInterpolation);
        continue;
      }
      if (ch === '(' || ch === '[' || ch === '{') {
        depth++;
        if (depth > MAX_NESTING_DEPTH) fail(`nesting deeper than ${MAX_NESTING_DEPTH} levels`, context);
      } else if (ch === ')' || ch === ']' || ch === '}') {
        depth--;
      }
      i++;
    }
  };

  const atValueEnd = (): boolean => {
    const save = i;
    skipTrivia(true);
    const ch = text[i];
    const end = ch === undefined || ch === '\n' || ch === ',' || ch === ']' || ch === '}' || ch === ')';
    i = save;
    return end;
  };

  const expression = (start: number, context: string): ValueNode => {
    i = start;
    skipExpressionRest(context);
    const raw = text.slice(start, i).trim();
    if (raw === '') fail(`expected a value, found ${describeChar(text[start])}`, context, start);
    return { kind: 'expression', position: source.position(start), description: `the expression ${quote(raw, 60)}` };
  };

  const parseQuoted = (context: string): string | undefined => {
    const start = i;
    i++;
    let out = '';
    while (i < text.length) {
      const ch = text.charAt(i);
      if (ch === '"') {
        i++;
        return out;
      }
      if (ch === '\n') break;
      if (ch === '\\') {
        const esc = text[i + 1];
        if (esc !== undefined && SIMPLE_ESCAPES[esc] !== undefined) {
          out += SIMPLE_ESCAPES[esc];
          i += 2;
        } else if (esc === 'u' || esc === 'U') {
          const length = esc === 'u' ? 4 : 8;
          const hex = text.slice(i + 2, i + 2 + length);
          const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === length ? parseInt(hex, 16) : NaN;
          if (!(code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) fail(`invalid \\${esc} escape in string`, context);
          out += String.fromCodePoint(code);
          i += 2 + length;
        } else {
          fail(`invalid escape: ${describeChar(esc)} after a backslash in a string`, context);
        }
        continue;
      }
      if ((ch === '$' || ch === '%') && text[i + 1] === '{') {
        i = start;
        return undefined; // an interpolation or directive: not a literal
      }
      if ((ch === '$' || ch === '%') && text[i + 1] === ch && text[i + 2] === '{') {
        out += `${ch}{`;
        i += 3;
        continue;
      }
      out += ch;
      i++;
    }
    return fail('unterminated string', context, start);
  };

  const parseValue = (context: string, depth: number): ValueNode => {
    if (depth > MAX_NESTING_DEPTH) fail(`nesting deeper than ${MAX_NESTING_DEPTH} levels`, context);
    const start = i;
    const position = source.position(i);
    const ch = text[i];
    let node: ValueNode | undefined;
    if (ch === '"') {
      const value = parseQuoted(context);
      if (value === undefined) return expression(start, context);
      node = { kind: 'string', position, value };
    } else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) {
      NUMBER.lastIndex = ch === '-' ? i + 1 : i;
      const m = NUMBER.exec(text);
      if (!m) return expression(start, context);
      const raw = (ch === '-' ? '-' : '') + m[0];
      i += raw.length;
      node = { kind: 'number', position, value: Number(raw), raw };
    } else if (ch === '[') {
      i++;
      skipTrivia(false);
      if (text.startsWith('for', i) && /\s/.test(text[i + 3] ?? '')) return expression(start, context);
      const items: ValueNode[] = [];
      for (;;) {
        skipTrivia(false);
        if (text[i] === ']') {
          i++;
          break;
        }
        items.push(parseValue(context, depth + 1));
        skipTrivia(false);
        if (text[i] === ',') i++;
        else if (text[i] !== ']') fail(`expected ',' or ']' in list, found ${describeChar(text[i])}`, context);
      }
      node = { kind: 'array', position, items };
    } else if (ch === '{') {
      i++;
      skipTrivia(false);
      if (text.startsWith('for', i) && /\s/.test(text[i + 3] ?? '')) return expression(start, context);
      const entries: ObjectEntry[] = [];
      for (;;) {
        skipTrivia(false);
        if (text[i] === '}') {
          i++;
          break;
        }
        const keyPosition = source.position(i);
        const key = text[i] === '"' ? parseQuoted(context) : readIdentifier();
        if (key === undefined) fail(`expected an object key, found ${describeChar(text[i])}`, context);
        skipTrivia(true);
        if (text[i] !== '=' && text[i] !== ':') fail(`expected '=' or ':' after key ${quote(key)}`, context);
        i++;
        skipTrivia(true);
        entries.push({ key, keyPosition, value: parseValue(context, depth + 1) });
        skipTrivia(true);
        if (text[i] === ',') i++;
      }
      node = { kind: 'object', position, entries };
    } else if (text.startsWith('<<', i)) {
      const m = /^<<-?([A-Za-z_]\w*)[ \t]*\r?\n/.exec(text.slice(i, i + 200));
      if (!m) fail('malformed heredoc', context);
      const terminator = new RegExp(`^[ \\t]*${m[1]}[ \\t]*$`, 'm');
      const rest = text.slice(i + m[0].length);
      const found = terminator.exec(rest);
      if (!found) fail(`heredoc <<${m[1]} is not terminated`, context);
      i += m[0].length + found.index + found[0].length;
      return { kind: 'expression', position, description: `a heredoc <<${m[1]}` };
    } else {
      const word = readIdentifier();
      if (word === 'true' || word === 'false') node = { kind: 'boolean', position, value: word === 'true' };
      else if (word === 'null') node = { kind: 'null', position };
      else return expression(start, context);
    }
    return atValueEnd() ? node : expression(start, context);
  };

  const parseBody = (context: string, depth: number, closing: boolean): Array<HclAttribute | HclBlock> => {
    if (depth > MAX_NESTING_DEPTH) fail(`nesting deeper than ${MAX_NESTING_DEPTH} levels`, context);
    const items: Array<HclAttribute | HclBlock> = [];
    for (;;) {
      skipTrivia(false);
      if (i >= text.length) {
        if (closing) fail("unexpected end of file: missing '}'", context);
        return items;
      }
      if (text[i] === '}') {
        if (!closing) fail("unexpected '}'", context);
        i++;
        return items;
      }
      const position = source.position(i);
      const name = readIdentifier();
      if (name === undefined) fail(`expected an attribute or a block, found ${describeChar(text[i])}`, context);
      skipTrivia(true);
      if (text[i] === '=' && text[i + 1] !== '=') {
        i++;
        skipTrivia(true);
        const attributeContext = `in ${name} of ${context.replace(/^in /, '')}`;
        const value = parseValue(attributeContext, depth + 1);
        skipTrivia(true);
        if (i < text.length && text[i] !== '\n' && text[i] !== '}') {
          fail(`unexpected ${describeChar(text[i])} after the value of ${name}`, context);
        }
        items.push({ kind: 'attribute', name, position, value });
        continue;
      }
      const labels: string[] = [];
      while (text[i] === '"' || /[A-Za-z_]/.test(text[i] ?? '')) {
        const label = text[i] === '"' ? parseQuoted(context) : readIdentifier();
        if (label === undefined) fail('a block label must be a literal string', context);
        labels.push(label);
        skipTrivia(true);
      }
      if (text[i] !== '{') fail(`expected '=' or '{' after ${name}, found ${describeChar(text[i])}`, context);
      i++;
      const blockName = [name, ...labels.map((l) => JSON.stringify(l))].join(' ');
      items.push({ kind: 'block', type: name, labels, position, body: parseBody(`in ${blockName}`, depth + 1, true) });
    }
  };

  return parseBody('in the Terraform file', 0, false);
}
