/**
 * Redaction: credentials, signatures, tokens and cookies masked in URLs, headers, POST forms, bodies, free text, evidence
 * and whole HAR documents — keeping what the diagnosis needs, so a report from a redacted HAR equals the original's.
 * The one redactor: every adapter (CLI, panel, background) calls these functions and keeps no rules of its own.
 */
export * from './text.js';
export { redactExchange, redactHttpRequest, redactHttpResponse } from './exchange.js';
export { redactHar, redactHarEntry, redactHarMember } from './har.js';
