/**
 * Which condition of which rule failed, from the S3 model's per-rule trace (S8–S14), and how close a failing
 * AllowedOrigin came to the page origin (failure modes 2–5).
 */
import { matchOrigin } from '../s3/index.js';
import type { CorsConfiguration } from '../policy/types.js';
import type { Evidence } from './types.js';
import { ruleLabel } from './wording.js';

export interface RuleVerdict {
  index: number;
  label: string;
  originMatched: boolean;
  methodMatched: boolean;
  method: string;
  /** Requested header names no AllowedHeader of this rule covers (S12, S13). */
  missingHeaders: string[];
  matched: boolean;
  used: boolean;
}

/** Verdicts by evidence: up to five checks ask for them, and an Evidence does not change once built. */
const verdictsByEvidence = new WeakMap<Evidence, readonly RuleVerdict[]>();

/** Each rule's verdict for the deciding request. Shared between the checks of one diagnosis: do not modify. */
export function ruleVerdicts(evidence: Evidence): readonly RuleVerdict[] {
  let verdicts = verdictsByEvidence.get(evidence);
  if (!verdicts) {
    verdicts = computeRuleVerdicts(evidence);
    verdictsByEvidence.set(evidence, verdicts);
  }
  return verdicts;
}

function computeRuleVerdicts(evidence: Evidence): RuleVerdict[] {
  const { model, config } = evidence;
  if (!model || !config) return [];
  return model.deciding.trace.map((trace, index) => ({
    index,
    label: ruleLabel(config, index),
    originMatched: trace.origin.matched,
    methodMatched: trace.method.matched,
    method: trace.method.value,
    missingHeaders: trace.headers.filter((h) => !h.matched).map((h) => h.name),
    matched: trace.matched,
    used: trace.used,
  }));
}

/** The rule S3 uses for this request (S8: the first full match), or null. */
export function usedRule(evidence: Evidence): number | null {
  return evidence.model?.deciding.matchedRule ?? null;
}

interface OriginParts {
  scheme: string;
  host: string;
  port: string | null;
  rest: string;
}

function originParts(value: string): OriginParts | null {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/:?#]*)(?::(\d*))?(.*)$/i.exec(value);
  if (!match) return null;
  return { scheme: match[1]!, host: match[2]!, port: match[3] ?? null, rest: match[4] ?? '' };
}

const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443' };

/**
 * Why one AllowedOrigin does not match the page origin, when it nearly does; null when it is simply another origin.
 * Origins are compared literally (S9), so each of these is a real mismatch, not a normalisation question.
 */
