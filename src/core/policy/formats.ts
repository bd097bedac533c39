/**
 * Format detection and the five readers: S3 console JSON, `aws s3api` JSON, S3 XML, CloudFormation (JSON or YAML)
 * and Terraform. Each turns a document into rules with positions (ParsedPolicy minus format/file).
 */
import { parseJsonTree } from './parse-json.js';
import { parseXmlTree, type XmlElement } from './parse-xml.js';
import { parseYamlTree } from './parse-yaml.js';
import { parseHclBody, type HclBlock } from './parse-hcl.js';
import {
  CLOUDFORMATION_FIELDS,
  CONSOLE_FIELDS,
  TERRAFORM_FIELDS,
  extractRule,
  type RuleDialect,
} from './extract-rules.js';
import { quote, type SourceText } from './source-text.js';
import { S3_XML_NAMESPACE, malformedXml } from './s3-errors.js';
import { describeNode, entry, type ObjectEntry, type ValueNode } from './value-tree.js';
import type { CorsRule, ParsedPolicy, PolicyError, PolicyFormat, PolicyWarning, RuleElement, RuleSource, SourcePosition } from './types.js';

export type PolicyBody = Omit<ParsedPolicy, 'format' | 'file'>;

export interface ReadOptions {
  /** Which bucket/resource to read when a file holds several: CloudFormation logical ID or Terraform resource name. */
  resource?: string;
}

const START = { line: 1, column: 1 };

