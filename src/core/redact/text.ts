/**
 * Redaction: mask credentials, signatures, tokens and cookies in URLs, headers, POST forms, bodies and whole HAR
 * entries, while keeping everything the diagnosis reads (the region/date/service of a credential scope, which
 * parameters and headers were present, S3 error codes and messages). Masking is idempotent, so a report made from a
 * redacted HAR equals the report made from the original.
 */

export const REDACTED = 'REDACTED';

/** Query parameters and form fields whose whole value is a secret. */
const SECRET_PARAMS = new Set([
  'x-amz-signature',
  'x-amz-security-token',
  'signature',
  'x-goog-signature',
  'x-goog-security-token',
  'policy',
  'sig',
  'token',
  'access_token',
  'id_token',
  'refresh_token',
]);
/** Access key ids: the first four characters (AKIA long-term, ASIA temporary) stay, the rest is masked. */
const KEY_ID_PARAMS = new Set(['awsaccesskeyid', 'googleaccessid']);
/** Credential scopes `<key id>/<date>/<region>/<service>/<terminator>`: only the key id is masked. */
const CREDENTIAL_PARAMS = new Set(['x-amz-credential', 'x-goog-credential']);

/** Headers whose whole value is a secret. */
const SECRET_HEADERS = new Set([
  'x-amz-security-token',
  'x-amz-server-side-encryption-customer-key',
  'x-amz-copy-source-server-side-encryption-customer-key',
  'x-goog-encryption-key',
  'x-goog-copy-source-encryption-key',
  'x-api-key',
  'x-auth-token',
  'x-csrf-token',
  'x-xsrf-token',
]);
const AUTHORIZATION_HEADERS = new Set(['authorization', 'proxy-authorization']);
/** Headers holding a URL or a request target (HTTP/2 `:path` carries the presigned query string). */
const URL_HEADERS = new Set(['location', 'referer', 'content-location', ':path']);

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

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Redact one `name=value` pair of a query string or urlencoded form, given the raw (encoded) name. */
function redactParam(rawName: string, rawValue: string): string {
  const name = safeDecode(rawName).trim().toLowerCase();
  if (SECRET_PARAMS.has(name)) return REDACTED;
  if (KEY_ID_PARAMS.has(name)) return maskKeyId(rawValue);
  if (CREDENTIAL_PARAMS.has(name)) return maskCredentialScope(rawValue);
  return rawValue;
}

/** Redact a `a=1&b=2` string (query or application/x-www-form-urlencoded body), keeping its exact form otherwise. */
export function redactFormEncoded(text: string): string {
  return text
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      const rawName = pair.slice(0, eq);
      return `${rawName}=${redactParam(rawName, pair.slice(eq + 1))}`;
    })
    .join('&');
}

