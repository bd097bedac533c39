/**
 * Redaction: the one redactor for everything that leaves (reports, exports, the live capture store, redacted HARs).
 * It masks credentials, signatures, tokens, passwords and cookies in URLs, headers, forms, bodies and free text, while
 * keeping everything the diagnosis reads (the region/date/service of a credential scope, which parameters and headers
 * were present, S3 error codes and messages). Masking is idempotent, so a report made from a redacted HAR equals the
 * report made from the original.
 *
 * What is masked (README "Security and privacy" lists it for users):
 * - A parameter, form field, JSON key, XML element or `name: value` / `name=value` in text whose name — percent-decoded,
 *   lower-cased, with everything but letters and digits removed — contains signature, token, secret, password, passwd,
 *   apikey, privatekey, cookie, session, authorization or jwt; contains `auth` not followed by `or` (auth, oauth,
 *   x-custom-auth, but not author); ends in `key` (apiKey, secret_key, customer-key); or is sig, policy, pwd, pass,
 *   passphrase or otp. A bare `key` is a secret only in a URL's query or fragment (`?key=` API keys): in a form or a
 *   JSON/XML body it is S3's object key, which the diagnosis quotes. `token_type` is not a secret.
 * - Credential scopes (`X-Amz-Credential`, `Credential=`): only the access key id; key ids (`AWSAccessKeyId`,
 *   `AccessKeyId`, and any AKIA/ASIA… id anywhere): all but the first four characters.
 * - Headers: Authorization (scheme and credential scope kept), Cookie and Set-Cookie (names kept), and every header
 *   whose name contains auth (not author), token, secret, key, signature, session, cookie, passw or credential — except
 *   `Access-Control-*` (their values are header names and origins the diagnosis reads), WWW-/Proxy-Authenticate
 *   challenges and Keep-Alive.
 * - URL userinfo (`https://user:password@host`, `https://<token>@host`): the whole userinfo.
 * - `Bearer`/`Basic`/`Digest`/`Negotiate` credentials and JSON Web Tokens anywhere in text.
 * - Nested values: a value that is percent-encoded (a presigned URL inside `?next=`, once or several times encoded) or
 *   an escaped JSON string is decoded, redacted, and re-encoded when anything in it was masked.
 *
 * Every scan here is linear in its input: hand-written scanners with a cursor that only moves forward, and the few
 * regular expressions left run on short, bounded names or have no ambiguous repetition. `redactWork` counts the steps,
 * so tests assert linearity without timing anything.
 */

export const REDACTED = 'REDACTED';

/** Nested decodings (percent-encoding, escaped JSON) followed before a value is left as it is. */
const MAX_NESTING = 6;

/** Characters visited by the scanners (for the linearity tests; never reset). */
let steps = 0;

/** The number of scanner steps `run` takes: work proportional to its input means a linear redaction. */
export function redactWork(run: () => void): number {
  const before = steps;
  run();
  return steps - before;
}

// ---------------------------------------------------------------------------------------------------------------
// Names

type NameKind = 'secret' | 'keyid' | 'credential' | 'plain';

const CREDENTIAL_NAMES = new Set(['xamzcredential', 'xgoogcredential', 'credential']);
const KEY_ID_NAMES = new Set(['awsaccesskeyid', 'accesskeyid', 'googleaccessid', 'xamzaccesskeyid']);
const SECRET_EXACT = new Set(['sig', 'policy', 'pwd', 'pass', 'passphrase', 'otp']);
const SECRET_WORDS = ['signature', 'token', 'secret', 'password', 'passwd', 'apikey', 'privatekey', 'cookie', 'session', 'authorization', 'jwt'];
const PLAIN_EXACT = new Set(['tokentype']);

function lenientDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    // Malformed sequences elsewhere in the text must not hide the well-formed ones: decode byte by byte.
    return text.replace(/\+/g, ' ').replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

