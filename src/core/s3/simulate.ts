/**
 * The S3 model: what S3 answers for a bucket state and a request (spec S1–S31), with a per-rule trace, the
 * behaviours that decided, and a note for every unrecorded choice that shaped the answer.
 */
import { getHeader, type HeaderMap } from '../http/index.js';
import { readS3Url, safeUrl, type S3UrlInfo } from '../endpoint/index.js';
import { METHOD_BITS, type CompiledBucket, type CompiledConfiguration, type CompiledRule } from './compile.js';
import { globMatch, wildcardSpan, type CompiledPattern } from './patterns.js';
import { S3_MESSAGES, deterministicIds, errorHtml, errorXml, invalidRequestMethodMessage, utf8Length, type ErrorField } from './errors.js';
import type { ModelNote, RuleTrace, S3Request, S3Response } from './types.js';
import { isS3CorsMethod } from '../policy/methods.js';

export interface SimulateOptions {
  /** The region the bucket lives in, for S31 redirects (overrides BucketState.region). */
  bucketRegion?: string;
  /**
   * S31: the bucket was created recently, so the legacy global endpoint (`<bucket>.s3.amazonaws.com`) is not yet
   * routed to its region by DNS and answers 307 TemporaryRedirect.
   */
  bucketCreatedRecently?: boolean;
}

/** S15: the three-token Vary on every success, also when the origin is `*`. */
const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

// --- Reading the request ---------------------------------------------------------------------------------------

/**
 * Header lookup for one request. HeaderMaps have lower-case names by contract (src/core/http); a map from outside
 * that breaks it is still read correctly, through the slower case-insensitive search.
 */
function headerReader(headers: HeaderMap): (name: string) => string | undefined {
  const lowerCase = Object.keys(headers).every((name) => name === name.toLowerCase());
  return (name) => {
    const value = lowerCase ? (Object.prototype.hasOwnProperty.call(headers, name) ? headers[name] : undefined) : getHeader(headers, name);
    return value === undefined || value === null ? undefined : String(value);
  };
}

/** A field value without its surrounding spaces and tabs (HTTP's optional whitespace); linear, no regular expression. */
function trimOws(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let start = 0;
  let end = value.length;
  while (start < end && (value[start] === ' ' || value[start] === '\t')) start++;
  while (end > start && (value[end - 1] === ' ' || value[end - 1] === '\t')) end--;
  return value.slice(start, end);
}

interface EndpointReading {
  info: Readonly<S3UrlInfo>;
  /** True when the URL names an object (S16: ResourceType OBJECT), false at the bucket root. */
  namesKey: boolean;
}

/** The request URL as S3 reads it (readS3Url keeps its own readings), and whether it names an object. */
function readEndpoint(url: string, method: string): EndpointReading {
  const info = readS3Url(url, method);
  const path = info.key === null ? (safeUrl(url)?.pathname ?? '/') : null;
  return { info, namesKey: info.key !== null ? info.key !== '' : path !== '/' && path !== '' };
}

interface RequestedHeaders {
  names: readonly string[];
  droppedEmpty: boolean;
}

/**
 * Browsers send the same few Access-Control-Request-Headers values again and again; they are read once. Bounded.
 * Kept for its measured gain (`npm run bench -- simulate`, issue 12, both variants in the same period): a typical
 * 3-rule preflight with four requested headers 1.47 µs with it, 1.70–1.74 µs without; 100 rules, last matching,
 * 5.9–6.2 µs with it, 6.6–6.9 µs without.
 */
const requestedHeadersCache = new Map<string, RequestedHeaders>();
const REQUESTED_HEADERS_CACHE_SIZE = 256;
const NO_REQUESTED_HEADERS: RequestedHeaders = { names: [], droppedEmpty: false };