/** Cheap detection from the first significant characters; the reader then gives precise errors. */
export function detectPolicyFormat(text: string): PolicyFormat | null {
  const body = text.replace(/^\uFEFF/, '');
  const first = /\S/.exec(body)?.[0];
  if (first === undefined) return null;
  if (first === '<') return 'xml';
  if (first === '[') return 'console-json';
  if (first === '{') {
    if (/"(CORSRules|CORSConfiguration)"\s*:/.test(body)) return 'cli-json';
    if (/"resource"\s*:/.test(body) && /"aws_s3_bucket(_cors_configuration)?"\s*:/.test(body)) return 'terraform';
    if (/"(Resources|CorsConfiguration|CorsRules|AWSTemplateFormatVersion)"\s*:/.test(body)) return 'cloudformation';
    return null;
  }
  if (/^\s*(resource|data|variable|provider|terraform|locals|module|output)\s*("|\{)/m.test(body) || /\bcors_rule\s*\{/.test(body)) {
    return 'terraform';
  }
  if (/^\s*(Resources|CorsConfiguration|CorsRules|AWSTemplateFormatVersion|Type|Properties)\s*:/m.test(body)) return 'cloudformation';
  return null;
}

function readRuleList(
  source: SourceText,
  list: ValueNode,
  dialect: RuleDialect,
  listName: string,
): { config: { rules: CorsRule[] }; sources: RuleSource[] } {
  if (list.kind !== 'array') throw source.error(`expected a list of rules, found ${describeNode(list)}, in ${listName}`, list.position);
  const rules: CorsRule[] = [];
  const sources: RuleSource[] = [];
  list.items.forEach((item, index) => {
    const { rule, ruleSource } = extractRule(source, item, index, dialect);
    rules.push(rule);
    sources.push(ruleSource);
  });
  return { config: { rules }, sources };
}

const consoleDialect: RuleDialect = {
  fields: CONSOLE_FIELDS,
  numericStrings: false,
  nullMeansAbsent: false,
  ruleName: (index) => `rule ${index + 1}`,
};

export function readConsoleJson(source: SourceText): PolicyBody {
  const root = parseJsonTree(source);
  if (root.kind !== 'array') {
    throw source.error(`expected the S3 console form, a list of rules; found ${describeNode(root)}, in the document`, root.position);
  }
  return { ...readRuleList(source, root, consoleDialect, 'the document'), rulesPosition: root.position };
}

/** Response metadata the JavaScript SDK v3 (`$metadata`) and boto3 (`ResponseMetadata`) add to a GetBucketCors result. */
const SDK_RESPONSE_KEYS = new Set(['$metadata', 'ResponseMetadata']);

/** Keys `aws s3api put-bucket-cors --cli-input-json` accepts next to the configuration. */
const CLI_INPUT_KEYS = new Set(['Bucket', 'ChecksumAlgorithm', 'ContentMD5', 'ExpectedBucketOwner']);

export function readCliJson(source: SourceText): PolicyBody {
  const root = parseJsonTree(source);
  if (root.kind !== 'object') throw source.error(`expected {"CORSRules": [...]}, found ${describeNode(root)}, in the document`, root.position);
  let holder = root;
  let context = '';
  const wrapper = entry(root, 'CORSConfiguration');
  if (wrapper) {
    for (const e of root.entries) {
      if (e.key !== 'CORSConfiguration' && !CLI_INPUT_KEYS.has(e.key)) throw source.error(`unknown key ${quote(e.key)}, in the document`, e.keyPosition);
    }
    if (wrapper.value.kind !== 'object') {
      throw source.error(`expected an object, found ${describeNode(wrapper.value)}, in CORSConfiguration`, wrapper.value.position);
    }
    holder = wrapper.value;
    context = 'CORSConfiguration.';
  }
  for (const e of holder.entries) {
    if (e.key !== 'CORSRules' && !(holder === root && SDK_RESPONSE_KEYS.has(e.key))) {
      throw source.error(`unknown key ${quote(e.key)}; expected CORSRules, in ${context ? 'CORSConfiguration' : 'the document'}`, e.keyPosition);
    }
  }
  const rules = entry(holder, 'CORSRules');
  if (!rules) throw source.error(`missing CORSRules, in ${context ? 'CORSConfiguration' : 'the document'}`, holder.position);
  const dialect: RuleDialect = { ...consoleDialect, ruleName: (index) => `${context}CORSRules[${index}]` };
  return { ...readRuleList(source, rules.value, dialect, `${context}CORSRules`), rulesPosition: rules.value.position };
}

export function readXml(source: SourceText): PolicyBody {
  const root = parseXmlTree(source);
  if (root.localName !== 'CORSConfiguration') {
    throw source.error(`root element is <${root.name}>, expected <CORSConfiguration>, in the XML document`, root.position);
  }
  const schemaErrors: PolicyError[] = [];
  const notes: PolicyWarning[] = [];
  const namespace = root.attributes.xmlns;
  if (namespace !== undefined && namespace !== S3_XML_NAMESPACE) {
    notes.push({
      code: 'XML_NAMESPACE',
      message: `CORSConfiguration has xmlns ${quote(namespace)}, not S3's ${S3_XML_NAMESPACE}; whether S3 accepts another namespace is unknown`,
      rule: null,
      line: root.position.line,
      column: root.position.column,
      fix: `Use xmlns="${S3_XML_NAMESPACE}" or leave xmlns out.`,
    });
  }
  const rules: CorsRule[] = [];
  const sources: RuleSource[] = [];
  for (const child of root.children) {
    if (child.kind === 'text') {
      if (child.text.trim()) schemaErrors.push(malformedXml({ rule: null, position: child.position }, `text ${quote(child.text.trim(), 30)} directly inside <CORSConfiguration>`));
      continue;
    }
    if (child.localName !== 'CORSRule') {
      schemaErrors.push(malformedXml({ rule: null, position: child.position }, `unknown element <${child.name}> inside <CORSConfiguration>`));
      continue;
    }
    const index = rules.length;
    const { rule, ruleSource } = readXmlRule(child, index, schemaErrors);
    rules.push(rule);
    sources.push(ruleSource);
  }
  const body: PolicyBody = { config: { rules }, sources, rulesPosition: root.position };
  if (schemaErrors.length) body.schemaErrors = schemaErrors;
  if (notes.length) body.notes = notes;
  return body;
}

const XML_LIST_ELEMENTS = {
  AllowedOrigin: 'allowedOrigins',
  AllowedMethod: 'allowedMethods',
  AllowedHeader: 'allowedHeaders',
  ExposeHeader: 'exposeHeaders',
} as const;

/** xsd:int as S3's schema declares MaxAgeSeconds: optional sign, digits, surrounding whitespace collapsed. */
const XML_NUMBER = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/;

function readXmlRule(element: XmlElement, index: number, schemaErrors: PolicyError[]): { rule: CorsRule; ruleSource: RuleSource } {
  const rule: CorsRule = { allowedOrigins: [], allowedMethods: [], allowedHeaders: [], exposeHeaders: [] };
  const ruleSource: RuleSource = { position: element.position, elements: [] };
  const ruleLabel = `rule ${index + 1}`;
  const seen = new Set<string>();
  for (const child of element.children) {
    if (child.kind === 'text') {
      if (child.text.trim()) schemaErrors.push(malformedXml({ rule: index, position: child.position }, `text ${quote(child.text.trim(), 30)} directly inside <CORSRule> (${ruleLabel})`));
      continue;
    }
    const name = child.localName;
    const place = { rule: index, position: child.position };
    let value = '';
    for (const part of child.children) {
      if (part.kind === 'text') value += part.text;
      else schemaErrors.push(malformedXml({ ...place, position: part.position }, `<${child.name}> must hold text, not <${part.name}> (${ruleLabel})`));
    }
    if (name in XML_LIST_ELEMENTS) {
      const element = name as keyof typeof XML_LIST_ELEMENTS;
      const list = rule[XML_LIST_ELEMENTS[element]];
      ruleSource.elements.push({ element, index: list.length, raw: value, position: child.position });
      list.push(value);
    } else if (name === 'ID' || name === 'MaxAgeSeconds') {
      if (seen.has(name)) {
        schemaErrors.push(malformedXml({ ...place, element: name }, `more than one <${name}> in <CORSRule> (${ruleLabel})`));
        continue;
      }
      seen.add(name);
      ruleSource.elements.push({ element: name, index: 0, raw: value, position: child.position });
      if (name === 'ID') rule.id = value;
      else if (XML_NUMBER.test(value)) rule.maxAgeSeconds = Number(value);
      else schemaErrors.push(malformedXml({ ...place, element: name }, `MaxAgeSeconds ${quote(value)} is not an integer (${ruleLabel})`));
    } else {
      const known: RuleElement[] = ['ID', 'AllowedOrigin', 'AllowedMethod', 'AllowedHeader', 'ExposeHeader', 'MaxAgeSeconds'];
      const near = known.find((k) => k.toLowerCase() === name.toLowerCase() || `${k}s`.toLowerCase() === name.toLowerCase());
      schemaErrors.push(
        malformedXml(place, `unknown element <${child.name}> in <CORSRule> (${ruleLabel})${near ? `; did you mean <${near}>?` : ''}`),
      );
    }
  }
  return { rule, ruleSource };
}

const cloudFormationDialect: RuleDialect = {
  fields: CLOUDFORMATION_FIELDS,
  numericStrings: true,
  nullMeansAbsent: true,
  ruleName: (index) => `CorsRules[${index}]`,
};

interface Candidate {
  name: string;
  position: SourcePosition;
  read(): PolicyBody;
}

/** Resolves "several buckets in one file": the one asked for, else the first, with a note naming the others. */
function choose(source: SourceText, candidates: Candidate[], what: string, options: ReadOptions): PolicyBody {
  if (candidates.length === 0) throw source.error(`no ${what} found, in the document`, START);
  let chosen = candidates[0]!;
  if (options.resource !== undefined) {
    const wanted = options.resource;
    const match = candidates.find((c) => c.name === wanted || c.name.endsWith(`.${wanted}`));
    if (!match) {
      throw source.error(`no ${what} named ${quote(wanted)}; found ${candidates.map((c) => c.name).join(', ')}, in the document`, START);
    }
    chosen = match;
  }
  const body = chosen.read();
  body.resource = chosen.name;
  body.resources = candidates.map((c) => c.name);
  if (candidates.length > 1 && options.resource === undefined) {
    const others = candidates.filter((c) => c !== chosen).map((c) => c.name);
    body.notes = [
      ...(body.notes ?? []),
      {
        code: 'MULTIPLE_CONFIGURATIONS',
        message: `the file holds ${candidates.length} CORS configurations; only the first, ${chosen.name}, was read (also: ${others.join(', ')})`,
        rule: null,
        line: chosen.position.line,
        column: chosen.position.column,
        fix: 'Lint each one by choosing it (resource option), or split the file.',
      },
    ];
  }
  return body;
}

function corsConfigurationCandidate(source: SourceText, name: string, configuration: ObjectEntry): Candidate {
  return {
    name,
    position: configuration.keyPosition,
    read() {
      const value = configuration.value;
      if (value.kind === 'expression') {
        throw source.error(`${value.description} is not a literal value; lint needs the literal configuration, in ${name} CorsConfiguration`, value.position);
      }
      if (value.kind !== 'object') throw source.error(`expected an object, found ${describeNode(value)}, in ${name} CorsConfiguration`, value.position);
      for (const e of value.entries) {
        if (e.key !== 'CorsRules') throw source.error(`unknown key ${quote(e.key)}; expected CorsRules, in ${name} CorsConfiguration`, e.keyPosition);
      }
      const rules = entry(value, 'CorsRules');
      if (!rules) throw source.error(`missing CorsRules, in ${name} CorsConfiguration`, value.position);
      if (rules.value.kind === 'expression') {
        throw source.error(`${rules.value.description} is not a literal value; lint needs the literal configuration, in ${name} CorsRules`, rules.value.position);
      }
      const dialect: RuleDialect = { ...cloudFormationDialect, ruleName: (index) => `${name} CorsRules[${index}]` };
      return { ...readRuleList(source, rules.value, dialect, `${name} CorsRules`), rulesPosition: rules.value.position };
    },
  };
}

/** Buckets in a Resources-like mapping: logical ID → { Type: AWS::S3::Bucket, Properties: { CorsConfiguration } }. */
function bucketCandidates(source: SourceText, resources: ValueNode, prefix: string): Candidate[] {
  if (resources.kind !== 'object') return [];
  const found: Candidate[] = [];
  for (const resource of resources.entries) {
    const type = entry(resource.value, 'Type')?.value;
    if (type?.kind !== 'string' || type.value !== 'AWS::S3::Bucket') continue;
    const properties = entry(resource.value, 'Properties')?.value;
    const configuration = properties && entry(properties, 'CorsConfiguration');
    if (configuration) found.push(corsConfigurationCandidate(source, `${prefix}${resource.key}`, configuration));
  }
  return found;
}

/**
 * CloudFormation's long-form intrinsic functions (`{"Ref": …}`, `{"Fn::Sub": …}`, also `Fn::If:` in YAML) compute a
 * value at deploy time: kept as 'expression' nodes so the message names them where a literal is needed.
 */
function markIntrinsics(node: ValueNode): ValueNode {
  if (node.kind === 'array') return { ...node, items: node.items.map(markIntrinsics) };
  if (node.kind !== 'object') return node;
  const only = node.entries.length === 1 ? node.entries[0]! : undefined;
  if (only && (only.key === 'Ref' || only.key.startsWith('Fn::'))) {
    return { kind: 'expression', position: node.position, description: `the CloudFormation function ${only.key}` };
  }
  return { ...node, entries: node.entries.map((e) => ({ ...e, value: markIntrinsics(e.value) })) };
}

export function readCloudFormation(source: SourceText, options: ReadOptions): PolicyBody {
  const first = /\S/.exec(source.text)?.[0];
  const root = markIntrinsics(first === '{' ? parseJsonTree(source) : parseYamlTree(source));
  if (root.kind !== 'object') throw source.error(`expected a CloudFormation template or fragment, found ${describeNode(root)}, in the document`, root.position);
  const what = 'AWS::S3::Bucket with a CorsConfiguration';
  const resources = entry(root, 'Resources');
  if (resources) return choose(source, bucketCandidates(source, resources.value, 'Resources.'), what, options);
  const type = entry(root, 'Type')?.value;
  const properties = entry(root, 'Properties')?.value;
  if (type || properties) {
    const configuration = properties && entry(properties, 'CorsConfiguration');
    return choose(source, configuration ? [corsConfigurationCandidate(source, 'the resource', configuration)] : [], what, options);
  }
  const configuration = entry(root, 'CorsConfiguration');
  if (configuration) return choose(source, [corsConfigurationCandidate(source, 'the fragment', configuration)], what, options);
  if (entry(root, 'CorsRules')) {
    const wrapper: ObjectEntry = { key: 'CorsConfiguration', keyPosition: root.position, value: root };
    return choose(source, [corsConfigurationCandidate(source, 'the fragment', wrapper)], what, options);
  }
  // A fragment of the Resources section itself.
  return choose(source, bucketCandidates(source, root, ''), what, options);
}

const terraformDialect: RuleDialect = {
  fields: TERRAFORM_FIELDS,
  numericStrings: true,
  nullMeansAbsent: true,
  ruleName: (index) => `cors_rule #${index + 1}`,
};

/** A block body as an object node, so cors_rule attributes go through the shared extraction. */
function blockAsObject(source: SourceText, block: HclBlock, context: string): ValueNode {
  const entries: ObjectEntry[] = [];
  for (const item of block.body) {
    if (item.kind === 'block') throw source.error(`unexpected block ${item.type}, in ${context}`, item.position);
    if (entries.some((e) => e.key === item.name)) throw source.error(`attribute ${item.name} is set twice, in ${context}`, item.position);
    entries.push({ key: item.name, keyPosition: item.position, value: item.value });
  }
  return { kind: 'object', position: block.position, entries };
}

const TERRAFORM_CORS_WHAT = 'aws_s3_bucket_cors_configuration (or aws_s3_bucket with cors_rule) resource';

function terraformCandidate(source: SourceText, name: string, position: SourcePosition, ruleNodes: () => ValueNode[]): Candidate {
  return {
    name,
    position,
    read() {
      const dialect: RuleDialect = { ...terraformDialect, ruleName: (k) => `${name} cors_rule #${k + 1}` };
      const rules: CorsRule[] = [];
      const sources: RuleSource[] = [];
      ruleNodes().forEach((node, index) => {
        const { rule, ruleSource } = extractRule(source, node, index, dialect);
        rules.push(rule);
        sources.push(ruleSource);
      });
      return { config: { rules }, sources, rulesPosition: position };
    },
  };
}

function isTerraformCorsType(type: string | undefined): type is 'aws_s3_bucket_cors_configuration' | 'aws_s3_bucket' {
  return type === 'aws_s3_bucket_cors_configuration' || type === 'aws_s3_bucket';
}

export function readTerraform(source: SourceText, options: ReadOptions): PolicyBody {
  if (/^\s*\{/.test(source.text)) return readTerraformJson(source, options);
  const body = parseHclBody(source);
  const candidates: Candidate[] = [];
  for (const item of body) {
    if (item.kind !== 'block' || item.type !== 'resource') continue;
    const [type, label] = item.labels;
    if (!isTerraformCorsType(type)) continue;
    const name = `${type}.${label ?? ''}`;
    const ruleBlocks: HclBlock[] = [];
    for (const inner of item.body) {
      if (inner.kind !== 'block') continue;
      if (inner.type === 'dynamic' && inner.labels[0] === 'cors_rule') {
        throw source.error(`a dynamic "cors_rule" block is computed by Terraform; lint needs literal cors_rule blocks, in ${name}`, inner.position);
      }
      if (inner.type === 'cors_rule') ruleBlocks.push(inner);
    }
    if (type === 'aws_s3_bucket' && ruleBlocks.length === 0) continue;
    candidates.push(
      terraformCandidate(source, name, item.position, () =>
        ruleBlocks.map((block, index) => blockAsObject(source, block, `${name} cors_rule #${index + 1}`)),
      ),
    );
  }
  return choose(source, candidates, TERRAFORM_CORS_WHAT, options);
}

/**
 * Terraform's JSON syntax (`*.tf.json`, CDK for Terraform output): every string is a template there, so one with
 * `${…}` or `%{…}` is an expression; `$${` and `%%{` are the escapes for the literal text.
 */
function templateLiteral(node: ValueNode): ValueNode {
  switch (node.kind) {
    case 'string':
      if (/(^|[^$])\$\{|(^|[^%])%\{/.test(node.value)) {
        return { kind: 'expression', position: node.position, description: `the template ${quote(node.value, 60)}` };
      }
      return { ...node, value: node.value.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{') };
    case 'array':
      return { ...node, items: node.items.map(templateLiteral) };
    case 'object':
      return { ...node, entries: node.entries.map((e) => ({ ...e, value: templateLiteral(e.value) })) };
    default:
      return node;
  }
}

const asList = (node: ValueNode | undefined): ValueNode[] => (node === undefined ? [] : node.kind === 'array' ? node.items : [node]);

function readTerraformJson(source: SourceText, options: ReadOptions): PolicyBody {
  const root = parseJsonTree(source);
  const candidates: Candidate[] = [];
  for (const resources of asList(entry(root, 'resource')?.value)) {
    if (resources.kind !== 'object') continue;
    for (const byType of resources.entries) {
      if (!isTerraformCorsType(byType.key) || byType.value.kind !== 'object') continue;
      for (const byName of byType.value.entries) {
        const name = `${byType.key}.${byName.key}`;
        for (const body of asList(byName.value)) {
          if (asList(entry(body, 'dynamic')?.value).some((d) => entry(d, 'cors_rule'))) {
            throw source.error(`a dynamic "cors_rule" block is computed by Terraform; lint needs literal cors_rule blocks, in ${name}`, body.position);
          }
          const ruleNodes = asList(entry(body, 'cors_rule')?.value);
          if (byType.key === 'aws_s3_bucket' && ruleNodes.length === 0) continue;
          candidates.push(terraformCandidate(source, name, byName.keyPosition, () => ruleNodes.map(templateLiteral)));
        }
      }
    }
  }
  return choose(source, candidates, TERRAFORM_CORS_WHAT, options);
}