function normalizeName(raw: string): string {
  let name = raw.length > 256 ? raw.slice(0, 256) : raw;
  for (let i = 0; i < MAX_NESTING && name.includes('%'); i++) {
    const decoded = lenientDecode(name);
    if (decoded === name) break;
    name = decoded;
  }
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Names recur (every presigned URL has the same eight): their kinds are remembered. Bounded: emptied when full.
 * Kept for its measured gain (issue 12): triage + JSON report CPU time without it, same machine and period — a warm
 * process on 1 MB bench HARs not seen before 15.1 → 17.7 ms, bench-c.har (2 MB) 47 → 50 ms (a small gain, at the
 * edge of this machine's noise; the same HAR repeated showed none: 3.0 → 2.7 ms).
 */
const knownNames = new Map<string, NameKind>();

/** What a parameter/field/key name says about its value. `inUrl`: a URL's query or fragment, where `key` is an API key. */
function nameKind(raw: string, inUrl: boolean): NameKind {
  if (raw.length > 64) return nameKindOf(raw, inUrl);
  const memo = inUrl ? `1${raw}` : `0${raw}`;
  let kind = knownNames.get(memo);
  if (kind === undefined) {
    kind = nameKindOf(raw, inUrl);
    if (knownNames.size >= 4096) knownNames.clear();
    knownNames.set(memo, kind);
  }
  return kind;
}

function nameKindOf(raw: string, inUrl: boolean): NameKind {
  const name = normalizeName(raw);
  if (name === '' || PLAIN_EXACT.has(name)) return 'plain';
  if (CREDENTIAL_NAMES.has(name)) return 'credential';
  if (KEY_ID_NAMES.has(name)) return 'keyid';
  if (SECRET_EXACT.has(name)) return 'secret';
  if (name === 'key') return inUrl ? 'secret' : 'plain';
  if (name.endsWith('key')) return 'secret';
  for (const word of SECRET_WORDS) if (name.includes(word)) return 'secret';
  return /auth(?!or)/.test(name) ? 'secret' : 'plain';
}

function maskByKind(kind: NameKind, value: string): string {
  if (value.length === 0 || kind === 'plain') return value;
  if (kind === 'keyid') return maskKeyId(value);
  if (kind === 'credential') return maskCredentialScope(value);
  return REDACTED;
}

export function maskKeyId(value: string): string {
  if (value === REDACTED || value.length <= 4) return REDACTED;
  if (value.endsWith(REDACTED)) return value;
  return `${value.slice(0, 4)}${REDACTED}`;
}

/** `AKIA…/20261128/eu-west-1/s3/aws4_request` (slashes raw or as %2F) → `AKIAREDACTED/20261128/eu-west-1/s3/aws4_request`. */
export function maskCredentialScope(value: string): string {
  const match = /\/|%2f/i.exec(value);
  if (!match) return maskKeyId(value);
  return maskKeyId(value.slice(0, match.index)) + value.slice(match.index);
}

// ---------------------------------------------------------------------------------------------------------------
// Headers

const AUTHORIZATION_HEADERS = new Set(['authorization', 'proxy-authorization']);
/** Headers holding a URL or a request target (HTTP/2 `:path` carries the presigned query string). */
const URL_HEADERS = new Set(['location', 'referer', 'content-location', ':path']);
const KEPT_HEADERS = new Set(['www-authenticate', 'proxy-authenticate', 'keep-alive']);

export function isSecretHeaderName(name: string): boolean {
  const lower = name.trim().toLowerCase();
  if (lower.startsWith('access-control-') || KEPT_HEADERS.has(lower)) return false;
  const compact = lower.replace(/[^a-z0-9]/g, '');
  return /auth(?!or)|token|secret|key|signature|session|cookie|passw|credential/.test(compact);
}

/**
 * Authorization: keep the scheme and the credential scope (the region in it explains AuthorizationHeaderMalformed),
 * mask the key id and the signature: `AWS4-HMAC-SHA256 Credential=AKIAREDACTED/…, SignedHeaders=…, Signature=REDACTED`.
 */
export function redactAuthorization(value: string): string {
  const trimmed = value.trim();
  const space = trimmed.indexOf(' ');
  if (space === -1) return REDACTED;
  const scheme = trimmed.slice(0, space);
  const rest = trimmed.slice(space + 1);
  if (/-HMAC-SHA256$/i.test(scheme)) {
    const parts = rest.split(',').map((part) => {
      const eq = part.indexOf('=');
      const key = eq === -1 ? '' : part.slice(0, eq).trim().toLowerCase();
      // Not `Name=value`: a second Authorization header a capture folded into this one (`…, Bearer <token>`).
      if (key === '' || /\s/.test(key)) return part.trim() === '' ? part : `${/^\s*/.exec(part)?.[0] ?? ''}${redactAuthorization(part)}`;
      if (key === 'credential') return `${part.slice(0, eq + 1)}${maskCredentialScope(part.slice(eq + 1).trim())}`;
      if (key === 'signedheaders') return part;
      return `${part.slice(0, eq + 1)}${REDACTED}`;
    });
    return `${scheme} ${parts.join(',')}`;
  }
  if (scheme === 'AWS' || scheme === 'GOOG1') {
    // SigV2: `AWS <key id>:<signature>`
    const colon = rest.indexOf(':');
    return colon === -1 ? `${scheme} ${REDACTED}` : `${scheme} ${maskKeyId(rest.slice(0, colon))}:${REDACTED}`;
  }
  return `${scheme} ${REDACTED}`;
}

/** `a=1; b=2` → `a=REDACTED; b=REDACTED`: which cookies were sent is kept (credentials evidence), not their values. */
export function redactCookieHeader(value: string): string {
  // `;` between cookies, `,` where a capture folded two Cookie headers into one value.
  return value
    .split(/([;,])/)
    .map((part) => {
      const eq = part.indexOf('=');
      return eq === -1 ? part : `${part.slice(0, eq)}=${REDACTED}`;
    })
    .join('');
}

const COOKIE_ATTRIBUTES = new Set(['path', 'domain', 'expires', 'max-age', 'samesite', 'secure', 'httponly', 'priority', 'partitioned']);

/**
 * `name=value; Path=/; HttpOnly` → `name=REDACTED; Path=/; HttpOnly`. Several cookies may share one value (joined by
 * line breaks, or by `, ` when a capture folds repeated headers): every `name=value` that is not a cookie attribute is
 * masked, wherever it stands.
 */
export function redactSetCookie(value: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i <= value.length; i++) {
    const c = i === value.length ? -1 : value.charCodeAt(i);
    if (c !== -1 && c !== 0x3b /* ; */ && c !== 0x2c /* , */ && c !== 0x0a) continue;
    const piece = value.slice(start, i);
    const eq = piece.indexOf('=');
    out += eq === -1 || COOKIE_ATTRIBUTES.has(piece.slice(0, eq).trim().toLowerCase()) ? piece : `${piece.slice(0, eq)}=${REDACTED}`;
    if (c !== -1) out += value[i];
    start = i + 1;
  }
  return out;
}

export function redactHeaderValue(name: string, value: string): string {
  const lower = name.trim().toLowerCase();
  if (AUTHORIZATION_HEADERS.has(lower)) return redactAuthorization(value);
  if (lower === 'cookie') return redactCookieHeader(value);
  if (lower === 'set-cookie') return redactSetCookie(value);
  if (isSecretHeaderName(lower)) return value.length === 0 ? value : REDACTED;
  if (URL_HEADERS.has(lower)) return redactUrl(value);
  return redactText(value);
}

/** A header map with every value redacted (own properties only, so a captured `__proto__` header stays data). */
export function redactHeaders<T extends Record<string, string>>(headers: T): T {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    Object.defineProperty(out, name, { value: redactHeaderValue(name, value), enumerable: true, writable: true, configurable: true });
  }
  return out as T;
}

