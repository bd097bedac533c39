/**
 * Which requests are "simple": the Fetch standard's CORS-safelisted methods and request headers
 * (https://fetch.spec.whatwg.org/#cors-safelisted-method, #cors-safelisted-request-header,
 * #cors-unsafe-request-header-names), with Chromium's and Firefox's departures marked where they occur.
 */
import type { HeaderMap } from '../http/index.js';
import type { BrowserEngine } from './types.js';

/** Fetch: "A CORS-safelisted method is a method that is `GET`, `HEAD`, or `POST`" — byte-exact, after normalisation. */
export function isCorsSafelistedMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'POST';
}

/**
 * Fetch "normalize a method": DELETE, GET, HEAD, OPTIONS, POST and PUT are upper-cased (byte-case-insensitive
 * match); every other method keeps its case, so `fetch(url, {method: 'patch'})` sends `patch`.
 */
const NORMALIZED_METHODS: ReadonlySet<string> = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

export function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.has(upper) ? upper : method;
}

const FORBIDDEN_METHODS: ReadonlySet<string> = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** Fetch "forbidden method": fetch() throws a TypeError for these. */
export function isForbiddenMethod(method: string): boolean {
  return FORBIDDEN_METHODS.has(method.toUpperCase());
}

/** The Fetch standard's forbidden request-header names (set by the browser, never by script). */
export const FORBIDDEN_REQUEST_HEADER_NAMES: ReadonlySet<string> = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);

const METHOD_OVERRIDE_HEADER_NAMES = new Set(['x-http-method', 'x-http-method-override', 'x-method-override']);

/**
 * Fetch "forbidden request-header": script cannot set these; the Headers object drops them silently
 * (guard "request"), so they never reach the CORS checks.
 */
export function isForbiddenRequestHeader(name: string, value: string): boolean {
  const lower = name.toLowerCase();
  if (FORBIDDEN_REQUEST_HEADER_NAMES.has(lower)) return true;
  if (lower.startsWith('proxy-') || lower.startsWith('sec-')) return true;
  if (METHOD_OVERRIDE_HEADER_NAMES.has(lower)) {
    return value.split(',').some((method) => isForbiddenMethod(method.trim()));
  }
  return false;
}

/** Fetch "CORS-unsafe request-header byte". */
function isCorsUnsafeRequestHeaderByte(code: number): boolean {
  if (code < 0x20) return code !== 0x09;
  return [0x22, 0x28, 0x29, 0x3a, 0x3c, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x7b, 0x7d, 0x7f].includes(code);
}

function containsUnsafeByte(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (isCorsUnsafeRequestHeaderByte(value.charCodeAt(i))) return true;
  return false;
}

/** Accept-Language / Content-Language: only 0-9 A-Z a-z space * , - . ; = are safe. */
function isLanguageValue(value: string): boolean {
  return /^[0-9A-Za-z *,\-.;=]*$/.test(value);
}

const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The essence of a MIME type per "parse a MIME type" (type "/" subtype, both HTTP tokens), lower-cased;
 * null on failure. Parameters after `;` do not matter for the safelist.
 */
function mimeEssence(value: string): string | null {
  const trimmed = value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
  const slash = trimmed.indexOf('/');
  if (slash <= 0) return null;
  const type = trimmed.slice(0, slash);
  const rest = trimmed.slice(slash + 1);
  const semicolon = rest.indexOf(';');
  const subtype = (semicolon === -1 ? rest : rest.slice(0, semicolon)).replace(/[\t\n\r ]+$/, '');
  if (!HTTP_TOKEN.test(type) || !HTTP_TOKEN.test(subtype)) return null;
  return `${type}/${subtype}`.toLowerCase();
}

const SAFELISTED_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/**
 * Fetch "simple range header value": `bytes=<start>-[<end>]`, one range, no whitespace, no suffix range,
 * start ≤ end. Chromium lower-cases the value first (cors.cc), so `BYTES=0-1` passes there too.
 */
function isSimpleRangeValue(value: string): boolean {
  const match = /^bytes=(\d+)-(\d*)$/.exec(value.toLowerCase());
  if (!match) return false;
  if (match[2] === '') return true;
  return BigInt(match[1] ?? '') <= BigInt(match[2] ?? '');
}

