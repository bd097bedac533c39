/**
 * The likely cause of a blocked request while the bucket's configuration is unknown, read from the evidence alone:
 * non-standard names in the preflight's Access-Control-Request-Headers (S3 allows each only if a rule lists it),
 * a method other than GET/HEAD/POST (a rule must list it), an origin the response did not echo. It is a guess from
 * what is typical, so the panel marks it "likely" and offers the step that confirms it (probe, or the policy).
 */
import { getHeader } from '../../core/http/index.js';
import { isCorsSafelistedMethod } from '../../core/fetch/safelist.js';
import type { CapturedRow } from '../model.js';

export interface LikelyCause {
  kind: 'headers' | 'method' | 'origin';
  /** One sentence, plain words, with `code` spans. */
  text: string;
}

/** Request headers every CORS configuration copes with: the CORS-safelisted names (their values may still not be). */
const STANDARD_HEADERS = new Set(['accept', 'accept-language', 'content-language', 'content-type', 'range']);

function requestedHeaders(row: CapturedRow): string[] {
  const { exchange } = row;
  const listed = getHeader(exchange.preflight?.request.headers, 'access-control-request-headers');
  if (listed === undefined) {
    // No preflight captured (a HAR, Firefox's capture): the request's own headers, but only names a page script
    // sets — the browser adds others (priority, cache-control…) that say nothing about the cause.
    return Object.keys(exchange.request.headers ?? {})
      .map((name) => name.toLowerCase())
      .filter((name) => name.startsWith('x-') || name === 'authorization');
  }
  return listed
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
}

/** The likely causes, most likely first; empty when the outcome is not a block or the configuration is known. */
export function likelyCauses(row: CapturedRow, configKnown: boolean): LikelyCause[] {
  const { exchange, diagnosis } = row;
  if (configKnown || diagnosis.trace.length > 0) return [];
  if (diagnosis.outcome !== 'blocked' && diagnosis.outcome !== 'unknown') return [];
  const causes: LikelyCause[] = [];
  const custom = requestedHeaders(row).filter((name) => !STANDARD_HEADERS.has(name));
  if (custom.length > 0) {
    const names = custom.map((name) => `\`${name}\``).join(', ');
    causes.push({
      kind: 'headers',
      text:
        custom.length === 1
          ? `The request sends the non-standard header ${names}; S3 allows it only if the matching CORS rule lists it in AllowedHeaders.`
          : `The request sends the non-standard headers ${names}; S3 allows them only if the matching CORS rule lists every one in AllowedHeaders.`,
    });
  }
  const method = (getHeader(exchange.preflight?.request.headers, 'access-control-request-method') ?? exchange.request.method).toUpperCase();
  if (!isCorsSafelistedMethod(method)) {
    causes.push({ kind: 'method', text: `The request uses the method \`${method}\`; S3 allows it only if the matching CORS rule lists it in AllowedMethods.` });
  }
  const origin = exchange.pageOrigin ?? getHeader(exchange.request.headers, 'origin');
  const answered = [exchange.preflight?.response, exchange.response].find(
    (response) => response !== undefined && response !== null && response.status >= 200 && response.status < 300,
  );
  if (origin && answered) {
    const echoed = getHeader(answered.headers, 'access-control-allow-origin');
    if (echoed === undefined || (echoed !== '*' && echoed !== origin)) {
      causes.push({
        kind: 'origin',
        text:
          echoed === undefined
            ? `S3 answered without \`Access-Control-Allow-Origin\`: no CORS rule allows the origin \`${origin}\`.`
            : `S3 allowed \`${echoed}\`, not the page's origin \`${origin}\`.`,
      });
    }
  }
  // Origin evidence is direct; put it first when present.
  return causes.sort((a, b) => (a.kind === 'origin' ? -1 : 0) - (b.kind === 'origin' ? -1 : 0));
}
