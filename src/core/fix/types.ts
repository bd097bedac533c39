/** A proposed fix and what it newly allows: produced by the fix, carried by a Diagnosis. */
import type { CorsRule } from '../policy/types.js';

export interface FixChange {
  /** `replace-origin`: a near-miss AllowedOrigin no browser can ever send (trailing slash, no scheme, …) corrected in place. */
  kind: 'add-origin' | 'replace-origin' | 'add-method' | 'add-header' | 'add-expose-header' | 'add-rule' | 'move-rule' | 'remove-value' | 'non-cors';
  rule: number | null;
  value?: string;
  description: string;
}

/**
 * One origin × method × request-header combination a fix newly allows: a preflight (or simple request) that no rule
 * matched before and one matches after.
 */
export interface AccessGrant {
  /** The Origin probed. */
  origin: string;
  /** What the probed origin stands for when it is a sample: a wildcard AllowedOrigin (`*`, `https://*.example.com`) or `any other origin`. */
  stands?: string;
  method: string;
  /** The one request header sent (lower case), or null for none beyond the safelisted ones. */
  header: string | null;
  /** Why the fix must grant this although the failing request does not need it. */
  reason?: string;
}

/**
 * A response header newly readable by the page (`expose`: ExposeHeaders; `header` names it), or a newly echoed origin
 * that lets credentials pass (`credentials`: the answer now echoes the origin instead of `*`; `header` is null).
 */
export type ExposureGrant = {
  origin: string;
  stands?: string;
  method: string;
  reason?: string;
} & ({ kind: 'expose'; header: string } | { kind: 'credentials'; header: null });

/**
 * What a fix newly allows, computed by comparing the S3 model's answers for the configuration before and after over
 * the relevant origins (the page's, every configured one, a sample of each wildcard and one unrelated origin), the five
 * methods and the relevant request headers — not taken from the fix's own description (issue 10 item 2).
 */
export interface AccessDelta {
  allows: AccessGrant[];
  exposes: ExposureGrant[];
  /** True when everything granted is the failing request's own origin, method(s) and headers, or says why it must go further. */
  withinRequest: boolean;
  /** The delta in words, one sentence or two. */
  text: string;
}

export interface FixProposal {
  /** The fixed configuration (console JSON form), or null when the cause is not in the configuration. */
  config: CorsRule[] | null;
  changes: FixChange[];
  /** True when the request was re-run through the S3 and browser models and passes. */
  verified: boolean;
  /** Non-CORS advice (regional endpoint, regenerate presigned URL, …). */
  advice: string[];
  /**
   * True when the bucket's configuration was not known, so `config` holds only the rule(s) to add, to be merged into
   * whatever the bucket has (placed before any broader rule, S8).
   */
  partial?: boolean;
  /** What the fix newly allows (absent when the fix holds no configuration). */
  accessDelta?: AccessDelta;
}
