/**
 * Print a configuration in every form users paste into consoles, CLIs and IaC, plus the nearest equivalents on GCS,
 * Backblaze B2 and MinIO. Every string is escaped for its target so that a parser of that format reads back exactly
 * the configured value (the round-trip property test pins this for the forms we also parse).
 */
import { S3_CORS_METHODS, isS3CorsMethod } from './methods.js';
import { S3_XML_NAMESPACE } from './s3-errors.js';
import { B2_NATIVE_OPERATIONS, B2_OPERATION_OF_METHOD, B2_S3_OPERATIONS } from './formats/b2-json.js';
import { xmlElement } from '../xml/index.js';
import type { CorsConfiguration, CorsRule } from './types.js';
import { must } from '../must.js';

export type RenderFormat =
  | 'console' // S3 console JSON: an array of rules
  | 'cli' // `aws s3api put-bucket-cors` command with its JSON
  | 'cli-json' // {"CORSRules": [...]}
  | 'xml'
  | 'cloudformation' // YAML
  | 'cloudformation-json'
  | 'terraform' // aws_s3_bucket_cors_configuration
  | 'cdk' // AWS CDK TypeScript
  | 'gcs' // Google Cloud Storage JSON
  | 'b2' // Backblaze B2 corsRules
  | 'minio'; // MinIO community: server-wide setting

export const RENDER_FORMATS: readonly RenderFormat[] = [
  'console',
  'cli',
  'cli-json',
  'xml',
  'cloudformation',
  'cloudformation-json',
  'terraform',
  'cdk',
  'gcs',
  'b2',
  'minio',
];

export interface RenderOptions {
  bucket?: string;
  /** Resource / construct name for IaC forms. */
  name?: string;
}

export interface Rendered {
  text: string;
  /** What the target cannot express or expresses differently (lossy conversions, defaults we had to pick). */
  notes: string[];
}

