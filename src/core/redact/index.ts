/**
 * Redaction: credentials, signatures, tokens and cookies masked in URLs, headers, POST forms, bodies, free text and
 * whole HAR documents — keeping what the diagnosis needs, so a report from a redacted HAR equals the original's.
 */
export * from './text.js';
export { redactHar, redactHarEntry, redactHarMember } from './har.js';
