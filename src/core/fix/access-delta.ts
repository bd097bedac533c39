/**
 * The access delta of a fix (issue 10 item 2): which origin × method × request-header combinations the fixed
 * configuration newly allows, and which response headers it newly exposes, found by asking the S3 model the same
 * questions of the configuration before and after — never from the fix's own description.
 *
 * The space asked about: the page origin, every literal AllowedOrigin of either configuration, one sample origin for
 * each wildcard AllowedOrigin (standing for every origin it matches) and one unrelated origin (standing for every
 * other website); the five methods S3 knows; no extra header, each requested header, every literal AllowedHeader,
 * a sample for each wildcard AllowedHeader and one unrelated header. S3 allows a request when any one rule matches
 * (S8), so only rules of `after` that are not in `before` can add anything: a combination is asked of `before` only
 * when those rules allow it.
 */
import type { CorsConfiguration, CorsRule } from '../policy/types.js';
import { readAnswerFacts } from '../evidence/facts.js';
import { matchHeader, matchOrigin, simulateS3 } from '../s3/index.js';
import type { AccessDelta, AccessGrant, ExposureGrant } from './types.js';
import { S3_CORS_METHODS } from './request-shape.js';

/** The failing request the fix is for: everything the fix may grant without saying why. */
export interface DeltaRequest {
  origin: string;
  /** The request's method, plus the companions its operation needs (POST for a multipart upload). */
  methods: readonly string[];
  /** The requested (non-safelisted) header names, lower case. */
  headers: readonly string[];
  /** Response headers the page must read. */
  mustRead: readonly string[];
  /**
   * The fix corrects a near-miss AllowedOrigin in place: what the corrected rule grants the page origin is what that
   * rule was written to grant it.
   */
  correctedRule?: boolean;
}

export const ANY_OTHER_ORIGIN = 'any other origin';
export const ANY_OTHER_HEADER = 'any other header';
const PROBE_ORIGIN = 'https://unrelated-site.example';
const PROBE_HEADER = 'x-unrelated-header';
/** Bounds on the space asked about (a configuration has at most 100 rules; these keep one delta to a few thousand questions). */
const MAX_ORIGINS = 48;
const MAX_HEADERS = 32;

interface Probe {
  value: string;
  stands?: string;
}

function strings(list: unknown): string[] {
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : [];
}

function ruleKey(rule: CorsRule): string {
  return JSON.stringify([
    strings(rule.allowedOrigins),
    strings(rule.allowedMethods),
    strings(rule.allowedHeaders),
    strings(rule.exposeHeaders),
    rule.maxAgeSeconds ?? null,
  ]);
}

/**
 * `changed` rules' origins are all probed (only they can grant anything; a configuration is at most 64 KB); the other
 * rules' up to MAX_ORIGINS in all.
 */
function originProbes(request: DeltaRequest, changed: readonly CorsRule[], others: readonly CorsRule[]): Probe[] {
  const probes = new Map<string, Probe>([[request.origin, { value: request.origin }]]);
  const limit = (rule: CorsRule) => (changed.includes(rule) ? Infinity : MAX_ORIGINS);
  for (const rule of [...changed, ...others]) {
    for (const pattern of strings(rule.allowedOrigins)) {
      if (probes.size >= limit(rule)) break;
      if (!pattern.includes('*')) {
        if (!probes.has(pattern)) probes.set(pattern, { value: pattern });
        continue;
      }
      const sample = pattern === '*' ? PROBE_ORIGIN : pattern.replaceAll('*', 'sample');
      if (!probes.has(sample) || pattern === '*') probes.set(sample, { value: sample, stands: pattern === '*' ? '*' : pattern });
    }
  }
  if (!probes.has(PROBE_ORIGIN)) probes.set(PROBE_ORIGIN, { value: PROBE_ORIGIN, stands: ANY_OTHER_ORIGIN });
  return [...probes.values()];
}

/** Like originProbes: every AllowedHeader of a changed rule, the others' up to MAX_HEADERS in all. */
function headerProbes(request: DeltaRequest, changed: readonly CorsRule[], others: readonly CorsRule[]): Array<Probe | null> {
  const probes = new Map<string, Probe>();
  for (const name of request.headers) probes.set(name.toLowerCase(), { value: name.toLowerCase() });
  const limit = (rule: CorsRule) => (changed.includes(rule) ? Infinity : MAX_HEADERS);
  for (const rule of [...changed, ...others]) {
    for (const pattern of strings(rule.allowedHeaders)) {
      if (probes.size >= limit(rule)) break;
      const lower = pattern.toLowerCase().trim();
      if (!lower) continue;
      if (!lower.includes('*')) {
        if (!probes.has(lower)) probes.set(lower, { value: lower });
        continue;
      }
      const sample = lower === '*' ? PROBE_HEADER : lower.replaceAll('*', 'sample');
      if (!probes.has(sample) || lower === '*') probes.set(sample, { value: sample, stands: lower });
    }
  }
  if (!probes.has(PROBE_HEADER)) probes.set(PROBE_HEADER, { value: PROBE_HEADER, stands: ANY_OTHER_HEADER });
  return [null, ...probes.values()];
}

