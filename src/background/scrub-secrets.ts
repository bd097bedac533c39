/**
 * Evidence is stored without secrets: everything that can carry one (URLs, headers, bodies, errors, console text,
 * notes) passes the core's one redactor before anything reaches storage.session. See src/core/redact.
 */
import { redactExchange } from '../core/redact/index.js';
import type { ObservedExchange } from '../core/evidence/types.js';

export function scrubSecrets(exchange: ObservedExchange): ObservedExchange {
  return redactExchange(exchange);
}
