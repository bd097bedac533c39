/**
 * Backblaze B2's CORS rules: the `corsRules` list `b2 bucket update --cors-rules` and b2_update_bucket take,
 * `[{"corsRuleName", "allowedOrigins", "allowedOperations", "allowedHeaders", "exposeHeaders", "maxAgeSeconds"}]`,
 * also wrapped as `{"corsRules": [...]}` (a bucket as `b2 bucket get` and the B2 API print it; its other settings are
 * not read).
 *
 * Read into the S3 rule model as follows (our modelling; the README's list of formats says the same):
 * - `allowedOperations`: B2 names operations, not methods, and keeps its two APIs apart. `s3_get`, `s3_head`,
 *   `s3_put`, `s3_post` and `s3_delete` allow those methods through the S3-compatible API (presigned S3 URLs, the AWS
 *   SDKs) and become AllowedMethods. The native API's `b2_download_file_by_id`, `b2_download_file_by_name`,
 *   `b2_upload_file` and `b2_upload_part` never allow an S3-compatible request: they give no AllowedMethod, so a
 *   rule listing only them matches no request the model judges. They are kept (CorsRule.provider) and written back
 *   in the B2 form, lint says such a rule applies to the native API only (B2_NATIVE_ONLY), and a write operation
 *   among them counts as a write for WILDCARD_ORIGIN_WRITE.
 * - `corsRuleName` → ID; `allowedOrigins` → AllowedOrigins (`"https"`, any HTTPS origin on any port, is read as
 *   `https://*` and written back as `https`); `allowedHeaders` → AllowedHeaders; `exposeHeaders` → ExposeHeaders;
 *   `maxAgeSeconds` → MaxAgeSeconds.
 * - What b2_update_bucket refuses by Backblaze's documented limits (a missing or malformed corsRuleName, no origin
 *   or operation, an unknown operation, `*` beside other origins or headers, a wildcard in exposeHeaders,
 *   maxAgeSeconds outside 0–86400, more than 100 rules, a rule of 1000 bytes or more) is a `bad_request` schema
 *   error, as S3's MalformedXML is for XML: lint reports it, the rules are still read.
 */
import { editDistance } from '../extract-rules.js';
import { policyError, type ErrorPlace } from '../s3-errors.js';
import { quote, type SourceText } from '../source-text.js';
import type { CorsRule, PolicyError, ProviderRuleExtras, RuleSource } from '../types.js';
import { numberValue, readRuleListOf, ruleEntries, stringList, stringValue, type ProviderForm } from './provider-json.js';
import type { PolicyBody } from './shared.js';

export const B2_FORM: ProviderForm = {
  name: 'B2',
  wrappers: ['corsRules'],
  keys: ['corsRuleName', 'allowedOrigins', 'allowedOperations', 'allowedHeaders', 'exposeHeaders', 'maxAgeSeconds'],
  aliases: {
    ID: 'corsRuleName',
    id: 'corsRuleName',
    name: 'corsRuleName',
    AllowedOrigins: 'allowedOrigins',
    AllowedMethods: 'allowedOperations',
    allowedMethods: 'allowedOperations',
    operations: 'allowedOperations',
    AllowedHeaders: 'allowedHeaders',
    ExposeHeaders: 'exposeHeaders',
    exposedHeaders: 'exposeHeaders',
    MaxAgeSeconds: 'maxAgeSeconds',
    cors_rule_name: 'corsRuleName',
    allowed_origins: 'allowedOrigins',
    allowed_operations: 'allowedOperations',
    allowed_headers: 'allowedHeaders',
    expose_headers: 'exposeHeaders',
    max_age_seconds: 'maxAgeSeconds',
  },
  example: '[{"corsRuleName": …, "allowedOrigins": [...], "allowedOperations": [...], "maxAgeSeconds": N}]',
};

/**
 * A lookup table without Object.prototype behind it: the keys looked up are the user's (an operation named
 * `constructor` or `toString` must find nothing, not an inherited function).
 */
function table(entries: Array<[string, string]>): Readonly<Record<string, string | undefined>> {
  return Object.assign(Object.create(null) as Record<string, string>, Object.fromEntries(entries));
}

