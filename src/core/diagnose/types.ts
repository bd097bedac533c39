import type { ObservedExchange, ObservedResponse } from '../evidence/types.js';
import type { AnswerFacts, RequestFacts } from '../evidence/facts.js';
import type { BucketState, ModelNote } from '../s3/types.js';
import type { RuleTrace } from '../s3/types.js';
import type { BrowserOutcome, CorsFailure, PageRequest, PreflightPlan } from '../fetch/types.js';
import type { CorsConfiguration } from '../policy/types.js';
import type { ProviderInfo, S3UrlInfo } from '../endpoint/index.js';
import type { FixProposal } from '../fix/types.js';
import type { ModelRun } from '../replay/types.js';
import type { RuleCandidate } from '../replay/rules.js';
import type { RuleVerdict } from './rule-analysis.js';

export type { AccessDelta, AccessGrant, ExposureGrant, FixChange, FixProposal } from '../fix/types.js';
export type { ModelRun } from '../replay/types.js';

export type Severity = 'error' | 'warning' | 'info';

/**
 * A finding code: the checks declare every code they emit (Check.codes); FINDING_CODES (checks/index.ts) lists them.
 * Any string is accepted, so that a Diagnosis from a newer build still reads.
 */
export type FindingCode = string;

export { FINDING_CODES } from './checks/index.js';

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
  /**
   * Set only on a cause outside CORS (CodeEffect `not-cors`) that this store answers without CORS headers: the
   * browser's CORS check then refuses the error answer, so the outcome is `blocked`, as for `not-cors-refused`.
   */
  answerLacksCors?: true;
}

export interface DiagnoseContext {
  /** The bucket as known: its configuration, or none, or missing. Unknown when omitted. */
  bucket?: BucketState;
  /** Other exchanges captured on the same page (cache poisoning, pairing, traffic-wide hints). */
  related?: ObservedExchange[];
  /** Reference time for expiry checks (defaults to the exchange's startedAt). */
  now?: Date;
  /** The bucket's region when known separately from BucketState (S31 redirects in the model). */
  bucketRegion?: string;
  /** The bucket was created in the last hours: the legacy global endpoint still answers 307 (S31 in the model). */
  bucketCreatedRecently?: boolean;
  /** Response headers the page script must read (e.g. `ETag`), beyond what the request itself implies. */
  needsReadable?: string[];
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
  /** Where the S3 model had to choose because S3's behaviour is not recorded (spec "unknown"/"secondary"). */
  modelNotes?: ModelNote[];
}

/** S3's XML error body, parsed. */
export interface S3ErrorBody {
  code: string;
  message: string;
  fields: Record<string, string>;
}

/** Pieces of evidence a check may require; the runner skips a check when one is missing (Lighthouse `requiredArtifacts`). */
export type EvidenceNeed = 'page' | 'config' | 'model' | 'response';

/**
 * Everything the checks look at, built once from an ObservedExchange and the context (like Lighthouse artifacts):
 * the raw observation plus the parsed URL, the S3 error bodies, the browser's verdict on the observed responses, and,
 * with a configuration, the S3 and browser models' run of the same request.
 */
