/** CloudFormation (JSON or YAML): a template, a resource, or a fragment, with intrinsic functions named. */
import { parseJsonTree } from '../parse-json.js';
import { parseYamlTree } from '../parse-yaml.js';
import { CLOUDFORMATION_FIELDS, type RuleDialect } from '../extract-rules.js';
import { quote, type SourceText } from '../source-text.js';
import { describeNode, entry, type ObjectEntry, type ValueNode } from '../value-tree.js';
import { choose, readRuleList, type Candidate, type PolicyBody, type ReadOptions } from './shared.js';

const cloudFormationDialect: RuleDialect = {
  fields: CLOUDFORMATION_FIELDS,
  numericStrings: true,
  nullMeansAbsent: true,
  ruleName: (index) => `CorsRules[${index}]`,
};

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
        throw source.error(
          `${rules.value.description} is not a literal value; lint needs the literal configuration, in ${name} CorsRules`,
          rules.value.position,
        );
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
  const only = node.entries.length === 1 ? node.entries[0] : undefined;
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