/** Does the S3 model find a matching rule for this preflight? (S8–S14; the preflight asks exactly what the rules decide.) */
function allows(config: CorsConfiguration, url: string, origin: string, method: string, header: string | null): boolean {
  const headers: Record<string, string> = { origin, 'access-control-request-method': method };
  if (header !== null) headers['access-control-request-headers'] = header;
  return simulateS3({ kind: 'cors', config }, { method: 'OPTIONS', url, headers }).matchedRule !== null;
}

/** The CORS headers S3 puts on the actual request's answer: which headers it exposes and whether it echoes the origin. */
function exposure(config: CorsConfiguration, url: string, origin: string, method: string): { exposed: Map<string, string>; echoes: boolean } | null {
  const answer = readAnswerFacts(simulateS3({ kind: 'cors', config }, { method, url, headers: { origin } }));
  const allowOrigin = answer.allowOrigin;
  if (allowOrigin === undefined) return null;
  // Lower-case name → the name as configured (for the words).
  const exposed = new Map(
    (answer.exposeHeaders ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean)
      .map((h) => [h.toLowerCase(), h] as const),
  );
  return { exposed, echoes: allowOrigin === origin && answer.allowCredentials === 'true' };
}

function inRequest(request: DeltaRequest, origin: string, method: string, header: string | null): boolean {
  return origin === request.origin && request.methods.includes(method) && (header === null || request.headers.includes(header));
}

function originLabel(grant: { origin: string; stands?: string }): string {
  if (grant.stands === ANY_OTHER_ORIGIN) return 'any other website';
  if (grant.stands === '*') return 'every website (`*`)';
  if (grant.stands) return `every origin matching \`${grant.stands}\``;
  return `\`${grant.origin}\``;
}

function headerLabel(grant: { header: string | null; stands?: string }, headerStands: ReadonlyMap<string, string>): string {
  if (grant.header === null) return 'no extra header';
  const stands = headerStands.get(grant.header);
  if (stands === ANY_OTHER_HEADER) return 'any other header';
  if (stands) return `headers matching \`${stands}\``;
  return grant.header;
}

/** "`https://app.example.com` may now send POST (no extra header, content-type)". */
function describeAllows(grants: readonly AccessGrant[], headerStands: ReadonlyMap<string, string>): string[] {
  const byOrigin = new Map<string, Map<string, string[]>>();
  for (const grant of grants) {
    const label = originLabel(grant);
    const methods = byOrigin.get(label) ?? new Map<string, string[]>();
    const headers = methods.get(grant.method) ?? [];
    headers.push(headerLabel(grant, headerStands));
    methods.set(grant.method, headers);
    byOrigin.set(label, methods);
  }
  return [...byOrigin].map(
    ([label, methods]) => `${label} may now send ${[...methods].map(([method, headers]) => `${method} (${headers.join(', ')})`).join(', ')}`,
  );
}

function describe(delta: Omit<AccessDelta, 'text'>, headerStands: ReadonlyMap<string, string>): string {
  if (!delta.allows.length && !delta.exposes.length) return 'Grants no new access.';
  const sentences: string[] = [];
  const inside = delta.allows.filter((g) => !g.reason);
  const beyond = delta.allows.filter((g) => g.reason);
  if (inside.length) sentences.push(`Newly allowed: ${describeAllows(inside, headerStands).join('; ')}.`);
  if (beyond.length) {
    const reasons = [...new Set(beyond.map((g) => g.reason))];
    sentences.push(`Beyond the failing request: ${describeAllows(beyond, headerStands).join('; ')} — ${reasons.join('; ')}.`);
  }
  const exposed = delta.exposes.filter((e) => e.kind === 'expose');
  const credentials = delta.exposes.filter((e) => e.kind === 'credentials');
  if (exposed.length) {
    const byOrigin = new Map<string, Set<string>>();
    for (const e of exposed) byOrigin.set(originLabel(e), (byOrigin.get(originLabel(e)) ?? new Set()).add(e.header));
    const reasons = [...new Set(exposed.map((e) => e.reason).filter(Boolean))];
    sentences.push(
      `Newly readable: ${[...byOrigin].map(([label, headers]) => `${[...headers].join(', ')} for ${label}`).join('; ')}${reasons.length ? ` — ${reasons.join('; ')}` : ''}.`,
    );
  }
  if (credentials.length) {
    const origins = [...new Set(credentials.map(originLabel))];
    sentences.push(`S3 now echoes the origin (credentials may be sent) for ${origins.join(', ')}.`);
  }
  if (delta.withinRequest) sentences.push('Nothing else.');
  return sentences.join(' ');
}

