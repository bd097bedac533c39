/**
 * The smallest configuration change that makes one failing request pass, widening nothing it does not need, and
 * verified by re-running the request through both models (issue 3 §3). Candidates are tried from the narrowest
 * (one value on the rule that otherwise matches) to the broadest (a new rule for exactly this request).
 */
import type { S3UrlInfo } from '../endpoint/index.js';
import type { PageRequest, PreflightPlan } from '../fetch/types.js';
import type { CorsConfiguration, CorsRule } from '../policy/types.js';
import { validatePolicy } from '../policy/index.js';
import { matchOrigin } from '../s3/index.js';
import type { BucketState, RuleTrace } from '../s3/types.js';
import { browserPasses, decidingAnswer } from '../replay/model.js';
import { multipartCompanionMethods } from '../replay/needs.js';
import type { AccessDelta, FixChange, FixProposal } from './types.js';
import type { ModelRun } from '../replay/types.js';
import { listText, ruleLabel } from '../replay/wording.js';
import { originNeverMatches, rankRuleCandidates } from '../replay/rules.js';
import { accessDelta, type DeltaRequest } from './access-delta.js';
import { isS3CorsMethod, orderedMethods, requestedHeaders } from './request-shape.js';
import { configLetsRequestPass } from './verify.js';
import { must } from '../must.js';

/** S3 accepts at most 100 rules (S26). */
const MAX_RULES = 100;

export interface ProposeOptions {
  /** Response headers the page must read (display case), e.g. `ETag` for a multipart part upload. */
  mustRead?: string[];
  bucketRegion?: string;
  /** The parsed request URL, for multipart companions (POST creates and completes what PUT uploads). */
  url?: Readonly<S3UrlInfo>;
  /**
   * runModels(page, bucket, { bucketRegion }) as the caller (the diagnosis) already ran it: reused instead of
   * running the same models again when the configuration needs no invalid-method clean-up and no region is known
   * (then the proposal's own runs would be exactly this one).
   */
  modelRun?: ModelRun;
  /** planPreflight(page), when the caller already has it. */
  plan?: PreflightPlan;
}

interface Candidate {
  config: CorsConfiguration;
  changes: FixChange[];
  /** A near-miss AllowedOrigin of an existing rule was corrected (or completed) for the page origin. */
  correctedRule?: boolean;
}

function cloneRules(config: CorsConfiguration): CorsRule[] {
  return config.rules.map((r) => ({
    ...r,
    allowedOrigins: [...r.allowedOrigins],
    allowedMethods: [...r.allowedMethods],
    allowedHeaders: [...r.allowedHeaders],
    exposeHeaders: [...r.exposeHeaders],
  }));
}

/**
 * The smallest rule for exactly this request: exact origin, its method(s), its requested headers, the headers it must
 * read. `plan` is planPreflight(page), when the caller already has it.
 */
export function ruleForRequest(page: PageRequest, mustRead: readonly string[], url?: Readonly<S3UrlInfo>, plan?: PreflightPlan): CorsRule {
  const companions = url ? multipartCompanionMethods(url) : [];
  return {
    allowedOrigins: [page.origin],
    allowedMethods: orderedMethods([page.method, ...companions]),
    allowedHeaders: requestedHeaders(page, plan),
    exposeHeaders: [...mustRead],
  };
}

function describeNewRule(rule: CorsRule): string {
  const parts = [`origin \`${rule.allowedOrigins.join('`, `')}\``, `methods ${rule.allowedMethods.join(', ')}`];
  if (rule.allowedHeaders.length) parts.push(`headers ${rule.allowedHeaders.join(', ')}`);
  if (rule.exposeHeaders.length) parts.push(`exposing ${rule.exposeHeaders.join(', ')}`);
  return parts.join('; ');
}

function missingExpose(rule: CorsRule, mustRead: readonly string[]): string[] {
  const exposed = new Set(rule.exposeHeaders.map((h) => h.toLowerCase()));
  return mustRead.filter((h) => !exposed.has(h.toLowerCase()));
}

