/**
 * The one XML escaper for element content, in two strengths:
 * - 'minimal': `&`, `<` and `>` only — what S3 itself writes in its error bodies (apostrophes and quotes literal,
 *   "resource's CORS spec"), so simulated bodies are byte-for-byte S3's;
 * - 'strict' (default): also both quotes, and CR and the other control characters as character references — for
 *   documents a parser reads back (the policy renderers, the sandbox's answers): an XML parser would turn a literal
 *   CR into LF (XML 1.0 §2.11), and the controls are not XML characters at all.
 */
export type XmlEscaping = 'minimal' | 'strict';

const MINIMAL = /[&<>]/g;
const STRICT = /[&<>"'\r\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

function reference(c: string): string {
  switch (c) {
    case '&':
      return '&amp;';
    case '<':
      return '&lt;';
    case '>':
      return '&gt;';
    case '"':
      return '&quot;';
    case "'":
      return '&apos;';
    default:
      return `&#${c.charCodeAt(0)};`;
  }
}

export function escapeXml(text: string, escaping: XmlEscaping = 'strict'): string {
  const pattern = escaping === 'minimal' ? MINIMAL : STRICT;
  pattern.lastIndex = 0;
  if (!pattern.test(text)) return text;
  return text.replace(pattern, reference);
}

/** `<name>escaped value</name>`. */
export function xmlElement(name: string, value: string | number, escaping: XmlEscaping = 'strict'): string {
  return `<${name}>${escapeXml(String(value), escaping)}</${name}>`;
}