/** Reasons a grant goes beyond the failing request; only NOT_NEEDED_REASON makes a delta unacceptable. */
export const CORRECTED_RULE_REASON = 'the corrected rule was written for this origin, and this is what it allows';
export const COMBINED_REASON = "a rule's AllowedHeaders apply to all its methods, and this origin could already use that method";
export const COMBINED_HEADER_REASON = "a rule's AllowedMethods apply with all its headers, and this origin could already send that header";
export const NOT_NEEDED_REASON = 'not needed by the failing request';
export const EXPOSE_METHODS_REASON = "a rule's ExposeHeaders apply to every method it allows";
export const SHARED_RULE_REASON = 'S3 takes ExposeHeaders and the allowed origin from the first matching rule, and that rule serves other origins too';

/**
 * The URL every question is asked for: the rules decide alone there (a regional virtual-hosted object URL, no region
 * given, so no redirect or endpoint answer stands in front of them), and one delta serves every object of a cause.
 */
const PROBE_URL = 'https://access-delta.s3.us-east-1.amazonaws.com/object';

/**
 * Deltas by their inputs' JSON text: the requests of one cause ask the same question. Bounded: emptied when full.
 * Kept for its measured gain (issue 12): triage + JSON report CPU time without it, same machine and period —
 * a warm process on 1 MB bench HARs not seen before 18.7 → 34.6 ms, the same HAR repeated 2.9 → 8.9 ms,
 * bench-c.har (2 MB) 38 → 116 ms. Module-level rather than per triage run because the panel diagnoses request
 * by request, with no run to hold it.
 */
const remembered = new Map<string, AccessDelta>();
const REMEMBERED_SIZE = 128;

function memoKey(before: CorsConfiguration | null, after: CorsConfiguration, request: DeltaRequest): string | null {
  try {
    return JSON.stringify([
      before?.rules ?? null,
      after.rules,
      request.origin,
      request.methods,
      request.headers,
      request.mustRead,
      request.correctedRule ?? false,
    ]);
  } catch {
    return null;
  }
}

/** The access `after` grants that `before` (null: no configuration) did not, for the fix of `request`. */
export function accessDelta(before: CorsConfiguration | null, after: CorsConfiguration, request: DeltaRequest): AccessDelta {
  const key = memoKey(before, after, request);
  const known = key !== null ? remembered.get(key) : undefined;
  if (known) return known;
  const delta = frozen(computeAccessDelta(before, after, request));
  if (key !== null) {
    if (remembered.size >= REMEMBERED_SIZE) remembered.clear();
    remembered.set(key, delta);
  }
  return delta;
}

/** One delta is shared by every diagnosis of its cause, so it cannot be changed by any of them. */
function frozen(delta: AccessDelta): AccessDelta {
  for (const grant of delta.allows) Object.freeze(grant);
  for (const grant of delta.exposes) Object.freeze(grant);
  Object.freeze(delta.allows);
  Object.freeze(delta.exposes);
  return Object.freeze(delta);
}

