/** The S3 console's JSON: a list of rules. */
import { parseJsonTree } from '../parse-json.js';
import { CONSOLE_FIELDS, type RuleDialect } from '../extract-rules.js';
import type { SourceText } from '../source-text.js';
import { describeNode } from '../value-tree.js';
import { readRuleList, type PolicyBody } from './shared.js';

export const consoleDialect: RuleDialect = {
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