/** A rule whose four lists are arrays (anything else takes the copying path, which treats it as before). */
function isWellFormedRule(rule: CorsRule | null | undefined): rule is CorsRule {
  return (
    !!rule &&
    Array.isArray(rule.allowedOrigins) &&
    Array.isArray(rule.allowedMethods) &&
    Array.isArray(rule.allowedHeaders) &&
    Array.isArray(rule.exposeHeaders)
  );
}

/**
 * PutBucketCors rejects methods outside the five (K1): drop them first, or nothing else can apply. A configuration
 * without any is returned as the same object, so the S3 model's compiled form of it (cached per object) is reused.
 */
function withoutInvalidMethods(config: CorsConfiguration): Candidate {
  if (config.rules.every((rule) => isWellFormedRule(rule) && rule.allowedMethods.every((m) => isS3CorsMethod(m)))) return { config, changes: [] };
  const rules = cloneRules(config);
  const changes: FixChange[] = [];
  rules.forEach((rule, index) => {
    const invalid = rule.allowedMethods.filter((m) => !isS3CorsMethod(m));
    if (!invalid.length) return;
    rule.allowedMethods = rule.allowedMethods.filter((m) => isS3CorsMethod(m));
    for (const value of invalid)
      changes.push({
        kind: 'remove-value',
        rule: index,
        value,
        description: `remove ${value} from the AllowedMethods of ${ruleLabel(config, index)} (S3 rejects it; preflights need no OPTIONS rule)`,
      });
  });
  return { config: { rules }, changes };
}

/** `trace`: the deciding S3 answer's rule trace for `base.config` (no region). */
function candidatesForUsedRule(
  base: Candidate,
  page: PageRequest,
  trace: readonly RuleTrace[],
  used: number,
  mustRead: readonly string[],
  credentialsWildcard: boolean,
  options: ProposeOptions,
): Candidate[] {
  const { config } = base;
  const out: Candidate[] = [];
  // A later rule that also matches and would do: move it up (RULE_SHADOWED, S8).
  trace.forEach((t, index) => {
    if (index <= used || !t.matched) return;
    const rules = cloneRules(config);
    const [moved] = rules.splice(index, 1);
    rules.splice(used, 0, must(moved, 'a traced rule is in the configuration'));
    out.push({
      config: { rules },
      changes: [
        ...base.changes,
        {
          kind: 'move-rule',
          rule: index,
          value: String(used),
          description: `move ${ruleLabel(config, index)} before ${ruleLabel(config, used)}, which matches first and shadows it`,
        },
      ],
    }); // S8
  });
  // The actual request carries no Access-Control-Request-Headers, so S3 answers it from the first rule matching
  // origin and method (S19) — which may come before the rule that answered the preflight.
  const served = Math.max(
    0,
    Math.min(
      used,
      trace.findIndex((t) => t.origin.matched && t.method.matched),
    ),
  );
  const servedRule = must(config.rules[served], 'a traced rule is in the configuration');
  const expose = missingExpose(servedRule, mustRead);
  if (expose.length && !credentialsWildcard) {
    const rules = cloneRules(config);
    must(rules[served], 'the clone has every rule').exposeHeaders.push(...expose);
    out.push({
      config: { rules },
      changes: [
        ...base.changes,
        ...expose.map((value) => ({
          kind: 'add-expose-header' as const,
          rule: served,
          value,
          description: `add ${value} to the ExposeHeaders of ${ruleLabel(config, served)}`,
        })),
      ],
    });
  }
  if ((credentialsWildcard || expose.length) && config.rules.length < MAX_RULES) {
    // S3 answers `*` for a `*` rule (S15); a rule listing the exact origin, placed before the rule that answers, makes
    // it echo the origin (and expose what the page reads). It keeps what that rule exposes, so the origin's other
    // requests read the same headers as before.
    const rules = cloneRules(config);
    const rule = ruleForRequest(page, mustRead, options.url, options.plan);
    const exposed = new Set(rule.exposeHeaders.map((h) => h.toLowerCase()));
    rule.exposeHeaders.push(...servedRule.exposeHeaders.filter((h) => !exposed.has(h.toLowerCase())));
    rules.splice(served, 0, rule);
    out.push({
      config: { rules },
      changes: [
        ...base.changes,
        {
          kind: 'add-rule',
          rule: served,
          description: `insert a rule before ${ruleLabel(config, served)} for ${describeNewRule(rule)}, so S3 ${credentialsWildcard ? 'echoes the origin instead of `*`' : 'answers this origin from it'}`,
        },
      ],
    });
  }
  return out;
}

