import type { HeaderMap, HttpRequest } from '../http/index.js';
import type { CorsConfiguration } from '../policy/types.js';

/** What the model knows about the bucket the request addresses. */
export type BucketState = { kind: 'missing' } | { kind: 'no-cors'; region?: string } | { kind: 'cors'; config: CorsConfiguration; region?: string };

export type S3Request = HttpRequest;

/** How one rule fared against the request (S8–S14). */
export interface RuleTrace {
  rule: number;
  id?: string;
  /** `by`: the AllowedOrigin that matched (the first in document order). */
  origin: { value: string | null; matched: boolean; by?: string };
  method: { value: string; source: 'access-control-request-method' | 'request'; matched: boolean };
  /** Each name of Access-Control-Request-Headers (trimmed, lower-cased); `by`: the AllowedHeader that matched. */
  headers: Array<{ name: string; matched: boolean; by?: string }>;
  /** True when origin, method and every requested header matched. */
  matched: boolean;
  /** True for the rule S3 uses (the first that matched). */
  used: boolean;
}

/** A choice the model made where S3's behaviour is not recorded (spec: "unknown" / "secondary"). */
export interface ModelNote {
  behaviour: string;
  evidence: 'unknown' | 'secondary' | 'docs';
  note: string;
}

export interface S3Response {
  status: number;
  /**
   * Lower-case names. OPTIONS: every header that matters to the browser (CORS headers, Vary, Content-Type,
   * Content-Length, redirect headers). Other methods: only the CORS headers S3 adds (status is what S3 serves),
   * plus x-amz-bucket-region / Location when the URL itself decides the answer (S31).
   */
  headers: HeaderMap;
  /** S3's XML error body (HTML on website endpoints, S28), or '' */
  body: string;
  error: { code: string; message: string } | null;
  matchedRule: number | null;
  /** Every rule, in order (empty without a configuration, or when the rules were never consulted). */
  trace: RuleTrace[];
  /** Which spec behaviours (S1…S31) decided this answer, in order. */
  behaviours: string[];
  notes: ModelNote[];
}