// ---------------------------------------------------------------------------------------------------------------
// URLs, query strings and `name=value` words

/** Mask the userinfo of every `scheme://userinfo@host` in a word (the userinfo ends at the authority's last `@`). */
function maskUserinfo(word: string): string {
  let at = word.indexOf('://');
  if (at === -1) return word;
  let out = '';
  let last = 0;
  while (at !== -1) {
    const start = at + 3;
    let end = start;
    let lastAt = -1;
    while (end < word.length) {
      const c = word.charCodeAt(end);
      if (c === 0x2f /* / */ || c === 0x3f /* ? */ || c === 0x23 /* # */ || c === 0x5c /* \ */) break;
      if (c === 0x40 /* @ */) lastAt = end;
      end++;
    }
    steps += end - start + 1;
    if (lastAt !== -1 && !(lastAt - start === REDACTED.length && word.startsWith(REDACTED, start))) {
      out += `${word.slice(last, start)}${REDACTED}`;
      last = lastAt;
    }
    at = word.indexOf('://', end);
  }
  return out + word.slice(last);
}

const JWT = /^eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*$/;

/** A value that is not itself named secret: look inside it (nested `name=value`, percent-encoding). */
function redactNested(value: string, inUrl: boolean, depth: number): string {
  if (value.length === 0) return value;
  if (JWT.test(value)) return REDACTED;
  if (depth >= MAX_NESTING) return value;
  let out = value;
  if (out.includes('=')) out = redactPairs(out, inUrl, depth + 1);
  if (out.includes('%')) {
    const decoded = lenientDecode(out);
    if (decoded !== out) {
      const inner = redactTextAt(decoded, depth + 1);
      if (inner !== decoded) return encodeURIComponent(inner);
    }
  }
  return out;
}

