/**
 * Diagnosis: joins S3's verdict (the S3 model) and the browser's (the Fetch model) into findings with stable codes,
 * the failing rule condition and a verified fix. STUB — implemented in issue 3 (diagnosis helper).
 */
import type { ObservedExchange } from '../evidence/types.js';
import type { DiagnoseContext, Diagnosis } from './types.js';

export * from './types.js';

export function diagnose(_exchange: ObservedExchange, _context: DiagnoseContext = {}): Diagnosis {
  throw new Error('not implemented');
}
