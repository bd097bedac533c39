/**
 * The S3 model: exactly what S3 answers for a CORS configuration and a request (spec S1–S31), with a per-rule trace.
 * STUB — implemented in issue 2 (S3 model helper). Signatures are the contract.
 */
import type { BucketState, S3Request, S3Response } from './types.js';

export * from './types.js';

export interface SimulateOptions {
  /** The region the bucket lives in, for S31 redirects (overrides BucketState.region). */
  bucketRegion?: string;
}

/** Answer one request as S3 would. Never throws. */
export function simulateS3(_bucket: BucketState, _request: S3Request, _options: SimulateOptions = {}): S3Response {
  throw new Error('not implemented');
}

/** AllowedOrigin matching (S9, S10). */
export function matchOrigin(_pattern: string, _origin: string): boolean {
  throw new Error('not implemented');
}

/** AllowedHeader matching (S12): case-insensitive, one `*` as a glob. */
export function matchHeader(_pattern: string, _name: string): boolean {
  throw new Error('not implemented');
}

/** Parse an S3 XML error body (`<Error><Code>…`); null when the body is not one. */
export function parseS3Error(_body: string): { code: string; message: string; fields: Record<string, string> } | null {
  throw new Error('not implemented');
}
