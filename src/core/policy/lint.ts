/**
 * Warnings for what PutBucketCors accepts but can never work or is risky. Each has a stable code and a fix.
 * Matching-based checks (shadowing, coverage) are conservative: they claim "never" only where S3's recorded
 * behaviour makes it certain, and leave out cases that depend on unknown wildcard semantics (S10, S12).
 */
import { elementPosition, validateConfiguration } from './validate.js';
import { quote } from './source-text.js';
import { B2_NATIVE_OPERATIONS, B2_NATIVE_WRITES, B2_OPERATION_OF_METHOD } from './formats/b2-json.js';
import type { CorsRule, LintResult, ParsedPolicy, PolicyWarning, RuleElement, RuleSource } from './types.js';

/** Stable warning codes (the CLI's `--json` contract). */
export const LINT_CODES = [
  'ORIGIN_HAS_PATH',
  'ORIGIN_NO_SCHEME',
  'ORIGIN_DEFAULT_PORT',
  'ORIGIN_EMPTY',
  'ORIGIN_WHITESPACE',
  'ORIGIN_UPPERCASE',
  'ORIGIN_NULL',
  'OPTIONS_IN_METHODS',
  'RULE_SHADOWED',
  'RULE_DUPLICATE',
  'DUPLICATE_ID',
  'WILDCARD_ORIGIN_WRITE',
  'ETAG_NOT_EXPOSED',
  'CONTENT_TYPE_NOT_ALLOWED',
  'SDK_HEADERS_MISSING',
  'MAX_AGE_ABOVE_BROWSER_CAP',
  'MAX_AGE_NEGATIVE',
  // The providers' own forms (GCS JSON, Backblaze B2 corsRules):
  'B2_NATIVE_ONLY',
  'GCS_WILDCARD_LITERAL',
  'RULE_NEVER_MATCHES',
  // Reported by the parsers (ParsedPolicy.notes):
  'MULTIPLE_CONFIGURATIONS',
  'XML_NAMESPACE',
] as const;
export type LintCode = (typeof LINT_CODES)[number];

/** Browsers cap Access-Control-Max-Age: Chromium at 2 hours, Firefox at 24 hours. */
export const CHROMIUM_MAX_AGE_CAP = 7200;
export const FIREFOX_MAX_AGE_CAP = 86400;

const WRITE_METHODS = ['PUT', 'POST', 'DELETE'];

/**
 * Shadowing compares each rule with every earlier one (quadratic). S3 allows 100 rules (S26), so beyond a few
 * hundred the configuration is refused anyway and the comparison is skipped to keep lint fast on huge files.
 */
const SHADOW_ANALYSIS_LIMIT = 300;

/**
 * Headers the AWS SDK for JavaScript v3 sends from a browser (failure-modes 9 and 10). Checksum headers are sent
 * since v3.729.0 (January 2025); `x-amz-checksum-crc32` stands for the `x-amz-checksum-*` family.
 */
const SDK_HEADERS: Array<{ probe: string; name: string }> = [
  { probe: 'amz-sdk-invocation-id', name: 'amz-sdk-invocation-id' },
  { probe: 'amz-sdk-request', name: 'amz-sdk-request' },
  { probe: 'x-amz-user-agent', name: 'x-amz-user-agent' },
  { probe: 'x-amz-content-sha256', name: 'x-amz-content-sha256' },
  { probe: 'x-amz-date', name: 'x-amz-date' },
  { probe: 'authorization', name: 'authorization' },
  { probe: 'x-amz-security-token', name: 'x-amz-security-token' },
  { probe: 'x-amz-checksum-crc32', name: 'x-amz-checksum-*' },
  { probe: 'x-amz-sdk-checksum-algorithm', name: 'x-amz-sdk-checksum-algorithm' },
];

/**
 * Does a single-`*` pattern surely match `value`? Only if `*` stands for at least one character that is not
 * `.`, `/` or `:` — the case recorded in S10; empty and separator-spanning matches are unknown.
 */
function surelyMatches(pattern: string, value: string): boolean {
  const star = pattern.indexOf('*');
  if (star === -1) return pattern === value;
  if (pattern === '*') return true;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  if (value.length <= prefix.length + suffix.length || !value.startsWith(prefix) || !value.endsWith(suffix)) return false;
  return !/[./:]/.test(value.slice(prefix.length, value.length - suffix.length));
}