/** JSON string literal; U+2028/2029 escaped too so the text is also a safe JavaScript and YAML literal. */
function jsonString(value: string): string {
  return JSON.stringify(value).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** YAML double-quoted scalar: JSON escaping, plus escapes for everything outside YAML's printable set. */
function yamlString(value: string): string {
  return jsonString(value).replace(/[\u007f-\u009f\u2028\u2029\ud800-\udfff\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function consoleRule(rule: CorsRule): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (rule.id !== undefined) out.ID = rule.id;
  if (rule.allowedHeaders.length) out.AllowedHeaders = rule.allowedHeaders;
  out.AllowedMethods = rule.allowedMethods;
  out.AllowedOrigins = rule.allowedOrigins;
  if (rule.exposeHeaders.length) out.ExposeHeaders = rule.exposeHeaders;
  if (rule.maxAgeSeconds !== undefined) out.MaxAgeSeconds = rule.maxAgeSeconds;
  return out;
}

function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** POSIX shell single-quoting: nothing inside '…' is special except the quote itself. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9._\-/:=@%+,]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** PutBucketCors' element order (what the renderers print, and the body whose size S3 limits). */
function xmlRuleLines(rule: CorsRule): string[] {
  const lines: string[] = [];
  const add = (name: string, value: string) => lines.push(xmlElement(name, value));
  if (rule.id !== undefined) add('ID', rule.id);
  rule.allowedOrigins.forEach((v) => add('AllowedOrigin', v));
  rule.allowedMethods.forEach((v) => add('AllowedMethod', v));
  rule.allowedHeaders.forEach((v) => add('AllowedHeader', v));
  rule.exposeHeaders.forEach((v) => add('ExposeHeader', v));
  if (rule.maxAgeSeconds !== undefined) add('MaxAgeSeconds', String(rule.maxAgeSeconds));
  return lines;
}

function renderXml(config: CorsConfiguration): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<CORSConfiguration xmlns="${S3_XML_NAMESPACE}">`];
  for (const rule of config.rules) {
    lines.push('  <CORSRule>', ...xmlRuleLines(rule).map((l) => `    ${l}`), '  </CORSRule>');
  }
  lines.push('</CORSConfiguration>', '');
  return lines.join('\n');
}

/** The request body the AWS CLI/SDK sends, whose size S3 limits to 64 KB (S26). */
export function renderCompactXml(config: CorsConfiguration): string {
  return `<CORSConfiguration xmlns="${S3_XML_NAMESPACE}">${config.rules.map((r) => `<CORSRule>${xmlRuleLines(r).join('')}</CORSRule>`).join('')}</CORSConfiguration>`;
}

/**
 * GetBucketCors' answer (S24): rules in the order sent, values unnormalised, only the elements that were set, each
 * rule's elements in the order S3 answers them (ID, AllowedHeader, AllowedMethod, AllowedOrigin, ExposeHeader,
 * MaxAgeSeconds). The sandbox (`serve`) answers with it.
 */
export function renderGetBucketCorsXml(config: CorsConfiguration): string {
  // What S3's API can express of rules read from GCS or B2 (a B2 rule of native operations only has none).
  const rules = withoutProviderExtras(config, null).config.rules.map((rule) =>
    [
      '<CORSRule>',
      rule.id !== undefined ? xmlElement('ID', rule.id) : '',
      ...rule.allowedHeaders.map((v) => xmlElement('AllowedHeader', v)),
      ...rule.allowedMethods.map((v) => xmlElement('AllowedMethod', v)),
      ...rule.allowedOrigins.map((v) => xmlElement('AllowedOrigin', v)),
      ...rule.exposeHeaders.map((v) => xmlElement('ExposeHeader', v)),
      rule.maxAgeSeconds !== undefined ? xmlElement('MaxAgeSeconds', rule.maxAgeSeconds) : '',
      '</CORSRule>',
    ].join(''),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CORSConfiguration xmlns="${S3_XML_NAMESPACE}">${rules.join('')}</CORSConfiguration>`;
}

/** CloudFormation logical IDs and CDK construct IDs: alphanumeric. */
function logicalId(name: string | undefined, fallback: string): string {
  const cleaned = (name ?? '').replace(/[^A-Za-z0-9]/g, '');
  return cleaned || fallback;
}

/** Terraform resource names: letters, digits, `_` and `-`, not starting with a digit. */
function terraformName(name: string | undefined): string {
  const cleaned = (name ?? '').replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `cors_${cleaned || 'bucket'}`;
}

function cloudFormationRules(config: CorsConfiguration): Array<Record<string, unknown>> {
  return config.rules.map((rule) => {
    const out: Record<string, unknown> = {};
    if (rule.id !== undefined) out.Id = rule.id;
    if (rule.allowedHeaders.length) out.AllowedHeaders = rule.allowedHeaders;
    out.AllowedMethods = rule.allowedMethods;
    out.AllowedOrigins = rule.allowedOrigins;
    if (rule.exposeHeaders.length) out.ExposedHeaders = rule.exposeHeaders;
    if (rule.maxAgeSeconds !== undefined) out.MaxAge = rule.maxAgeSeconds;
    return out;
  });
}

function cloudFormationTemplate(config: CorsConfiguration, options: RenderOptions): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  if (options.bucket !== undefined) properties.BucketName = options.bucket;
  properties.CorsConfiguration = { CorsRules: cloudFormationRules(config) };
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: { [logicalId(options.name, 'CorsBucket')]: { Type: 'AWS::S3::Bucket', Properties: properties } },
  };
}

/**
 * A tiny YAML emitter for the template's shape (maps, lists, strings, numbers). Every string is double-quoted, so
 * no value can turn into a boolean, a number, a tag or an alias in any YAML 1.1 or 1.2 reader.
 */
function yamlLines(value: unknown, indent: string): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return ['[]'];
    return value.flatMap((item) => {
      const inner = yamlLines(item, `${indent}  `);
      if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
        const [first, ...rest] = inner;
        return [`${indent}- ${must(first, 'the objects in lists are rules, and a rule always has AllowedMethods').trimStart()}`, ...rest];
      }
      return [`${indent}- ${inner.join('')}`];
    });
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => {
      if (Array.isArray(v) && v.length === 0) return [`${indent}${key}: []`];
      if (v !== null && typeof v === 'object') return [`${indent}${key}:`, ...yamlLines(v, `${indent}  `)];
      return [`${indent}${key}: ${yamlLines(v, '')[0]}`];
    });
  }
  if (typeof value === 'number') return [String(value)];
  return [yamlString(String(value))];
}

