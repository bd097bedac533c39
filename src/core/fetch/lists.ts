/**
 * Parsing of the comma-separated CORS response headers, the way each engine does it.
 */

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function isHttpToken(value: string): boolean {
  return TOKEN.test(value);
}

/** Split a header value at commas, trim spaces and tabs, drop empty members (`GET,,PUT` is `GET, PUT`). */
function isSpaceOrTab(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function members(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  while (start <= value.length) {
    let end = value.indexOf(',', start);
    if (end === -1) end = value.length;
    let first = start;
    let last = end;
    while (first < last && isSpaceOrTab(value.charCodeAt(first))) first++;
    while (last > first && isSpaceOrTab(value.charCodeAt(last - 1))) last--;
    if (last > first) out.push(value.slice(first, last));
    start = end + 1;
  }
  return out;
}

export type ParsedList = { ok: true; values: string[] } | { ok: false; invalidToken: string };

/**
 * Access-Control-Allow-Methods / -Allow-Headers as a list of tokens (Fetch "extracting header list values";
 * Chromium preflight_result.cc ParseAccessControlAllowList; Firefox nsCORSPreflightListener).
 * A missing header is an empty list; any member that is not a token makes the whole header invalid.
 */
export function parseTokenList(value: string | undefined): ParsedList {
  if (value === undefined) return { ok: true, values: [] };
  const values = members(value);
  for (const value of values) {
    if (!isHttpToken(value)) return { ok: false, invalidToken: value };
  }
  return { ok: true, values };
}

/**
 * Access-Control-Expose-Headers names, lower-cased. Blink's HTTPHeaderNameListParser drops the whole list
 * when one member is not a token (then only the CORS-safelisted response headers stay readable).
 */
export function parseExposedHeaderNames(value: string | undefined): string[] {
  const parsed = parseTokenList(value);
  return parsed.ok ? parsed.values.map((name) => name.toLowerCase()) : [];
}