export function originNearMiss(pattern: string, origin: string): string | null {
  if (pattern === origin) return null;
  const page = originParts(origin);
  if (!page) return null;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(pattern)) {
    return pattern.toLowerCase() === `${page.host}${page.port ? `:${page.port}` : ''}`.toLowerCase() || pattern.toLowerCase().startsWith(page.host.toLowerCase())
      ? `\`${pattern}\` has no scheme; a browser Origin always has one (\`${origin}\`)`
      : null;
  }
  const rule = originParts(pattern);
  if (!rule) return null;
  if (rule.rest.length > 0) {
    const stripped = pattern.slice(0, pattern.length - rule.rest.length);
    if (stripped === origin || (stripped.includes('*') && matchOrigin(stripped, origin))) {
      return `\`${pattern}\` has a ${rule.rest === '/' ? 'trailing slash' : `path \`${rule.rest}\``}; a browser Origin never has one, so it can never match`; // S9
    }
  }
  const sameHost = rule.host.toLowerCase() === page.host.toLowerCase();
  const samePort = (rule.port ?? DEFAULT_PORT[rule.scheme.toLowerCase()]) === (page.port ?? DEFAULT_PORT[page.scheme.toLowerCase()]);
  if (pattern.toLowerCase() === origin.toLowerCase()) return `\`${pattern}\` differs from \`${origin}\` only in letter case; whether S3 compares case-sensitively is not recorded`; // S9
  if (sameHost && rule.scheme.toLowerCase() !== page.scheme.toLowerCase() && (rule.port ?? '') === (page.port ?? '')) {
    return `scheme differs: \`${pattern}\` is ${rule.scheme}, the page is ${page.scheme} (the scheme is part of the origin)`; // S9
  }
  if (sameHost && rule.scheme.toLowerCase() === page.scheme.toLowerCase() && (rule.port ?? '') !== (page.port ?? '')) {
    return samePort
      ? `\`${pattern}\` spells out the default port; the browser's Origin omits it (\`${origin}\`), and S3 compares literally` // S9
      : `port differs: \`${pattern}\` vs \`${origin}\``;
  }
  const loopback = new Set(['localhost', '127.0.0.1', '[::1]']);
  if (loopback.has(rule.host.toLowerCase()) && loopback.has(page.host.toLowerCase()) && !sameHost) {
    return `host alias: \`${rule.host}\` and \`${page.host}\` are different origins to the browser`;
  }
  const bare = (h: string) => h.toLowerCase().replace(/^www\./, '');
  if (!sameHost && bare(rule.host) === bare(page.host)) {
    return page.host.toLowerCase().startsWith('www.') ? `\`www.\` missing: \`${pattern}\` does not cover \`${origin}\`` : `\`${pattern}\` has \`www.\`, the page origin \`${origin}\` does not`;
  }
  if (rule.host.startsWith('*.') && rule.host.slice(2).toLowerCase() === page.host.toLowerCase()) {
    return `\`${pattern}\` needs a subdomain; it does not match the apex \`${origin}\``;
  }
  return null;
}

/** Near misses of every rule's AllowedOrigins against the page origin: "rule 1: `http://…` scheme differs". */
export function originNearMisses(config: CorsConfiguration, origin: string): Array<{ rule: number; text: string }> {
  const out: Array<{ rule: number; text: string }> = [];
  config.rules.forEach((rule, index) => {
    for (const pattern of rule.allowedOrigins) {
      const text = originNearMiss(pattern, origin);
      if (text) out.push({ rule: index, text: `${ruleLabel(config, index)}: ${text}` });
    }
  });
  return out;
}

/** One line per rule: which of origin, method and headers it matches ("rule 1 (ID: reads): origin ✓, method ✗ PUT ∉ [GET, HEAD], headers ✓"). */
export function ruleTraceLines(evidence: Evidence): string[] {
  const config = evidence.config;
  if (!config) return [];
  return ruleVerdicts(evidence).map((verdict) => {
    const rule = config.rules[verdict.index]!;
    const origin = verdict.originMatched ? 'origin ✓' : `origin ✗ (AllowedOrigins [${rule.allowedOrigins.join(', ')}])`;
    const method = verdict.methodMatched ? 'method ✓' : `method ✗ (${verdict.method} not in [${rule.allowedMethods.join(', ')}])`;
    const headers = !verdict.missingHeaders.length
      ? 'headers ✓'
      : rule.allowedHeaders.length
        ? `headers ✗ (${verdict.missingHeaders.join(', ')} not in [${rule.allowedHeaders.join(', ')}])`
        : `headers ✗ (${verdict.missingHeaders.join(', ')} requested; the rule has no AllowedHeaders)`; // S13
    return `${verdict.label}: ${origin}, ${method}, ${headers}${verdict.used ? ' — used' : verdict.matched ? ' — matches but an earlier rule wins' : ''}`;
  });
}

/** The configuration is known and S3 would use no rule for this request (S16 on a preflight, S19 on an actual request). */
export function noRuleMatches(evidence: Evidence): boolean {
  const deciding = evidence.model?.deciding;
  return !!evidence.config && !!deciding && deciding.trace.length > 0 && deciding.matchedRule === null && !(deciding.status >= 300 && deciding.status < 400);
}
