/**
 * Untrusted JSON → HarEntry. A HAR is user input: every field is checked for its type, copied into fresh objects
 * (never Object.assign'd, so `__proto__` / `constructor` keys stay inert data), and bounded in count and length.
 */
import type { HarEntry, HarHeader, HarPage } from './types.js';

/** More headers than any browser sends; beyond this the rest are ignored (and reported). */
const MAX_HEADERS = 500;
/** URLs longer than this are not kept whole (browsers cap URLs at 2 MB; presigned URLs are a few KB). */
const MAX_URL_LENGTH = 64 * 1024;
const MAX_HEADER_VALUE_LENGTH = 64 * 1024;
const MAX_SHORT_FIELD = 256;
/** Response bodies kept for the diagnosis: S3's XML error documents are well under this. */
export const MAX_KEPT_BODY_LENGTH = 16 * 1024;

export interface NormalizedEntry {
  entry: HarEntry | null;
  /** What was missing or unusable, for the exchange's `gaps`. */
  problems: string[];
}

type HarContent = NonNullable<NonNullable<HarEntry['response']>['content']>;
type JsonObject = { readonly [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(object: JsonObject, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

function stringField(object: JsonObject, key: string, max = MAX_SHORT_FIELD): string | undefined {
  const value = own(object, key);
  return typeof value === 'string' ? value.slice(0, max) : undefined;
}

function numberField(object: JsonObject, key: string): number | undefined {
  const value = own(object, key);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function headers(value: unknown, where: string, problems: string[]): HarHeader[] {
  if (!Array.isArray(value)) {
    problems.push(`${where} headers are missing`);
    return [];
  }
  const out: HarHeader[] = [];
  for (const item of value) {
    if (out.length >= MAX_HEADERS) {
      problems.push(`${where} has more than ${MAX_HEADERS} headers; the rest were ignored`);
      break;
    }
    if (!isObject(item)) continue;
    const name = own(item, 'name');
    const headerValue = own(item, 'value');
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_SHORT_FIELD) continue;
    out.push({ name, value: typeof headerValue === 'string' ? headerValue.slice(0, MAX_HEADER_VALUE_LENGTH) : '' });
  }
  return out;
}

function errorField(object: JsonObject): string | undefined {
  const value = own(object, '_error');
  return typeof value === 'string' && value.length > 0 ? value.slice(0, MAX_SHORT_FIELD) : undefined;
}

/**
 * Bodies the diagnosis can use: text (S3 XML errors), bounded. Binary and large bodies are dropped. A long body is
 * worth a note only on an error answer, where it could have been S3's explanation.
 */
function keptBody(content: JsonObject, problems: string[], status: number): HarContent {
  const size = numberField(content, 'size');
  const mimeType = stringField(content, 'mimeType');
  const text = own(content, 'text');
  const encoding = stringField(content, 'encoding');
  const out: HarContent = {};
  if (size !== undefined) out.size = size;
  if (mimeType !== undefined) out.mimeType = mimeType;
  if (typeof text === 'string') {
    if (text.length <= MAX_KEPT_BODY_LENGTH && isTextual(mimeType, text, encoding)) {
      out.text = text;
      if (encoding !== undefined) out.encoding = encoding;
    } else if (isTextual(mimeType, text, encoding)) {
      if (status === 0 || status >= 300) problems.push('response body longer than 16 KB: only its beginning was read');
      out.text = text.slice(0, MAX_KEPT_BODY_LENGTH);
      if (encoding !== undefined) out.encoding = encoding;
    }
  }
  return out;
}

function isTextual(mimeType: string | undefined, text: string, encoding: string | undefined): boolean {
  if (mimeType && /xml|json|text|html/i.test(mimeType)) return true;
  if (encoding === 'base64') return false;
  return /^\s*</.test(text.slice(0, 64));
}

/** Check and copy one `log.entries[]` element. Never throws. */
export function normalizeHarEntry(value: unknown): NormalizedEntry {
  const problems: string[] = [];
  if (!isObject(value)) return { entry: null, problems: ['entry is not an object'] };
  const request = own(value, 'request');
  if (!isObject(request)) return { entry: null, problems: ['entry has no request'] };
  const method = stringField(request, 'method', 32);
  const url = own(request, 'url');
  if (!method || typeof url !== 'string' || url.length === 0) {
    return { entry: null, problems: ['entry request has no method or URL'] };
  }
  if (url.length > MAX_URL_LENGTH) return { entry: null, problems: [`entry URL is longer than ${MAX_URL_LENGTH} characters`] };
  const entry: HarEntry = {
    // As sent: Fetch upper-cases only the six standard methods, and a preflight names the method exactly (ACRM).
    request: { method, url, headers: headers(own(request, 'headers'), 'request', problems) },
  };
  const postData = own(request, 'postData');
  if (isObject(postData)) {
    const text = stringField(postData, 'text', MAX_KEPT_BODY_LENGTH);
    const mimeType = stringField(postData, 'mimeType');
    entry.request.postData = {};
    if (text !== undefined) entry.request.postData.text = text;
    if (mimeType !== undefined) entry.request.postData.mimeType = mimeType;
  }
  const response = own(value, 'response');
  if (isObject(response)) {
    const status = numberField(response, 'status');
    if (status === undefined) problems.push('response status is missing');
    entry.response = { status: status ?? 0, headers: headers(own(response, 'headers'), 'response', problems) };
    const statusText = stringField(response, 'statusText');
    if (statusText !== undefined) entry.response.statusText = statusText;
    const content = own(response, 'content');
    if (isObject(content)) entry.response.content = keptBody(content, problems, entry.response.status);
    const redirectURL = stringField(response, 'redirectURL', MAX_URL_LENGTH);
    if (redirectURL) entry.response.redirectURL = redirectURL;
    const responseError = errorField(response);
    if (responseError) entry.response._error = responseError;
  } else {
    problems.push('response is missing');
  }
  const startedDateTime = stringField(value, 'startedDateTime', 64);
  if (startedDateTime !== undefined) entry.startedDateTime = startedDateTime;
  const time = numberField(value, 'time');
  if (time !== undefined) entry.time = time;
  const pageref = stringField(value, 'pageref');
  if (pageref !== undefined) entry.pageref = pageref;
  const serverIPAddress = stringField(value, 'serverIPAddress', 64);
  if (serverIPAddress) entry.serverIPAddress = serverIPAddress;
  const error = errorField(value);
  if (error) entry._error = error;
  const fromCache = stringField(value, '_fromCache', 16);
  if (fromCache) entry._fromCache = fromCache;
  const resourceType = stringField(value, '_resourceType', 32);
  if (resourceType) entry._resourceType = resourceType;
  const priority = stringField(value, '_priority', 32);
  if (priority) entry._priority = priority;
  const requestId = own(value, '_requestId');
  if (typeof requestId === 'string' || typeof requestId === 'number') entry._requestId = String(requestId).slice(0, MAX_SHORT_FIELD);
  const pageUrl = stringField(value, '_pageUrl', MAX_URL_LENGTH);
  if (pageUrl) entry._pageUrl = pageUrl;
  const initiator = own(value, '_initiator');
  if (isObject(initiator)) {
    const copy: NonNullable<HarEntry['_initiator']> = {};
    const type = stringField(initiator, 'type', 32);
    const initiatorUrl = stringField(initiator, 'url', MAX_URL_LENGTH);
    const initiatorRequestId = own(initiator, 'requestId');
    if (type) copy.type = type;
    if (initiatorUrl) copy.url = initiatorUrl;
    if (typeof initiatorRequestId === 'string' || typeof initiatorRequestId === 'number') copy.requestId = String(initiatorRequestId).slice(0, MAX_SHORT_FIELD);
    entry._initiator = copy;
  }
  return { entry, problems };
}

/** Check and copy `log.pages`. Never throws. */
export function normalizeHarPages(value: unknown): HarPage[] {
  if (!Array.isArray(value)) return [];
  const pages: HarPage[] = [];
  for (const item of value.slice(0, 10_000)) {
    if (!isObject(item)) continue;
    const id = stringField(item, 'id');
    if (!id) continue;
    const page: HarPage = { id };
    const title = stringField(item, 'title', MAX_URL_LENGTH);
    if (title !== undefined) page.title = title;
    const started = stringField(item, 'startedDateTime', 64);
    if (started !== undefined) page.startedDateTime = started;
    pages.push(page);
  }
  return pages;
}

/** Which browser wrote the HAR, from `log.creator` / `log.browser` (Chrome: "WebInspector"; Firefox: "Firefox"). */
export function browserFromCreator(value: unknown): 'chromium' | 'firefox' | undefined {
  if (!isObject(value)) return undefined;
  const name = stringField(value, 'name') ?? '';
  if (/firefox|gecko/i.test(name)) return 'firefox';
  if (/webinspector|chrom|edge|brave|opera/i.test(name)) return 'chromium';
  return undefined;
}