/** S12 header matching, modelled as a case-insensitive glob (secondary): used only to find what is surely missing. */
function headerAllowed(patterns: string[], header: string): boolean {
  const name = header.toLowerCase();
  return patterns.some((p) => {
    const pattern = p.toLowerCase();
    const star = pattern.indexOf('*');
    if (star === -1) return pattern === name;
    return name.startsWith(pattern.slice(0, star)) && name.endsWith(pattern.slice(star + 1)) && name.length >= pattern.length - 1;
  });
}

function originCovers(earlier: string[], origin: string): boolean {
  return earlier.some((p) => p === '*' || p === origin || (!origin.includes('*') && surelyMatches(p, origin)));
}

function headerCovers(earlier: string[], header: string): boolean {
  const name = header.toLowerCase();
  return earlier.some((p) => {
    const pattern = p.toLowerCase();
    return pattern === '*' || pattern === name || (!name.includes('*') && surelyMatches(pattern, name));
  });
}

/** Every request `later` matches, `earlier` matches too (S8: first match wins), so `later` is never used. */
function covers(earlier: CorsRule, later: CorsRule): boolean {
  // What the model does not judge (B2's native operations, GCS methods beyond the five) must be covered too.
  const unjudged = (rule: CorsRule) =>
    rule.provider?.form === 'b2' ? rule.provider.otherOperations : rule.provider?.form === 'gcs' ? (rule.provider.unmodelled?.methods ?? []) : [];
  return (
    unjudged(later).every((value) => unjudged(earlier).includes(value)) &&
    later.allowedOrigins.every((o) => originCovers(earlier.allowedOrigins, o)) &&
    later.allowedMethods.every((m) => earlier.allowedMethods.includes(m)) &&
    later.allowedHeaders.every((h) => headerCovers(earlier.allowedHeaders, h))
  );
}

/** What makes two rules the same for S3's purposes: every value set, order and header case ignored, ID ignored. */
function ruleKey(rule: CorsRule): string {
  const set = (values: string[], fold = false) => [...new Set(values.map((v) => (fold ? v.toLowerCase() : v)))].sort();
  return JSON.stringify([
    set(rule.allowedOrigins),
    set(rule.allowedMethods),
    set(rule.allowedHeaders, true),
    set(rule.exposeHeaders, true),
    rule.maxAgeSeconds ?? null,
    rule.provider ?? null,
  ]);
}

/**
 * The field names of a rule's own form in lint's words: a rule read from GCS JSON or B2 corsRules is described with
 * that form's keys (`responseHeader`, `allowedOperations`), as the user wrote it.
 */
const FORM_WORDS: Record<'gcs' | 'b2', Array<[RegExp, string]>> = {
  gcs: [
    [/\bS3 never exposes\b/g, 'Cloud Storage never exposes'],
    [/\bAllowedOrigins?\b/g, 'origin'],
    [/\bAllowedMethods\b/g, 'method'],
    [/\b(AllowedHeaders|ExposeHeaders)\b/g, 'responseHeader'],
    [/\bMaxAgeSeconds\b/g, 'maxAgeSeconds'],
  ],
  b2: [
    [/\bS3 never exposes\b/g, 'B2 never exposes'],
    [/\bAllowedOrigins?\b/g, 'allowedOrigins'],
    [/\bAllowedMethods\b/g, 'allowedOperations'],
    [/\bAllowedHeaders\b/g, 'allowedHeaders'],
    [/\bExposeHeaders\b/g, 'exposeHeaders'],
    [/\bMaxAgeSeconds\b/g, 'maxAgeSeconds'],
    [/\bPUT\/POST\b/g, 's3_put/s3_post'],
  ],
};

function inFormWords(text: string, form: 'gcs' | 'b2' | undefined): string {
  return form ? FORM_WORDS[form].reduce((out, [pattern, word]) => out.replace(pattern, word), text) : text;
}

/** The S3-compatible operation of a method, in a B2 rule's words. */
const b2Operation = (method: string) => B2_OPERATION_OF_METHOD[method] ?? method;

const ORIGIN_SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s;

