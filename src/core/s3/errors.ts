/**
 * S3's error bodies: building them exactly as S3 writes them (S5, S6, S7, S16, S31) and reading them back
 * from captured responses. S3 never varies the XML declaration or element order; RequestId and HostId are
 * derived from the request so that simulation is deterministic.
 */
import type { HeaderMap } from '../http/index.js';
import { escapeXml } from '../xml/index.js';

export const S3_MESSAGES = {
  /** S3 */
  originNeeded: 'Insufficient information. Origin request header needed.',
  /** S5 */
  bucketNotFound: 'CORSResponse: Bucket not found',
  /** S6 */
  corsNotEnabled: 'CORSResponse: CORS is not enabled for this bucket.',
  /** S16, with S3's own spelling "evalution" */
  notAllowed:
    "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
  noSuchBucket: 'The specified bucket does not exist',
  permanentRedirect:
    'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
  temporaryRedirect: 'Please re-send this request to the specified temporary endpoint. Continue to use the original request endpoint for future requests.',
  methodNotAllowed: 'The specified method is not allowed against this resource.',
} as const;

/** The body of an ACRM refusal on a preflight (secondary: S3-compatible servers written against AWS). */
export function invalidRequestMethodMessage(value: string | undefined): string {
  return `Invalid Access-Control-Request-Method: ${value ?? 'null'}`;
}

const STATUS_TEXT: Record<number, string> = {
  301: 'Moved Permanently',
  307: 'Temporary Redirect',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
};

/** FNV-1a over UTF-16 code units: small, pure and stable across runtimes. */
function fnv1a(text: string, seed: number): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619) >>> 0;
  return hash;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * S3-shaped RequestId (16 upper-case hex digits) and HostId (76 base64 characters) derived from the request:
 * the same request always gets the same ids, so simulation output is deterministic.
 */
export function deterministicIds(method: string, url: string, headers: HeaderMap): { requestId: string; hostId: string } {
  const headerText = Object.keys(headers)
    .sort()
    .map((name) => `${name}:${String(headers[name])}`)
    .join('\n');
  const hash = fnv1a(`${method}\n${url}\n${headerText}`, 0x811c9dc5);
  const high = mix(hash ^ 0x9e3779b9);
  const low = mix(hash ^ 0x85ebca6b);
  const requestId = (high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0')).toUpperCase();
  // xorshift32 seeded from the hash spreads it over the HostId's characters.
  let state = mix(hash ^ 0xc2b2ae35) || 1;
  let hostId = '';
  for (let i = 0; i < 75; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    hostId += BASE64[state & 63];
  }
  return { requestId, hostId: `${hostId}=` };
}

/** The murmur3 finaliser: spreads one 32-bit hash into independent-looking 32-bit values. */
function mix(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export type ErrorField = readonly [name: string, value: string];

/** `<?xml …?>\n<Error><Code>…</Code>…</Error>` with the elements in the given order. */
export function errorXml(fields: readonly ErrorField[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${fields.map(([name, value]) => `<${name}>${escapeXml(value, 'minimal')}</${name}>`).join('')}</Error>`;
}

/** Website endpoints (S28) answer errors as an HTML page listing the same fields. */
export function errorHtml(status: number, fields: readonly ErrorField[]): string {
  const title = `${status} ${STATUS_TEXT[status] ?? 'Error'}`;
  const items = fields.map(([name, value]) => `<li>${name}: ${escapeXml(value, 'minimal')}</li>\n`).join('');
  return `<html>\n<head><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n<ul>\n${items}</ul>\n<hr/>\n</body>\n</html>\n`;
}

/** Byte length of the UTF-8 encoding, for Content-Length, without any runtime-specific API. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading error bodies from captured responses.

/** Error bodies are small; anything bigger is not one, and a bound keeps hostile input cheap. */
const MAX_ERROR_BODY = 256 * 1024;

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Only the five predefined entities and numeric references: no DTD, no custom entities, nothing expands. */
function decodeText(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED_ENTITIES[ref] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Element content as text: CDATA unwrapped, nested tags dropped. */
function elementText(raw: string): string {
  const withoutCdata = raw.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, inner: string) =>
    inner.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;')),
  );
  return decodeText(withoutCdata.replace(/<[^>]*>/g, '')).trim();
}

/** Children of the root `<Error>` element as name → text, first occurrence winning; null when malformed. */
function readXmlErrorChildren(xml: string): Map<string, string> | null {
  let text = xml.replace(/^\uFEFF/, '').trim();
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return null;
  text = text.replace(/^<\?xml[^>]*\?>/, '').trim();
  const open = /^<Error(?:\s[^>]*)?>/.exec(text);
  if (!open || !text.endsWith('</Error>')) return null;
  const inner = text.slice(open[0].length, text.length - '</Error>'.length);
  const children = new Map<string, string>();
  let position = 0;
  while (position < inner.length) {
    const start = inner.indexOf('<', position);
    if (start === -1) break;
    if (inner.startsWith('<!--', start)) {
      const close = inner.indexOf('-->', start + 4);
      if (close === -1) return null;
      position = close + 3;
      continue;
    }
    const tag = /^<([A-Za-z_][\w.-]*)(\s[^>]*?)?(\/?)>/.exec(inner.slice(start, start + 300));
    if (!tag) return null;
    const name = tag[1] ?? '';
    const contentStart = start + tag[0].length;
    if (tag[3] === '/') {
      if (!children.has(name)) children.set(name, '');
      position = contentStart;
      continue;
    }
    const closeTag = `</${name}>`;
    const end = inner.indexOf(closeTag, contentStart);
    if (end === -1) return null;
    if (!children.has(name)) children.set(name, elementText(inner.slice(contentStart, end)));
    position = end + closeTag.length;
  }
  return children;
}

/** Website endpoint errors (S28): `<li>Code: NoSuchKey</li>` items in an HTML page. */
function readHtmlErrorItems(html: string): Map<string, string> | null {
  if (!/<html/i.test(html) || !/<li>\s*Code:/i.test(html)) return null;
  const children = new Map<string, string>();
  for (const [, name = '', text = ''] of html.matchAll(/<li>\s*([A-Za-z][\w-]*):\s?([^<]*)<\/li>/gi)) {
    if (!children.has(name)) children.set(name, decodeText(text).trim());
  }
  return children;
}

/**
 * Parse an S3 error body — the XML `<Error>` document (or a website endpoint's HTML error page) — into its
 * Code, Message and every other child element. Null when the body is not one. Never throws; no DTD, no entity
 * expansion, bounded size.
 */
export function parseS3Error(body: string): { code: string; message: string; fields: Record<string, string> } | null {
  if (typeof body !== 'string' || body.length === 0 || body.length > MAX_ERROR_BODY) return null;
  const children = readXmlErrorChildren(body) ?? readHtmlErrorItems(body);
  const code = children?.get('Code');
  if (!children || !code) return null;
  const fields: Record<string, string> = {};
  for (const [name, value] of children) if (name !== 'Code' && name !== 'Message') fields[name] = value;
  return { code, message: children.get('Message') ?? '', fields };
}