/** `https://user:password@host` — the password of a URL's userinfo. */
const USERINFO_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@:]*):[^/?#@]*@/i;

/** Redact a URL's query (SigV4, SigV2, GCS presigned parameters, security tokens). Everything else is untouched. */
export function redactUrl(url: string): string {
  const withoutPassword = url.replace(USERINFO_PASSWORD, (_m, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`);
  const query = withoutPassword.indexOf('?');
  if (query === -1) return withoutPassword;
  const hash = withoutPassword.indexOf('#', query);
  const end = hash === -1 ? withoutPassword.length : hash;
  return withoutPassword.slice(0, query + 1) + redactFormEncoded(withoutPassword.slice(query + 1, end)) + withoutPassword.slice(end);
}

/** A HAR `queryString` / `postData.params` item. */
export function redactNamedValue(name: string, value: string): string {
  const lower = name.trim().toLowerCase();
  if (SECRET_PARAMS.has(lower)) return REDACTED;
  if (KEY_ID_PARAMS.has(lower)) return maskKeyId(value);
  if (CREDENTIAL_PARAMS.has(lower)) return maskCredentialScope(value);
  return value;
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
      if (eq === -1) return part;
      const key = part.slice(0, eq).trim().toLowerCase();
      if (key === 'credential') return `${part.slice(0, eq + 1)}${maskCredentialScope(part.slice(eq + 1).trim())}`;
      if (key === 'signature') return `${part.slice(0, eq + 1)}${REDACTED}`;
      return part;
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
  return value
    .split(';')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq === -1 ? part : `${part.slice(0, eq)}=${REDACTED}`;
    })
    .join(';');
}

/** `name=value; Path=/; HttpOnly` → `name=REDACTED; Path=/; HttpOnly` (one cookie per Set-Cookie line). */
export function redactSetCookie(value: string): string {
  return value
    .split('\n')
    .map((line) => {
      const semicolon = line.indexOf(';');
      const first = semicolon === -1 ? line : line.slice(0, semicolon);
      const eq = first.indexOf('=');
      if (eq === -1) return line;
      return `${first.slice(0, eq)}=${REDACTED}${semicolon === -1 ? '' : line.slice(semicolon)}`;
    })
    .join('\n');
}

function isSecretHeaderName(lower: string): boolean {
  if (SECRET_HEADERS.has(lower)) return true;
  return /(?:^|-)(?:token|secret|password|api-?key|session-?id)(?:$|-)/.test(lower) && !lower.startsWith('access-control-');
}

export function redactHeaderValue(name: string, value: string): string {
  const lower = name.trim().toLowerCase();
  if (AUTHORIZATION_HEADERS.has(lower)) return redactAuthorization(value);
  if (lower === 'cookie') return redactCookieHeader(value);
  if (lower === 'set-cookie') return redactSetCookie(value);
  if (isSecretHeaderName(lower)) return REDACTED;
  if (URL_HEADERS.has(lower)) return redactUrl(value);
  return redactText(value);
}

const XML_SECRET_ELEMENTS = 'Token|SessionToken|SecurityToken|SecretAccessKey|SecretKey|SignatureProvided|Signature|Policy|Password';
const XML_KEY_ID_ELEMENTS = 'AccessKeyId|AWSAccessKeyId|GoogleAccessId';
const XML_SECRET = new RegExp(`<(${XML_SECRET_ELEMENTS})>([^<]*)</\\1>`, 'g');
const XML_KEY_ID = new RegExp(`<(${XML_KEY_ID_ELEMENTS})>([^<]*)</\\1>`, 'g');
const JSON_SECRET = /"((?:[A-Za-z]*_)?(?:[Aa]uthorization|[Cc]ookie|[Ss]ession[_]?[Tt]oken|[Ss]ecret[_]?[Aa]ccess[_]?[Kk]ey|[Ss]ecret[_]?[Kk]ey|[Aa]ccess[_]?[Tt]oken|[Rr]efresh[_]?[Tt]oken|[Ii]d[_]?[Tt]oken|[Tt]oken|[Pp]assword|[Ss]ignature|[Pp]olicy))"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
const JSON_KEY_ID = /"((?:[Aa]ws)?_?[Aa]ccess[_]?[Kk]ey[_]?[Ii]d|AWSAccessKeyId)"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
/** `aws_secret_access_key = …`, `X-Amz-Signature=…` in free text (shell snippets, CanonicalRequest, HTML). */
const ASSIGNED_SECRET =
  /\b(aws_secret_access_key|aws_session_token|x-amz-signature|x-amz-security-token|x-goog-signature|signature)(\s*[=:]\s*)([^\s&"'<>,;]+)/gi;
const ASSIGNED_CREDENTIAL = /\b(x-amz-credential|x-goog-credential|credential)(\s*=\s*)([^\s&"'<>,;]+)/gi;
const ASSIGNED_KEY_ID = /\b(awsaccesskeyid|aws_access_key_id|googleaccessid)(\s*[=:]\s*)([^\s&"'<>,;]+)/gi;
/** Header lines in pasted dumps (`Authorization: …`, `Cookie: …`), one per line. */
const HEADER_LINE =
  /^([ \t]*)(authorization|proxy-authorization|cookie|set-cookie|x-amz-security-token|x-amz-server-side-encryption-customer-key)([ \t]*:[ \t]*)([^\r\n]*)$/gim;
/** AWS access key ids anywhere (AKIA long-term, ASIA temporary, and the other IAM unique-id prefixes). */
const AWS_KEY_ID = /\b(AKIA|ASIA|AIDA|AROA|ANPA|ANVA|AGPA|ABIA|ACCA)[A-Z0-9]{12,124}\b/g;

/** Secrets in free text: bodies, console messages, report strings. Idempotent. */
export function redactText(text: string): string {
  if (text.length === 0) return text;
  let out = text;
  if (out.includes('<')) {
    out = out.replace(XML_SECRET, (_m, tag: string, value: string) => `<${tag}>${value.length === 0 ? '' : REDACTED}</${tag}>`);
    out = out.replace(XML_KEY_ID, (_m, tag: string, value: string) => `<${tag}>${value.length === 0 ? '' : maskKeyId(value)}</${tag}>`);
  }
  if (out.includes('"')) {
    out = out.replace(JSON_SECRET, (_m, key: string, sep: string, value: string) => `"${key}"${sep}"${value.length === 0 ? '' : REDACTED}"`);
    out = out.replace(JSON_KEY_ID, (_m, key: string, sep: string, value: string) => `"${key}"${sep}"${maskKeyId(value)}"`);
  }
  if (out.includes(':')) {
    out = out.replace(HEADER_LINE, (_m, indent: string, name: string, sep: string, value: string) => `${indent}${name}${sep}${redactHeaderValue(name, value)}`);
  }
  out = out.replace(ASSIGNED_SECRET, (_m, key: string, sep: string) => `${key}${sep}${REDACTED}`);
  out = out.replace(ASSIGNED_CREDENTIAL, (_m, key: string, sep: string, value: string) => `${key}${sep}${maskCredentialScope(value)}`);
  out = out.replace(ASSIGNED_KEY_ID, (_m, key: string, sep: string, value: string) => `${key}${sep}${maskKeyId(value)}`);
  out = out.replace(AWS_KEY_ID, (match: string) => maskKeyId(match));
  return out;
}

/**
 * Redacted texts of recent inputs. The same finding messages, details, fixes and gaps recur in every request of one
 * cause, and a report redacts once more what the diagnosis already redacted (a text without secrets is its own
 * redaction, so the report finds it here). redactText is a pure function of its input. Bounded: emptied when full.
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

/** Form fields of an S3 POST upload (policy, signature, credential, token) in a multipart body. */
const MULTIPART_FIELD = /(name="([^"]*)"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n)([\s\S]*?)(?=\r?\n--)/g;

export function redactMultipart(text: string): string {
  return text.replace(MULTIPART_FIELD, (_m, head: string, name: string, value: string) => head + redactText(redactNamedValue(name, value)));
}

/** A request or response body, by its MIME type. */
export function redactBody(text: string, mimeType = ''): string {
  if (/x-www-form-urlencoded/i.test(mimeType)) return redactFormEncoded(text);
  if (/multipart\/form-data/i.test(mimeType)) return redactMultipart(text);
  return redactText(text);
}