export interface Evidence {
  exchange: ObservedExchange;
  context: DiagnoseContext;
  /** Reference time for expiry (context.now, else startedAt), or null. */
  now: Date | null;
  /** The request as the page script made it; null when the page origin is unknown (then it is not a CORS request, S1). */
  page: PageRequest | null;
  /** Shared read-only reading of the request URL (readS3Url): parsed once per URL, never mutated. */
  url: Readonly<S3UrlInfo>;
  provider: ProviderInfo;
  /** What the browser does before the actual request (null without a page request). */
  plan: PreflightPlan | null;
  preflightResponse: ObservedResponse | null;
  /** The actual response, when one was received (status > 0). */
  actualResponse: ObservedResponse | null;
  preflightError: S3ErrorBody | null;
  actualError: S3ErrorBody | null;
  /** The browser's verdict on what was observed: Chromium's own (CDP) when captured, else the browser model's. */
  observedFailure: { corsError: string; failedParameter?: string; blockedAt: 'preflight' | 'actual' | null; messages?: CorsFailure['messages'] } | null;
  config: CorsConfiguration | null;
  model: ModelRun | null;
  /** Response headers (display case) the page needs to read: `ETag` after a multipart part upload, … */
  needsReadable: string[];
  /** The page's credentials mode as observed or inferred. */
  credentialsInclude: boolean;
  /**
   * True when "include" was not recorded but inferred: the browser failed a request whose recorded answer passes the
   * CORS check without credentials and fails it with them.
   */
  credentialsInferred?: boolean;
  /**
   * The exchange read once into plain facts (evidence/facts.ts): the checks decide from these, never from a raw
   * header map. `preflight` and `actual` are the answers received (as `preflightResponse`, `actualResponse`).
   */
  facts: {
    request: RequestFacts;
    preflightRequest: RequestFacts | null;
    preflight: AnswerFacts | null;
    actual: AnswerFacts | null;
  };
  /** What several checks derive from this Evidence, worked out on first use: the diagnosis's memo, garbage with it. */
  memo: EvidenceMemo;
}

/** Values derived from one Evidence that more than one check reads (rule-analysis.ts fills them; read-only once set). */
export interface EvidenceMemo {
  /** Each rule's verdict for the deciding request (up to five checks read them). */
  ruleVerdicts?: readonly RuleVerdict[];
  /** The rules ranked as the rule the user meant, when none matches (three checks read them). */
  ruleCandidates?: readonly RuleCandidate[];
}

/**
 * What a finding code does to the diagnosis, declared by the check that emits it; run.ts derives the outcome, the
 * order of findings, the advice and whether to propose a configuration fix from these alone.
 */
export interface CodeEffect {
  /** The plain-language headline users read first (panel, CLI summary): no codes, no internal references. */
  headline: string;
  /**
   * Where the cause lies. `cors`: the CORS exchange (the bucket's rules, the headers, a cache or CDN in front of
   * them). `not-cors`: outside CORS — no CORS rule decides it; it ranks before CORS causes (it explains them) and,
   * as the leading error, makes the outcome `failed-not-cors` — unless the browser was seen to refuse the exchange
   * (a refused preflight, an error answer without CORS headers: the page sees a CORS error), then it is `blocked`
   * (run.ts). `not-cors-refused`: outside the bucket's rules, yet the browser's CORS check itself always refuses it
   * (a redirected preflight is never followed: Fetch, CORS-preflight fetch): it ranks as `not-cors`, but the outcome
   * stays `blocked`, observed or predicted.
   */
  cause: 'cors' | 'not-cors' | 'not-cors-refused';
  /** As an error, it means the browser does not deliver the response (false: a header left unreadable, a shadowed rule, a configuration S3 would refuse). */
  blocks: boolean;
  /** A change to the bucket's CORS configuration fixes it (the fix proposes one); otherwise its `fix` text is advice. */
  configFix: boolean;
}

/** What each EvidenceNeed guarantees of the Evidence a check is evaluated with (run.ts checks it first). */
interface NeedsMet {
  page: { page: PageRequest };
  config: { config: CorsConfiguration };
  model: { model: ModelRun };
  response: { actualResponse: ObservedResponse; facts: { actual: AnswerFacts } };
}

type AllOf<U> = (U extends unknown ? (part: U) => void : never) extends (all: infer I) => void ? I : never;

/** Evidence with the pieces `N` present: what a check that requires them is evaluated with. */
export type EvidenceWith<N extends EvidenceNeed> = Evidence & AllOf<NeedsMet[N]>;

/** One diagnosis check: pure, one concern, tested from evidence fixtures (the Lighthouse audit shape). */
export interface Check {
  /** The kebab-case of its first declared code, and its file name (checks-registry.test.ts). */
  id: string;
  title: string;
  requires: EvidenceNeed[];
  /** Every code `evaluate` may emit, with its effect; the first is the check's own. */
  codes: Readonly<Record<string, CodeEffect>>;
  /** `earlier` holds the findings of the checks that ran before, so a generic check can stand back. */
  evaluate(evidence: Evidence, earlier: readonly Finding[]): Finding[];
}
