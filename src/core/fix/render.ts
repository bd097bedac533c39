/**
 * A proposal in every form users paste: S3 console JSON, the `aws s3api put-bucket-cors` command, XML,
 * CloudFormation, Terraform, CDK, a diff against the original — and the provider's own form where it differs
 * (GCS JSON, Backblaze B2 rules, MinIO's server-wide setting), saying what a provider cannot express.
 */
import type { ProviderId } from '../endpoint/index.js';
import { diffPolicies, renderPolicy, renderPolicyWithNotes, type RenderFormat, type RenderOptions } from '../policy/index.js';
import type { CorsConfiguration, CorsRule } from '../policy/types.js';
import type { FixProposal } from './types.js';

/**
 * The forms `explain --fix-format` offers: the AWS ones, and the providers' own forms a configuration can be read in
 * (GCS JSON, Backblaze B2 corsRules), which are the default for a configuration given in them.
 */
export const FIX_FORMATS = ['console', 'cli', 'xml', 'cloudformation', 'terraform', 'cdk', 'gcs', 'b2'] as const;
export type FixFormat = (typeof FIX_FORMATS)[number];

/** One rule in the S3 console's JSON form (the keys PutBucketCors uses); empty lists are left out, as GetBucketCors does (S24). */
export interface ConsoleRule {
  ID?: string;
  AllowedHeaders?: string[];
  AllowedMethods: string[];
  AllowedOrigins: string[];
  ExposeHeaders?: string[];
  MaxAgeSeconds?: number;
}

export function consoleRules(rules: readonly CorsRule[]): ConsoleRule[] {
  return rules.map((rule) => ({
    ...(rule.id !== undefined ? { ID: rule.id } : {}),
    ...(rule.allowedHeaders.length ? { AllowedHeaders: [...rule.allowedHeaders] } : {}),
    AllowedMethods: [...rule.allowedMethods],
    AllowedOrigins: [...rule.allowedOrigins],
    ...(rule.exposeHeaders.length ? { ExposeHeaders: [...rule.exposeHeaders] } : {}),
    ...(rule.maxAgeSeconds !== undefined ? { MaxAgeSeconds: rule.maxAgeSeconds } : {}),
  }));
}

export function renderFixConfig(proposal: FixProposal, format: RenderFormat, options: RenderOptions = {}): string | null {
  return proposal.config ? renderPolicy({ rules: proposal.config }, format, options) : null;
}

/** A line diff of the original configuration (or none) against the proposal, in console JSON or the form given. */
export function renderFixDiff(original: CorsConfiguration | null, proposal: FixProposal, format: RenderFormat = 'console'): string | null {
  return proposal.config && !proposal.partial ? diffPolicies(original, { rules: proposal.config }, format) : null;
}

export interface ProviderForm {
  provider: ProviderId;
  /** The provider's own configuration form, when it has one. */
  format: RenderFormat | null;
  rendered: string | null;
  /** What of the fix this provider cannot express, or how it applies it differently. */
  limits: string[];
}

/** The provider's own form of the fix, and its limits (failure modes 31–36). Null for AWS and unknown stores. */
export function renderProviderForm(proposal: FixProposal, provider: ProviderId, options: RenderOptions = {}): ProviderForm | null {
  if (!proposal.config) return null;
  const config = { rules: proposal.config };
  const own = (format: RenderFormat, extra: string[] = []): ProviderForm => {
    const rendered = renderPolicyWithNotes(config, format, options);
    return { provider, format, rendered: rendered.text, limits: [...rendered.notes, ...extra] };
  };
  switch (provider) {
    case 'gcs':
      return own('gcs', ['GCS applies CORS changes within about 30 s.']);
    case 'b2':
      return own('b2', ['Backblaze B2 does not support the AWS SDK checksum headers; set `requestChecksumCalculation: "WHEN_REQUIRED"`.']);
    case 'minio': {
      const headers = proposal.config.some((r) => r.allowedHeaders.length > 0);
      const exposes = proposal.config.some((r) => r.exposeHeaders.length > 0);
      return own('minio', [
        'MinIO community edition has no per-bucket CORS: only server-wide allowed origins can be set, for every bucket and method.',
        ...(headers ? ['Per-rule AllowedHeaders cannot be expressed there.'] : []),
        ...(exposes ? ['ExposeHeaders cannot be configured there; MinIO decides which headers it exposes.'] : []),
      ]);
    }
    case 'r2':
      return own('console', [
        'The R2 dashboard takes the same JSON keys as the S3 console; PutBucketCors through the S3 API also works. Changes can take up to 30 s.',
        'R2 rejects `http://localhost:*`-style port wildcards and historically mishandled `AllowedHeaders: ["*"]`; list headers explicitly.',
      ]);
    case 'wasabi':
      return { provider, format: null, rendered: null, limits: ['Wasabi needs no bucket CORS configuration; a rule change is not expected to help there.'] };
    case 'localstack':
      return own('console', [
        'Depending on the version, LocalStack applies `EXTRA_CORS_ALLOWED_ORIGINS` / `DISABLE_CORS_CHECKS` instead of, or besides, the bucket rules.',
      ]);
    case 's3rver':
      return own('xml', ['s3rver reads the CORS XML given at start-up; `*` in AllowedMethods is not a wildcard there.']);
    default:
      return null;
  }
}
