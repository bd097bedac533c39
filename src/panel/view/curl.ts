/**
 * "Copy as cURL" for the preflight: the OPTIONS request the browser sent (or would send), so a user can replay
 * S3's answer from a terminal. Preflights carry no credentials (Fetch standard, CORS-preflight fetch step 1), so
 * the command needs none; the URL and every header copied pass the one redactor before they reach the clipboard.
 */
import type { CapturedRow } from '../model.js';
import { getHeader, type HeaderMap } from '../../core/http/index.js';
import { redactHeaderValue, redactUrl } from './redaction.js';

/** POSIX shell single quoting: nothing inside is special except the quote itself, closed, escaped and reopened. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface PreflightCommand {
  command: string;
  /** Where the preflight came from, so the UI can say whether it was observed or reconstructed. */
  basis: 'captured' | 'modelled' | 'reconstructed';
}

interface PreflightParts {
  url: string;
  origin: string | undefined;
  method: string;
  requestHeaders: string | undefined;
}

function partsFrom(url: string, headers: HeaderMap): PreflightParts {
  return {
    url,
    origin: getHeader(headers, 'origin'),
    method: getHeader(headers, 'access-control-request-method') ?? 'GET',
    requestHeaders: getHeader(headers, 'access-control-request-headers'),
  };
}

export function buildPreflightCurl(row: CapturedRow): PreflightCommand {
  const { exchange, diagnosis } = row;
  let parts: PreflightParts;
  let basis: PreflightCommand['basis'];
  if (exchange.preflight) {
    parts = partsFrom(exchange.preflight.request.url, exchange.preflight.request.headers);
    basis = 'captured';
  } else if (diagnosis.browser?.preflight) {
    parts = partsFrom(diagnosis.browser.preflight.request.url, diagnosis.browser.preflight.request.headers);
    basis = 'modelled';
  } else {
    // No preflight seen or modelled (a simple request, or evidence without one): send what the browser would
    // have asked for this method, so S3's CORS rules are still exercised.
    parts = {
      url: exchange.request.url,
      origin: exchange.pageOrigin ?? getHeader(exchange.request.headers, 'origin'),
      method: exchange.request.method,
      requestHeaders: undefined,
    };
    basis = 'reconstructed';
  }
  const args = ['curl', '-i', '-X', 'OPTIONS'];
  const header = (name: string, value: string) => args.push('-H', shellQuote(`${name}: ${redactHeaderValue(name, value)}`));
  if (parts.origin) header('Origin', parts.origin);
  header('Access-Control-Request-Method', parts.method);
  if (parts.requestHeaders) header('Access-Control-Request-Headers', parts.requestHeaders);
  args.push(shellQuote(redactUrl(parts.url)));
  return { command: args.join(' '), basis };
}
