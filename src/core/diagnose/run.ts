/** Running the checks over one exchange and deciding outcome, verdict and fix. */
import type { ObservedExchange } from '../evidence/types.js';
import { readableResponseHeaders } from '../fetch/index.js';
import type { BrowserOutcome, CorsErrorName } from '../fetch/types.js';
import type { ModelNote } from '../s3/types.js';
import { proposeFix } from '../fix/propose.js';
import { redactTextRemembered as redactedText } from '../redact/index.js';
import { CHECKS, CODE_EFFECTS } from './checks/index.js';
import { isBlocked, refusedByBrowser } from './checks/support.js';
import { buildEvidence } from './evidence.js';
import type { Check, CodeEffect, DiagnoseContext, Diagnosis, Evidence, EvidenceNeed, Finding, FixProposal, ModelRun } from './types.js';
import { must } from '../must.js';

/** What each code does, as its check declares it (Check.codes); a code no check declares is a CORS cause that blocks. */
function effectOf(code: string): CodeEffect | undefined {
  return CODE_EFFECTS.get(code);
}

/** The cause lies outside CORS (also when the browser's CORS check refuses it): it ranks first, it explains the rest. */
function isNotCors(code: string): boolean {
  const cause = effectOf(code)?.cause;
  return cause === 'not-cors' || cause === 'not-cors-refused';
}

function isConfigFix(code: string): boolean {
  return effectOf(code)?.configFix === true;
}

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

function available(need: EvidenceNeed, evidence: Evidence): boolean {
  switch (need) {
    case 'page':
      return evidence.page !== null;
    case 'config':
      return evidence.config !== null;
    case 'model':
      return evidence.model !== null;
    case 'response':
      return evidence.actualResponse !== null;
  }
}

function hasEvidence(check: Check, evidence: Evidence): boolean {
  return check.requires.every((need) => available(need, evidence));
}

/** Every check whose evidence is there, in order; each sees the findings of those before it. */
export function runChecks(evidence: Evidence, checks: readonly Check[]): Finding[] {
  const findings: Finding[] = [];
  for (const check of checks) {
    if (hasEvidence(check, evidence)) findings.push(...check.evaluate(evidence, findings));
  }
  return findings;
}

/** Most important first: severity, then causes outside CORS (they explain the rest), then check order. */
function byImportance(a: Finding, b: Finding): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || Number(!isNotCors(a.code)) - Number(!isNotCors(b.code));
}

/** Sorts `findings` in place; the sort is stable, so equals keep check order. */
function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(byImportance);
}

/** The browser's story as observed (or, with nothing observed, as the models tell it). */
function browserStory(evidence: Evidence): BrowserOutcome | null {
  const { exchange, observedFailure, page } = evidence;
  if (!evidence.preflightResponse && !evidence.actualResponse && !observedFailure) return evidence.model?.browser ?? null;
  return {
    outcome: observedFailure ? 'blocked' : 'allowed',
    preflight: exchange.preflight
      ? { needed: true, request: exchange.preflight.request, response: exchange.preflight.response ?? { status: 0, headers: {} } }
      : null,
    actual: exchange.response ? { request: exchange.request, response: exchange.response } : null,
    failure: observedFailure
      ? {
          blockedAt: observedFailure.blockedAt ?? 'actual',
          // Chromium may report names newer than the union this project knows; the string is kept as reported.
          corsError: observedFailure.corsError as CorsErrorName,
          ...(observedFailure.failedParameter !== undefined ? { failedParameter: observedFailure.failedParameter } : {}),
          messages: observedFailure.messages ?? { chrome: exchange.consoleMessage ?? '', firefox: '' },
        }
      : null,
    readableHeaders: page && evidence.actualResponse && !observedFailure ? readableResponseHeaders(page, evidence.actualResponse) : [],
  };
}

/** An error whose code means the browser does not deliver the response (CodeEffect.blocks). */
function blockingError(finding: Finding): boolean {
  return finding.severity === 'error' && effectOf(finding.code)?.blocks !== false;
}

/**
 * The outcome is what the browser did; the findings say why. A cause outside CORS leading the errors makes it
 * `failed-not-cors` only when the page saw the failure (S3's error answered with CORS headers, a network error): when
 * the browser's CORS check refused the exchange (a refused preflight, an error answer without CORS headers), the page
 * sees a CORS error and the outcome is `blocked`, with the cause outside CORS named first (as `explain` reports it).
 */
