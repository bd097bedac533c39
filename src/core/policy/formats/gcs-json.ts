/**
 * Google Cloud Storage's CORS JSON: the list `gcloud storage buckets update --cors-file` and `gsutil cors set` take,
 * `[{"origin": [...], "method": [...], "responseHeader": [...], "maxAgeSeconds": N}]`, also wrapped as the JSON API's
 * bucket resource `{"cors": [...]}` or as `gcloud storage buckets describe --format=json` prints it,
 * `{"cors_config": [...]}`. The bucket's other settings beside it are not read.
 *
 * Read into the S3 rule model as follows (our modelling; the README's list of formats says the same):
 * - `origin` → AllowedOrigins. GCS compares an origin as a whole string, `*` alone meaning any origin; a `*` inside a
 *   value (`https://*.example.com`) is matched literally, so no browser origin ever matches it. Such a value is kept
 *   (rendered back as written) but left out of the model, and lint says so (GCS_WILDCARD_LITERAL).
 * - `method` → AllowedMethods. `*` ("any method") is read as the five S3 methods and written back as `*`. Other
 *   methods (OPTIONS, PATCH, lower case) are kept for rendering back but not judged: the model knows the five.
 * - `responseHeader` → both AllowedHeaders and ExposeHeaders: GCS uses the one list to answer a preflight's
 *   Access-Control-Request-Headers and to expose response headers to the page. `*` alone is read as any request
 *   header (exposing nothing); a name with a `*` inside is literal on GCS, so it is kept out of the model.
 * - `maxAgeSeconds` → MaxAgeSeconds. GCS entries have no ID.
 * GCS uses the first entry matching origin and method (XML API documentation) and does not move on to a later entry
 * when a requested header is missing; the model, as S3, does. The provider notes say so for storage.googleapis.com.
 */
import type { SourceText } from '../source-text.js';
import type { CorsRule, ProviderRuleExtras, RuleSource } from '../types.js';
import { S3_CORS_METHODS, isS3CorsMethod } from '../methods.js';
import { numberValue, readRuleListOf, ruleEntries, stringList, type ProviderForm } from './provider-json.js';
import type { PolicyBody } from './shared.js';

export const GCS_FORM: ProviderForm = {
  name: 'GCS',
  wrappers: ['cors', 'cors_config'],
  keys: ['origin', 'method', 'responseHeader', 'maxAgeSeconds'],
  aliases: {
    AllowedOrigins: 'origin',
    allowedOrigins: 'origin',
    AllowedMethods: 'method',
    allowedMethods: 'method',
    AllowedHeaders: 'responseHeader',
    allowedHeaders: 'responseHeader',
    ExposeHeaders: 'responseHeader',
    exposeHeaders: 'responseHeader',
    MaxAgeSeconds: 'maxAgeSeconds',
    max_age_seconds: 'maxAgeSeconds',
    response_header: 'responseHeader',
  },
  example: '[{"origin": [...], "method": [...], "responseHeader": [...]}]',
};

/** A value GCS matches literally although it holds a `*` (only `*` alone is a wildcard there). */
export const gcsLiteralStar = (value: string): boolean => value.includes('*') && value !== '*';

export function readGcsJson(source: SourceText): PolicyBody {
  const list = readRuleListOf(source, GCS_FORM);
  const rules: CorsRule[] = [];
  const sources: RuleSource[] = [];
  list.items.forEach((node, index) => {
    const ruleName = `${list.name}[${index}]`;
    const rule: CorsRule = { allowedOrigins: [], allowedMethods: [], allowedHeaders: [], exposeHeaders: [] };
    const ruleSource: RuleSource = { position: node.position, elements: [] };
    const extras: Extract<ProviderRuleExtras, { form: 'gcs' }> = { form: 'gcs' };
    const unmodelled: { methods?: string[]; origins?: string[]; headers?: string[] } = {};
    const aside = (kind: keyof typeof unmodelled, value: string) => (unmodelled[kind] ??= []).push(value);
    for (const entry of ruleEntries(source, GCS_FORM, node, ruleName)) {
      const where = `${ruleName} ${entry.key}`;
      if (entry.key === 'maxAgeSeconds') {
        const seconds = numberValue(source, entry, where);
        rule.maxAgeSeconds = seconds.value;
        ruleSource.elements.push({ element: 'MaxAgeSeconds', index: 0, raw: seconds.raw, position: seconds.position });
        continue;
      }
      const items = stringList(source, entry, where);
      if (entry.key === 'method') {
        // `*` stands for the five methods, in S3's order; a method also listed on its own points at its own entry.
        const star = items.find((item) => item.value === '*');
        if (star) extras.anyMethod = true;
        const listed = star
          ? S3_CORS_METHODS.map((method) => ({ method, written: items.find((item) => item.value === method) ?? star }))
          : items.filter((item) => isS3CorsMethod(item.value)).map((item) => ({ method: item.value, written: item }));
        for (const { method, written } of listed) {
          if (rule.allowedMethods.includes(method)) continue;
          ruleSource.elements.push({ element: 'AllowedMethod', index: rule.allowedMethods.length, raw: written.value, position: written.position });
          rule.allowedMethods.push(method);
        }
      }
      for (const item of items) {
        const { value, position } = item;
        if (entry.key === 'origin') {
          if (gcsLiteralStar(value)) aside('origins', value);
          else {
            ruleSource.elements.push({ element: 'AllowedOrigin', index: rule.allowedOrigins.length, raw: value, position });
            rule.allowedOrigins.push(value);
          }
        } else if (entry.key === 'method') {
          if (value !== '*' && !isS3CorsMethod(value)) aside('methods', value);
        } else if (gcsLiteralStar(value)) {
          aside('headers', value);
        } else {
          // responseHeader: one list, both roles.
          ruleSource.elements.push({ element: 'AllowedHeader', index: rule.allowedHeaders.length, raw: value, position });
          rule.allowedHeaders.push(value);
          if (value !== '*') {
            ruleSource.elements.push({ element: 'ExposeHeader', index: rule.exposeHeaders.length, raw: value, position });
            rule.exposeHeaders.push(value);
          }
        }
      }
    }
    if (Object.keys(unmodelled).length) extras.unmodelled = unmodelled;
    rule.provider = extras;
    rules.push(rule);
    sources.push(ruleSource);
  });
  return { config: { rules }, sources, rulesPosition: list.position };
}
