/** One S3 CORSRule, values exactly as configured (S24: nothing is normalised). */
export interface CorsRule {
  id?: string;
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
  /**
   * Set on a rule read from a provider's own form (GCS JSON, Backblaze B2 corsRules): what the rule holds that the
   * S3 model does not judge, kept so that the rule is validated by that provider's limits and rendered back in its
   * form as written. The S3 fields above are what the model matches requests with.
   */
  provider?: ProviderRuleExtras;
}

/** See CorsRule.provider; the mapping of each form is documented in formats/gcs-json.ts and formats/b2-json.ts. */
export type ProviderRuleExtras =
  | {
      form: 'gcs';
      /** `"method": ["*"]` (any method): read as the five S3 methods, written back as `*`. */
      anyMethod?: boolean;
      /**
       * Values GCS keeps that the model leaves out: methods other than the five S3 ones (OPTIONS, PATCH, …), and
       * origins and header names with a `*` inside, which GCS matches literally (so they never match a browser's).
       */
      unmodelled?: { methods?: string[]; origins?: string[]; headers?: string[] };
    }
  | {
      form: 'b2';
      /** The rule's allowedOperations as written, in document order (written back in that order). */
      operations: string[];
      /**
       * The rule's allowedOperations that are not S3-compatible API ones, in document order: B2's native API
       * (b2_download_file_by_id, b2_download_file_by_name, b2_upload_file, b2_upload_part), which never allows an
       * S3-compatible request, and any name B2 does not know (a schema error).
       */
      otherOperations: string[];
      /** `"https"` (any HTTPS origin, on any port): read as `https://*`, written back as `https`. */
      anyHttps?: boolean;
    };

/** A bucket's CORS configuration: rules in document order (S8: first match wins). */
export interface CorsConfiguration {
  rules: CorsRule[];
}

export type PolicyFormat = 'console-json' | 'cli-json' | 'xml' | 'cloudformation' | 'terraform' | 'gcs-json' | 'b2-json';

/** 1-based line and column in the source text. */
export interface SourcePosition {
  line: number;
  column: number;
}

export type RuleElement = 'ID' | 'AllowedOrigin' | 'AllowedMethod' | 'AllowedHeader' | 'ExposeHeader' | 'MaxAgeSeconds' | 'CORSRule';

/** Where each rule and each of its values stands in the source, so every message can point at it. */
export interface RuleSource {
  position: SourcePosition;
  elements: Array<{ element: RuleElement; index: number; raw: string; position: SourcePosition }>;
}

/** The result of parsing: the model plus everything needed to point back into the file. */
export interface ParsedPolicy {
  format: PolicyFormat;
  file?: string;
  config: CorsConfiguration;
  sources: RuleSource[];
  /** Where the list of rules starts (the CORSRules array, the CORSConfiguration element, …). */
  rulesPosition?: SourcePosition;
  /** For files holding several buckets/resources: which one was read (`Resources.MyBucket`, `aws_s3_bucket.site`). */
  resource?: string;
  /** For files holding several buckets/resources: all of them, in file order (each can be read with `resource`). */
  resources?: string[];
  /**
   * What the parser saw that S3's schema rejects (MalformedXML) while still leaving a readable configuration,
   * e.g. `<MaxAgeSeconds>soon</MaxAgeSeconds>` or an unknown element. validatePolicy reports them first.
   */
  schemaErrors?: PolicyError[];
  /** Remarks made while parsing (several resources in one file, …); lintPolicy reports them as warnings. */
  notes?: PolicyWarning[];
}

/** A PutBucketCors-style error (S3's own code and message where known) — see spec §5. */
export interface PolicyError {
  code: string;
  message: string;
  rule: number | null;
  element?: RuleElement;
  line?: number;
  column?: number;
  /** 'recorded' | 'secondary' | 'unknown': how sure we are S3 answers exactly this. */
  evidence: 'recorded' | 'secondary' | 'docs' | 'unknown';
  /** Our own explanation (which value, why), kept apart from S3's message text. */
  detail?: string;
}

export interface PolicyWarning {
  code: string;
  message: string;
  rule: number | null;
  element?: RuleElement;
  line?: number;
  column?: number;
  fix: string;
}

export interface LintResult {
  valid: boolean;
  format: PolicyFormat;
  errors: PolicyError[];
  warnings: PolicyWarning[];
}

/**
 * Thrown by the parsers for input that is not a configuration at all (syntax errors, wrong shape, too big,
 * DTDs). The message is one line and names the file, line/column and element.
 */
export class PolicyParseError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  constructor(message: string, where: { file?: string; line?: number; column?: number } = {}) {
    const place = [where.file ?? '<input>', where.line, where.column].filter((p) => p !== undefined).join(':');
    // One line, whatever the file name or the input held.
    super(`${place}: ${message}`.replace(/[\r\n\u2028\u2029\u0085]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    this.name = 'PolicyParseError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}
