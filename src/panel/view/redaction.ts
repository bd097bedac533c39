/**
 * The panel's one door to redaction: every URL and header map that leaves the panel (clipboard, report file)
 * passes through here. Presigned URLs carry live credentials (issue 6): the SigV4 and SigV2 query parameters and
 * session tokens are masked; X-Amz-Date and X-Amz-Expires stay because expiry diagnoses need them.
 */
import type { HeaderMap } from '../../core/http/index.js';

export const REDACTED = 'REDACTED';

const SECRET_QUERY_PARAMETERS = new Set([
  'x-amz-credential',
  'x-amz-signature',
  'x-amz-security-token',
  'awsaccesskeyid',
  'signature',
  'x-goog-credential',
  'x-goog-signature',
]);

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-amz-security-token']);

/** The URL with every credential-bearing query parameter's value replaced; other parameters keep their encoding. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const hashStart = url.indexOf('#', queryStart);
  const query = url.slice(queryStart + 1, hashStart < 0 ? undefined : hashStart);
  const fragment = hashStart < 0 ? '' : url.slice(hashStart);
  const parameters = query.split('&').map((pair) => {
    const equals = pair.indexOf('=');
    const rawName = equals < 0 ? pair : pair.slice(0, equals);
    let name = rawName;
    try {
      name = decodeURIComponent(rawName);
    } catch {
      // A malformed escape: compare the name as written.
    }
    return SECRET_QUERY_PARAMETERS.has(name.toLowerCase()) ? `${rawName}=${REDACTED}` : pair;
  });
  return `${url.slice(0, queryStart)}?${parameters.join('&')}${fragment}`;
}

export function redactHeaders(headers: HeaderMap): HeaderMap {
  const out: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : value;
  return out;
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s'"<>`]+/gi;
const CREDENTIAL_ASSIGNMENT = /\b(X-Amz-Credential|X-Amz-Signature|X-Amz-Security-Token|AWSAccessKeyId|Signature)=[^&\s'"<>`]+/gi;
/** S3's SignatureDoesNotMatch body echoes the key id, the signature and what was signed. */
const SIGNATURE_ERROR_ELEMENT = /<(AWSAccessKeyId|SignatureProvided|StringToSign|StringToSignBytes|CanonicalRequest|CanonicalRequestBytes)>[^<]*<\/\1>/g;

/**
 * Free text (finding evidence, console messages, S3 error bodies) quotes URLs and headers verbatim, so every URL in
 * it is redacted and any credential parameter outside a URL too.
 */
export function redactText(text: string): string {
  return text
    .replace(URL_IN_TEXT, (url) => redactUrl(url))
    .replace(CREDENTIAL_ASSIGNMENT, (_match, name: string) => `${name}=${REDACTED}`)
    .replace(SIGNATURE_ERROR_ELEMENT, (_match, element: string) => `<${element}>${REDACTED}</${element}>`);
}
