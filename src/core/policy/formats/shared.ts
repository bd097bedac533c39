/** What every format reader shares: the result shape, reading a rule list, and choosing among several buckets. */
import { extractRule, type RuleDialect } from '../extract-rules.js';
import { quote, type SourceText } from '../source-text.js';
import { describeNode, type ValueNode } from '../value-tree.js';
import type { CorsRule, ParsedPolicy, RuleSource, SourcePosition } from '../types.js';

export type PolicyBody = Omit<ParsedPolicy, 'format' | 'file'>;

export interface ReadOptions {
  /** Which bucket/resource to read when a file holds several: CloudFormation logical ID or Terraform resource name. */
  resource?: string;
}

const START = { line: 1, column: 1 };

export function readRuleList(
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

export interface Candidate {
  name: string;
  position: SourcePosition;
  read(): PolicyBody;
}

/** Resolves "several buckets in one file": the one asked for, else the first, with a note naming the others. */
export function choose(source: SourceText, candidates: Candidate[], what: string, options: ReadOptions): PolicyBody {
  const [first] = candidates;
  if (first === undefined) throw source.error(`no ${what} found, in the document`, START);
  let chosen = first;
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
