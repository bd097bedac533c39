/**
 * The S3 model: exactly what S3 answers for a CORS configuration and a request (spec S1–S31), with a per-rule trace.
 */
import { compileBucket } from './compile.js';
import { simulateCompiled, type SimulateOptions } from './simulate.js';
import type { BucketState, S3Request, S3Response } from './types.js';

export * from './types.js';
export { compileBucket, type CompileOptions, type CompiledBucket, type CompiledRule } from './compile.js';
export { simulateCompiled, type SimulateOptions } from './simulate.js';
export { matchOrigin, matchHeader } from './patterns.js';
export { parseS3Error, S3_MESSAGES } from './errors.js';

/**
 * Answer one request as S3 would. Never throws. The configuration is compiled once and cached per configuration
 * object (treat configurations as immutable: build a new one to change it).
 */
export function simulateS3(bucket: BucketState, request: S3Request, options: SimulateOptions = {}): S3Response {
  return simulateCompiled(compileBucket(bucket), request, options);
}
