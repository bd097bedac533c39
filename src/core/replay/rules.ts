/**
 * Reading rules against a page origin, without a diagnosis: how close an AllowedOrigin comes to the origin (failure
 * modes 2–5), which values no browser can ever match, and every rule ranked as "the rule the user meant" from the
 * S3 model's per-rule trace (S8–S14). The diagnosis explains with it; the fix repairs the rule it ranks first.
 */
import { matchOrigin } from '../s3/index.js';
import type { CorsConfiguration } from '../policy/types.js';
import type { RuleTrace } from '../s3/types.js';
import { listText, ruleLabel } from './wording.js';

interface OriginParts {
  scheme: string;
  host: string;
  port: string | null;
  rest: string;
}

function originParts(value: string): OriginParts | null {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/:?#]*)(?::(\d*))?(.*)$/i.exec(value);
  if (!match) return null;
  return { scheme: match[1] ?? '', host: match[2] ?? '', port: match[3] ?? null, rest: match[4] ?? '' };
}

const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443' };

/**
 * Why one AllowedOrigin does not match the page origin, when it nearly does; null when it is simply another origin.
 * Origins are compared literally (S9), so each of these is a real mismatch, not a normalisation question. Two slips in
 * one value (`http://app.example.com/` for `https://app.example.com`: scheme and trailing slash) are both named.
 */
export function originNearMiss(pattern: string, origin: string): string | null {
  if (typeof pattern !== 'string' || pattern === origin) return null;
  const page = originParts(origin);
  if (!page) return null;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(pattern)) {
    return pattern.toLowerCase() === `${page.host}${page.port ? `:${page.port}` : ''}`.toLowerCase() ||
      pattern.toLowerCase().startsWith(page.host.toLowerCase())
      ? `\`${pattern}\` has no scheme; a browser Origin always has one (\`${origin}\`)`
      : misplacedWildcard(pattern, origin);
  }
  const rule = originParts(pattern);
  if (!rule) return null;
  if (rule.rest.length > 0) {
    const stripped = pattern.slice(0, pattern.length - rule.rest.length);
    const what = rule.rest === '/' ? 'trailing slash' : `path \`${rule.rest}\``;
    if (stripped === origin || (stripped.includes('*') && matchOrigin(stripped, origin))) {
      return `\`${pattern}\` has a ${what}; a browser Origin never has one, so it can never match`; // S9
    }
    const also = hostNearMiss(rule, page, stripped, origin);
    return also ? `\`${pattern}\` has a ${what} (a browser Origin never has one) and ${also}` : misplacedWildcard(pattern, origin);
  }
  return hostNearMiss(rule, page, pattern, origin) ?? misplacedWildcard(pattern, origin);
}

/** The slips between a scheme://host[:port] pattern and the page origin: case, scheme, port, `www.`, loopback alias. */
function hostNearMiss(rule: OriginParts, page: OriginParts, pattern: string, origin: string): string | null {
  const sameHost = rule.host.toLowerCase() === page.host.toLowerCase();
  const samePort = (rule.port ?? DEFAULT_PORT[rule.scheme.toLowerCase()]) === (page.port ?? DEFAULT_PORT[page.scheme.toLowerCase()]);
  if (pattern.toLowerCase() === origin.toLowerCase())
    return `\`${pattern}\` differs from \`${origin}\` only in letter case; whether S3 compares case-sensitively is not recorded`; // S9
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
    return page.host.toLowerCase().startsWith('www.')
      ? `\`www.\` missing: \`${pattern}\` does not cover \`${origin}\``
      : `\`${pattern}\` has \`www.\`, the page origin \`${origin}\` does not`;
  }
  if (rule.host.startsWith('*.') && rule.host.slice(2).toLowerCase() === page.host.toLowerCase()) {
    return `\`${pattern}\` needs a subdomain; it does not match the apex \`${origin}\``;
  }
  return null;
}

/** A `*` in the wrong place (`*.example.com` without a scheme for the apex, `https://*app.example.com/`): the value without it nearly matches. */
function misplacedWildcard(pattern: string, origin: string): string | null {
  if (!pattern.includes('*')) return null;
  for (const variant of [pattern.replace('*.', ''), pattern.replace('*', '')]) {
    if (variant === pattern || variant.includes('*')) continue;
    if (variant === origin || (variant !== pattern && originNearMiss(variant, origin))) return `misplaced \`*\`: \`${pattern}\` does not match \`${origin}\``;
  }
  return null;
}

/**
 * True when no browser Origin can ever match this AllowedOrigin: a path or trailing slash, no scheme, a spelled-out
 * default port, capitals in scheme or host (browsers serialise origins in lower case). Such a value can be corrected in
 * place without taking access from anyone; any other near miss (another scheme, port or host) may be a real origin
 * someone uses, so the page origin is added beside it instead (a documented choice).
 */