/** S12: Access-Control-Request-Headers split on commas, trimmed, lower-cased, in request order. */
function requestedHeaderNames(value: string | undefined): RequestedHeaders {
  if (value === undefined) return NO_REQUESTED_HEADERS;
  const cached = requestedHeadersCache.get(value);
  if (cached) return cached;
  const names: string[] = [];
  let droppedEmpty = false;
  for (const part of value.split(',')) {
    const name = part.trim().toLowerCase();
    if (name === '') droppedEmpty = true;
    else names.push(name);
  }
  const reading = { names, droppedEmpty };
  if (requestedHeadersCache.size >= REQUESTED_HEADERS_CACHE_SIZE) {
    const oldest = requestedHeadersCache.keys().next();
    if (!oldest.done) requestedHeadersCache.delete(oldest.value);
  }
  requestedHeadersCache.set(value, reading);
  return reading;
}

// --- Building answers ----------------------------------------------------------------------------------------------

interface Answer {
  request: { method: string; url: string; headers: HeaderMap };
  info: Readonly<S3UrlInfo>;
  behaviours: string[];
  notes: ModelNote[];
}

function result(
  answer: Answer,
  status: number,
  headers: HeaderMap,
  extra: { body?: string; error?: S3Response['error']; matchedRule?: number; trace?: S3Response['trace'] } = {},
): S3Response {
  return {
    status,
    headers,
    body: extra.body ?? '',
    error: extra.error ?? null,
    matchedRule: extra.matchedRule ?? null,
    trace: extra.trace ?? [],
    behaviours: answer.behaviours,
    notes: answer.notes,
  };
}

/**
 * An error answer with S3's body. `withHeaders`: an OPTIONS answer carries its Content-Type and Content-Length
 * (a non-OPTIONS answer's headers hold only what the model decides, see S3Response.headers).
 */
function errorResult(
  answer: Answer,
  status: number,
  code: string,
  message: string,
  between: readonly ErrorField[],
  options: { withHeaders: boolean; headers?: HeaderMap; html?: boolean; trace?: RuleTrace[] },
): S3Response {
  const { requestId, hostId } = deterministicIds(answer.request.method, answer.request.url, answer.request.headers);
  const fields: ErrorField[] = [['Code', code], ['Message', message], ...between, ['RequestId', requestId], ['HostId', hostId]];
  // S23: a HEAD answer has no body; the error is still what S3 decided.
  const body = answer.request.method === 'HEAD' ? '' : options.html ? errorHtml(status, fields) : errorXml(fields);
  const headers: HeaderMap = { ...options.headers };
  if (options.withHeaders) {
    headers['content-type'] = options.html ? 'text/html; charset=utf-8' : 'application/xml';
    headers['content-length'] = String(utf8Length(body));
  }
  return result(answer, status, headers, { body, error: { code, message }, trace: options.trace ?? [] });
}

/** S7: every CORS refusal on a preflight: 403 AccessForbidden, Method and ResourceType, no CORS headers, no Vary. */
function corsRefusal(answer: Answer, message: string, resourceType: 'BUCKET' | 'OBJECT', acrm: string | undefined, trace?: RuleTrace[]): S3Response {
  // S6: the <Method> element has changed between recordings; the model writes the requested method, else OPTIONS.
  return errorResult(
    answer,
    403,
    'AccessForbidden',
    message,
    [
      ['Method', acrm ?? 'OPTIONS'],
      ['ResourceType', resourceType],
    ],
    {
      withHeaders: true,
      html: answer.info.style === 'website',
      trace,
    },
  );
}

// --- S31: region redirects ---------------------------------------------------------------------------------------

interface Redirect {
  /** The bucket's region (x-amz-bucket-region). */
  region: string;
  status: 301 | 307;
  code: 'PermanentRedirect' | 'TemporaryRedirect';
  endpoint: string;
}

/** The regional endpoint S3 names in <Endpoint>: virtual-hosted when the bucket name allows it. */
function regionalEndpoint(bucket: string, region: string): string {
  return /^[a-z0-9][a-z0-9-]*$/.test(bucket) ? `${bucket}.s3.${region}.amazonaws.com` : `s3.${region}.amazonaws.com`;
}