/**
 * `a=1&b=2` pieces of a query, a form, a fragment or a word of text: split at `?`, `#`, `&` and `;`. After a `?` or a
 * `#` the pieces are a URL's parameters (where `key` is an API key).
 */
function redactPairs(text: string, inUrl: boolean, depth: number): string {
  let out = '';
  let start = 0;
  let url = inUrl;
  for (let i = 0; i <= text.length; i++) {
    const c = i === text.length ? -1 : text.charCodeAt(i);
    if (c !== -1 && c !== 0x3f /* ? */ && c !== 0x23 /* # */ && c !== 0x26 /* & */ && c !== 0x3b /* ; */) continue;
    steps += i - start + 1;
    out += redactPair(text.slice(start, i), url, depth);
    if (c === -1) break;
    out += text[i];
    if (c === 0x3f || c === 0x23) url = true;
    start = i + 1;
  }
  return out;
}

function redactPair(pair: string, inUrl: boolean, depth: number): string {
  const eq = pair.indexOf('=');
  if (eq === -1) return redactNested(pair, inUrl, depth);
  const name = pair.slice(0, eq);
  const value = pair.slice(eq + 1);
  const kind = nameKind(name, inUrl);
  return `${name}=${kind === 'plain' ? redactNested(value, inUrl, depth) : maskByKind(kind, value)}`;
}

/** A URL (or a request target): userinfo, query and fragment parameters, nested URLs. Everything else is kept as is. */
export function redactUrl(url: string): string {
  if (url.length === 0) return url;
  return maskKeyIds(redactPairs(maskUserinfo(url), false, 0));
}

/** Redact a `a=1&b=2` string (an application/x-www-form-urlencoded body), keeping its exact form otherwise. */
export function redactFormEncoded(text: string): string {
  return maskKeyIds(redactPairs(text, false, 0));
}

/** A HAR `queryString` (inUrl) / `postData.params` item. */
export function redactNamedValue(name: string, value: string, inUrl = false): string {
  const kind = nameKind(name, inUrl);
  return kind === 'plain' ? value : maskByKind(kind, value);
}

// ---------------------------------------------------------------------------------------------------------------
// Free text

/** AWS access key ids anywhere (AKIA long-term, ASIA temporary, and the other IAM unique-id prefixes). */
const AWS_KEY_ID = /\b(?:AKIA|ASIA|AIDA|AROA|ANPA|ANVA|AGPA|ABIA|ACCA)[A-Z0-9]{12,124}\b/g;

function maskKeyIds(text: string): string {
  return text.replace(AWS_KEY_ID, (match: string) => maskKeyId(match));
}

