/**
 * The panel's one door to redaction: every URL, header map and free-text line that leaves the panel (clipboard,
 * report file, screenshots of the headers tab) passes through the core's redaction (src/core/redact), which masks
 * presigned credentials, signatures, tokens and cookies while keeping what a diagnosis needs.
 */
import type { HeaderMap } from '../../core/http/index.js';
import { redactHeaderValue } from '../../core/redact/index.js';

export { REDACTED, redactText, redactUrl } from '../../core/redact/index.js';

export function redactHeaders(headers: HeaderMap): HeaderMap {
  const out: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) out[name] = redactHeaderValue(name, value);
  return out;
}
