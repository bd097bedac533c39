/**
 * PutBucketCors' accept/reject decisions (spec §5 table, S26 limits), with S3's code and message text where known.
 * S3 answers one error per request; we report every problem, ordered so that errors[0] is the one we expect S3 to
 * answer: schema failures (MalformedXML) first, then the value checks in document order. That ordering between the
 * two groups is our choice (unknown).
 */
import { renderCompactXml } from './render.js';
import { exposeWildcardMessage, headerWildcardsMessage, malformedXml, originWildcardsMessage, policyError, unsupportedMethodMessage } from './s3-errors.js';
import { S3_CORS_METHODS, isS3CorsMethod } from './methods.js';
import { quote } from './source-text.js';
import type { CorsConfiguration, ParsedPolicy, PolicyError, RuleElement, RuleSource, SourcePosition } from './types.js';

export { S3_CORS_METHODS } from './methods.js';
/** S26 limits. */
export const MAX_RULES = 100;
export const MAX_DOCUMENT_BYTES = 64 * 1024;
export const MAX_ID_LENGTH = 255;
/** MaxAgeSeconds is an xsd:int in S3's schema. */
const MAX_INT32 = 2 ** 31 - 1;

export function elementPosition(sources: RuleSource[], rule: number, element?: RuleElement, index = 0): SourcePosition | undefined {
  const ruleSource = sources[rule];
  if (!ruleSource) return undefined;
  if (!element || element === 'CORSRule') return ruleSource.position;
  return ruleSource.elements.find((e) => e.element === element && e.index === index)?.position ?? ruleSource.position;
}

function countStars(value: string): number {
  let n = 0;
  for (const ch of value) if (ch === '*') n++;
  return n;
}

export function validateConfiguration(policy: ParsedPolicy | CorsConfiguration): PolicyError[] {
  const parsed = 'config' in policy ? policy : undefined;
  const config = parsed ? parsed.config : (policy as CorsConfiguration);
  const sources = parsed?.sources ?? [];
  const schema: PolicyError[] = [...(parsed?.schemaErrors ?? [])];
  const values: PolicyError[] = [];
  const at = (rule: number, element?: RuleElement, index = 0) => ({ rule, element, position: elementPosition(sources, rule, element, index) });
  // A configuration in a provider's own form (GCS JSON, B2 corsRules) is applied by that provider, not PutBucketCors:
  // its reader reports what the provider refuses (B2's documented limits, as schema errors); S3's limits are not
  // applied to its rules. Rules without `provider` (added by a fix) are still checked as S3 would.
  const providerForm = parsed ? parsed.format === 'gcs-json' || parsed.format === 'b2-json' : config.rules.some((rule) => rule.provider !== undefined);

  if (config.rules.length === 0 && !providerForm) {
    schema.push(malformedXml({ rule: null, position: parsed?.rulesPosition }, 'the configuration has no rules (zero rules)', 'recorded')); // spec §5
  }
  if (config.rules.length > MAX_RULES && !providerForm) {
    schema.push(
      malformedXml(
        at(MAX_RULES, 'CORSRule'),
        `${config.rules.length} rules: S3 allows at most ${MAX_RULES}. The error code S3 answers is unknown; MalformedXML is our choice (a user report says so)`, // K4, S26
        'unknown',
      ),
    );
  }
  const bytes = providerForm ? 0 : new TextEncoder().encode(renderCompactXml(config)).length;
  if (bytes > MAX_DOCUMENT_BYTES) {
    schema.push(
      malformedXml(
        { rule: null, position: parsed?.rulesPosition },
        `the configuration is ${bytes} bytes as S3 XML; S3 accepts at most 64 KB. The error code is unknown; MalformedXML is our choice`, // S26
        'unknown',
      ),
    );
  }

  config.rules.forEach((rule, r) => {
    if (rule.provider !== undefined) return;
    if (rule.allowedOrigins.length === 0) schema.push(malformedXml(at(r, 'CORSRule'), `rule ${r + 1} has no AllowedOrigin`)); // spec §5
    if (rule.allowedMethods.length === 0) schema.push(malformedXml(at(r, 'CORSRule'), `rule ${r + 1} has no AllowedMethod`)); // spec §5
    if (rule.maxAgeSeconds !== undefined) {
      if (!Number.isInteger(rule.maxAgeSeconds)) {
        schema.push(malformedXml(at(r, 'MaxAgeSeconds'), `MaxAgeSeconds ${rule.maxAgeSeconds} is not an integer (rule ${r + 1})`));
      } else if (Math.abs(rule.maxAgeSeconds) > MAX_INT32) {
        schema.push(
          malformedXml(
            at(r, 'MaxAgeSeconds'),
            `MaxAgeSeconds ${rule.maxAgeSeconds} does not fit S3's 32-bit integer (rule ${r + 1}); S3's answer is our guess`,
            'unknown',
          ),
        );
      }
    }
    rule.allowedMethods.forEach((method, k) => {
      if (isS3CorsMethod(method)) return;
      const lowercaseOfValid = isS3CorsMethod(method.toUpperCase());
      values.push(
        policyError(
          'InvalidRequest',
          unsupportedMethodMessage(method),
          lowercaseOfValid ? 'secondary' : 'recorded',
          at(r, 'AllowedMethod', k),
          lowercaseOfValid
            ? `methods are case-sensitive: write ${method.toUpperCase()} (rule ${r + 1})`
            : `S3 allows only ${S3_CORS_METHODS.join(', ')} (rule ${r + 1})`,
        ),
      );
    });
    rule.allowedOrigins.forEach((origin, k) => {
      if (countStars(origin) > 1) values.push(policyError('InvalidRequest', originWildcardsMessage(origin), 'recorded', at(r, 'AllowedOrigin', k)));
    });
    rule.allowedHeaders.forEach((header, k) => {
      if (countStars(header) > 1) values.push(policyError('InvalidRequest', headerWildcardsMessage(header), 'secondary', at(r, 'AllowedHeader', k)));
    });
    rule.exposeHeaders.forEach((header, k) => {
      if (header.includes('*')) values.push(policyError('InvalidRequest', exposeWildcardMessage(header), 'secondary', at(r, 'ExposeHeader', k)));
    });
    if (rule.id !== undefined && rule.id.length > MAX_ID_LENGTH) {
      values.push(
        policyError(
          'InvalidRequest',
          `ID ${quote(rule.id, 20)} is longer than ${MAX_ID_LENGTH} characters`,
          'unknown',
          at(r, 'ID'),
          `S3 documents a ${MAX_ID_LENGTH}-character limit; its error code and text are unknown, InvalidRequest is our choice`, // S26
        ),
      );
    }
  });
  return [...schema, ...values];
}
