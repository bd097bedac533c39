/**
 * Redacting HAR documents entry by entry (streamable): a deep copy of the JSON with credentials masked in every place
 * a HAR can hold them — URLs, queryString, headers, cookies arrays, postData (text and params), bodies, initiator
 * URLs. Unknown fields are kept, their strings passed through the free-text redaction. Never throws.
 */
import { REDACTED, redactBody, redactHeaderValue, redactNamedValue, redactText, redactUrl } from './text.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Deeper than any HAR; a hostile document's deeper parts are replaced rather than recursed into. */
const MAX_DEPTH = 64;
/** Base64 bodies above this are not decoded for redaction (images, archives). */
const MAX_DECODED_BODY = 1024 * 1024;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Set an own property even when the key is `__proto__` (plain assignment would change the prototype). */
function setOwn(target: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function ownEntries(value: Record<string, unknown>): Array<[string, unknown]> {
  return Object.keys(value).map((key) => [key, value[key]]);
}

type FieldRedactor = (value: unknown, depth: number) => Json;

/** The generic walk: strings through redactText, `url` fields through redactUrl. */
function redactValue(value: unknown, depth: number, key = ''): Json {
  if (depth > MAX_DEPTH) return null;
  if (typeof value === 'string') return key === 'url' || key.endsWith('URL') || key.endsWith('Url') ? redactUrl(redactText(value)) : redactText(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (isRecord(value)) return redactObject(value, depth, {});
  return null;
}

function redactObject(value: Record<string, unknown>, depth: number, special: Record<string, FieldRedactor>): Json {
  const out: Record<string, Json> = {};
  for (const [key, field] of ownEntries(value)) {
    const redactor = Object.prototype.hasOwnProperty.call(special, key) ? special[key] : undefined;
    setOwn(out, key, redactor ? redactor(field, depth + 1) : redactValue(field, depth + 1, key));
  }
  return out;
}

function redactHeaders(value: unknown, depth: number): Json {
  if (!Array.isArray(value)) return redactValue(value, depth);
  return value.map((header) => {
    if (!isRecord(header) || typeof header.name !== 'string' || typeof header.value !== 'string') return redactValue(header, depth + 1);
    const name = header.name;
    return redactObject(header, depth + 1, { value: () => redactHeaderValue(name, header.value as string) });
  });
}

/** `queryString` (inUrl: a bare `key` is an API key) and `postData.params` (where `key` is S3's object key). */
function namedList(inUrl: boolean): FieldRedactor {
  return (value, depth) => {
    if (!Array.isArray(value)) return redactValue(value, depth);
    return value.map((item) => {
      if (!isRecord(item) || typeof item.name !== 'string' || typeof item.value !== 'string') return redactValue(item, depth + 1);
      const name = item.name;
      return redactObject(item, depth + 1, { value: () => redactText(redactNamedValue(name, item.value as string, inUrl)) });
    });
  };
}

/** Cookies arrays (request.cookies, response.cookies): the names stay, every value goes. */
function redactCookies(value: unknown, depth: number): Json {
  if (!Array.isArray(value)) return redactValue(value, depth);
  return value.map((cookie) => (isRecord(cookie) ? redactObject(cookie, depth + 1, { value: () => REDACTED }) : redactValue(cookie, depth + 1)));
}

function urlField(value: unknown, depth: number): Json {
  return typeof value === 'string' ? redactUrl(redactText(value)) : redactValue(value, depth);
}

function redactPostData(value: unknown, depth: number): Json {
  if (!isRecord(value)) return redactValue(value, depth);
  const mimeType = typeof value.mimeType === 'string' ? value.mimeType : '';
  return redactObject(value, depth, {
    text: (text) => {
      if (typeof text !== 'string') return redactValue(text, depth + 1);
      if (isDroppedNote(text)) return text;
      return isTextualMime(mimeType) ? redactBody(text, mimeType) : droppedNote('binary', utf8Length(text));
    },
    params: namedList(false),
  });
}

/** Bodies kept (redacted): text of any kind, and bodies whose type is not recorded (they are read as text). */
function isTextualMime(mimeType: string): boolean {
  return mimeType.trim() === '' || /xml|json|text\/|javascript|ecmascript|html|x-www-form-urlencoded|multipart\/|csv|yaml|graphql/i.test(mimeType);
}

/** Binary and base64 bodies are not copied: a note of their size takes their place (an image, an archive, a blob). */
const DROPPED_NOTE = /^REDACTED \((?:binary|base64) body of \d+ bytes removed\)$/;

function droppedNote(kind: 'binary' | 'base64', bytes: number): string {
  return `REDACTED (${kind} body of ${bytes} bytes removed)`;
}

function isDroppedNote(text: string): boolean {
  return text.length < 80 && DROPPED_NOTE.test(text);
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function base64Length(text: string): number {
  const trimmed = text.trim();
  const padding = trimmed.endsWith('==') ? 2 : trimmed.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((trimmed.length * 3) / 4) - padding);
}

/** An S3 (or STS) XML answer: the one kind of base64 body kept, because the diagnosis reads its error code. */
function isXmlAnswer(text: string, mimeType: string): boolean {
  return /xml/i.test(mimeType) || /^\s*<(?:\?xml|Error\b)/.test(text.slice(0, 64));
}

function decodeBase64Utf8(text: string): string | null {
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function encodeBase64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Response content: textual bodies are redacted; a base64 body is kept (decoded, redacted, encoded again) only when it
 * is a small S3 XML answer; every other base64 or binary body is replaced by a note of its size (and loses its
 * `encoding`, the note being plain text).
 */
function redactContent(value: unknown, depth: number): Json {
  if (!isRecord(value)) return redactValue(value, depth);
  const mimeType = typeof value.mimeType === 'string' ? value.mimeType : '';
  const base64 = value.encoding === 'base64';
  const text = value.text;
  if (typeof text !== 'string' || text.length === 0 || isDroppedNote(text)) return redactObject(value, depth, {});
  let kept: string | null = null;
  if (base64) {
    const decoded = text.length <= MAX_DECODED_BODY ? decodeBase64Utf8(text) : null;
    if (decoded !== null && isXmlAnswer(decoded, mimeType)) {
      const redacted = redactBody(decoded, mimeType);
      kept = redacted === decoded ? text : encodeBase64Utf8(redacted);
    }
  } else if (isTextualMime(mimeType)) {
    kept = redactBody(text, mimeType);
  }
  const out = redactObject(value, depth, { text: () => kept ?? droppedNote(base64 ? 'base64' : 'binary', base64 ? base64Length(text) : utf8Length(text)) });
  if (kept === null && base64 && isRecord(out)) delete (out as Record<string, Json>).encoding;
  return out;
}

function redactRequest(value: unknown, depth: number): Json {
  if (!isRecord(value)) return redactValue(value, depth);
  return redactObject(value, depth, {
    url: urlField,
    headers: redactHeaders,
    queryString: namedList(true),
    cookies: redactCookies,
    postData: redactPostData,
  });
}

function redactResponse(value: unknown, depth: number): Json {
  if (!isRecord(value)) return redactValue(value, depth);
  return redactObject(value, depth, {
    headers: redactHeaders,
    cookies: redactCookies,
    content: redactContent,
    redirectURL: urlField,
  });
}

/** One `log.entries[]` element (any JSON value; non-entries are redacted generically). */
export function redactHarEntry(entry: unknown): Json {
  if (!isRecord(entry)) return redactValue(entry, 0);
  return redactObject(entry, 0, { request: redactRequest, response: redactResponse });
}

/** Any other member of `log` (pages, creator, comment, …): generic redaction; page titles are often URLs. */
export function redactHarMember(key: string, value: unknown): Json {
  if (key === 'pages' && Array.isArray(value)) {
    return value.map((page) => (isRecord(page) ? redactObject(page, 1, { title: urlField }) : redactValue(page, 1)));
  }
  return redactValue(value, 0);
}

/** A whole HAR document held in memory (the panel). The CLI streams instead, entry by entry. */
export function redactHar(har: unknown): Json {
  if (!isRecord(har)) return redactValue(har, 0);
  const out: Record<string, Json> = {};
  for (const [key, value] of ownEntries(har)) {
    if (key === 'log' && isRecord(value)) {
      const log: Record<string, Json> = {};
      for (const [logKey, logValue] of ownEntries(value)) {
        setOwn(log, logKey, logKey === 'entries' && Array.isArray(logValue) ? logValue.map(redactHarEntry) : redactHarMember(logKey, logValue));
      }
      setOwn(out, key, log);
    } else {
      setOwn(out, key, redactValue(value, 1));
    }
  }
  return out;
}
