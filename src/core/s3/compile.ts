/**
 * A configuration compiled once into the form rule matching needs (STYLE: "rules are data, compiled once").
 * Compiled forms are cached per configuration object, so a caller simulating many requests against one
 * configuration never re-reads its rules.
 */
import type { CorsConfiguration, CorsRule } from '../policy/types.js';
import type { BucketState } from './types.js';
import { compilePattern, type CompiledPattern } from './patterns.js';

export interface CompiledRule {
  index: number;
  id?: string;
  /** AllowedOrigins, case-sensitive (S9). */
  origins: CompiledPattern[];
  /** AllowedOrigins lower-cased: only to tell the user when S9's unknown case rule would change the answer. */
  originsFolded: CompiledPattern[];
  /** Some AllowedOrigin has an upper-case letter (otherwise case can only matter for an upper-case Origin). */
  originsHaveUpperCase: boolean;
  methods: ReadonlySet<string>;
  /** AllowedMethods among the five valid ones as a bit mask (see METHOD_BITS), for a branch-free check. */
  methodMask: number;
  /** Some AllowedOrigin holds a `*`: the rule must be checked pattern by pattern (others use the origin index). */
  hasWildcardOrigin: boolean;
  /** AllowedHeaders, lower-cased (S12). Empty: the rule matches only requests without requested headers (S13). */
  headers: CompiledPattern[];
  /**
   * Rules with the same AllowedHeaders list share a group number, so a request's header verdicts are worked out
   * once per distinct list rather than once per rule (many configurations repeat `["*"]` in every rule).
   */
  headerGroup: number;
  /** Response values, formatted once (S15). */
  allowMethods: string;
  exposeHeaders: string | null;
  maxAge: string | null;
}

export interface CompiledConfiguration {
  rules: CompiledRule[];
  /**
   * Literal AllowedOrigin → the rules holding it, so a request's origin is looked up once instead of being
   * compared with every rule's list (a 100-rule configuration is mostly literal origins).
   */
  rulesByLiteralOrigin: Map<string, number[]>;
  /** Rules with a wildcard AllowedOrigin, in document order. */
  wildcardOriginRules: CompiledRule[];
}

export interface CompiledBucket {
  state: BucketState;
  /** Null without a configuration. */
  configuration: CompiledConfiguration | null;
  region?: string;
}

/** S11: the five methods a rule can name, as bits. */
export const METHOD_BITS: ReadonlyMap<string, number> = new Map([
  ['GET', 1],
  ['PUT', 2],
  ['POST', 4],
  ['DELETE', 8],
  ['HEAD', 16],
]);

/** Configurations come from parsers and users; be lenient about shape so simulation never throws (issue 2, item 5). */
function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map((item) => String(item)) : [];
}

function compileRule(rule: CorsRule, index: number, headerGroups: Map<string, number>): CompiledRule {
  const safe: Partial<CorsRule> = rule && typeof rule === 'object' ? rule : {};
  const origins = strings(safe.allowedOrigins);
  const methods = strings(safe.allowedMethods);
  const expose = strings(safe.exposeHeaders);
  const headers = strings(safe.allowedHeaders);
  const headerKey = JSON.stringify(headers.map((header) => header.toLowerCase()));
  let headerGroup = headerGroups.get(headerKey);
  if (headerGroup === undefined) {
    headerGroup = headerGroups.size;
    headerGroups.set(headerKey, headerGroup);
  }
  const compiled: CompiledRule = {
    index,
    origins: origins.map((origin) => compilePattern(origin, false)),
    originsFolded: origins.map((origin) => compilePattern(origin, true)),
    originsHaveUpperCase: origins.some((origin) => origin !== origin.toLowerCase()),
    methods: new Set(methods),
    methodMask: methods.reduce((mask, method) => mask | (METHOD_BITS.get(method) ?? 0), 0),
    hasWildcardOrigin: origins.some((origin) => origin.includes('*')),
    headers: headers.map((header) => compilePattern(header, true)),
    headerGroup,
    allowMethods: methods.join(', '),
    exposeHeaders: expose.length > 0 ? expose.join(', ') : null,
    maxAge: typeof safe.maxAgeSeconds === 'number' && Number.isFinite(safe.maxAgeSeconds) ? String(safe.maxAgeSeconds) : null,
  };
  if (typeof safe.id === 'string') compiled.id = safe.id;
  return compiled;
}

/**
 * Cache: configuration object → compiled rules. Configurations are treated as immutable values; the cache
 * re-compiles when the rules array is replaced, resized or one of its rule objects is swapped, but editing the
 * inside of a rule in place after simulating it is not noticed — build a new rule object instead.
 * Kept for its measured gain (`npm run bench -- simulate`, issue 12): a preflight against the 100-rule configuration
 * costs 4.6 µs with it and 1,113 µs compiling every time (242×); against 3 rules, 2.1 µs and 19.1 µs (9×).
 */
const cache = new WeakMap<CorsConfiguration, { rules: unknown; ruleObjects: unknown[]; compiled: CompiledConfiguration }>();

function sameRules(cached: { rules: unknown; ruleObjects: unknown[] }, source: unknown, list: readonly unknown[]): boolean {
  if (cached.rules !== source || cached.ruleObjects.length !== list.length) return false;
  for (let i = 0; i < list.length; i++) if (cached.ruleObjects[i] !== list[i]) return false;
  return true;
}

function compileRules(list: readonly CorsRule[]): CompiledConfiguration {
  const headerGroups = new Map<string, number>();
  const rules = list.map((rule, index) => compileRule(rule, index, headerGroups));
  const rulesByLiteralOrigin = new Map<string, number[]>();
  for (const rule of rules) {
    for (const pattern of rule.origins) {
      if (pattern.parts.length !== 1) continue;
      const holders = rulesByLiteralOrigin.get(pattern.text) ?? [];
      if (holders[holders.length - 1] !== rule.index) holders.push(rule.index);
      rulesByLiteralOrigin.set(pattern.text, holders);
    }
  }
  return { rules, rulesByLiteralOrigin, wildcardOriginRules: rules.filter((rule) => rule.hasWildcardOrigin) };
}

function compileConfiguration(config: CorsConfiguration, useCache: boolean): CompiledConfiguration {
  const isObject = config !== null && typeof config === 'object';
  const source: unknown = isObject ? config.rules : undefined;
  const list: CorsRule[] = Array.isArray(source) ? source : [];
  if (!useCache || !isObject) return compileRules(list);
  const cached = cache.get(config);
  if (cached && sameRules(cached, source, list)) return cached.compiled;
  const compiled = compileRules(list);
  cache.set(config, { rules: source, ruleObjects: [...list], compiled });
  return compiled;
}

export interface CompileOptions {
  /**
   * false: compile afresh and do not remember the result — for one-off configurations (a candidate fix being
   * verified once) so they do not crowd the cache. Default true.
   */
  cache?: boolean;
}

/** Compile a bucket state (its configuration, cached per configuration object). */
export function compileBucket(bucket: BucketState, options: CompileOptions = {}): CompiledBucket {
  const state: BucketState = bucket && typeof bucket === 'object' && 'kind' in bucket ? bucket : { kind: 'missing' };
  if (state.kind === 'cors') return { state, configuration: compileConfiguration(state.config, options.cache !== false), region: state.region };
  if (state.kind === 'no-cors') return { state, configuration: null, region: state.region };
  return { state: { kind: 'missing' }, configuration: null };
}
