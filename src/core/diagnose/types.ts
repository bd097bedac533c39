import type { ObservedExchange } from '../evidence/types.js';
import type { BucketState } from '../s3/types.js';
import type { RuleTrace } from '../s3/types.js';
import type { BrowserOutcome } from '../fetch/types.js';
import type { CorsRule } from '../policy/types.js';

export type Severity = 'error' | 'warning' | 'info';

export type FindingCode =
  | 'NO_CORS_CONFIG'
  | 'BUCKET_NOT_FOUND'
  | 'ORIGIN_NOT_ALLOWED'
  | 'METHOD_NOT_ALLOWED'
  | 'HEADERS_NOT_ALLOWED'
  | 'CREDENTIALS_WITH_WILDCARD_ORIGIN'
  | 'PREFLIGHT_REDIRECT'
  | 'HEADER_NOT_EXPOSED'
  | 'RULE_SHADOWED'
  | 'CACHED_RESPONSE_WITHOUT_CORS'
  | 'CDN_NOT_FORWARDING_ORIGIN'
  | 'SERVICE_ENDPOINT_NO_CORS'
  | 'NOT_CORS_SIGNATURE_MISMATCH'
  | 'NOT_CORS_REQUEST_EXPIRED'
  | 'NOT_CORS_ACCESS_DENIED'
  | 'NOT_CORS_NETWORK_ERROR'
  | 'UNSUPPORTED_ENDPOINT'
  | 'SDK_CHECKSUM_HEADERS'
  | (string & {});

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** 0-based index of the rule concerned, or null. */
  rule: number | null;
  /** One sentence for a human. */
  message: string;
  /** Longer explanation: what proves it, what could not be determined. */
  detail: string;
  /** The observations that prove it ("preflight 403 AccessForbidden: CORSResponse: …"). */
  evidence: string[];
  /** What to do, in one or two sentences (the rendered config change lives in Diagnosis.fix). */
  fix: string;
}

export interface FixChange {
  kind: 'add-origin' | 'add-method' | 'add-header' | 'add-expose-header' | 'add-rule' | 'move-rule' | 'remove-value' | 'non-cors';
  rule: number | null;
  value?: string;
  description: string;
}

export interface FixProposal {
  /** The fixed configuration (console JSON form), or null when the cause is not in the configuration. */
  config: CorsRule[] | null;
  changes: FixChange[];
  /** True when the request was re-run through the S3 and browser models and passes. */
  verified: boolean;
  /** Non-CORS advice (regional endpoint, regenerate presigned URL, …). */
  advice: string[];
}

export interface DiagnoseContext {
  /** The bucket as known: its configuration, or none, or missing. Unknown when omitted. */
  bucket?: BucketState;
  /** Other exchanges captured on the same page (cache poisoning, pairing, traffic-wide hints). */
  related?: ObservedExchange[];
  /** Reference time for expiry checks (defaults to the exchange's startedAt). */
  now?: Date;
}

export interface Diagnosis {
  exchangeId: string;
  outcome: 'allowed' | 'blocked' | 'failed-not-cors' | 'unknown';
  /** Short verdict for a list row. */
  verdict: string;
  findings: Finding[];
  /** The per-rule trace from the S3 model, when a configuration was known. */
  trace: RuleTrace[];
  browser: BrowserOutcome | null;
  fix: FixProposal | null;
  /** Provider guess (aws, r2, gcs, minio, …) and how it departs from AWS. */
  provider: { id: string; name: string; notes: string[] };
}
