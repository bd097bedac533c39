/**
 * Policy: parse every common form of a bucket CORS configuration into one validated model with source positions,
 * validate it exactly as PutBucketCors would (spec §5), lint it, and render it back in any form.
 *
 * Choices where the spec is silent (each visible in output, never presented as S3's word):
 * - Several buckets/resources in one file (CloudFormation, Terraform): the first is read and a MULTIPLE_CONFIGURATIONS
 *   warning names the others; `parsePolicy(text, { resource })` reads a chosen one.
 * - Limits: 1 MiB parse limit (256 KiB for YAML), nesting depth 64; S3's own 64 KB is checked by validation on the
 *   S3 XML the configuration would be sent as.
 * - Shape errors the AWS CLI / CloudFormation / Terraform refuse before S3 sees the document (unknown key, wrong
 *   type, duplicate JSON key, a `!Ref` or `var.x` where a literal is needed) are PolicyParseErrors; schema errors in
 *   XML, which S3 itself answers with MalformedXML, are validation errors.
 * - More than 100 rules, a document above 64 KB: MalformedXML; ID above 255 characters: InvalidRequest — all
 *   evidence 'unknown'.
 * - The providers' own forms (GCS CORS JSON, Backblaze B2 corsRules) are read into the same S3 rule model; what the
 *   model cannot hold is kept on the rule (CorsRule.provider) and rendered back in that form. The mapping of each is
 *   documented in formats/gcs-json.ts and formats/b2-json.ts. Validation then applies that provider's documented
 *   limits (B2's as `bad_request` schema errors), not PutBucketCors'.
 * - `rule` fields are 0-based indexes; messages number rules from 1.
 */
import { checkPolicyText } from './source-text.js';
import {
  detectPolicyFormat,
  readB2Json,
  readCliJson,
  readCloudFormation,
  readConsoleJson,
  readGcsJson,
  readTerraform,
  readXml,
  type PolicyBody,
} from './formats/index.js';
import { validateConfiguration } from './validate.js';
import { lintParsedPolicy } from './lint.js';
import { renderWithNotes, type RenderFormat, type RenderOptions, type Rendered } from './render.js';
import { diffConfigurations } from './diff.js';
import {
  PolicyParseError,
  type CorsConfiguration,
  type LintResult,
  type ParsedPolicy,
  type PolicyError,
  type PolicyFormat,
  type RuleElement,
} from './types.js';

export * from './types.js';
export type { RenderFormat, RenderOptions, Rendered } from './render.js';
export { RENDER_FORMATS, renderGetBucketCorsXml, shellQuote } from './render.js';
export { LINT_CODES, CHROMIUM_MAX_AGE_CAP, FIREFOX_MAX_AGE_CAP, type LintCode } from './lint.js';
export { S3_CORS_METHODS, MAX_RULES, MAX_DOCUMENT_BYTES, MAX_ID_LENGTH } from './validate.js';
export { MAX_POLICY_CHARS, MAX_NESTING_DEPTH } from './source-text.js';
export { diffLines } from './diff.js';

export const POLICY_FORMATS: readonly PolicyFormat[] = ['console-json', 'cli-json', 'xml', 'cloudformation', 'terraform', 'gcs-json', 'b2-json'];

/** Each format as people call it (panel labels, messages). */
export const POLICY_FORMAT_NAMES: Readonly<Record<PolicyFormat, string>> = {
  'console-json': 'S3 console JSON',
  'cli-json': 'aws s3api JSON',
  xml: 'S3 XML',
  cloudformation: 'CloudFormation',
  terraform: 'Terraform',
  'gcs-json': 'Google Cloud Storage CORS JSON',
  'b2-json': 'Backblaze B2 corsRules',
};

/** A rule element (the JSON `element` field, named as in S3's XML) in the words of the form it was read from. */
export function elementName(format: PolicyFormat, element: RuleElement): string {
  const words: Partial<Record<RuleElement, string>> | undefined =
    format === 'gcs-json'
      ? { AllowedOrigin: 'origin', AllowedMethod: 'method', AllowedHeader: 'responseHeader', ExposeHeader: 'responseHeader', MaxAgeSeconds: 'maxAgeSeconds' }
      : format === 'b2-json'
        ? {
            ID: 'corsRuleName',
            AllowedOrigin: 'allowedOrigins',
            AllowedMethod: 'allowedOperations',
            AllowedHeader: 'allowedHeaders',
            ExposeHeader: 'exposeHeaders',
            MaxAgeSeconds: 'maxAgeSeconds',
          }
        : undefined;
  return words?.[element] ?? element;
}

