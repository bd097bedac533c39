/**
 * The panel's one door to redaction: every URL, header map and free-text line that leaves the panel (clipboard,
 * report file, screenshots of the headers tab) passes through the core's one redactor (src/core/redact), which masks
 * presigned credentials, signatures, tokens and cookies while keeping what a diagnosis needs.
 */
export { REDACTED, redactHeaderValue, redactHeaders, redactText, redactUrl } from '../../core/redact/index.js';
