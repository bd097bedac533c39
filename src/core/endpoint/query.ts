/** Reading an S3 URL's query: its pairs, sub-resources, and the multipart step it names. */
import type { MultipartKind, S3UrlInfo } from './types.js';

/** Query names that are S3 sub-resources (they select an operation rather than an object). */
const SUBRESOURCES = new Set([
  'accelerate',
  'acl',
  'analytics',
  'attributes',
  'cors',
  'delete',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'list-type',
  'location',
  'logging',
  'metadataConfiguration',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'partNumber',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'select',
  'session',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'website',
]);

/**
 * The query's name/value pairs, exactly as `new URLSearchParams(search)` lists them (application/x-www-form-urlencoded
 * parsing: `+` is a space, percent-escapes are decoded as UTF-8). Node's URLSearchParams is JavaScript, slow before
 * V8 has compiled it, and a HAR reader parses a few hundred distinct URLs once each; so the common case is done here
 * and anything decodeURIComponent refuses (a stray `%`, bytes that are not UTF-8) is left to URLSearchParams.
 */
export function queryPairs(search: string): Array<[string, string]> {
  const query = search.charCodeAt(0) === 63 /* ? */ ? search.slice(1) : search;
  const pairs: Array<[string, string]> = [];
  if (query === '') return pairs;
  const parts = query.split('&');
  for (const part of parts) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = formDecode(eq === -1 ? part : part.slice(0, eq));
    const value = formDecode(eq === -1 ? '' : part.slice(eq + 1));
    // The constructor drops one leading "?", so it gets the query behind one.
    if (name === null || value === null) return [...new URLSearchParams(`?${query}`)];
    pairs.push([name, value]);
  }
  return pairs;
}

/** One form-encoded component; null when decodeURIComponent cannot decode it (the caller falls back). */
function formDecode(text: string): string | null {
  if (text.indexOf('+') === -1 && text.indexOf('%') === -1) return text;
  const spaced = text.replace(/\+/g, ' ');
  if (spaced.indexOf('%') === -1) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return null;
  }
}

/** Query parameters by lower-cased name (first occurrence wins), for the case-insensitive presign names. */
export function lowerCaseParams(pairs: ReadonlyArray<readonly [string, string]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    if (!out.has(key)) out.set(key, value);
  }
  return out;
}

export function readSubresources(pairs: ReadonlyArray<readonly [string, string]>): string[] {
  const out: string[] = [];
  for (const [name] of pairs) if (SUBRESOURCES.has(name) && !out.includes(name)) out.push(name);
  return out;
}

/** The first value of a query parameter (case-sensitive name), or null: URLSearchParams.get. */
function firstValue(pairs: ReadonlyArray<readonly [string, string]>, name: string): string | null {
  for (const [key, value] of pairs) if (key === name) return value;
  return null;
}

/** What the query says about the multipart step, read once per URL; the step itself depends on the method. */
export interface MultipartQuery {
  uploads: boolean;
  uploadId: string | null;
  partNumber: string | null;
}

/**
 * Multipart step from the query (names are case-sensitive in S3). `uploadId` alone depends on the method:
 * POST completes, DELETE aborts, GET lists parts; without a method (or for the OPTIONS preflight of any of them)
 * we read it as "complete", the step a browser upload performs with `uploadId` alone.
 */
export function multipartStep(query: MultipartQuery, method: string | undefined): S3UrlInfo['multipart'] {
  const verb = method?.toUpperCase();
  if (query.uploads) return verb === 'GET' ? null : { kind: 'create' };
  const uploadId = query.uploadId;
  if (uploadId === null) return null;
  const partText = query.partNumber;
  if (partText !== null) {
    const partNumber = /^\d{1,5}$/.test(partText) ? Number(partText) : undefined;
    return partNumber === undefined ? { kind: 'upload-part', uploadId } : { kind: 'upload-part', uploadId, partNumber };
  }
  const byMethod: Record<string, MultipartKind> = { POST: 'complete', DELETE: 'abort', GET: 'list-parts' };
  return { kind: (verb && byMethod[verb]) || 'complete', uploadId };
}

export const NO_MULTIPART_QUERY: MultipartQuery = { uploads: false, uploadId: null, partNumber: null };

/** The query's multipart markers (names are case-sensitive in S3). */
export function readMultipartQuery(pairs: ReadonlyArray<readonly [string, string]>): MultipartQuery {
  return {
    uploads: pairs.some(([name]) => name === 'uploads'),
    uploadId: firstValue(pairs, 'uploadId'),
    partNumber: firstValue(pairs, 'partNumber'),
  };
}