const S3_OPERATION_METHODS: Array<[string, string]> = [
  ['s3_get', 'GET'],
  ['s3_head', 'HEAD'],
  ['s3_put', 'PUT'],
  ['s3_post', 'POST'],
  ['s3_delete', 'DELETE'],
];
/** The S3-compatible API's operations and the method each allows. */
export const B2_S3_OPERATIONS = table(S3_OPERATION_METHODS);
/** The S3-compatible operation that allows each method (`PUT` → `s3_put`): B2_S3_OPERATIONS the other way. */
export const B2_OPERATION_OF_METHOD = table(S3_OPERATION_METHODS.map(([operation, method]) => [method, operation]));
/** The native B2 API's operations: they never allow a request through the S3-compatible API. */
export const B2_NATIVE_OPERATIONS: readonly string[] = ['b2_download_file_by_id', 'b2_download_file_by_name', 'b2_upload_file', 'b2_upload_part'];
/** Native operations that write (an upload): with `*` they are the same risk as PUT/POST with `*`. */
export const B2_NATIVE_WRITES: readonly string[] = ['b2_upload_file', 'b2_upload_part'];
const B2_OPERATIONS = [...Object.keys(B2_S3_OPERATIONS), ...B2_NATIVE_OPERATIONS];

/** B2's limits (Backblaze's CORS rules documentation). */
export const B2_MAX_RULES = 100;
export const B2_MAX_RULE_BYTES = 1000;
export const B2_MAX_AGE_SECONDS = 86400;
const B2_RULE_NAME = /^[A-Za-z0-9-]{6,50}$/;

/** A rule B2 refuses: b2_update_bucket answers 400 bad_request; the limit is documented, B2's own text is not recorded here. */
export function b2Refusal(place: ErrorPlace, message: string): PolicyError {
  return policyError(
    'bad_request',
    message,
    'docs',
    place,
    'Backblaze documents this limit: b2 bucket update (b2_update_bucket) refuses the rules with 400 bad_request.',
  );
}

const utf8Bytes = (value: string) => new TextEncoder().encode(value).length;