/** Secrets in free text: bodies, console messages, errors, notes, report strings. Idempotent. */
export function redactText(text: string): string {
  return redactTextAt(text, 0);
}

function redactTextAt(text: string, depth: number): string {
  if (text.length === 0) return text;
  steps += text.length;
  let out = text;
  if (out.includes('<')) out = redactXml(out);
  if (out.includes('"')) out = redactJsonStrings(out, depth);
  out = redactLines(out, depth);
  return maskKeyIds(out);
}

function isXmlNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f || c === 0x2e || c === 0x3a;
}

/** `<Token>…</Token>`, `<AWSAccessKeyId>…</AWSAccessKeyId>`: secret elements by name; S3's `<Key>` stays. */
function redactXml(text: string): string {
  let out = '';
  let last = 0;
  let open = text.indexOf('<');
  while (open !== -1) {
    let end = open + 1;
    while (end < text.length && isXmlNameChar(text.charCodeAt(end))) end++;
    steps += end - open;
    if (end > open + 1 && text.charCodeAt(end) === 0x3e /* > */) {
      const tag = text.slice(open + 1, end);
      const kind = nameKind(tag, false);
      const next = text.indexOf('<', end + 1);
      if (next === -1) break;
      steps += next - end;
      if (kind !== 'plain' && text.startsWith(`</${tag}>`, next)) {
        out += text.slice(last, end + 1) + maskByKind(kind, text.slice(end + 1, next));
        last = next;
      }
      open = next;
    } else {
      open = text.indexOf('<', end);
    }
  }
  return out + text.slice(last);
}

/** Index of the quote closing the JSON string opened at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i++;
    else if (c === 0x22 /* " */) {
      steps += i - open;
      return i;
    } else if (c === 0x0a) {
      steps += i - open;
      return -2; // JSON strings do not span lines: not a string, carry on after the line break
    }
  }
  steps += text.length - open;
  return -1;
}

function jsonString(raw: string): string | null {
  try {
    const value: unknown = JSON.parse(`"${raw}"`);
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** `"secretName": "value"` pairs, and escaped strings that hide a URL or JSON (`https:\/\/…`, `"{\"password\":…}"`). */
function redactJsonStrings(text: string, depth: number): string {
  let out = '';
  let last = 0;
  let open = text.indexOf('"');
  while (open !== -1) {
    const end = stringEnd(text, open);
    if (end === -1) break;
    if (end === -2) {
      open = text.indexOf('"', text.indexOf('\n', open));
      continue;
    }
    let k = end + 1;
    while (k < text.length && isSpace(text.charCodeAt(k))) k++;
    steps += k - end;
    if (text.charCodeAt(k) === 0x3a /* : */) {
      let v = k + 1;
      while (v < text.length && isSpace(text.charCodeAt(v))) v++;
      steps += v - k;
      const rawKey = text.slice(open + 1, end);
      const kind = nameKind(rawKey.includes('\\') ? (jsonString(rawKey) ?? rawKey) : rawKey, false);
      if (text.charCodeAt(v) !== 0x22) {
        open = text.indexOf('"', v);
        continue;
      }
      if (kind !== 'plain') {
        let valueEnd = stringEnd(text, v);
        // An unterminated value (a cut body, a quoted fragment) is a secret to the end of its line.
        if (valueEnd === -1) valueEnd = text.length;
        else if (valueEnd === -2) valueEnd = text.indexOf('\n', v) - (text.charCodeAt(text.indexOf('\n', v) - 1) === 0x0d ? 1 : 0);
        out += text.slice(last, v + 1) + maskByKind(kind, text.slice(v + 1, valueEnd));
        last = valueEnd;
        open = text.indexOf('"', valueEnd + 1);
        continue;
      }
      open = v;
      continue;
    }
    const raw = text.slice(open + 1, end);
    if (depth < MAX_NESTING && raw.includes('\\')) {
      const decoded = jsonString(raw);
      if (decoded !== null) {
        const inner = redactTextAt(decoded, depth + 1);
        if (inner !== decoded) {
          out += text.slice(last, open) + JSON.stringify(inner);
          last = end + 1;
        }
      }
    }
    open = text.indexOf('"', end + 1);
  }
  return out + text.slice(last);
}

function isHeaderNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f;
}

function headerToRedact(name: string): boolean {
  const lower = name.toLowerCase();
  return AUTHORIZATION_HEADERS.has(lower) || lower === 'cookie' || lower === 'set-cookie' || isSecretHeaderName(lower);
}

/** Line by line: a header line (`Authorization: …`, `X-Custom-Auth: …`) by the header's rule, any other by its words. */
function redactLines(text: string, depth: number): string {
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    steps += end - start + 1;
    out.push(redactLine(text.slice(start, end), depth));
    if (newline === -1) break;
    start = newline + 1;
  }
  return out.join('\n');
}