/**
 * Repairs when no rule matches, from the rule the user most likely meant (rankRuleCandidates, issue 10 item 1) down,
 * then a new rule for exactly this request. A rule that also serves other origins (`*`, a wildcard, other listed
 * origins) never gets a method or header added: that would grant them too (issue 10 item 2). A near-miss origin is
 * corrected in the rule itself; a rule for an unrelated origin only gets the page origin when that grants nothing
 * beyond the request (checked on the access delta by the caller). `trace`: the deciding S3 answer's rule trace for
 * `base.config` (no region).
 */
function candidatesWithoutMatch(
  base: Candidate,
  page: PageRequest,
  trace: readonly RuleTrace[],
  mustRead: readonly string[],
  options: ProposeOptions,
): Candidate[] {
  const { config } = base;
  const out: Candidate[] = [];
  for (const candidate of rankRuleCandidates(config, trace, page.origin)) {
    const { index, nearMiss } = candidate;
    if (candidate.sharedOrigins && (!candidate.methodMatched || candidate.missingHeaders.length)) continue;
    if (!candidate.methodMatched && !isS3CorsMethod(candidate.method)) continue;
    if (!candidate.originMatched && !nearMiss && candidate.failing.length > 1) continue;
    const rules = cloneRules(config);
    const rule = must(rules[index], 'a candidate indexes a rule of this configuration');
    const label = ruleLabel(config, index);
    const changes: FixChange[] = [...base.changes];
    if (!candidate.originMatched) {
      if (nearMiss && originNeverMatches(nearMiss.pattern)) {
        rule.allowedOrigins = rule.allowedOrigins.map((o) => (o === nearMiss.pattern ? page.origin : o));
        rule.allowedOrigins = rule.allowedOrigins.filter((o, i) => rule.allowedOrigins.indexOf(o) === i);
        changes.push({
          kind: 'replace-origin',
          rule: index,
          value: page.origin,
          description: `correct \`${nearMiss.pattern}\` to \`${page.origin}\` in the AllowedOrigins of ${label} (${nearMiss.text})`,
        });
      } else {
        rule.allowedOrigins.push(page.origin);
        changes.push({
          kind: 'add-origin',
          rule: index,
          value: page.origin,
          description: nearMiss
            ? `add the origin \`${page.origin}\` to the AllowedOrigins of ${label}, beside \`${nearMiss.pattern}\` (${nearMiss.text})`
            : `add the origin \`${page.origin}\` to the AllowedOrigins of ${label}`,
        });
      }
    }
    if (!candidate.methodMatched) {
      rule.allowedMethods.push(candidate.method);
      changes.push({ kind: 'add-method', rule: index, value: candidate.method, description: `add ${candidate.method} to the AllowedMethods of ${label}` });
    }
    if (candidate.missingHeaders.length) {
      rule.allowedHeaders.push(...candidate.missingHeaders);
      changes.push(
        ...candidate.missingHeaders.map((value) => ({
          kind: 'add-header' as const,
          rule: index,
          value,
          description: `add ${value} to the AllowedHeaders of ${label}`,
        })),
      );
    }
    const expose = missingExpose(rule, mustRead);
    rule.exposeHeaders.push(...expose);
    changes.push(
      ...expose.map((value) => ({ kind: 'add-expose-header' as const, rule: index, value, description: `add ${value} to the ExposeHeaders of ${label}` })),
    );
    out.push({ config: { rules }, changes, ...(nearMiss && !candidate.originMatched ? { correctedRule: true } : {}) });
  }
  if (config.rules.length < MAX_RULES) {
    const rule = ruleForRequest(page, mustRead, options.url, options.plan);
    out.push({
      config: { rules: [...cloneRules(config), rule] },
      changes: [...base.changes, { kind: 'add-rule', rule: config.rules.length, description: `add a rule for ${describeNewRule(rule)}` }],
    });
    // Last in the list, the new rule may lose the actual request to an earlier rule that matches origin and method
    // but answers `*` (credentials) or exposes less (S8, S15): then it goes before that rule, keeping what that rule
    // exposes so the origin's other requests read the same headers as before.
    const first = trace.findIndex((t) => t.origin.matched && t.method.matched);
    if (first >= 0) {
      const rules = cloneRules(config);
      const shadowed = must(rules[first], 'a traced rule is in the configuration');
      const exposed = new Set(rule.exposeHeaders.map((h) => h.toLowerCase()));
      const inserted = { ...rule, exposeHeaders: [...rule.exposeHeaders, ...shadowed.exposeHeaders.filter((h) => !exposed.has(h.toLowerCase()))] };
      rules.splice(first, 0, inserted);
      out.push({
        config: { rules },
        changes: [
          ...base.changes,
          {
            kind: 'add-rule',
            rule: first,
            description: `insert a rule before ${ruleLabel(config, first)} for ${describeNewRule(inserted)}, so S3 answers this request from it (the first matching rule wins)`,
          },
        ],
      });
    }
  }
  return out;
}