function lintOrigin(origin: string, warn: (code: LintCode, message: string, fix: string) => void): void {
  if (origin === '*') return;
  const shown = quote(origin);
  if (origin === '') {
    warn(
      'ORIGIN_EMPTY',
      'an empty AllowedOrigin never matches: browsers never send an empty Origin',
      'Remove it, or write the full origin, e.g. "https://app.example.com".',
    );
    return;
  }
  if (origin !== origin.trim()) {
    warn(
      'ORIGIN_WHITESPACE',
      `AllowedOrigin ${shown} has surrounding whitespace; S3 compares origins literally and whether it trims the value is unknown, so it may never match`, // S9
      `Write ${quote(origin.trim())}.`,
    );
  }
  const value = origin.trim();
  if (value === 'null') {
    warn(
      'ORIGIN_NULL',
      'AllowedOrigin "null" admits sandboxed iframes, file: pages and redirected requests, which any site can produce',
      'Serve the page from a real origin and list that origin instead.',
    );
    return;
  }
  const m = ORIGIN_SHAPE.exec(value);
  if (!m && value.includes('://')) return; // a wildcard in the scheme, e.g. `http*://example.com`
  if (!m) {
    const guess = value.startsWith('*') ? `https://${value}` : `https://${value.replace(/\/+$/, '')}`;
    warn(
      'ORIGIN_NO_SCHEME',
      `AllowedOrigin ${shown} has no scheme; a browser's Origin always starts with one (https://…), so this entry never matches${value.includes('*') ? ' (unless "*" spans "://", which is unknown)' : ''}`,
      `Write ${quote(guess)} (and the http:// form too if you serve it).`,
    );
    return;
  }
  const [, scheme, authority, rest] = m as unknown as [string, string, string, string];
  if (rest !== '') {
    warn(
      'ORIGIN_HAS_PATH',
      `AllowedOrigin ${shown} has a path or trailing slash; an Origin is only scheme://host[:port], so it never matches`, // S9
      `Write ${quote(`${scheme}://${authority}`)}.`,
    );
  }
  const port = /:(\d+)$/.exec(authority)?.[1];
  const lowerScheme = scheme.toLowerCase();
  if ((lowerScheme === 'https' && port === '443') || (lowerScheme === 'http' && port === '80')) {
    warn(
      'ORIGIN_DEFAULT_PORT',
      `AllowedOrigin ${shown} names the default port; browsers leave it out of Origin and S3 does not normalise, so it never matches`, // S9
      `Write ${quote(`${scheme}://${authority.replace(/:\d+$/, '')}`)}.`,
    );
  }
  if (/[A-Z]/.test(scheme + authority)) {
    warn(
      'ORIGIN_UPPERCASE',
      `AllowedOrigin ${shown} has upper-case letters; browsers send scheme and host in lower case and whether S3 compares case-insensitively is unknown`, // S9
      `Write ${quote(`${scheme.toLowerCase()}://${authority.toLowerCase()}${rest}`)}.`,
    );
  }
}