function redactLine(line: string, depth: number): string {
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 0x20 || line.charCodeAt(i) === 0x09)) i++;
  const nameStart = i;
  while (i < line.length && isHeaderNameChar(line.charCodeAt(i))) i++;
  const nameEnd = i;
  while (i < line.length && (line.charCodeAt(i) === 0x20 || line.charCodeAt(i) === 0x09)) i++;
  steps += i;
  if (nameEnd > nameStart && line.charCodeAt(i) === 0x3a /* : */) {
    const name = line.slice(nameStart, nameEnd);
    if (headerToRedact(name)) {
      i++;
      while (i < line.length && (line.charCodeAt(i) === 0x20 || line.charCodeAt(i) === 0x09)) i++;
      const cr = line.endsWith('\r') ? '\r' : '';
      const value = line.slice(i, line.length - cr.length);
      return `${line.slice(0, i)}${value.length === 0 ? '' : redactHeaderValue(name, value)}${cr}`;
    }
  }
  return redactWords(line, depth);
}

/** Word delimiters in free text: white space, quotes, angle and other brackets, backslashes. */
function isDelimiter(c: number): boolean {
  return (
    c === 0x20 ||
    c === 0x09 ||
    c === 0x0d ||
    c === 0x0a ||
    c === 0x0c ||
    c === 0x0b ||
    c === 0x22 ||
    c === 0x27 ||
    c === 0x60 ||
    c === 0x3c ||
    c === 0x3e ||
    c === 0x28 ||
    c === 0x29 ||
    c === 0x5b ||
    c === 0x5d ||
    c === 0x7b ||
    c === 0x7d ||
    c === 0x5c
  );
}

const AUTH_SCHEMES = new Set(['bearer', 'basic', 'digest', 'negotiate']);
/** A credential after an auth scheme: has a digit or token punctuation, or is long (not an ordinary word). */
function looksLikeCredential(word: string): boolean {
  return word !== REDACTED && (/[0-9._~+/=-]/.test(word) || word.length >= 12);
}
/** Punctuation after a word (`…Signature=abc.`, `Credential=…,`): kept outside what is masked. */
function trailingOf(word: string): string {
  let end = word.length;
  for (;;) {
    const c = word.charCodeAt(end - 1);
    if (c !== 0x2c && c !== 0x2e && c !== 0x3b && c !== 0x3a && c !== 0x21) break;
    end--;
  }
  return end === word.length ? '' : word.slice(end);
}

function isAuthScheme(word: string): boolean {
  return word.length >= 5 && word.length <= 9 && AUTH_SCHEMES.has(word.toLowerCase());
}
const SIGV2_VALUE = /^((?:AKIA|ASIA|GOOG)[A-Z0-9]{8,124}):(.+)$/;

/**
 * The words of a line of text. A word is a URL or a run of `name=value` pairs (each by its name's rule, nested values
 * looked into); `Name:` with a secret name masks the next word (the next `name=value;` words for a cookie); an auth
 * scheme masks the credential after it.
 */