export function readB2Json(source: SourceText): PolicyBody {
  const list = readRuleListOf(source, B2_FORM);
  const rules: CorsRule[] = [];
  const sources: RuleSource[] = [];
  const schemaErrors: PolicyError[] = [];
  const names = new Map<string, number>();
  list.items.forEach((node, index) => {
    const ruleName = `${list.name}[${index}]`;
    const label = `rule ${index + 1}`;
    const rule: CorsRule = { allowedOrigins: [], allowedMethods: [], allowedHeaders: [], exposeHeaders: [] };
    const ruleSource: RuleSource = { position: node.position, elements: [] };
    const extras: Extract<ProviderRuleExtras, { form: 'b2' }> = { form: 'b2', operations: [], otherOperations: [] };
    const refuse = (place: Omit<ErrorPlace, 'rule'>, message: string) => schemaErrors.push(b2Refusal({ rule: index, ...place }, `${label}: ${message}`));
    const seen = new Set<string>();
    let bytes = 0;
    for (const entry of ruleEntries(source, B2_FORM, node, ruleName)) {
      const where = `${ruleName} ${entry.key}`;
      seen.add(entry.key);
      if (entry.key === 'maxAgeSeconds') {
        const seconds = numberValue(source, entry, where);
        rule.maxAgeSeconds = seconds.value;
        ruleSource.elements.push({ element: 'MaxAgeSeconds', index: 0, raw: seconds.raw, position: seconds.position });
        if (!Number.isInteger(seconds.value) || seconds.value < 0 || seconds.value > B2_MAX_AGE_SECONDS) {
          refuse(
            { element: 'MaxAgeSeconds', position: seconds.position },
            `maxAgeSeconds ${seconds.raw} is not a whole number from 0 to ${B2_MAX_AGE_SECONDS}`,
          );
        }
        continue;
      }
      if (entry.key === 'corsRuleName') {
        const name = stringValue(source, entry, where);
        bytes += utf8Bytes(name.value);
        rule.id = name.value;
        ruleSource.elements.push({ element: 'ID', index: 0, raw: name.value, position: name.position });
        const place = { element: 'ID' as const, position: name.position };
        if (!B2_RULE_NAME.test(name.value)) {
          refuse(place, `corsRuleName ${quote(name.value)} is not 6 to 50 letters, digits and "-"`);
        } else if (/^b2-/i.test(name.value)) {
          refuse(place, `corsRuleName ${quote(name.value)} starts with "b2-", which Backblaze reserves`);
        }
        const first = names.get(name.value);
        if (first !== undefined) refuse(place, `corsRuleName ${quote(name.value)} is also the name of rule ${first + 1}; names must be unique`);
        else names.set(name.value, index);
        continue;
      }
      const items = stringList(source, entry, where);
      for (const { value } of items) bytes += utf8Bytes(value);
      if (entry.key === 'allowedOrigins') {
        if (items.length > 1 && items.some((o) => o.value === '*')) {
          refuse({ element: 'AllowedOrigin', position: entry.value.position }, 'allowedOrigins lists "*" beside other origins; "*" must be the only one');
        }
        for (const { value, position } of items) {
          if (value === '') refuse({ element: 'AllowedOrigin', position }, 'an empty string in allowedOrigins');
          if ((value.match(/\*/g) ?? []).length > 1)
            refuse({ element: 'AllowedOrigin', position }, `allowedOrigins value ${quote(value)} has more than one "*"`);
          const modelled = value === 'https' ? 'https://*' : value;
          if (value === 'https') extras.anyHttps = true;
          ruleSource.elements.push({ element: 'AllowedOrigin', index: rule.allowedOrigins.length, raw: value, position });
          rule.allowedOrigins.push(modelled);
        }
      } else if (entry.key === 'allowedOperations') {
        for (const { value, position } of items) {
          extras.operations.push(value);
          const method = B2_S3_OPERATIONS[value];
          if (method !== undefined) {
            if (rule.allowedMethods.includes(method)) continue;
            ruleSource.elements.push({ element: 'AllowedMethod', index: rule.allowedMethods.length, raw: value, position });
            rule.allowedMethods.push(method);
            continue;
          }
          extras.otherOperations.push(value);
          if (!B2_NATIVE_OPERATIONS.includes(value)) {
            const near = B2_OPERATIONS.find((op) => editDistance(op, value.toLowerCase()) <= 2);
            refuse(
              { element: 'AllowedMethod', position },
              `unknown operation ${quote(value)}${near ? ` (did you mean ${near}?)` : ''}; B2 knows ${B2_OPERATIONS.join(', ')}`,
            );
          }
        }
      } else if (entry.key === 'allowedHeaders') {
        if (items.length > 1 && items.some((h) => h.value === '*')) {
          refuse({ element: 'AllowedHeader', position: entry.value.position }, 'allowedHeaders lists "*" beside other headers; "*" must be the only one');
        }
        for (const { value, position } of items) {
          if (value.slice(0, -1).includes('*')) refuse({ element: 'AllowedHeader', position }, `allowedHeaders value ${quote(value)} has a "*" before its end`);
          ruleSource.elements.push({ element: 'AllowedHeader', index: rule.allowedHeaders.length, raw: value, position });
          rule.allowedHeaders.push(value);
        }
      } else {
        for (const { value, position } of items) {
          if (value.includes('*')) refuse({ element: 'ExposeHeader', position }, `exposeHeaders value ${quote(value)} is not a complete header name`);
          ruleSource.elements.push({ element: 'ExposeHeader', index: rule.exposeHeaders.length, raw: value, position });
          rule.exposeHeaders.push(value);
        }
      }
    }
    const at = { element: 'CORSRule' as const, position: node.position };
    if (!seen.has('corsRuleName')) refuse(at, 'no corsRuleName');
    if (!rule.allowedOrigins.length) refuse(at, 'no allowedOrigins');
    if (!rule.allowedMethods.length && !extras.otherOperations.length) refuse(at, 'no allowedOperations (at least one is required)');
    if (!seen.has('maxAgeSeconds')) refuse(at, 'no maxAgeSeconds (required, 0 to 86400)');
    // B2 counts the UTF-8 bytes of every string of the rule (name, origins, operations, headers).
    if (bytes >= B2_MAX_RULE_BYTES) refuse(at, `the rule is ${bytes} bytes; B2 allows less than ${B2_MAX_RULE_BYTES}`);
    rule.provider = extras;
    rules.push(rule);
    sources.push(ruleSource);
  });
  if (rules.length > B2_MAX_RULES) {
    schemaErrors.push(
      b2Refusal(
        { rule: B2_MAX_RULES, element: 'CORSRule', position: sources[B2_MAX_RULES]?.position },
        `${rules.length} rules; B2 allows at most ${B2_MAX_RULES}`,
      ),
    );
  }
  const body: PolicyBody = { config: { rules }, sources, rulesPosition: list.position };
  if (schemaErrors.length) body.schemaErrors = schemaErrors;
  return body;
}