/**
 * S31 — a documented choice: 301 PermanentRedirect for a wrong regional endpoint and for path-style requests to
 * the global endpoint; the global virtual-hosted endpoint is routed to the bucket's region by DNS, so it is served
 * there, except for a recently created bucket (307 TemporaryRedirect until DNS catches up, failure mode 15).
 */
function regionRedirect(answer: Answer, bucketRegion: string | undefined, recentlyCreated: boolean): Redirect | null {
  const { info } = answer;
  if (!bucketRegion || info.provider !== 'aws' || !info.bucket || (info.style !== 'virtual-hosted' && info.style !== 'path')) return null;
  const endpoint = regionalEndpoint(info.bucket, bucketRegion);
  if (info.globalEndpoint) {
    if (bucketRegion === 'us-east-1') return null;
    if (info.style === 'path') return { region: bucketRegion, status: 301, code: 'PermanentRedirect', endpoint };
    if (recentlyCreated) return { region: bucketRegion, status: 307, code: 'TemporaryRedirect', endpoint };
    answer.notes.push({
      behaviour: 'S31',
      evidence: 'docs',
      note: `The legacy global endpoint is routed by DNS to the bucket's region (${bucketRegion}), so the request is served there; a bucket created in the last hours would get 307 TemporaryRedirect instead (option bucketCreatedRecently).`,
    });
    return null;
  }
  if (info.region !== null && info.region !== bucketRegion) return { region: bucketRegion, status: 301, code: 'PermanentRedirect', endpoint };
  return null;
}

function redirectResult(answer: Answer, redirect: Redirect, isPreflight: boolean): S3Response {
  const { info } = answer;
  const headers: HeaderMap = { 'x-amz-bucket-region': redirect.region };
  if (redirect.status === 307) {
    // S3 repeats the request's path and query; the model repeats them with signatures and tokens redacted.
    const original = safeUrl(info.url);
    headers.location = `${info.scheme || 'https'}://${redirect.endpoint}${original ? original.pathname + original.search : '/'}`;
  }
  answer.behaviours.push('S31');
  answer.notes.push({
    behaviour: 'S31',
    evidence: 'secondary',
    note: `Region mismatch answered ${redirect.status} ${redirect.code} without CORS headers (the redirect is decided before CORS; browsers never follow a redirect on a preflight). The model chooses 301 for a wrong regional endpoint or global path-style, 307 only for a recently created bucket on the global endpoint.`,
  });
  const message = redirect.status === 301 ? S3_MESSAGES.permanentRedirect : S3_MESSAGES.temporaryRedirect;
  return errorResult(
    answer,
    redirect.status,
    redirect.code,
    message,
    [
      ['Endpoint', redirect.endpoint],
      ['Bucket', info.bucket ?? ''],
    ],
    {
      withHeaders: isPreflight,
      headers,
    },
  );
}

// --- S8–S14: rule matching ---------------------------------------------------------------------------------------

function firstMatch(patterns: readonly CompiledPattern[], value: string): CompiledPattern | undefined {
  for (const pattern of patterns) if (globMatch(pattern, value)) return pattern;
  return undefined;
}

interface Evaluation {
  trace: RuleTrace[];
  /** The rule S3 uses (the first full match) and its AllowedOrigin that matched. */
  used: { rule: CompiledRule; origin: CompiledPattern } | null;
  /** Rules that matched method and headers but not the origin (for the S9 case note). */
  originOnlyMisses: CompiledRule[];
  /** Some rule failed only because it has no AllowedHeaders while headers were requested (S13). */
  failedForNoAllowedHeaders: boolean;
}

/**
 * Every rule against the request (S8: document order, first full match used). Verdict objects that do not
 * depend on the rule (an origin miss, a method verdict, a header list's verdicts) are shared between trace
 * entries: the trace is read-only data.
 */