/**
 * Chromium safelists more names than the standard (services/network/public/cpp/cors/cors.cc,
 * IsCorsSafelistedHeader "Block 2 - Intervention" and "Block 3 - Client Hints"); script can set them
 * (they are not forbidden), so in Chromium `dpr: 2` does not trigger a preflight while in Firefox it does.
 */
function chromiumExtraSafelisted(name: string, value: string): boolean | undefined {
  switch (name) {
    case 'intervention':
      return true;
    case 'device-memory':
    case 'dpr':
    case 'downlink':
      return /^\d+(\.\d+)?$/.test(value);
    case 'width':
    case 'viewport-width':
    case 'rtt':
      return /^\d+$/.test(value);
    case 'ect':
      return ['slow-2g', '2g', '3g', '4g'].includes(value);
    case 'save-data':
      return value.toLowerCase() === 'on';
    default:
      return undefined;
  }
}

/**
 * Fetch "CORS-safelisted request-header" (name, value): value at most 128 bytes, and per name:
 * accept — no unsafe byte; accept-language/content-language — language bytes only; content-type — no unsafe
 * byte and essence application/x-www-form-urlencoded, multipart/form-data or text/plain; range — a simple range.
 */
export function isCorsSafelistedRequestHeader(name: string, value: string, engine: BrowserEngine = 'chromium'): boolean {
  const lower = name.toLowerCase();
  if (byteLength(value) > 128) return false;
  switch (lower) {
    case 'accept':
      return !containsUnsafeByte(value);
    case 'accept-language':
    case 'content-language':
      return isLanguageValue(value);
    case 'content-type': {
      if (containsUnsafeByte(value)) return false;
      const essence = mimeEssence(value);
      return essence !== null && SAFELISTED_CONTENT_TYPES.has(essence);
    }
    case 'range':
      return isSimpleRangeValue(value);
    default:
      return engine === 'chromium' ? (chromiumExtraSafelisted(lower, value) ?? false) : false;
  }
}

/** Header values are byte strings; a code unit above 0xFF would be rejected by fetch(), so length ≈ bytes. */
function byteLength(value: string): number {
  return value.length;
}

/** Author headers as fetch() keeps them: forbidden names dropped, values trimmed of HTTP whitespace. */
const HTTP_WHITESPACE_AROUND = /^[\t\n\r ]+|[\t\n\r ]+$/g;

export function effectiveAuthorHeaders(headers: HeaderMap): HeaderMap {
  const out: HeaderMap = {};
  for (const [rawName, rawValue] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    const value = String(rawValue).replace(HTTP_WHITESPACE_AROUND, '');
    if (isForbiddenRequestHeader(name, value)) continue;
    out[name] = name in out ? `${out[name]}, ${value}` : value;
  }
  return out;
}

/**
 * Fetch "CORS-unsafe request-header names": every non-safelisted name, plus every safelisted name when the
 * safelisted values together exceed 1024 bytes; then byte-lower-cased, de-duplicated and sorted — the value of
 * `Access-Control-Request-Headers` (joined with "," and no space, as both Chromium and Firefox send it).
 */
export function corsUnsafeRequestHeaderNames(headers: HeaderMap, engine: BrowserEngine = 'chromium'): string[] {
  return corsUnsafeNamesOfAuthorHeaders(effectiveAuthorHeaders(headers), engine);
}

/** corsUnsafeRequestHeaderNames for headers that already are effectiveAuthorHeaders' output (lower-case, trimmed). */
export function corsUnsafeNamesOfAuthorHeaders(headers: HeaderMap, engine: BrowserEngine): string[] {
  const unsafe = new Set<string>();
  const potentiallyUnsafe: string[] = [];
  let safelistValueSize = 0;
  for (const [name, value] of Object.entries(headers)) {
    if (isCorsSafelistedRequestHeader(name, value, engine)) {
      potentiallyUnsafe.push(name);
      safelistValueSize += byteLength(value);
    } else {
      unsafe.add(name);
    }
  }
  if (safelistValueSize > 1024) for (const name of potentiallyUnsafe) unsafe.add(name);
  return [...unsafe].sort();
}

/** Fetch "no-CORS-safelisted request-header name": the only author headers a no-cors request keeps. */
export function isNoCorsSafelistedRequestHeader(name: string, value: string): boolean {
  const lower = name.toLowerCase();
  if (!['accept', 'accept-language', 'content-language', 'content-type'].includes(lower)) return false;
  return isCorsSafelistedRequestHeader(lower, value, 'firefox');
}
