/**
 * Policy from traffic: the least-privilege configuration that lets every captured request pass — exact origins,
 * only the methods and headers seen, ETag exposed only where a request must read it — with the purpose of each rule,
 * verified against every input request.
 */
import type { ObservedExchange } from '../evidence/types.js';
import { parseS3Url } from '../endpoint/index.js';
import type { PageRequest } from '../fetch/types.js';
import type { CorsConfiguration, CorsRule } from '../policy/types.js';
import { headersPageMustRead } from '../replay/needs.js';
import { pageRequestFromExchange } from '../replay/page-request.js';
import { isS3CorsMethod, orderedMethods, requestedHeaders } from './request-shape.js';
import { configLetsRequestPass } from './verify.js';

export interface SynthesizedRule {
  /** 0-based index in `config.rules`. */
  rule: number;
  /** What the rule is for, in one sentence. */
  purpose: string;
  /** Indexes (in the input) of the requests this rule serves. */
  requests: number[];
}

export interface SynthesizedPolicy {
  config: CorsConfiguration;
  rules: SynthesizedRule[];
  /** True when every included request passes both models with this configuration. */
  verified: boolean;
  /** Input requests left out, and why (same-origin, no-cors, no Origin, a method S3 cannot allow). */
  skipped: Array<{ request: number; reason: string }>;
  /** Included requests that still fail (should stay empty; reported, never hidden). */
  failures: Array<{ request: number; reason: string }>;
}

export type TrafficInput = PageRequest | ObservedExchange;

function isExchange(input: TrafficInput): input is ObservedExchange {
  return 'request' in input && typeof (input as ObservedExchange).request === 'object';
}

interface Need {
  index: number;
  page: PageRequest;
  headers: string[];
  mustRead: string[];
  multipart: boolean;
}

function sameOrigin(page: PageRequest): boolean {
  try {
    return new URL(page.url).origin === page.origin;
  } catch {
    return false;
  }
}

/** Key of a sorted string list, for grouping. */
function keyOf(values: Iterable<string>): string {
  return [...new Set(values)].sort().join('\n');
}

function describePurpose(origins: string[], methods: string[], headers: string[], expose: string[], multipart: boolean): string {
  const verbs: string[] = [];
  if (methods.some((m) => m === 'GET' || m === 'HEAD')) verbs.push('read');
  if (methods.some((m) => m === 'PUT' || m === 'POST')) verbs.push(multipart ? 'upload (multipart)' : 'upload');
  if (methods.includes('DELETE')) verbs.push('delete');
  const what = `${verbs.length > 1 ? `${verbs.slice(0, -1).join(', ')} and ${verbs[verbs.length - 1]}` : verbs[0]} objects`;
  let sentence = `Lets ${origins.join(', ')} ${what} with ${methods.join(', ')}`;
  if (headers.length) sentence += `, sending ${headers.join(', ')}`;
  if (expose.length)
    sentence += `; exposes ${expose.join(', ')} because ${multipart ? "each multipart part's ETag must be read to complete the upload" : 'the page reads it'}`;
  return `${sentence}.`;
}