function redactWords(line: string, depth: number): string {
  let out = '';
  let last = 0;
  let i = 0;
  /** What the next word is: a secret value, cookies, a credential after a scheme, or nothing special. */
  type Expecting = 'value' | 'cookie' | 'credential' | 'assign' | null;
  let next: Expecting = null;
  while (i < line.length) {
    const from = i;
    while (i < line.length && isDelimiter(line.charCodeAt(i))) i++;
    const start = i;
    while (i < line.length && !isDelimiter(line.charCodeAt(i))) i++;
    steps += i - from + 1;
    if (start === i) break;
    const word = line.slice(start, i);
    const trailing = trailingOf(word);
    const core = trailing ? word.slice(0, word.length - trailing.length) : word;
    let replaced = word;
    const expecting: Expecting = next;
    next = null;
    if (expecting === 'value' || expecting === 'credential') {
      if (isAuthScheme(core)) next = 'credential';
      else if (/-HMAC-SHA256$/i.test(core) || core === 'AWS' || core === 'GOOG1') next = null;
      else if (core === '=' || core === '') next = expecting;
      else if (expecting === 'value' || looksLikeCredential(core)) replaced = `${REDACTED}${trailing}`;
      if (core === 'AWS' || core === 'GOOG1') next = null;
    } else if (expecting === 'cookie') {
      const eq = core.indexOf('=');
      if (eq !== -1) {
        replaced = `${core.slice(0, eq)}=${REDACTED}${trailing}`;
        if (trailing.includes(';')) next = 'cookie';
      } else {
        replaced = redactWord(word, depth);
      }
    } else if (expecting === 'assign' && word === '=') {
      next = 'value';
    } else if (trailing === '' && isAuthScheme(core)) {
      next = 'credential';
    } else if (word.endsWith(':') && !core.includes('=') && !core.includes('/') && core.length > 0) {
      const lower = core.toLowerCase();
      if (lower === 'cookie' || lower === 'set-cookie') next = 'cookie';
      else if (secretBeforeColon(lower)) next = 'value';
      else replaced = redactWord(word, depth);
    } else {
      if (trailing === '' && equalsFollows(line, i) && !core.includes('=') && !core.includes('/') && nameKind(core, false) === 'secret') next = 'assign';
      replaced = redactWord(word, depth);
    }
    if (replaced !== word) {
      out += line.slice(last, start) + replaced;
      last = i;
    }
  }
  return out + line.slice(last);
}

/**
 * `Name:` in text whose next word is a secret: header-like names (Authorization, X-Custom-Auth, X-Api-Key, token,
 * password). Not a bare `key:` (an object key), nor `policy:` (prose: "blocked by CORS policy: Response to …").
 */
function secretBeforeColon(lower: string): boolean {
  if (AUTHORIZATION_HEADERS.has(lower)) return true;
  if (lower === 'key') return false;
  return isSecretHeaderName(lower) || /^(?:pwd|pass|passwd|passphrase)$/.test(lower);
}

/** `name = value`: the next thing after the word at `end` (past blanks) is a lone `=`. */
function equalsFollows(line: string, end: number): boolean {
  let i = end;
  while (i < line.length && (line.charCodeAt(i) === 0x20 || line.charCodeAt(i) === 0x09)) i++;
  return line.charCodeAt(i) === 0x3d && (i + 1 === line.length || line.charCodeAt(i + 1) === 0x20 || line.charCodeAt(i + 1) === 0x09);
}

