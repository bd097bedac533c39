/**
 * A minimal, safe XML reader for S3 CORS documents. XML from users is untrusted (issue 2): DOCTYPE and ENTITY
 * declarations are refused outright, only the five predefined entities and numeric character references are
 * expanded, and nesting depth is bounded (size is bounded before we get here). Namespaces are reduced to local names.
 */
import { MAX_NESTING_DEPTH, describeChar, quote, type SourceText } from './source-text.js';
import type { SourcePosition } from './types.js';

export interface XmlText {
  kind: 'text';
  text: string;
  position: SourcePosition;
}

export interface XmlElement {
  kind: 'element';
  name: string;
  localName: string;
  attributes: Record<string, string>;
  children: Array<XmlElement | XmlText>;
  position: SourcePosition;
}

const NAME = /[A-Za-z_:\u00C0-\uFFFF][-.\w:\u00B7\u00C0-\uFFFF]*/y;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isXmlChar(code: number): boolean {
  return (
    code === 9 || code === 10 || code === 13 || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff)
  );
}

export function parseXmlTree(source: SourceText): XmlElement {
  const text = source.text;
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;

  const context = () => {
    const open = stack[stack.length - 1];
    return open ? `in <${open.name}>` : 'in the XML document';
  };
  // A declaration, not an arrow: TypeScript narrows after a call only to a declared `never` function.
  function fail(what: string, at = i): never {
    throw source.error(`${what}, ${context()}`, at);
  }

  const readName = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(text);
    if (!m) fail(`expected a name, found ${describeChar(text[i])}`);
    i += m[0].length;
    return m[0];
  };

  /** Decode character data: entity and character references; CR/CRLF become LF as XML 1.0 §2.11 requires. */
  const decode = (raw: string, offset: number): string => {
    if (raw.indexOf('&') === -1 && raw.indexOf('\r') === -1) return raw;
    let out = '';
    for (let k = 0; k < raw.length; k++) {
      const ch = raw.charAt(k);
      if (ch === '\r') {
        out += '\n';
        if (raw[k + 1] === '\n') k++;
        continue;
      }
      if (ch !== '&') {
        out += ch;
        continue;
      }
      const end = raw.indexOf(';', k);
      if (end === -1 || end - k > 12) fail("'&' must start an entity reference such as &amp;", offset + k);
      const ref = raw.slice(k + 1, end);
      let decoded: string | undefined;
      if (/^#[0-9]+$/.test(ref) || /^#x[0-9a-fA-F]+$/.test(ref)) {
        const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        if (!isXmlChar(code)) fail(`character reference &${ref}; is not an XML character`, offset + k);
        decoded = String.fromCodePoint(code);
      } else {
        decoded = PREDEFINED[ref];
      }
      if (decoded === undefined) {
        fail(`undefined entity &${ref}; (only &lt; &gt; &amp; &quot; &apos; and numeric references are expanded)`, offset + k);
      }
      out += decoded;
      k = end;
    }
    return out;
  };

  const skipWhitespace = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };

  const addText = (value: string, at: number) => {
    const parent = stack[stack.length - 1];
    if (!parent) {
      if (value.trim() !== '') fail(`text ${quote(value.trim(), 30)} outside the root element`, at);
      return;
    }
    parent.children.push({ kind: 'text', text: value, position: source.position(at) });
  };

  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt !== i) {
      const end = lt === -1 ? text.length : lt;
      if (text.slice(i, end).includes(']]>')) fail("']]>' is not allowed in text", i + text.slice(i, end).indexOf(']]>'));
      addText(decode(text.slice(i, end), i), i);
      i = end;
      continue;
    }
    const start = i;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end === -1) fail('unterminated comment');
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      if (!stack.length) fail('CDATA section outside the root element');
      const end = text.indexOf(']]>', i + 9);
      if (end === -1) fail('unterminated CDATA section');
      addText(text.slice(i + 9, end).replace(/\r\n?/g, '\n'), i);
      i = end + 3;
    } else if (text.startsWith('<!', i)) {
      const word = /^<!([A-Za-z]*)/.exec(text.slice(i, i + 20))?.[1] ?? '';
      fail(
        word.toUpperCase() === 'DOCTYPE' || word.toUpperCase() === 'ENTITY'
          ? `<!${word}> declarations are refused: no DTDs or custom entities in untrusted XML`
          : `unsupported markup <!${word}`,
      );
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end === -1) fail('unterminated processing instruction');
      i = end + 2;
    } else if (text.startsWith('</', i)) {
      i += 2;
      const name = readName();
      skipWhitespace();
      if (text[i] !== '>') fail(`expected '>' to close </${name}>, found ${describeChar(text[i])}`);
      i++;
      const open = stack.pop();
      if (!open) fail(`end tag </${name}> without a start tag`, start);
      if (open.name !== name) {
        stack.push(open);
        fail(`end tag </${name}> does not match <${open.name}>`, start);
      }
    } else {
      i++;
      const name = readName();
      if (!stack.length && root) fail(`second root element <${name}>`, start);
      if (stack.length >= MAX_NESTING_DEPTH) fail(`nesting deeper than ${MAX_NESTING_DEPTH} levels`, start);
      const attributes: Record<string, string> = {};
      for (;;) {
        const before = i;
        skipWhitespace();
        if (text[i] === '>' || text.startsWith('/>', i)) break;
        if (i === before) fail(`expected whitespace, '>' or '/>' in <${name}>, found ${describeChar(text[i])}`);
        const attrName = readName();
        skipWhitespace();
        if (text[i] !== '=') fail(`expected '=' after attribute ${attrName} of <${name}>`);
        i++;
        skipWhitespace();
        const q = text[i];
        if (q !== '"' && q !== "'") fail(`attribute ${attrName} of <${name}> needs a quoted value`);
        const end = text.indexOf(q, i + 1);
        if (end === -1) fail(`unterminated value of attribute ${attrName} of <${name}>`);
        const rawValue = text.slice(i + 1, end);
        if (rawValue.includes('<')) fail(`'<' is not allowed in the value of attribute ${attrName} of <${name}>`);
        if (Object.prototype.hasOwnProperty.call(attributes, attrName)) fail(`duplicate attribute ${attrName} in <${name}>`);
        attributes[attrName] = decode(rawValue, i + 1);
        i = end + 1;
      }
      const selfClosing = text[i] === '/';
      i += selfClosing ? 2 : 1;
      const colon = name.indexOf(':');
      const element: XmlElement = {
        kind: 'element',
        name,
        localName: colon === -1 ? name : name.slice(colon + 1),
        attributes,
        children: [],
        position: source.position(start),
      };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else root = element;
      if (!selfClosing) stack.push(element);
    }
  }
  const open = stack[stack.length - 1];
  if (open) {
    throw source.error(`unexpected end of input: <${open.name}> is not closed, in <${open.name}>`, text.length);
  }
  if (!root) throw source.error('no root element, in the XML document', 0);
  return root;
}
