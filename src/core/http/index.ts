/**
 * The HTTP vocabulary every core module shares.
 *
 * Header maps always use lower-case names. When a header occurs more than once, its values are
 * combined with ", " — exactly what the Fetch standard's "get" does (https://fetch.spec.whatwg.org/#concept-header-list-get),
 * so a doubled Access-Control-Allow-Origin shows up as "a, b", as the browser sees it.
 */
export type HeaderMap = Record<string, string>;

export interface HttpRequest {
  method: string;
  url: string;
  headers: HeaderMap;
}

export interface HttpResponse {
  status: number;
  headers: HeaderMap;
  /** Response body as text when known; S3 error XML lives here. */
  body?: string;
}

/** Build a lower-cased HeaderMap from name/value pairs (HAR, webRequest, CLI `--header`). */
export function headerMap(pairs: Iterable<{ name: string; value: string } | readonly [string, string]>): HeaderMap {
  const out: HeaderMap = Object.create(null);
  const add = (name: unknown, value: unknown) => {
    if (typeof name !== 'string') return;
    const key = name.toLowerCase();
    const v = String(value ?? '');
    out[key] = key in out ? `${out[key]}, ${v}` : v;
  };
  // Arrays (HAR headers, every entry of a capture) by index: no iterator, no pair destructured per header.
  if (Array.isArray(pairs)) {
    const list = pairs as ReadonlyArray<{ name: string; value: string } | readonly [string, string]>;
    for (let i = 0; i < list.length; i++) {
      const pair = list[i];
      if (pair === undefined) continue;
      if (Array.isArray(pair)) add(pair[0], pair[1]);
      else add((pair as { name: string }).name, (pair as { value: string }).value);
    }
    return out;
  }
  for (const pair of pairs) {
    if (Array.isArray(pair)) add(pair[0], pair[1]);
    else add((pair as { name: string }).name, (pair as { value: string }).value);
  }
  return out;
}

const ASCII = /^[\x00-\x7f]*$/;

/** Case-insensitive header lookup on a map that may not be lower-cased (defensive for external input). */
export function getHeader(headers: HeaderMap | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = name.toLowerCase();
  if (Object.prototype.hasOwnProperty.call(headers, key)) return headers[key];
  // A miss is the common case (most names asked for are absent). For an ASCII name only names of the same length
  // can match: the one lower-casing that changes a length (U+0130 → i + U+0307) yields a non-ASCII character.
  const ascii = ASCII.test(key);
  for (const k of Object.keys(headers)) if ((!ascii || k.length === key.length) && k.toLowerCase() === key) return headers[k];
  return undefined;
}

/** Parse a `Name: value` string as given on the command line. Returns null when there is no colon. */
export function parseHeaderArg(arg: string): [string, string] | null {
  const i = arg.indexOf(':');
  if (i <= 0) return null;
  return [arg.slice(0, i).trim(), arg.slice(i + 1).trim()];
}