function lintRules(rules: CorsRule[], sources: RuleSource[]): PolicyWarning[] {
  const warnings: PolicyWarning[] = [];
  const warn = (code: LintCode, rule: number, message: string, fix: string, element?: RuleElement, index = 0) => {
    const form = rules[rule]?.provider?.form;
    const warning: PolicyWarning = { code, message: inFormWords(message, form), rule, fix: inFormWords(fix, form) };
    if (element) warning.element = element;
    const position = elementPosition(sources, rule, element, index);
    if (position) {
      warning.line = position.line;
      warning.column = position.column;
    }
    warnings.push(warning);
  };

  const firstWithKey = new Map<string, number>();
  rules.forEach((rule, r) => {
    const label = `rule ${r + 1}`;
    rule.allowedOrigins.forEach((origin, k) => lintOrigin(origin, (code, message, fix) => warn(code, r, `${label}: ${message}`, fix, 'AllowedOrigin', k)));

    const optionsIndex = rule.allowedMethods.findIndex((m) => m.toUpperCase() === 'OPTIONS');
    if (optionsIndex !== -1) {
      warn(
        'OPTIONS_IN_METHODS',
        r,
        `${label}: OPTIONS is not a method you allow: S3 answers every preflight (OPTIONS) itself, for the methods listed; PutBucketCors refuses OPTIONS, so the whole configuration fails to apply`, // failure-modes 7
        'Remove OPTIONS from AllowedMethods; list the methods of the real requests (GET, PUT, POST, DELETE, HEAD).',
        'AllowedMethod',
        optionsIndex,
      );
    }

    const b2 = rule.provider?.form === 'b2' ? rule.provider : undefined;
    // B2's native uploads (b2_upload_file, b2_upload_part) are writes too, through B2's own API.
    const writes = [
      ...rule.allowedMethods.filter((m) => WRITE_METHODS.includes(m)).map((m) => (b2 ? b2Operation(m) : m)),
      ...(b2?.otherOperations.filter((op) => B2_NATIVE_WRITES.includes(op)) ?? []),
    ];
    const wildcardOrigin = rule.allowedOrigins.findIndex((o) => o === '*' || /^https?:\/\/\*$/.test(o));
    const wildcard = rule.allowedOrigins[wildcardOrigin];
    if (wildcard !== undefined && writes.length) {
      warn(
        'WILDCARD_ORIGIN_WRITE',
        r,
        `${label}: origin ${quote(b2?.anyHttps && wildcard === 'https://*' ? 'https' : wildcard)} with ${writes.join(', ')}: any web site can make its visitors' browsers send these writes with your presigned URLs${b2 ? ' or upload tokens' : ''} or to a publicly writable bucket (CORS grants nothing by itself)`, // S21
        b2
          ? 'List the origins of your own application instead of "*" for write operations; keep "*" in a separate rule for downloads (s3_get, s3_head, b2_download_file_by_name) if needed.'
          : 'List the origins of your own application instead of "*" for write methods; keep "*" in a separate GET/HEAD rule if needed.',
        'AllowedOrigin',
        wildcardOrigin,
      );
    }
    if (b2 && rule.allowedMethods.length === 0) {
      const native = b2.otherOperations.filter((op) => B2_NATIVE_OPERATIONS.includes(op));
      if (native.length) {
        const downloads = native.some((op) => op.startsWith('b2_download'));
        const uploads = native.some((op) => op.startsWith('b2_upload'));
        const s3 = [...(downloads ? ['s3_get', 's3_head'] : []), ...(uploads ? ['s3_put', 's3_post'] : [])];
        warn(
          'B2_NATIVE_ONLY',
          r,
          `${label}: allowedOperations lists only B2 native API operations (${native.join(', ')}): the rule applies to B2's own API only, and no request through the S3-compatible API (presigned S3 URLs, the AWS SDKs) ever matches it`, // B2 CORS rules
          `If the bucket is used through the S3-compatible API, allow the S3 operations too (${s3.join(', ')})${uploads && rule.allowedOrigins.some((o) => o.includes('*')) ? ' — the uploads in a rule for your own origins, not "*"' : ''}.`,
          'CORSRule',
        );
      }
    }
    if (rule.provider?.form === 'gcs') {
      const literal = [...(rule.provider.unmodelled?.origins ?? []), ...(rule.provider.unmodelled?.headers ?? [])];
      for (const value of literal) {
        const origin = rule.provider.unmodelled?.origins?.includes(value) ?? false;
        warn(
          'GCS_WILDCARD_LITERAL',
          r,
          `${label}: ${origin ? 'origin' : 'responseHeader'} ${quote(value)} is matched literally by Cloud Storage, where only "*" alone is a wildcard: no ${origin ? "browser's Origin" : 'request header'} ever matches it`,
          origin
            ? 'List each origin in full (e.g. "https://app.example.com"), or use "*" alone for any origin (read-only rules only).'
            : 'List each header name in full.',
          'CORSRule',
        );
      }
      const noOrigin = rule.allowedOrigins.length === 0 && !rule.provider.unmodelled?.origins?.length;
      const noMethod = rule.allowedMethods.length === 0 && !rule.provider.unmodelled?.methods?.length;
      if (noOrigin || noMethod) {
        warn(
          'RULE_NEVER_MATCHES',
          r,
          `${label} has no ${noOrigin ? 'origin' : 'method'}${noOrigin && noMethod ? ' and no method' : ''}: Cloud Storage never uses it`,
          `Add the ${noOrigin ? 'origins' : 'methods'} it is for, or remove the entry.`,
          'CORSRule',
        );
      }
    }

    const uploads = rule.allowedMethods.some((m) => m === 'PUT' || m === 'POST');
    if (uploads && !rule.exposeHeaders.some((h) => h.toLowerCase() === 'etag')) {
      warn(
        'ETAG_NOT_EXPOSED',
        r,
        `${label}: PUT/POST are allowed but ExposeHeaders lacks ETag; S3 never exposes it by default, so multipart uploads cannot read part ETags and fail at CompleteMultipartUpload`, // S18, failure-modes 11
        'Add "ETag" to ExposeHeaders.',
        'CORSRule',
      );
    }
    if (uploads && !headerAllowed(rule.allowedHeaders, 'content-type')) {
      warn(
        'CONTENT_TYPE_NOT_ALLOWED',
        r,
        `${label}: PUT/POST are allowed but AllowedHeaders does not cover Content-Type; an upload of a typed File/Blob or JSON sends a non-safelisted Content-Type, its preflight lists content-type and no rule matches`, // S12, S13
        'Add "Content-Type" (or "*") to AllowedHeaders.',
        'CORSRule',
      );
    }

    // A rule listing authorization or x-amz-* / amz-sdk-* headers for uploads looks meant for the AWS SDK. One that
    // allows only content-type looks like a presigned-URL upload, which sends none of the SDK's headers.
    const looksLikeSdk = uploads && !rule.allowedHeaders.includes('*') && rule.allowedHeaders.some((h) => /^(authorization|x-amz-|amz-sdk-)/i.test(h));
    if (looksLikeSdk) {
      const missing = SDK_HEADERS.filter((h) => !headerAllowed(rule.allowedHeaders, h.probe)).map((h) => h.name);
      if (missing.length) {
        warn(
          'SDK_HEADERS_MISSING',
          r,
          `${label}: looks meant for uploads with the AWS SDK for JavaScript v3 but AllowedHeaders omits ${missing.join(', ')}; the SDK sends them, so its preflights are refused`, // failure-modes 9, 10
          `Add ${missing.map((h) => quote(h)).join(', ')} to AllowedHeaders (or use "x-amz-*" plus "amz-sdk-invocation-id", "amz-sdk-request", "authorization", or "*").`,
          'CORSRule',
        );
      }
    }

    if (rule.maxAgeSeconds !== undefined && Number.isInteger(rule.maxAgeSeconds)) {
      if (rule.maxAgeSeconds > CHROMIUM_MAX_AGE_CAP) {
        warn(
          'MAX_AGE_ABOVE_BROWSER_CAP',
          r,
          `${label}: MaxAgeSeconds ${rule.maxAgeSeconds} is above what browsers honour (Chromium caps preflight caching at ${CHROMIUM_MAX_AGE_CAP} s, Firefox at ${FIREFOX_MAX_AGE_CAP} s): the excess is ignored, and a cached preflight hides later rule changes that long`,
          `Use ${CHROMIUM_MAX_AGE_CAP} or less (lower while you are still changing the rules).`,
          'MaxAgeSeconds',
        );
      } else if (rule.maxAgeSeconds < 0) {
        warn(
          'MAX_AGE_NEGATIVE',
          r,
          `${label}: MaxAgeSeconds ${rule.maxAgeSeconds} is negative; browsers ignore the value (Fetch: not a non-negative integer) and whether S3 accepts it is unknown`,
          'Use a value from 0 to 7200, or leave MaxAgeSeconds out.',
          'MaxAgeSeconds',
        );
      }
    }

    const key = ruleKey(rule);
    const duplicateOf = firstWithKey.get(key);
    if (duplicateOf === undefined) firstWithKey.set(key, r);
    if (duplicateOf !== undefined) {
      warn('RULE_DUPLICATE', r, `${label} repeats rule ${duplicateOf + 1} exactly; it is never used (first match wins)`, `Remove rule ${r + 1}.`, 'CORSRule'); // S8
    } else if (r < SHADOW_ANALYSIS_LIMIT && rule.allowedOrigins.length && rule.allowedMethods.length) {
      const shadowing = rules.findIndex((earlier, e) => e < r && covers(earlier, rule));
      if (shadowing !== -1) {
        warn(
          'RULE_SHADOWED',
          r,
          `${label} is never used: rule ${shadowing + 1} comes first and matches every request it matches (the first matching rule supplies every response value)`, // S8
          `Move rule ${r + 1} above rule ${shadowing + 1} if its values (e.g. ExposeHeaders) are the ones wanted, or remove it.`,
          'CORSRule',
        );
      }
    }

    if (rule.id !== undefined) {
      const first = rules.findIndex((other) => other.id === rule.id);
      if (first < r) {
        warn(
          'DUPLICATE_ID',
          r,
          `${label} has the same ID ${quote(rule.id)} as rule ${first + 1}`,
          'Give each rule its own ID, so messages and diffs can name it.',
          'ID',
        );
      }
    }
  });
  return warnings;
}

export function lintParsedPolicy(policy: ParsedPolicy): LintResult {
  const errors = validateConfiguration(policy);
  // Document order: file-level notes first, then by rule, then by position within the rule.
  const byPlace = (a: PolicyWarning, b: PolicyWarning) => (a.rule ?? -1) - (b.rule ?? -1) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
  const warnings = [...(policy.notes ?? []), ...lintRules(policy.config.rules, policy.sources).sort(byPlace)];
  return { valid: errors.length === 0, format: policy.format, errors, warnings };
}
