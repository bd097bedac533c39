/** Small shared vocabulary for the checks: building findings and reading the signals several checks share. */
import type { AnswerFacts } from '../../evidence/facts.js';
import type { Check, Evidence, EvidenceNeed, EvidenceWith, Finding, FindingCode, Severity } from '../types.js';

export function finding(
  code: FindingCode,
  severity: Severity,
  parts: { rule?: number | null; message: string; detail: string; evidence?: string[]; fix: string },
): Finding {
  return { code, severity, rule: parts.rule ?? null, message: parts.message, detail: parts.detail, evidence: parts.evidence ?? [], fix: parts.fix };
}

/** Response headers that say CloudFront served it (failure mode 20/21). */
export function cloudFrontSignals(answer: AnswerFacts | null): string[] {
  const out: string[] = [];
  if (!answer) return out;
  const { via, xCache, cloudFrontPop } = answer;
  if (via && /cloudfront/i.test(via)) out.push(`Via: ${via}`);
  if (xCache && /cloudfront/i.test(xCache)) out.push(`X-Cache: ${xCache}`);
  if (answer.cloudFrontId) out.push('x-amz-cf-id present');
  if (cloudFrontPop) out.push(`X-Amz-Cf-Pop: ${cloudFrontPop}`);
  return out;
}

/**
 * Did the browser (or, with nothing observed, its model) refuse this exchange? The one answer from the evidence
 * alone: run.ts adds the findings' own word (an error whose code blocks), provider-quirk.ts asks it before the
 * configuration checks run. A capture's `net::ERR_FAILED` (Chromium) or `NS_ERROR_DOM_BAD_URI` (Firefox) without an
 * actual response is the browser's refusal even after a preflight was answered (the actual request's check failed);
 * a no-cors load (an <img> without crossorigin) is never refused by the CORS check, so its failure is something else.
 */
export function isBlocked(evidence: Evidence): boolean {
  if (refusedByBrowser(evidence)) return true;
  return !evidence.preflightResponse && !evidence.actualResponse && evidence.model?.browser.outcome === 'blocked';
}

/**
 * Did the browser's CORS check refuse this exchange, as observed (never the model's prediction)? The browser's own
 * word (CDP), its check run on the recorded preflight or answer, a recognised console message, or Chromium's
 * `net::ERR_FAILED` / Firefox's `NS_ERROR_DOM_BAD_URI` without an answer. The page then sees only a CORS error,
 * whatever the cause (browser-capture.md: "every failure is TypeError: Failed to fetch"), so the outcome is
 * `blocked` even when the cause lies outside CORS (run.ts). A network failure (`net::ERR_CONNECTION_REFUSED`, a TLS
 * error) is not a refusal: no CORS check ran.
 */
export function refusedByBrowser(evidence: Evidence): boolean {
  if (evidence.observedFailure) return true;
  return /ERR_FAILED|NS_ERROR_DOM_BAD_URI/.test(evidence.exchange.error ?? '') && !evidence.actualResponse && evidence.page?.mode !== 'no-cors';
}

/** The spec text S3 sends for "bucket without CORS configuration" (S6) and "no rule matched" (S16). */
export const S6_TEXT = 'CORS is not enabled for this bucket';
export const S16_TEXT = 'This CORS request is not allowed';
export const S5_TEXT = 'Bucket not found';

export function hasCode(earlier: readonly Finding[], ...codes: string[]): boolean {
  return earlier.some((f) => codes.includes(f.code));
}

/** How to name the store in a sentence: "S3" for AWS (and when unknown), else the provider's name. */
export function storeName(evidence: Evidence): string {
  return evidence.provider.id === 'aws' || evidence.provider.id === 'unknown' ? 'S3' : evidence.provider.name;
}

/**
 * A check whose `evaluate` sees the evidence its `requires` lists as present. This rests on runChecks, which evaluates
 * a check only when all of it is there (run.ts): the compiler takes the narrower `evaluate` as a Check's (method
 * parameters are bivariant), so a test calling `evaluate` directly must give it that evidence.
 */
export function defineCheck<N extends EvidenceNeed>(
  check: Omit<Check, 'requires' | 'evaluate'> & {
    requires: N[];
    evaluate(evidence: EvidenceWith<N>, earlier: readonly Finding[]): Finding[];
  },
): Check {
  return check;
}