function evaluateRules(
  configuration: CompiledConfiguration,
  origin: string,
  method: { value: string; source: RuleTrace['method']['source'] },
  names: readonly string[],
): Evaluation {
  const { rules } = configuration;
  const evaluation: Evaluation = { trace: new Array(rules.length), used: null, originOnlyMisses: [], failedForNoAllowedHeaders: false };
  // S9/S10: which AllowedOrigin of each rule matches (the first in document order), without visiting every rule.
  const originBy: Array<CompiledPattern | undefined> = new Array(rules.length);
  for (const index of configuration.rulesByLiteralOrigin.get(origin) ?? []) {
    const rule = rules[index];
    if (rule === undefined) continue;
    originBy[index] = rule.origins.find((pattern) => pattern.parts.length === 1 && pattern.text === origin);
  }
  for (const rule of configuration.wildcardOriginRules) originBy[rule.index] = firstMatch(rule.origins, origin);
  const methodBit = METHOD_BITS.get(method.value) ?? 0;
  const originMiss = { value: origin, matched: false };
  const methodHit = { value: method.value, source: method.source, matched: true };
  const methodMiss = { value: method.value, source: method.source, matched: false };
  const originHasUpperCase = origin !== origin.toLowerCase();
  const headerVerdicts: Array<{ headers: RuleTrace['headers']; matched: boolean } | undefined> = [];
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r];
    if (rule === undefined) continue;
    const originPattern = originBy[r];
    const methodMatched = methodBit !== 0 ? (rule.methodMask & methodBit) !== 0 : rule.methods.has(method.value);
    let verdict = headerVerdicts[rule.headerGroup];
    if (verdict === undefined) {
      verdict = headerVerdict(rule, names);
      headerVerdicts[rule.headerGroup] = verdict;
    }
    const matched = originPattern !== undefined && methodMatched && verdict.matched;
    const used = matched && evaluation.used === null;
    if (used) evaluation.used = { rule, origin: originPattern };
    if (!originPattern && methodMatched && verdict.matched && evaluation.used === null && (originHasUpperCase || rule.originsHaveUpperCase)) {
      evaluation.originOnlyMisses.push(rule);
    }
    if (originPattern && methodMatched && !verdict.matched && rule.headers.length === 0) evaluation.failedForNoAllowedHeaders = true;
    const originResult = originPattern ? { value: origin, matched: true, by: originPattern.text } : originMiss;
    const methodResult = methodMatched ? methodHit : methodMiss;
    evaluation.trace[r] =
      rule.id === undefined
        ? { rule: rule.index, origin: originResult, method: methodResult, headers: verdict.headers, matched, used }
        : { rule: rule.index, id: rule.id, origin: originResult, method: methodResult, headers: verdict.headers, matched, used };
  }
  return evaluation;
}

/** S12 / S13: each requested name against the rule's AllowedHeaders (first match in document order). */
function headerVerdict(rule: CompiledRule, names: readonly string[]): { headers: RuleTrace['headers']; matched: boolean } {
  const headers: RuleTrace['headers'] = new Array(names.length);
  let matched = true;
  for (let h = 0; h < names.length; h++) {
    const name = names[h];
    if (name === undefined) continue;
    const pattern = firstMatch(rule.headers, name);
    if (pattern) headers[h] = { name, matched: true, by: pattern.text };
    else {
      headers[h] = { name, matched: false };
      matched = false;
    }
  }
  return { headers, matched };
}