/** HCL quoted string: escapes, plus `$${`/`%%{` so no interpolation or directive can start. */
function hclString(value: string): string {
  let out = '"';
  for (let k = 0; k < value.length; k++) {
    const ch = value.charAt(k);
    const code = ch.charCodeAt(0);
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || code === 0x2028 || code === 0x2029) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else if ((ch === '$' || ch === '%') && value[k + 1] === '{') out += `${ch}${ch}`;
    else out += ch;
  }
  return `${out}"`;
}

function hclList(values: string[]): string {
  return `[${values.map(hclString).join(', ')}]`;
}

function renderTerraform(config: CorsConfiguration, options: RenderOptions): string {
  const name = terraformName(options.name ?? 'cors');
  const lines = [`resource "aws_s3_bucket_cors_configuration" "${name}" {`];
  lines.push(options.bucket !== undefined ? `  bucket = ${hclString(options.bucket)}` : `  bucket = aws_s3_bucket.${name}.id`);
  for (const rule of config.rules) {
    const attributes: Array<[string, string]> = [];
    if (rule.id !== undefined) attributes.push(['id', hclString(rule.id)]);
    if (rule.allowedHeaders.length) attributes.push(['allowed_headers', hclList(rule.allowedHeaders)]);
    attributes.push(['allowed_methods', hclList(rule.allowedMethods)]);
    attributes.push(['allowed_origins', hclList(rule.allowedOrigins)]);
    if (rule.exposeHeaders.length) attributes.push(['expose_headers', hclList(rule.exposeHeaders)]);
    if (rule.maxAgeSeconds !== undefined) attributes.push(['max_age_seconds', String(rule.maxAgeSeconds)]);
    const width = Math.max(...attributes.map(([k]) => k.length));
    lines.push('', '  cors_rule {', ...attributes.map(([k, v]) => `    ${k.padEnd(width)} = ${v}`), '  }');
  }
  lines.push('}', '');
  return lines.join('\n');
}

/** TypeScript single-quoted string literal. */
function tsString(value: string): string {
  const body = jsonString(value).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `'${body}'`;
}

/** Built in two parts so that tools scanning this file for imports do not take the generated line for one. */
const CDK_IMPORT = ['import * as s3', "from 'aws-cdk-lib/aws-s3';"].join(' ');

function renderCdk(config: CorsConfiguration, options: RenderOptions): Rendered {
  const notes: string[] = [];
  const list = (values: string[]) => `[${values.map(tsString).join(', ')}]`;
  const rules = config.rules.map((rule) => {
    const methods = rule.allowedMethods.map((m) => {
      // s3.HttpMethods has a member for each method S3 accepts, named as the method.
      if (isS3CorsMethod(m)) return `s3.HttpMethods.${m}`;
      notes.push(`${m} is not an S3 CORS method: s3.HttpMethods has no member for it and PutBucketCors refuses it.`);
      return `${tsString(m)} as s3.HttpMethods`;
    });
    const props: string[] = [];
    if (rule.id !== undefined) props.push(`id: ${tsString(rule.id)}`);
    props.push(`allowedMethods: [${methods.join(', ')}]`);
    props.push(`allowedOrigins: ${list(rule.allowedOrigins)}`);
    if (rule.allowedHeaders.length) props.push(`allowedHeaders: ${list(rule.allowedHeaders)}`);
    // `exposedHeaders` (with a d) is the CDK's spelling; a typo here is silently dropped (failure-modes 14).
    if (rule.exposeHeaders.length) props.push(`exposedHeaders: ${list(rule.exposeHeaders)}`);
    if (rule.maxAgeSeconds !== undefined) props.push(`maxAge: ${rule.maxAgeSeconds}`);
    return ['    {', ...props.map((p) => `      ${p},`), '    },'].join('\n');
  });
  const head = [`new s3.Bucket(this, ${tsString(logicalId(options.name, 'CorsBucket'))}, {`];
  if (options.bucket !== undefined) head.push(`  bucketName: ${tsString(options.bucket)},`);
  const text = [CDK_IMPORT, '', ...head, '  cors: [', ...rules, '  ],', '});', ''].join('\n');
  return { text, notes };
}