/** The failing request as the access delta judges a fix: its origin, method(s), requested headers and what it must read. */
function deltaRequest(page: PageRequest, mustRead: readonly string[], options: ProposeOptions, correctedRule = false): DeltaRequest {
  const companions = options.url ? multipartCompanionMethods(options.url) : [];
  return {
    origin: page.origin,
    methods: orderedMethods([page.method, ...companions]),
    headers: requestedHeaders(page, options.plan),
    mustRead,
    ...(correctedRule ? { correctedRule } : {}),
  };
}

/**
 * The first candidate that grants nothing beyond the request (its access delta) and lets the request pass both models.
 * Without a verified one, the last safe candidate (the new rule) is returned unverified.
 */
function firstVerified(
  candidates: Candidate[],
  page: PageRequest,
  mustRead: readonly string[],
  before: CorsConfiguration,
  options: ProposeOptions,
  bucketRegion?: string,
): { candidate: Candidate; verified: boolean; delta: AccessDelta; refused?: string[] } | null {
  let fallback: { candidate: Candidate; delta: AccessDelta } | null = null;
  for (const candidate of candidates) {
    const delta = accessDelta(before, candidate.config, deltaRequest(page, mustRead, options, candidate.correctedRule));
    if (!delta.withinRequest) continue;
    fallback = { candidate, delta };
    if (configLetsRequestPass(candidate.config, page, mustRead, bucketRegion ? { bucketRegion } : {})) {
      // A configuration PutBucketCors refuses (two wildcards in one value, …) cannot be applied: it lets the request
      // pass only on paper.
      const refused = validatePolicy(candidate.config).map((e) => e.message);
      return { candidate, verified: refused.length === 0, delta, ...(refused.length ? { refused } : {}) };
    }
  }
  return fallback ? { ...fallback, verified: false } : null;
}

function newConfiguration(page: PageRequest, mustRead: readonly string[], options: ProposeOptions, partial: boolean): FixProposal {
  const rule = ruleForRequest(page, mustRead, options.url, options.plan);
  const config = { rules: [rule] };
  const companions = options.url ? multipartCompanionMethods(options.url).filter((m) => m !== page.method) : [];
  return {
    config: config.rules,
    changes: [
      {
        kind: 'add-rule',
        rule: 0,
        description: `${partial ? "add this rule to the bucket's configuration (before any broader rule)" : 'create a configuration with one rule'} for ${describeNewRule(rule)}${companions.length ? ` (${listText(companions, false)} for the rest of the multipart upload)` : ''}`,
      },
    ],
    verified: configLetsRequestPass(config, page, mustRead, options.bucketRegion ? { bucketRegion: options.bucketRegion } : {}),
    advice: partial
      ? [
          "The bucket's configuration was not given: merge this rule into it, placed before any rule that also matches this origin and method (the first match wins).",
        ]
      : [], // S8
    partial,
    // With the configuration unknown, the delta is what the rule grants on its own.
    accessDelta: accessDelta(null, config, deltaRequest(page, mustRead, options)),
  };
}