/** Notes for every unrecorded reading (S9 case, S10 wildcard extent, several matching origins, S12 globs). */
function matchingNotes(answer: Answer, evaluation: Evaluation, origin: string, names: readonly string[]): void {
  const { notes } = answer;
  const foldedOrigin = origin.toLowerCase();
  for (const rule of evaluation.originOnlyMisses) {
    if (firstMatch(rule.originsFolded, foldedOrigin)) {
      notes.push({
        behaviour: 'S9',
        evidence: 'unknown',
        note: `Rule ${rule.index} matches this Origin only if S3 compares origins case-insensitively; S3's case rule is not recorded and the model compares case-sensitively (nothing is normalised).`,
      });
    }
  }
  if (!evaluation.used) return;
  const { rule: used, origin: pattern } = evaluation.used;
  const span = pattern.text === '*' ? null : wildcardSpan(pattern, origin);
  if (span === '') {
    notes.push({
      behaviour: 'S10',
      evidence: 'secondary',
      note: `AllowedOrigin "${pattern.text}" matched with its * standing for nothing; only secondary sources say S3 allows the empty match.`,
    });
  } else if (span !== null && /[./:]/.test(span)) {
    notes.push({
      behaviour: 'S10',
      evidence: 'unknown',
      note: `AllowedOrigin "${pattern.text}" matched with its * spanning "${span}"; whether S3's * may span ".", "/" or ":" is not recorded (the model allows it).`,
    });
  }
  const conflicting =
    used.origins.length > 1 &&
    used.origins.some((candidate) => candidate !== pattern && (candidate.text === '*') !== (pattern.text === '*') && globMatch(candidate, origin));
  if (conflicting) {
    const otherMatches = used.origins.filter((candidate) => candidate !== pattern && globMatch(candidate, origin));
    notes.push({
      behaviour: 'S15',
      evidence: 'unknown',
      note: `Several AllowedOrigins of rule ${used.index} match (${[pattern, ...otherMatches].map((p) => `"${p.text}"`).join(', ')}); the model takes the first in document order to decide between "*" and the echoed Origin.`,
    });
  }
  for (const name of names) {
    const headerPattern = firstMatch(used.headers, name);
    if (headerPattern && headerPattern.parts.length > 1 && headerPattern.text !== '*') {
      notes.push({
        behaviour: 'S12',
        evidence: 'secondary',
        note: `Header "${name}" matched AllowedHeader "${headerPattern.text}" as a glob; how S3 matches a partial wildcard is not recorded.`,
      });
    }
  }
}

/** S15 / S18: the CORS headers of a matching rule. */
function corsHeaders(rule: CompiledRule, origin: string, originPattern: CompiledPattern, names: readonly string[]): HeaderMap {
  const headers: HeaderMap = {};
  const wildcard = originPattern.text === '*';
  headers['access-control-allow-origin'] = wildcard ? '*' : origin;
  if (!wildcard) headers['access-control-allow-credentials'] = 'true';
  headers['access-control-allow-methods'] = rule.allowMethods;
  if (names.length > 0) headers['access-control-allow-headers'] = names.join(', ');
  if (rule.exposeHeaders !== null) headers['access-control-expose-headers'] = rule.exposeHeaders;
  if (rule.maxAge !== null) headers['access-control-max-age'] = rule.maxAge;
  headers.vary = VARY;
  return headers;
}

// --- The model -----------------------------------------------------------------------------------------------------