function computeAccessDelta(before: CorsConfiguration | null, after: CorsConfiguration, request: DeltaRequest): AccessDelta {
  const beforeRules = before?.rules ?? [];
  const known = new Set(beforeRules.map(ruleKey));
  const changed: CorsConfiguration = { rules: after.rules.filter((rule) => !known.has(ruleKey(rule))) };
  const origins = originProbes(request, changed.rules, [...beforeRules, ...after.rules]);
  const headers = headerProbes(request, changed.rules, [...beforeRules, ...after.rules]);
  const headerStands = new Map(headers.filter((h): h is Probe & { stands: string } => h !== null && h.stands !== undefined).map((h) => [h.value, h.stands]));
  const grants: AccessGrant[] = [];
  const previous: CorsConfiguration = { rules: beforeRules };
  // What the page origin could already do: a grant that only combines its existing methods and headers with the
  // request's own (AllowedHeaders apply to every method of a rule) gives it no new capability. Asked only when needed.
  let own: { methods: Set<string>; headers: Set<string> } | null = null;
  const ownAccess = () => {
    if (own) return own;
    own = { methods: new Set<string>(), headers: new Set<string>() };
    if (!beforeRules.length) return own;
    for (const method of S3_CORS_METHODS) {
      if (!allows(previous, PROBE_URL, request.origin, method, null)) continue;
      own.methods.add(method);
      for (const header of headers) if (header && allows(previous, PROBE_URL, request.origin, method, header.value)) own.headers.add(header.value);
    }
    return own;
  };
  const reasonBeyond = (origin: string, method: string, header: string | null): string => {
    if (origin === request.origin) {
      if (request.correctedRule) return CORRECTED_RULE_REASON;
      const { methods, headers: ownHeaders } = ownAccess();
      const methodKnown = request.methods.includes(method) || methods.has(method);
      const headerKnown = header === null || request.headers.includes(header) || ownHeaders.has(header);
      if (methodKnown && headerKnown) return request.methods.includes(method) ? COMBINED_HEADER_REASON : COMBINED_REASON;
    }
    return NOT_NEEDED_REASON;
  };
  // Only the changed rules can allow anything new: an origin none of their AllowedOrigins matches, or a method none
  // of them lists, is skipped before the S3 model is asked (the same pattern matcher decides).
  for (const origin of origins) {
    const touching = changed.rules.filter((rule) => strings(rule.allowedOrigins).some((pattern) => matchOrigin(pattern, origin.value)));
    if (!touching.length) continue;
    for (const method of S3_CORS_METHODS) {
      const withMethod = touching.filter((rule) => strings(rule.allowedMethods).includes(method));
      if (!withMethod.length) continue;
      for (const header of headers) {
        const name = header?.value ?? null;
        if (name !== null && !withMethod.some((rule) => strings(rule.allowedHeaders).some((pattern) => matchHeader(pattern, name)))) continue;
        if (!allows(changed, PROBE_URL, origin.value, method, name)) continue;
        if (beforeRules.length && allows(previous, PROBE_URL, origin.value, method, name)) continue;
        const grant: AccessGrant = { origin: origin.value, ...(origin.stands ? { stands: origin.stands } : {}), method, header: name };
        if (!inRequest(request, origin.value, method, name)) grant.reason = reasonBeyond(origin.value, method, name);
        grants.push(grant);
      }
    }
  }
  // What S3 answers an actual request comes from the first rule matching origin and method; it can change only for
  // origins and methods of a changed rule — or of any rule, when the fix reorders rules.
  const beforeKeys = beforeRules.map(ruleKey);
  const keptOrder = after.rules.map(ruleKey).filter((key) => known.has(key));
  const reordered = keptOrder.length !== beforeKeys.length || keptOrder.some((key, i) => key !== beforeKeys[i]);
  const answering = reordered ? after.rules : changed.rules;
  const exposes: ExposureGrant[] = [];
  const mustRead = new Set(request.mustRead.map((h) => h.toLowerCase()));
  for (const origin of origins) {
    const touching = answering.filter((rule) => strings(rule.allowedOrigins).some((pattern) => matchOrigin(pattern, origin.value)));
    if (!touching.length) continue;
    for (const method of S3_CORS_METHODS) {
      if (!touching.some((rule) => strings(rule.allowedMethods).includes(method))) continue;
      const now = exposure(after, PROBE_URL, origin.value, method);
      if (!now) continue;
      const then = before ? exposure(before, PROBE_URL, origin.value, method) : null;
      const stands = origin.stands ? { stands: origin.stands } : {};
      const ownRequest = origin.value === request.origin && request.methods.includes(method);
      // Beyond the request: another method of the page origin (a rule's lists apply to all its methods), or another
      // origin of the same rule (S3 has no per-origin ExposeHeaders).
      const reason = origin.value === request.origin ? EXPOSE_METHODS_REASON : SHARED_RULE_REASON;
      for (const [lower, header] of now.exposed) {
        if (then?.exposed.has(lower)) continue;
        exposes.push({ origin: origin.value, ...stands, method, header, kind: 'expose', ...(ownRequest && mustRead.has(lower) ? {} : { reason }) });
      }
      if (now.echoes && !then?.echoes && then !== null) {
        exposes.push({ origin: origin.value, ...stands, method, header: null, kind: 'credentials', ...(ownRequest ? {} : { reason }) });
      }
    }
  }
  // Exposed headers and echoed origins always say why (S3 has no narrower way to expose); new grants must not be unneeded.
  const withinRequest = grants.every((g) => g.reason !== NOT_NEEDED_REASON);
  const delta = { allows: grants, exposes, withinRequest };
  return { ...delta, text: describe(delta, headerStands) };
}