function renderGcs(config: CorsConfiguration): Rendered {
  const notes = [
    'GCS has one responseHeader list per entry: it is the union of AllowedHeaders and ExposeHeaders, so GCS both allows and exposes every listed header.',
    'Apply with: gcloud storage buckets update gs://BUCKET --cors-file=cors.json',
  ];
  if (config.rules.some((r) => r.id !== undefined)) notes.push('Rule IDs are dropped: GCS CORS entries have no ID.');
  if (config.rules.some((r) => [...r.allowedHeaders, ...r.exposeHeaders].some((h) => h.includes('*') && h !== '*'))) {
    notes.push('Header patterns such as x-amz-* are not wildcards on GCS: list the exact header names instead.');
  }
  if (config.rules.some((r) => r.allowedOrigins.some((o) => o.includes('*') && o !== '*'))) {
    notes.push('GCS supports "*" alone as a wildcard origin; partial wildcards such as https://*.example.com are matched literally.');
  }
  const entries = config.rules.map((rule) => {
    // What a rule read from GCS JSON held beyond the model is written back as it was.
    const gcs = rule.provider?.form === 'gcs' ? rule.provider : undefined;
    // A rule read from GCS: its AllowedHeaders are its responseHeader list as written; only an ExposeHeader added
    // since (a fix) joins it. Otherwise the union, each name once.
    const seen = new Set<string>(gcs ? rule.allowedHeaders.map((h) => h.toLowerCase()) : []);
    const once = (h: string) => {
      const key = h.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    };
    const responseHeader = gcs
      ? [...rule.allowedHeaders, ...rule.exposeHeaders.filter(once), ...(gcs.unmodelled?.headers ?? [])]
      : [...rule.allowedHeaders, ...rule.exposeHeaders].filter(once);
    const anyMethod = gcs?.anyMethod && S3_CORS_METHODS.every((m) => rule.allowedMethods.includes(m));
    const method = [...(anyMethod ? ['*'] : rule.allowedMethods), ...(gcs?.unmodelled?.methods ?? [])];
    const origin = [...rule.allowedOrigins, ...(gcs?.unmodelled?.origins ?? [])];
    const out: Record<string, unknown> = { origin, method, responseHeader };
    if (rule.maxAgeSeconds !== undefined) out.maxAgeSeconds = rule.maxAgeSeconds;
    return out;
  });
  return { text: `${jsonText(entries, 2)}\n`, notes };
}

/** B2 requires maxAgeSeconds (0–86400); 5 s is what browsers use when S3 sends no Access-Control-Max-Age. */
const B2_DEFAULT_MAX_AGE = 5;
const B2_MAX_MAX_AGE = 86400;

/**
 * A rule's allowedOperations: for a rule read from B2, its operations in the order written (native ones kept, S3
 * ones while their method is still allowed), then the S3 operations of methods added since.
 */
function b2Operations(rule: CorsRule, notes: string[]): string[] {
  const b2 = rule.provider?.form === 'b2' ? rule.provider : undefined;
  const written = (b2?.operations ?? []).filter((op) => {
    const method = B2_S3_OPERATIONS[op];
    return method === undefined || rule.allowedMethods.includes(method);
  });
  const added = rule.allowedMethods.flatMap((m) => {
    const op = B2_OPERATION_OF_METHOD[m];
    if (!op) notes.push(`${m} has no B2 operation and was left out.`);
    return op && !written.includes(op) ? [op] : [];
  });
  return [...written, ...added];
}