/**
 * The form a fix is best given in for a configuration read in `format`: the provider's own form for GCS JSON and B2
 * corsRules (the S3 forms cannot hold what they hold, e.g. B2's native-API operations), S3 console JSON otherwise.
 */
export function fixFormatFor(format: PolicyFormat | null | undefined): RenderFormat {
  return format === 'gcs-json' ? 'gcs' : format === 'b2-json' ? 'b2' : 'console';
}

export interface ParseOptions {
  file?: string;
  format?: PolicyFormat;
  /** When the file holds several buckets/resources: the CloudFormation logical ID or Terraform resource name to read. */
  resource?: string;
}

/** Detect the format of a document; null when it is none of the supported ones. */
export function detectFormat(text: string): PolicyFormat | null {
  return detectPolicyFormat(text);
}

/** Parse any supported format. Throws PolicyParseError (and nothing else) on input that is not a configuration. */
export function parsePolicy(text: string, options: ParseOptions = {}): ParsedPolicy {
  const { file } = options;
  try {
    if (typeof text !== 'string') throw new PolicyParseError('input is not text, in the document', { file });
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    const source = checkPolicyText(body, file);
    const format = options.format ?? detectPolicyFormat(body);
    if (format === null) {
      const empty = body.trim() === '';
      throw source.error(
        empty
          ? 'the document is empty, in the document'
          : 'not a recognised CORS configuration (expected S3 console JSON, {"CORSRules": …}, <CORSConfiguration> XML, a CloudFormation template, Terraform, GCS CORS JSON or Backblaze B2 corsRules), in the document',
        /\S/.exec(body)?.index ?? 0,
      );
    }
    let parsed: PolicyBody;
    switch (format) {
      case 'console-json':
        parsed = readConsoleJson(source);
        break;
      case 'cli-json':
        parsed = readCliJson(source);
        break;
      case 'xml':
        parsed = readXml(source);
        break;
      case 'cloudformation':
        parsed = readCloudFormation(source, options);
        break;
      case 'terraform':
        parsed = readTerraform(source, options);
        break;
      case 'gcs-json':
        parsed = readGcsJson(source);
        break;
      case 'b2-json':
        parsed = readB2Json(source);
        break;
    }
    const policy: ParsedPolicy = { format, config: parsed.config, sources: parsed.sources };
    if (file !== undefined) policy.file = file;
    for (const key of ['rulesPosition', 'resource', 'resources', 'schemaErrors', 'notes'] as const) {
      if (parsed[key] !== undefined) (policy as unknown as Record<string, unknown>)[key] = parsed[key];
    }
    return policy;
  } catch (err) {
    if (err instanceof PolicyParseError) throw err;
    // The contract is "only PolicyParseError": a parser bug or an engine limit (stack, memory) still becomes one line.
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new PolicyParseError(`could not parse the document (${reason}), in the document`, { file });
  }
}

/** PutBucketCors' own decisions: S3's error code and message; empty when S3 would accept it. */
export function validatePolicy(policy: ParsedPolicy | CorsConfiguration): PolicyError[] {
  return validateConfiguration(policy);
}

/** Validation plus warnings for what S3 accepts but can never work or is risky. */
export function lintPolicy(policy: ParsedPolicy): LintResult {
  return lintParsedPolicy(policy);
}

export function renderPolicy(config: CorsConfiguration, format: RenderFormat, options: RenderOptions = {}): string {
  return renderWithNotes(config, format, options).text;
}

/** renderPolicy plus what the target cannot express (GCS, B2, MinIO and CDK conversions are lossy). */
export function renderPolicyWithNotes(config: CorsConfiguration, format: RenderFormat, options: RenderOptions = {}): Rendered {
  return renderWithNotes(config, format, options);
}

/** A line diff of two configurations (console JSON form, or the form given), `-`/`+` prefixed. */
export function diffPolicies(before: CorsConfiguration | null, after: CorsConfiguration, format: RenderFormat = 'console'): string {
  return diffConfigurations(before, after, format);
}