/** Answer one request against a compiled bucket (see compileBucket). Never throws. */
export function simulateCompiled(bucket: CompiledBucket, request: S3Request, options: SimulateOptions = {}): S3Response {
  const safeRequest = request && typeof request === 'object' ? request : ({} as Partial<S3Request>);
  const method = typeof safeRequest.method === 'string' ? safeRequest.method : '';
  const url = typeof safeRequest.url === 'string' ? safeRequest.url : '';
  const requestHeaders: HeaderMap = safeRequest.headers && typeof safeRequest.headers === 'object' ? safeRequest.headers : {};
  const { info, namesKey } = readEndpoint(url, method);
  const answer: Answer = { request: { method, url, headers: requestHeaders }, info, behaviours: [], notes: [] };
  const { behaviours, notes } = answer;
  const isPreflight = method === 'OPTIONS';
  const readHeader = headerReader(requestHeaders);
  const rawOrigin = readHeader('origin');
  if (rawOrigin === '') {
    notes.push({
      behaviour: 'S1',
      evidence: 'unknown',
      note: "An empty Origin header is treated as no Origin (S3's handling of an empty value is not recorded).",
    });
  }
  const origin = rawOrigin === '' ? undefined : rawOrigin;
  if (origin === undefined && readHeader('referer') !== undefined) behaviours.push('S2');
  if (info.presign) behaviours.push('S30');
  // S11: HTTP strips a field value's surrounding spaces and tabs (RFC 9110 §5.5), so S3 never sees them. An empty
  // value is treated as no header, as an empty Origin is (S3's handling of it is not recorded).
  const rawAcrm = trimOws(readHeader('access-control-request-method'));
  if (rawAcrm === '') {
    notes.push({
      behaviour: 'S11',
      evidence: 'unknown',
      note: "An empty Access-Control-Request-Method header is treated as no such header (S3's handling of an empty value is not recorded).",
    });
  }
  const acrm = rawAcrm === '' ? undefined : rawAcrm;
  const resourceType = namesKey ? 'OBJECT' : 'BUCKET';

  // S3: a preflight without Origin is refused whatever the bucket's state.
  if (isPreflight && origin === undefined) {
    behaviours.push('S3');
    return errorResult(answer, 400, 'BadRequest', S3_MESSAGES.originNeeded, [], { withHeaders: true, html: info.style === 'website' });
  }
  if (info.style === 'website' && info.scheme === 'https') {
    notes.push({
      behaviour: 'S28',
      evidence: 'docs',
      note: 'Website endpoints serve HTTP only: an https:// request to one never connects; the answer below is what the http:// URL gets.',
    });
  }

  // S27: the service endpoint has no CORS at all.
  if (info.style === 'service') {
    behaviours.push('S27');
    if (!isPreflight) return result(answer, 200, {});
    notes.push({
      behaviour: 'S27',
      evidence: 'unknown',
      note: 'The service endpoint refuses preflights with 403 (recorded in public issues); its body is not recorded — the model answers like a missing bucket.',
    }); // S5
    return corsRefusal(answer, S3_MESSAGES.bucketNotFound, 'BUCKET', acrm);
  }

  // S4 step 1 / S5 / S22: the bucket must exist.
  if (bucket.state.kind === 'missing') {
    if (isPreflight) {
      behaviours.push('S4', 'S5');
      return corsRefusal(answer, S3_MESSAGES.bucketNotFound, 'BUCKET', acrm);
    }
    behaviours.push('S22');
    notes.push({ behaviour: 'S22', evidence: 'secondary', note: 'A nonexistent bucket answers 404 NoSuchBucket with no CORS headers (secondary).' });
    return errorResult(answer, 404, 'NoSuchBucket', S3_MESSAGES.noSuchBucket, [['BucketName', info.bucket ?? '']], { withHeaders: false });
  }

  const bucketRegion = options.bucketRegion ?? bucket.region;
  const redirect = regionRedirect(answer, bucketRegion, options.bucketCreatedRecently === true);
  if (redirect) return redirectResult(answer, redirect, isPreflight);

  // S28: website endpoints serve GET and HEAD only; anything else is 405 with an HTML body and no CORS headers.
  if (info.style === 'website' && !isPreflight && method !== 'GET' && method !== 'HEAD') {
    behaviours.push('S28');
    return errorResult(
      answer,
      405,
      'MethodNotAllowed',
      S3_MESSAGES.methodNotAllowed,
      [
        ['Method', method],
        ['ResourceType', 'OBJECT'],
      ],
      {
        withHeaders: false,
        html: true,
      },
    );
  }
  if (info.style === 'website') {
    behaviours.push('S28');
    if (isPreflight)
      notes.push({
        behaviour: 'S28',
        evidence: 'unknown',
        note: "How website endpoints answer preflights is not recorded; the model evaluates the bucket's rules as the REST endpoint does, with HTML error pages.",
      });
  }

  // S29: directory buckets cannot hold a CORS configuration; access points, Object Lambda and MRAP are unrecorded.
  if (info.style === 'directory-bucket') {
    behaviours.push('S29');
    notes.push({
      behaviour: 'S29',
      evidence: 'docs',
      note: "Directory buckets (S3 Express One Zone) do not support CORS configuration: no rule applies and no bucket rule can fix it. The preflight refusal below is modelled on S3's answer for a bucket without CORS; its exact body is not recorded.",
    });
    if (!isPreflight) return result(answer, 200, {});
    return corsRefusal(answer, S3_MESSAGES.corsNotEnabled, 'BUCKET', acrm);
  }
  if (info.style === 'access-point' || info.style === 'object-lambda' || info.style === 'mrap') {
    behaviours.push('S29');
    const surface = { 'access-point': 'an access point', 'object-lambda': 'an Object Lambda access point', mrap: 'a Multi-Region Access Point' }[info.style];
    notes.push({
      behaviour: 'S29',
      evidence: 'unknown',
      note: `How S3 evaluates CORS for ${surface} is not recorded; the model applies the given configuration as the bucket's.${info.style === 'mrap' ? ' MRAP requires SigV4A and refuses anonymous requests, so unsigned preflights are likely refused whatever the rules say.' : ''}`,
    });
  }

  // S1: a non-OPTIONS request without Origin is not a CORS request (a preflight without one was refused above, S3).
  if (origin === undefined) {
    behaviours.push('S1');
    return result(answer, 200, {});
  }
  if (method === 'HEAD') {
    behaviours.push('S23');
    notes.push({ behaviour: 'S23', evidence: 'secondary', note: 'HEAD is modelled exactly like GET (secondary).' });
  }

  // S4 step 2 / S6 / S20: no configuration.
  if (bucket.configuration === null) {
    if (isPreflight) {
      behaviours.push('S4', 'S6');
      return corsRefusal(answer, S3_MESSAGES.corsNotEnabled, 'BUCKET', acrm);
    }
    behaviours.push('S20');
    return result(answer, 200, {});
  }

  // S4 step 3: rule matching (S8–S14).
  const requested = requestedHeaderNames(readHeader('access-control-request-headers'));
  if (requested.droppedEmpty) {
    notes.push({
      behaviour: 'S12',
      evidence: 'unknown',
      note: 'Empty names in Access-Control-Request-Headers (",," or a trailing comma) are ignored; S3\'s handling is not recorded.',
    });
  }
  const names = requested.names;
  const methodUsed =
    isPreflight || acrm !== undefined ? { value: acrm ?? '', source: 'access-control-request-method' as const } : { value: method, source: 'request' as const };
  const evaluation = evaluateRules(bucket.configuration, origin, methodUsed, names);
  const trace = evaluation.trace;
  if (isPreflight) behaviours.push('S4');
  behaviours.push('S8', evaluation.used && evaluation.used.origin.parts.length > 1 ? 'S10' : 'S9', 'S11');
  if (names.length > 0) behaviours.push(isPreflight ? 'S12' : 'S14');
  if (evaluation.failedForNoAllowedHeaders && !evaluation.used) behaviours.push('S13');
  matchingNotes(answer, evaluation, origin, names);

  if (isPreflight) {
    behaviours.push('S17');
    if (acrm === undefined || !isS3CorsMethod(acrm)) {
      notes.push({
        behaviour: 'S11',
        evidence: 'secondary',
        note: 'A preflight whose Access-Control-Request-Method is missing or not one of GET PUT POST DELETE HEAD is answered 400 BadRequest (S3-compatible servers written against AWS; not recorded from AWS).',
      });
      return errorResult(answer, 400, 'BadRequest', invalidRequestMethodMessage(acrm), [], { withHeaders: true, html: info.style === 'website', trace });
    }
    if (!evaluation.used) {
      behaviours.push('S16');
      return corsRefusal(answer, S3_MESSAGES.notAllowed, resourceType, acrm, trace);
    }
    behaviours.push('S15');
    const headers = corsHeaders(evaluation.used.rule, origin, evaluation.used.origin, names);
    headers['content-length'] = '0';
    return result(answer, 200, headers, { matchedRule: evaluation.used.rule.index, trace });
  }

  if (!evaluation.used) {
    behaviours.push('S19');
    return result(answer, 200, {}, { trace });
  }
  behaviours.push('S18');
  if (evaluation.used.rule.exposeHeaders !== null) {
    notes.push({ behaviour: 'S18', evidence: 'secondary', note: 'Access-Control-Expose-Headers on a non-OPTIONS response is secondary evidence.' });
  }
  return result(answer, 200, corsHeaders(evaluation.used.rule, origin, evaluation.used.origin, names), { matchedRule: evaluation.used.rule.index, trace });
}