export function originNeverMatches(pattern: string): boolean {
  if (typeof pattern !== 'string') return true;
  if (pattern === '*') return false;
  const parts = originParts(pattern);
  if (!parts) return !pattern.startsWith('*');
  if (parts.rest.length > 0 && !parts.rest.startsWith('*')) return true;
  if (parts.port !== null && parts.port === DEFAULT_PORT[parts.scheme.toLowerCase()]) return true;
  return /[A-Z]/.test(parts.scheme) || /[A-Z]/.test(parts.host);
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

/** A failing condition of one rule for this request. */
export type RuleCondition = 'origin' | 'method' | 'headers';

/** One rule as a candidate for "the rule the user meant" when no rule matches (issue 10 item 1). */
export interface RuleCandidate {
  index: number;
  label: string;
  originMatched: boolean;
  /** The AllowedOrigin the page origin nearly matches and how; null when the origin matched or is simply another. */
  nearMiss: { pattern: string; text: string } | null;
  methodMatched: boolean;
  method: string;
  /** Requested header names none of the rule's AllowedHeaders covers. */
  missingHeaders: string[];
  /** Every failing condition, in the order origin, method, headers. */
  failing: RuleCondition[];
  /**
   * The rule also serves origins other than the page's (`*`, a wildcard, or other listed origins), so adding a method
   * or header to it widens access for all of them.
   */
  sharedOrigins: boolean;
  /** What repairing this rule in place would grant beyond the failing request, in words; null when nothing. */
  widens: string | null;
  /** Lower is closer: the failing conditions, weighted by how much access repairing them in place would add. */
  cost: number;
}

const WRITE_METHODS: ReadonlySet<string> = new Set(['PUT', 'POST', 'DELETE']);

/** Who else a rule serves besides the page origin, in words ("every website", "`https://a`"), or null. */
export function otherOriginsServed(patterns: readonly string[], origin: string, except?: string): string | null {
  const others = patterns.filter((p) => typeof p === 'string' && p !== origin && p !== except && !originNeverMatches(p));
  if (!others.length) return null;
  if (others.includes('*')) return 'every website';
  return listText(others);
}

/**
 * Every rule ranked by how close it came to serving this request: which conditions fail (a near-miss origin counts
 * as one slip, an unrelated origin as far away), then how much repairing it in place would add for others (a write
 * method on a rule every website may use weighs most). Ties keep document order. `trace` is the deciding S3 answer's.
 */
export function rankRuleCandidates(config: CorsConfiguration, trace: readonly RuleTrace[], origin: string): RuleCandidate[] {
  const out: RuleCandidate[] = [];
  trace.forEach((t, index) => {
    const rule = config.rules[index];
    if (!rule || !Array.isArray(rule.allowedOrigins)) return;
    const missingHeaders = t.headers.filter((h) => !h.matched).map((h) => h.name);
    let nearMiss: RuleCandidate['nearMiss'] = null;
    if (!t.origin.matched) {
      for (const pattern of rule.allowedOrigins) {
        const text = originNearMiss(pattern, origin);
        if (text) {
          nearMiss = { pattern, text };
          break;
        }
      }
    }
    const failing: RuleCondition[] = [];
    if (!t.origin.matched) failing.push('origin');
    if (!t.method.matched) failing.push('method');
    if (missingHeaders.length) failing.push('headers');
    const except = nearMiss && originNeverMatches(nearMiss.pattern) ? nearMiss.pattern : undefined;
    const others = otherOriginsServed(rule.allowedOrigins, origin, except);
    const sharedOrigins = others !== null;
    let cost = t.origin.matched ? 0 : nearMiss ? 1 : 10;
    if (!t.method.matched) cost += 1;
    if (missingHeaders.length) cost += 1;
    const widening: string[] = [];
    if (sharedOrigins && (!t.method.matched || missingHeaders.length)) {
      const added = [...(!t.method.matched ? [t.method.value] : []), ...missingHeaders];
      const write = !t.method.matched && WRITE_METHODS.has(t.method.value);
      cost += write ? 3 : 1.5;
      widening.push(`adding ${listText(added)} there would let ${others}${write ? ` ${t.method.value} (write to the bucket)` : ' use it too'}`);
    }
    if (!t.origin.matched && !nearMiss) {
      const extra = (Array.isArray(rule.allowedMethods) ? rule.allowedMethods : []).filter((m) => m !== t.method.value);
      if (extra.length) widening.push(`adding the origin there would also allow it ${listText(extra, false)}`);
    }
    out.push({
      index,
      label: ruleLabel(config, index),
      originMatched: t.origin.matched,
      nearMiss,
      methodMatched: t.method.matched,
      method: t.method.value,
      missingHeaders,
      failing,
      sharedOrigins,
      widens: widening.length ? widening.join('; ') : null,
      cost,
    });
  });
  return out.sort((a, b) => a.cost - b.cost || a.index - b.index);
}