/**
 * Propose the smallest verified fix. `bucket` undefined means the configuration is unknown: the proposal is then the
 * rule to add (`partial: true`).
 */
export function proposeFix(page: PageRequest, bucket: BucketState | undefined, options: ProposeOptions = {}): FixProposal {
  const mustRead = options.mustRead ?? [];
  if (!isS3CorsMethod(page.method)) {
    return {
      config: null,
      changes: [],
      verified: false,
      advice: [`S3 CORS rules cannot allow the method ${page.method} (only GET, PUT, POST, DELETE, HEAD); use one of those.`],
    };
  }
  if (bucket?.kind === 'missing') {
    return {
      config: null,
      changes: [],
      verified: false,
      advice: ['The bucket does not exist: fix the bucket name or endpoint; no CORS configuration applies.'],
    };
  }
  if (!bucket) return newConfiguration(page, mustRead, options, true);
  if (bucket.kind === 'no-cors') return newConfiguration(page, mustRead, options, false);
  const bucketRegion = options.bucketRegion ?? bucket.region;
  const base = withoutInvalidMethods(bucket.config);
  // The diagnosis's run is this configuration's run exactly when nothing was cleaned up and no region applies.
  const reusable = options.modelRun && base.config === bucket.config && !bucketRegion ? options.modelRun : null;
  const passesAlready = reusable
    ? browserPasses(reusable.browser, mustRead)
    : configLetsRequestPass(base.config, page, mustRead, bucketRegion ? { bucketRegion } : {});
  if (passesAlready) {
    return base.changes.length
      ? {
          config: base.config.rules,
          changes: base.changes,
          verified: true,
          advice: [],
          accessDelta: accessDelta(bucket.config, base.config, deltaRequest(page, mustRead, options)),
        }
      : { config: null, changes: [], verified: true, advice: ['The configuration already lets this request pass; nothing to change.'] };
  }
  const deciding = reusable ? reusable.deciding : decidingAnswer(page, { kind: 'cors', config: base.config }, {}, options.plan);
  const used = deciding.matchedRule;
  // The rule that answers the actual request: the first matching origin and method (S19), at or before `used`.
  const servedIndex =
    used !== null
      ? Math.max(
          0,
          Math.min(
            used,
            deciding.trace.findIndex((t) => t.origin.matched && t.method.matched),
          ),
        )
      : null;
  const servedRule = servedIndex !== null ? base.config.rules[servedIndex] : undefined;
  const credentialsWildcard = page.credentials === 'include' && !!servedRule && servedRule.allowedOrigins.find((p) => matchOrigin(p, page.origin)) === '*';
  const candidates =
    used !== null
      ? candidatesForUsedRule(base, page, deciding.trace, used, mustRead, credentialsWildcard, options)
      : candidatesWithoutMatch(base, page, deciding.trace, mustRead, options);
  const chosen = firstVerified(candidates, page, mustRead, bucket.config, options, bucketRegion);
  if (!chosen)
    return {
      config: null,
      changes: base.changes,
      verified: false,
      advice: ['No configuration change found that lets this request pass; the cause is outside the CORS rules.'],
    };
  return {
    config: chosen.candidate.config.rules,
    changes: chosen.candidate.changes,
    verified: chosen.verified,
    accessDelta: chosen.delta,
    advice: chosen.verified
      ? []
      : chosen.refused
        ? [
            `PutBucketCors would refuse this configuration as it stands (${chosen.refused.join('; ')}): correct that value first (\`s3-cors-doctor lint\` shows it).`,
          ]
        : ['This change could not be verified: the request still fails in the models, so the cause is (also) outside the CORS rules.'],
  };
}
