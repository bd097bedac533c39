/**
 * Policy: parse every common form of a bucket CORS configuration into one validated model with source positions,
 * validate it exactly as PutBucketCors would (spec §5), lint it, and render it back in any form.
 * STUB — implemented in issue 2 (policy helper). Signatures are the contract.
 */
import type { CorsConfiguration, LintResult, ParsedPolicy, PolicyError, PolicyFormat } from './types.js';

export * from './types.js';

/** Every form the tool can print a configuration in. */
export type RenderFormat =
  | 'console' // S3 console JSON: an array of rules
  | 'cli' // `aws s3api put-bucket-cors` command with its JSON
  | 'cli-json' // {"CORSRules": [...]}
  | 'xml'
  | 'cloudformation' // YAML
  | 'cloudformation-json'
  | 'terraform' // aws_s3_bucket_cors_configuration
  | 'cdk' // AWS CDK TypeScript
  | 'gcs' // Google Cloud Storage JSON
  | 'b2' // Backblaze B2 corsRules
  | 'minio'; // MinIO community: server-wide setting

export interface RenderOptions {
  bucket?: string;
  /** Resource / construct name for IaC forms. */
  name?: string;
}

/** Detect the format of a document; null when it is none of the supported ones. */
export function detectFormat(_text: string): PolicyFormat | null {
  throw new Error('not implemented');
}

/** Parse any supported format. Throws PolicyParseError (and nothing else) on input that is not a configuration. */
export function parsePolicy(_text: string, _options: { file?: string; format?: PolicyFormat } = {}): ParsedPolicy {
  throw new Error('not implemented');
}

/** PutBucketCors' own decisions: S3's error code and message; empty when S3 would accept it. */
export function validatePolicy(_policy: ParsedPolicy | CorsConfiguration): PolicyError[] {
  throw new Error('not implemented');
}

/** Validation plus warnings for what S3 accepts but can never work or is risky. */
export function lintPolicy(_policy: ParsedPolicy): LintResult {
  throw new Error('not implemented');
}

export function renderPolicy(_config: CorsConfiguration, _format: RenderFormat, _options: RenderOptions = {}): string {
  throw new Error('not implemented');
}

/** A line diff of two configurations (console JSON form), `-`/`+` prefixed. */
export function diffPolicies(_before: CorsConfiguration | null, _after: CorsConfiguration): string {
  throw new Error('not implemented');
}