function renderB2(config: CorsConfiguration): Rendered {
  const notes = ['Apply with: b2 bucket update --cors-rules "$(cat cors.json | jq -c .corsRules)" BUCKET allPrivate (or the web console).'];
  const usedNames = new Set<string>();
  const rules = config.rules.map((rule, index) => {
    let name = (rule.id ?? '')
      .replace(/[^A-Za-z0-9-]/g, '-')
      .replace(/^b2-/i, 'rule-')
      .slice(0, 50);
    if (name.length < 6 || usedNames.has(name)) name = `rule-${index + 1}`;
    usedNames.add(name);
    if (rule.id !== undefined && name !== rule.id)
      notes.push(`Rule ID ${jsonString(rule.id)} became corsRuleName ${jsonString(name)} (B2 names: 6–50 letters, digits, '-').`);
    const operations = b2Operations(rule, notes);
    let maxAgeSeconds = rule.maxAgeSeconds ?? B2_DEFAULT_MAX_AGE;
    if (rule.maxAgeSeconds === undefined) notes.push(`${name}: B2 requires maxAgeSeconds; ${B2_DEFAULT_MAX_AGE} (the browsers' default) was used.`);
    if (maxAgeSeconds > B2_MAX_MAX_AGE) {
      notes.push(`${name}: maxAgeSeconds lowered to B2's maximum, ${B2_MAX_MAX_AGE}.`);
      maxAgeSeconds = B2_MAX_MAX_AGE;
    }
    // B2's "https" (any HTTPS origin, any port) was read as https://*.
    const anyHttps = rule.provider?.form === 'b2' && rule.provider.anyHttps;
    const allowedOrigins = rule.allowedOrigins.map((o) => (anyHttps && o === 'https://*' ? 'https' : o));
    const out: Record<string, unknown> = { corsRuleName: name, allowedOrigins, allowedOperations: operations };
    if (rule.allowedHeaders.length) out.allowedHeaders = rule.allowedHeaders;
    if (rule.exposeHeaders.length) out.exposeHeaders = rule.exposeHeaders;
    out.maxAgeSeconds = maxAgeSeconds;
    return out;
  });
  return { text: `${jsonText({ corsRules: rules }, 2)}\n`, notes };
}

function renderMinio(config: CorsConfiguration): Rendered {
  const origins: string[] = [];
  const notes = [
    'MinIO community edition has no per-bucket CORS: PutBucketCors answers 501 NotImplemented. Only the server-wide allowed-origin list can be set, for every bucket.', // spec §7
    'Not expressible on MinIO: AllowedMethods, AllowedHeaders, ExposeHeaders, MaxAgeSeconds, rule order and IDs (MinIO applies its own fixed lists).',
  ];
  for (const rule of config.rules) {
    for (const origin of rule.allowedOrigins) {
      if (origin.includes(',')) notes.push(`Origin ${jsonString(origin)} contains ',' which separates origins in cors_allow_origin; left out.`);
      else if (!origins.includes(origin)) origins.push(origin);
    }
  }
  const text = [
    ...notes.map((n) => `# ${n}`),
    `mc admin config set ALIAS api ${shellQuote(`cors_allow_origin=${origins.join(',')}`)}`,
    'mc admin service restart ALIAS',
    '',
  ].join('\n');
  return { text, notes };
}

const ruleName = (rule: CorsRule, index: number) => (rule.id !== undefined ? `rule ${index + 1} (${jsonString(rule.id)})` : `rule ${index + 1}`);

/**
 * The rules as a form other than their own can hold them: what a rule read from GCS JSON or B2 corsRules holds beyond
 * the S3 model is left out, with a note. A B2 rule allowing only native-API operations has no S3 method, and S3
 * refuses a rule without one: it is left out whole — and since PutBucketCors through B2's S3-compatible API replaces
 * the bucket's corsRules, the note says the B2 form keeps it.
 */
