/** Terraform: HCL or JSON syntax, aws_s3_bucket_cors_configuration or aws_s3_bucket with cors_rule blocks. */
import { parseJsonTree } from '../parse-json.js';
import { parseHclBody, type HclBlock } from '../parse-hcl.js';
import { TERRAFORM_FIELDS, extractRule, type RuleDialect } from '../extract-rules.js';
import { quote, type SourceText } from '../source-text.js';
import { entry, type ObjectEntry, type ValueNode } from '../value-tree.js';
import type { CorsRule, RuleSource, SourcePosition } from '../types.js';
import { choose, type Candidate, type PolicyBody, type ReadOptions } from './shared.js';

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
      terraformCandidate(source, name, item.position, () => ruleBlocks.map((block, index) => blockAsObject(source, block, `${name} cors_rule #${index + 1}`))),
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