function decideOutcome(evidence: Evidence, findings: Finding[]): Diagnosis['outcome'] {
  const top = findings.find((f) => f.severity === 'error');
  // Refused by the browser: seen in the evidence (refusedByBrowser), or predicted by the check (answerLacksCors: an
  // R2 rejection, which carries no CORS headers).
  if (top && effectOf(top.code)?.cause === 'not-cors' && !refusedByBrowser(evidence) && !top.answerLacksCors) return 'failed-not-cors';
  if (isBlocked(evidence) || findings.some(blockingError)) return 'blocked';
  if (evidence.preflightResponse || evidence.actualResponse || evidence.model) return 'allowed';
  return 'unknown';
}

function verdictFor(outcome: Diagnosis['outcome'], findings: Finding[], evidence: Evidence): string {
  const top = findings.find((f) => f.severity !== 'info') ?? findings[0];
  switch (outcome) {
    case 'failed-not-cors': {
      const cause = must(top, 'a failed-not-cors outcome comes from an error finding');
      return `Not a CORS rule problem — ${cause.code}: ${cause.message}`;
    }
    case 'blocked':
      return top ? `Blocked — ${top.code}: ${top.message}` : "Blocked by the browser's CORS check";
    case 'allowed':
      return top && top.severity !== 'info'
        ? `Allowed, but ${top.code}: ${top.message}`
        : evidence.model?.deciding.matchedRule != null
          ? `Allowed by rule ${evidence.model.deciding.matchedRule + 1}`
          : 'Allowed';
    case 'unknown':
      return top ? `Unknown — ${top.code}: ${top.message}` : 'Unknown: no response and no configuration to judge from';
  }
}

/** The fixes of the findings a configuration change does not fix, once each, in finding order. */
function adviceFrom(findings: Finding[]): string[] {
  const advice: string[] = [];
  for (const finding of findings) {
    if (finding.severity !== 'info' && !isConfigFix(finding.code) && !advice.includes(finding.fix)) advice.push(finding.fix);
  }
  return advice;
}

function fixFor(evidence: Evidence, findings: Finding[]): FixProposal | null {
  const advice = adviceFrom(findings);
  const configNeeded = findings.some((f) => isConfigFix(f.code));
  if (evidence.page && configNeeded && evidence.context.bucket?.kind !== 'missing') {
    const proposal = proposeFix(evidence.page, evidence.context.bucket, {
      mustRead: evidence.needsReadable,
      url: evidence.url,
      ...(evidence.model ? { modelRun: evidence.model } : {}),
      ...(evidence.plan ? { plan: evidence.plan } : {}),
      ...(evidence.context.bucketRegion ? { bucketRegion: evidence.context.bucketRegion } : {}),
    });
    return { ...proposal, advice: [...new Set([...advice, ...proposal.advice])] };
  }
  if (!advice.length) return null;
  return { config: null, changes: advice.map((description) => ({ kind: 'non-cors', rule: null, description })), verified: false, advice };
}

/** Findings quote URLs, console text and S3 bodies; a Diagnosis is exported (reports, the panel), so no secret may ride along. */
function redactFinding(finding: Finding): Finding {
  return {
    ...finding,
    message: redactedText(finding.message),
    detail: redactedText(finding.detail),
    evidence: finding.evidence.map(redactedText),
    fix: redactedText(finding.fix),
  };
}

/** The S3 model's notes on unrecorded behaviour for this request, once each. */
function modelNotesOf(model: ModelRun): ModelNote[] {
  const { preflight, actual } = model;
  const seen = new Set<string>();
  return [...(preflight?.notes ?? []), ...actual.notes].filter((note) => (seen.has(note.note) ? false : (seen.add(note.note), true)));
}

/** Diagnose one exchange. Pure; never throws for odd evidence (missing parts only narrow what can be said). */
export function diagnose(exchange: ObservedExchange, context: DiagnoseContext = {}): Diagnosis {
  const evidence = buildEvidence(exchange, context);
  const findings = sortFindings(runChecks(evidence, CHECKS)).map(redactFinding);
  const outcome = decideOutcome(evidence, findings);
  return {
    exchangeId: exchange.id,
    outcome,
    verdict: verdictFor(outcome, findings, evidence),
    findings,
    trace: evidence.model?.deciding.trace ?? [],
    browser: browserStory(evidence),
    fix: fixFor(evidence, findings),
    provider: { id: evidence.provider.id, name: evidence.provider.name, notes: evidence.provider.notes },
    ...(evidence.model ? { modelNotes: modelNotesOf(evidence.model) } : {}),
  };
}