function withoutProviderExtras(config: CorsConfiguration, keep: 'gcs' | 'b2' | null): { config: CorsConfiguration; notes: string[] } {
  if (!config.rules.some((rule) => rule.provider !== undefined && rule.provider.form !== keep)) return { config, notes: [] };
  const notes: string[] = [];
  const rules: CorsRule[] = [];
  config.rules.forEach((rule, index) => {
    const { provider, ...s3 } = rule;
    if (provider === undefined || provider.form === keep) {
      rules.push(rule);
      return;
    }
    const label = ruleName(rule, index);
    if (provider.form === 'b2') {
      const other = provider.otherOperations;
      if (rule.allowedMethods.length === 0) {
        const native = other.length > 0 && other.every((op) => B2_NATIVE_OPERATIONS.includes(op));
        notes.push(
          `${label} ${native ? `allows only B2 native API operations (${other.join(', ')})` : `allows no S3-compatible operation (allowedOperations: ${other.join(', ') || 'none'})`}, which this form cannot express: it is left out. Setting this form through B2's S3-compatible API replaces the bucket's corsRules, so that rule would be lost; the B2 form (b2 bucket update --cors-rules) keeps it.`,
        );
        return;
      }
      if (other.length)
        notes.push(`${label}: its B2 native API operations (${other.join(', ')}) cannot be expressed here and are left out; the B2 form keeps them.`);
      if (provider.anyHttps) notes.push(`${label}: B2's origin "https" (any HTTPS origin) is written https://*.`);
    } else {
      const unmodelled = [...(provider.unmodelled?.methods ?? []), ...(provider.unmodelled?.origins ?? []), ...(provider.unmodelled?.headers ?? [])];
      if (unmodelled.length)
        notes.push(
          `${label}: ${unmodelled.map(jsonString).join(', ')} from the GCS form ${unmodelled.length === 1 ? 'is' : 'are'} left out (not an S3 method, or a literal "*" value on GCS).`,
        );
      if (provider.anyMethod) notes.push(`${label}: GCS's method "*" is written as the five S3 methods.`);
    }
    rules.push(s3);
  });
  return { config: { rules }, notes };
}

export function renderWithNotes(config: CorsConfiguration, format: RenderFormat, options: RenderOptions = {}): Rendered {
  const own = withoutProviderExtras(config, format === 'gcs' || format === 'b2' ? format : null);
  const rendered = renderForm(own.config, format, options);
  return own.notes.length ? { text: rendered.text, notes: [...own.notes, ...rendered.notes] } : rendered;
}

function renderForm(config: CorsConfiguration, format: RenderFormat, options: RenderOptions): Rendered {
  switch (format) {
    case 'console':
      return { text: `${jsonText(config.rules.map(consoleRule), 2)}\n`, notes: [] };
    case 'cli-json':
      return { text: `${jsonText({ CORSRules: config.rules.map(consoleRule) }, 2)}\n`, notes: [] };
    case 'cli': {
      const json = jsonText({ CORSRules: config.rules.map(consoleRule) });
      const bucket = shellQuote(options.bucket ?? 'BUCKET_NAME');
      const notes = options.bucket === undefined ? ['Replace BUCKET_NAME with the bucket name.'] : [];
      notes.push('PutBucketCors replaces the whole configuration; browsers may keep using a cached preflight for up to MaxAgeSeconds.'); // S26
      return { text: `aws s3api put-bucket-cors --bucket ${bucket} --cors-configuration ${shellQuote(json)}\n`, notes };
    }
    case 'xml':
      return { text: renderXml(config), notes: [] };
    case 'cloudformation':
    case 'cloudformation-json': {
      const template = cloudFormationTemplate(config, options);
      const text = format === 'cloudformation' ? `${yamlLines(template, '').join('\n')}\n` : `${jsonText(template, 2)}\n`;
      const notes =
        options.bucket === undefined
          ? ['The template declares a new bucket; for an existing one, copy CorsConfiguration into its AWS::S3::Bucket resource.']
          : [];
      return { text, notes };
    }
    case 'terraform': {
      const notes =
        options.bucket === undefined ? [`bucket refers to aws_s3_bucket.${terraformName(options.name ?? 'cors')}; point it at your bucket resource.`] : [];
      return { text: renderTerraform(config, options), notes };
    }
    case 'cdk':
      return renderCdk(config, options);
    case 'gcs':
      return renderGcs(config);
    case 'b2':
      return renderB2(config);
    case 'minio':
      return renderMinio(config);
  }
}