export function synthesizePolicy(inputs: readonly TrafficInput[], options: { bucketRegion?: string } = {}): SynthesizedPolicy {
  const skipped: SynthesizedPolicy['skipped'] = [];
  const needs: Need[] = [];
  inputs.forEach((input, index) => {
    const page = isExchange(input) ? pageRequestFromExchange(input) : input;
    if (!page) return skipped.push({ request: index, reason: 'no Origin: not a CORS request' }); // S1
    if (page.mode === 'no-cors' || page.mode === 'navigate') return skipped.push({ request: index, reason: `${page.mode} request: CORS does not apply` });
    if (sameOrigin(page)) return skipped.push({ request: index, reason: 'same-origin request: CORS does not apply' });
    if (!isS3CorsMethod(page.method)) return skipped.push({ request: index, reason: `S3 CORS cannot allow the method ${page.method}` });
    const url = parseS3Url(page.url, page.method);
    needs.push({ index, page, headers: requestedHeaders(page), mustRead: headersPageMustRead(page, url), multipart: url.multipart !== null });
  });

  // 1. Per (origin, method): the union of headers sent and headers read.
  const perOriginMethod = new Map<
    string,
    { origin: string; method: string; headers: Set<string>; expose: Map<string, string>; requests: number[]; multipart: boolean }
  >();
  for (const need of needs) {
    const key = `${need.page.origin}\n${need.page.method}`;
    const entry = perOriginMethod.get(key) ?? {
      origin: need.page.origin,
      method: need.page.method,
      headers: new Set<string>(),
      expose: new Map<string, string>(),
      requests: [],
      multipart: false,
    };
    need.headers.forEach((h) => entry.headers.add(h));
    need.mustRead.forEach((h) => entry.expose.set(h.toLowerCase(), h));
    entry.requests.push(need.index);
    entry.multipart ||= need.multipart;
    perOriginMethod.set(key, entry);
  }
  // 2. Per origin: methods with identical headers and exposure share a rule (AllowedHeaders apply to every method of a rule).
  const perOrigin = new Map<string, { origin: string; methods: string[]; headers: string[]; expose: string[]; requests: number[]; multipart: boolean }>();
  for (const entry of perOriginMethod.values()) {
    const key = `${entry.origin}\n${keyOf(entry.headers)}\n${keyOf(entry.expose.keys())}`;
    const group = perOrigin.get(key) ?? {
      origin: entry.origin,
      methods: [],
      headers: [...entry.headers].sort(),
      expose: [...entry.expose.values()].sort(),
      requests: [],
      multipart: false,
    };
    group.methods.push(entry.method);
    group.requests.push(...entry.requests);
    group.multipart ||= entry.multipart;
    perOrigin.set(key, group);
  }
  // 3. Origins with identical methods, headers and exposure share a rule.
  const merged = new Map<
    string,
    { origins: [string, ...string[]]; methods: string[]; headers: string[]; expose: string[]; requests: number[]; multipart: boolean }
  >();
  for (const group of perOrigin.values()) {
    const methods = orderedMethods(group.methods);
    const key = `${methods.join(',')}\n${group.headers.join(',')}\n${group.expose.join(',')}`;
    const rule = merged.get(key);
    if (rule) {
      rule.origins.push(group.origin);
      rule.requests.push(...group.requests);
      rule.multipart ||= group.multipart;
    } else {
      merged.set(key, {
        origins: [group.origin],
        methods,
        headers: group.headers,
        expose: group.expose,
        requests: [...group.requests],
        multipart: group.multipart,
      });
    }
  }
  const ordered = [...merged.values()].sort((a, b) => a.origins[0].localeCompare(b.origins[0]) || a.methods.join().localeCompare(b.methods.join()));
  const rules: CorsRule[] = ordered.map((r) => ({
    allowedOrigins: [...r.origins].sort(),
    allowedMethods: r.methods,
    allowedHeaders: r.headers,
    exposeHeaders: r.expose,
  }));
  const config = { rules };
  const failures: SynthesizedPolicy['failures'] = [];
  for (const need of needs) {
    if (!configLetsRequestPass(config, need.page, need.mustRead, options.bucketRegion ? { bucketRegion: options.bucketRegion } : {})) {
      failures.push({ request: need.index, reason: `${need.page.method} ${need.page.url} from ${need.page.origin} still fails in the models` });
    }
  }
  return {
    config,
    rules: ordered.map((r, rule) => ({
      rule,
      purpose: describePurpose([...r.origins].sort(), r.methods, r.headers, r.expose, r.multipart),
      requests: [...r.requests].sort((a, b) => a - b),
    })),
    verified: failures.length === 0 && needs.length > 0,
    skipped,
    failures,
  };
}
