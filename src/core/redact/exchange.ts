/**
 * Redacting evidence and HTTP messages: what the live capture stores, what `explain` prints. Every field that can carry
 * a URL, a header or a secret goes through the one redactor (text.ts); what the diagnosis reads is kept, and masking is
 * idempotent, so two capture sources scrub one request to the same text and their views of it still merge.
 */
import type { HeaderMap } from '../http/index.js';
import type { ObservedExchange, ObservedRequest, ObservedResponse } from '../evidence/types.js';
import { redactHeaders, redactText, redactUrl } from './text.js';

/** A request (method, URL, headers, any other field kept): URL and header values redacted. */
export function redactHttpRequest<T extends { url: string; headers: HeaderMap }>(request: T): T {
  return { ...request, url: redactUrl(redactText(request.url)), headers: redactHeaders(request.headers) };
}

/** A response: header values and the body redacted. */
export function redactHttpResponse<T extends { headers: HeaderMap; body?: string }>(response: T): T {
  return { ...response, headers: redactHeaders(response.headers), ...(response.body !== undefined ? { body: redactText(response.body) } : {}) };
}

function redactResponse(response: ObservedResponse | undefined): ObservedResponse | undefined {
  return response ? redactHttpResponse(response) : undefined;
}

/** An observed exchange with every string that can carry a secret redacted: URLs, headers, bodies, errors, console text, notes. */
export function redactExchange(exchange: ObservedExchange): ObservedExchange {
  const out: ObservedExchange = { ...exchange, request: redactHttpRequest<ObservedRequest>(exchange.request) };
  if (exchange.response) out.response = redactResponse(exchange.response);
  if (exchange.preflight) {
    const { error, ...preflight } = exchange.preflight;
    out.preflight = {
      ...preflight,
      request: redactHttpRequest<ObservedRequest>(exchange.preflight.request),
      response: redactResponse(exchange.preflight.response),
    };
    if (error !== undefined) out.preflight.error = redactText(error);
  }
  if (exchange.pageOrigin !== undefined) out.pageOrigin = redactUrl(exchange.pageOrigin);
  if (exchange.error !== undefined) out.error = redactText(exchange.error);
  if (exchange.corsError) {
    out.corsError = {
      corsError: redactText(exchange.corsError.corsError),
      ...(exchange.corsError.failedParameter !== undefined ? { failedParameter: redactText(exchange.corsError.failedParameter) } : {}),
    };
  }
  if (exchange.consoleMessage !== undefined) out.consoleMessage = redactText(exchange.consoleMessage);
  if (exchange.gaps) out.gaps = exchange.gaps.map(redactText);
  return out;
}
