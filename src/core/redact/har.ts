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

function redactNamedList(value: unknown, depth: number): Json {
  if (!Array.isArray(value)) return redactValue(value, depth);
  return value.map((item) => {
    if (!isRecord(item) || typeof item.name !== 'string' || typeof item.value !== 'string') return redactValue(item, depth + 1);
    const name = item.name;
    return redactObject(item, depth + 1, { value: () => redactText(redactNamedValue(name, item.value as string)) });
  });
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
    text: (text) => (typeof text === 'string' ? redactBody(text, mimeType) : redactValue(text, depth + 1)),
    params: redactNamedList,
  });
}

function isTextualMime(mimeType: string): boolean {
  return /xml|json|text|javascript|html|x-www-form-urlencoded/i.test(mimeType);
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

/** Response content: textual bodies are redacted (base64 ones decoded first when small); binary ones are kept as is. */
function redactContent(value: unknown, depth: number): Json {
  if (!isRecord(value)) return redactValue(value, depth);
  const mimeType = typeof value.mimeType === 'string' ? value.mimeType : '';
  const base64 = value.encoding === 'base64';
  return redactObject(value, depth, {
    text: (text) => {
      if (typeof text !== 'string') return redactValue(text, depth + 1);
      if (!base64) return redactBody(text, mimeType);
      if (!isTextualMime(mimeType) || text.length > MAX_DECODED_BODY) return text;
      const decoded = decodeBase64Utf8(text);
      if (decoded === null) return text;
      const redacted = redactBody(decoded, mimeType);
      return redacted === decoded ? text : encodeBase64Utf8(redacted);
    },
  });
}

function redactRequest(value: unknown, depth: number): Json {
  if (!isRecord(value)) return redactValue(value, depth);
  return redactObject(value, depth, {
    url: urlField,
    headers: redactHeaders,
    queryString: redactNamedList,
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
