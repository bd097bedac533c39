/**
 * Evidence is stored without secrets: cookies, Authorization signatures and key ids, security tokens and presigned
 * signatures are masked before anything reaches storage.session (the core's redaction keeps what the diagnosis reads:
 * which headers were present, the credential scope's region and date, X-Amz-Date/Expires). Masking is idempotent, so
 * both capture sources scrub a URL to the same text and their views of one request still merge.
 */
import { redactHeaderValue, redactText, redactUrl } from '../core/redact/index.js';
import type { HeaderMap } from '../core/http/index.js';
import type { ObservedExchange, ObservedRequest, ObservedResponse } from '../core/evidence/types.js';

function scrubHeaders(headers: HeaderMap): HeaderMap {
  const out: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) out[name] = redactHeaderValue(name, value);
  return out;
}

function scrubRequest(request: ObservedRequest): ObservedRequest {
  return { ...request, url: redactUrl(request.url), headers: scrubHeaders(request.headers) };
}

function scrubResponse(response: ObservedResponse | undefined): ObservedResponse | undefined {
  if (!response) return undefined;
  return { ...response, headers: scrubHeaders(response.headers), ...(response.body !== undefined ? { body: redactText(response.body) } : {}) };
}

export function scrubSecrets(exchange: ObservedExchange): ObservedExchange {
  const scrubbed: ObservedExchange = { ...exchange, request: scrubRequest(exchange.request) };
  if (exchange.response) scrubbed.response = scrubResponse(exchange.response);
  if (exchange.preflight) scrubbed.preflight = { ...exchange.preflight, request: scrubRequest(exchange.preflight.request), response: scrubResponse(exchange.preflight.response) };
  return scrubbed;
}
