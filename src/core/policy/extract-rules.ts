/**
 * From a document tree (JSON, YAML or HCL) to CORS rules with source positions. Each format names the same six
 * fields differently; everything else is shared. Shape errors (a string where a list is needed, an unknown key,
 * a `!Ref` where a literal is needed) are PolicyParseErrors naming the rule and the field: the AWS CLI,
 * CloudFormation and Terraform all refuse such documents before S3 sees them.
 */
import { quote, type SourceText } from './source-text.js';
import { describeNode, type ValueNode } from './value-tree.js';
import type { CorsRule, RuleElement, RuleSource, SourcePosition } from './types.js';

export interface FieldNames {
  allowedHeaders: string;
  allowedMethods: string;
  allowedOrigins: string;
  exposeHeaders: string;
  maxAgeSeconds: string;
  id: string;
}

export interface RuleDialect {
  fields: FieldNames;
  /** CloudFormation and Terraform convert "3000" to 3000 for a number property; the AWS CLI refuses it. */
  numericStrings: boolean;
  /** Terraform and CloudFormation read an explicit null as "not set"; the AWS CLI refuses it. */
  nullMeansAbsent: boolean;
  /** How a rule is named in messages, e.g. `CORSRules[2]` or `cors_rule #3`. */
  ruleName(index: number): string;
}

export const CONSOLE_FIELDS: FieldNames = {
  allowedHeaders: 'AllowedHeaders',
  allowedMethods: 'AllowedMethods',
  allowedOrigins: 'AllowedOrigins',
  exposeHeaders: 'ExposeHeaders',
  maxAgeSeconds: 'MaxAgeSeconds',
  id: 'ID',
};

export const CLOUDFORMATION_FIELDS: FieldNames = {
  allowedHeaders: 'AllowedHeaders',
  allowedMethods: 'AllowedMethods',
  allowedOrigins: 'AllowedOrigins',
  exposeHeaders: 'ExposedHeaders',
  maxAgeSeconds: 'MaxAge',
  id: 'Id',
};

export const TERRAFORM_FIELDS: FieldNames = {
  allowedHeaders: 'allowed_headers',
  allowedMethods: 'allowed_methods',
  allowedOrigins: 'allowed_origins',
  exposeHeaders: 'expose_headers',
  maxAgeSeconds: 'max_age_seconds',
  id: 'id',
};

type ListField = 'allowedHeaders' | 'allowedMethods' | 'allowedOrigins' | 'exposeHeaders';
const LIST_ELEMENTS: Record<ListField, RuleElement> = {
  allowedHeaders: 'AllowedHeader',
  allowedMethods: 'AllowedMethod',
  allowedOrigins: 'AllowedOrigin',
  exposeHeaders: 'ExposeHeader',
};

export function extractRule(source: SourceText, node: ValueNode, index: number, dialect: RuleDialect): { rule: CorsRule; ruleSource: RuleSource } {
  const ruleName = dialect.ruleName(index);
  const problem = (what: string, where: string, at: SourcePosition) => source.error(`${what}, in ${where}`, at);
  if (node.kind !== 'object') {
    throw problem(`expected a rule object, found ${describeNode(node)}`, ruleName, node.position);
  }
  const rule: CorsRule = { allowedOrigins: [], allowedMethods: [], allowedHeaders: [], exposeHeaders: [] };
  const ruleSource: RuleSource = { position: node.position, elements: [] };
  const fieldByKey = new Map(Object.entries(dialect.fields).map(([field, key]) => [key, field as keyof FieldNames]));

  for (const { key, keyPosition, value } of node.entries) {
    const field = fieldByKey.get(key);
    const where = `${ruleName} ${key}`;
    if (!field) {
      const expected = Object.values(dialect.fields).join(', ');
      const near = Object.values(dialect.fields).find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
      throw problem(`unknown key ${quote(key)}${near ? ` (did you mean ${near}?)` : ''}; expected one of ${expected}`, ruleName, keyPosition);
    }
    if (value.kind === 'null' && dialect.nullMeansAbsent) continue;
    if (value.kind === 'expression') {
      throw problem(`${value.description} is not a literal value; lint needs the literal configuration`, where, value.position);
    }
    if (field === 'maxAgeSeconds') {
      let seconds: number | undefined;
      let raw = '';
      if (value.kind === 'number') {
        seconds = value.value;
        raw = value.raw;
      } else if (value.kind === 'string' && dialect.numericStrings && /^\s*-?\d+(\.\d+)?\s*$/.test(value.value)) {
        seconds = Number(value.value);
        raw = value.value;
      }
      if (seconds === undefined) throw problem(`expected a number of seconds, found ${describeNode(value)}`, where, value.position);
      rule.maxAgeSeconds = seconds;
      ruleSource.elements.push({ element: 'MaxAgeSeconds', index: 0, raw, position: value.position });
    } else if (field === 'id') {
      if (value.kind !== 'string') throw problem(`expected a string, found ${describeNode(value)}`, where, value.position);
      rule.id = value.value;
      ruleSource.elements.push({ element: 'ID', index: 0, raw: value.value, position: value.position });
    } else {
      if (value.kind !== 'array') throw problem(`expected a list of strings, found ${describeNode(value)}`, where, value.position);
      const list = rule[field];
      value.items.forEach((item, itemIndex) => {
        if (item.kind === 'expression') {
          throw problem(`${item.description} is not a literal value; lint needs the literal configuration`, `${where}[${itemIndex}]`, item.position);
        }
        if (item.kind !== 'string') throw problem(`expected a string, found ${describeNode(item)}`, `${where}[${itemIndex}]`, item.position);
        list.push(item.value);
        ruleSource.elements.push({ element: LIST_ELEMENTS[field], index: itemIndex, raw: item.value, position: item.position });
      });
    }
  }
  return { rule, ruleSource };
}

/** Levenshtein distance, for "did you mean" on misspelt keys (`AllowedOrigin`, `ExposeHeaders` in CloudFormation). */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  // One row of the table at a time: previous[y] is the distance between the first x - 1 characters of a and the
  // first y of b; `distance` is the last cell of the row last built.
  let previous = Array.from({ length: b.length + 1 }, (_, k) => k);
  let distance = b.length;
  for (let x = 1; x <= a.length; x++) {
    const current = [x];
    let diagonal = x - 1; // previous[y - 1]
    let left = x; // current[y - 1]
    for (const [k, above] of previous.slice(1).entries()) {
      left = Math.min(above + 1, left + 1, diagonal + (a[x - 1] === b[k] ? 0 : 1));
      current.push(left);
      diagonal = above;
    }
    previous = current;
    distance = left;
  }
  return distance;
}