/** One word of text: userinfo, `name=value` pairs, SigV2 `AKIA…:signature`, tokens. */
function redactWord(word: string, depth: number): string {
  const trailing = trailingOf(word);
  const core = trailing ? word.slice(0, word.length - trailing.length) : word;
  const sigV2 = SIGV2_VALUE.exec(core);
  if (sigV2) return `${maskKeyId(sigV2[1] ?? '')}:${REDACTED}${trailing}`;
  if (!core.includes('=') && !core.includes('%') && !core.includes('://') && !core.startsWith('eyJ')) return word;
  const redacted = redactPairs(maskUserinfo(core), false, depth);
  return redacted === core ? word : `${redacted}${trailing}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Bodies

/**
 * Redacted texts of recent inputs. The same finding messages, details, fixes and gaps recur in every request of one
 * cause, and a report redacts once more what the diagnosis already redacted (a text without secrets is its own
 * redaction, so the report finds it here). redactText is a pure function of its input. Bounded: emptied when full.
 * Kept for its measured gain (issue 12): triage + JSON report CPU time without it, same machine and period — a warm
 * process on 1 MB bench HARs not seen before 18.3 → 34.1 ms, the same HAR repeated 4.7 → 9.0 ms, bench-c.har (2 MB)
 * 83 → 155 ms. Module-level because the diagnosis and the reports that redact the same texts are separate calls.
 */
const rememberedTexts = new Map<string, string>();
const REMEMBERED_TEXTS = 2048;
/** Longer texts (an S3 body quoted whole) are redacted every time, so the memory held stays small. */
const REMEMBERED_TEXT_LENGTH = 4096;

/** redactText, remembering recent answers. */
export function redactTextRemembered(text: string): string {
  if (text.length > REMEMBERED_TEXT_LENGTH) return redactText(text);
  const known = rememberedTexts.get(text);
  if (known !== undefined) return known;
  const redacted = redactText(text);
  if (rememberedTexts.size >= REMEMBERED_TEXTS) rememberedTexts.clear();
  rememberedTexts.set(text, redacted);
  return redacted;
}

function multipartBoundary(text: string, mimeType: string): string | null {
  const declared = /boundary=(?:"([^"\r\n]{1,200})"|([^\s;,]{1,200}))/i.exec(mimeType.length > 1000 ? mimeType.slice(0, 1000) : mimeType);
  if (declared) return declared[1] ?? declared[2] ?? '';
  if (!text.startsWith('--')) return null;
  const end = text.search(/\r?\n/);
  const first = (end === -1 ? text : text.slice(0, end)).slice(2).trim();
  return first.length > 0 && first.length <= 200 ? first : null;
}

/**
 * Form fields of a multipart body (an S3 POST upload: policy, signature, credential, token): each part's value by the
 * rule of its field name, the others through the free-text redaction. A linear scan from one boundary to the next.
 */
export function redactMultipart(text: string, mimeType = ''): string {
  const boundary = multipartBoundary(text, mimeType);
  if (boundary === null) return redactText(text);
  const delimiter = `--${boundary}`;
  let position = text.indexOf(delimiter);
  steps += position === -1 ? text.length : position + 1;
  if (position === -1) return redactText(text);
  const out: string[] = [redactText(text.slice(0, position))];
  while (position !== -1) {
    const bodyStart = position + delimiter.length;
    const nextDelimiter = text.indexOf(delimiter, bodyStart);
    steps += (nextDelimiter === -1 ? text.length : nextDelimiter) - position + 1;
    const part = text.slice(bodyStart, nextDelimiter === -1 ? text.length : nextDelimiter);
    out.push(delimiter, redactPart(part));
    position = nextDelimiter;
  }
  return out.join('');
}

function redactPart(part: string): string {
  const crlf = part.indexOf('\r\n\r\n');
  const lf = part.indexOf('\n\n');
  const headEnd = crlf !== -1 && (lf === -1 || crlf < lf) ? crlf + 4 : lf !== -1 ? lf + 2 : -1;
  if (headEnd === -1) return redactText(part);
  const head = part.slice(0, headEnd);
  let body = part.slice(headEnd);
  let tail = '';
  if (body.endsWith('\r\n')) tail = '\r\n';
  else if (body.endsWith('\n')) tail = '\n';
  body = body.slice(0, body.length - tail.length);
  const nameAt = head.indexOf('name="');
  const name = nameAt === -1 ? '' : head.slice(nameAt + 6, Math.max(nameAt + 6, head.indexOf('"', nameAt + 6)));
  const kind = nameKind(name, false);
  return redactText(head) + (kind === 'plain' ? redactText(body) : maskByKind(kind, body)) + tail;
}

/** A request or response body, by its MIME type. */
export function redactBody(text: string, mimeType = ''): string {
  if (/x-www-form-urlencoded/i.test(mimeType)) return redactFormEncoded(text);
  if (/multipart\//i.test(mimeType)) return redactMultipart(text, mimeType);
  return redactText(text);
}
