/**
 * What the readers of the providers' own JSON forms (GCS, Backblaze B2) share: the document as a list of rules or an
 * object holding one (a bucket resource), known keys with "did you mean" for a near miss or another form's spelling,
 * and values read with their positions. Shape errors are PolicyParseErrors naming the form, the rule and the key.
 */
import { parseJsonTree } from '../parse-json.js';
import { editDistance } from '../extract-rules.js';
import { quote, type SourceText } from '../source-text.js';
import { describeNode, type ObjectEntry, type ValueNode } from '../value-tree.js';
import type { SourcePosition } from '../types.js';

export interface ProviderForm {
  /** How the form is named in messages: `GCS`, `B2`. */
  name: string;
  /** The keys the document may wrap its list in (`cors`, `corsRules`), first one named in messages. */
  wrappers: readonly string[];
  /** The form's rule keys, in the order messages list them. */
  keys: readonly string[];
  /** Other forms' spellings of a key, mapped to this form's (`AllowedMethods` → `allowedOperations`). */
  aliases: Readonly<Record<string, string>>;
  /** `[{…}]`, shown in the message for a document of another shape. */
  example: string;
}

export interface RuleList {
  items: ValueNode[];
  /** Where the list of rules starts. */
  position: SourcePosition;
  /** `GCS cors`, `B2 corsRules`: how the list is named in messages; rule i is `${name}[i]`. */
  name: string;
}

/**
 * The list of rules of a document in the form: the document itself, or the value of a wrapper key. The other keys of
 * a wrapping object are the bucket's other settings (name, location, lifecycle rules, …) and are not read.
 */
export function readRuleListOf(source: SourceText, form: ProviderForm): RuleList {
  const root = parseJsonTree(source);
  const [key = ''] = form.wrappers;
  if (root.kind === 'array') return { items: root.items, position: root.position, name: `${form.name} ${key}` };
  const expected = `a ${form.name} CORS list ${form.example} or {${form.wrappers.map((w) => `"${w}": [...]`).join(' / ')}}`;
  if (root.kind !== 'object') throw source.error(`expected ${expected}, found ${describeNode(root)}, in the document`, root.position);
  const wrappers = root.entries.filter((e) => form.wrappers.includes(e.key));
  const [wrapper, second] = wrappers;
  if (!wrapper) throw source.error(`expected ${expected}; found no ${form.wrappers.join(' or ')} key, in the document`, root.position);
  if (second) throw source.error(`both ${wrapper.key} and ${second.key} are set; keep one, in the document`, second.keyPosition);
  const name = `${form.name} ${wrapper.key}`;
  if (wrapper.value.kind !== 'array') throw source.error(`expected a list of rules, found ${describeNode(wrapper.value)}, in ${name}`, wrapper.value.position);
  return { items: wrapper.value.items, position: wrapper.value.position, name };
}

/** The entries of one rule, each key one of the form's (or a PolicyParseError naming the key and the right spelling). */
export function ruleEntries(source: SourceText, form: ProviderForm, node: ValueNode, ruleName: string): ObjectEntry[] {
  if (node.kind !== 'object') throw source.error(`expected a rule object, found ${describeNode(node)}, in ${ruleName}`, node.position);
  for (const e of node.entries) {
    if (form.keys.includes(e.key)) continue;
    // An own alias only: a key such as `constructor` must not find Object.prototype's.
    const alias = Object.prototype.hasOwnProperty.call(form.aliases, e.key) ? form.aliases[e.key] : undefined;
    const near = alias ?? form.keys.find((k) => editDistance(k.toLowerCase(), e.key.toLowerCase()) <= 2);
    throw source.error(
      `unknown key ${quote(e.key)}${near ? ` (did you mean ${near}?)` : ''}; expected one of ${form.keys.join(', ')}, in ${ruleName}`,
      e.keyPosition,
    );
  }
  return node.entries;
}

export interface StringItem {
  value: string;
  position: SourcePosition;
}

/** A list of strings, each with its position. */
export function stringList(source: SourceText, entry: ObjectEntry, where: string): StringItem[] {
  const value = entry.value;
  if (value.kind !== 'array') throw source.error(`expected a list of strings, found ${describeNode(value)}, in ${where}`, value.position);
  return value.items.map((item, k) => {
    if (item.kind !== 'string') throw source.error(`expected a string, found ${describeNode(item)}, in ${where}[${k}]`, item.position);
    return { value: item.value, position: item.position };
  });
}

/** A JSON number (the APIs take integers; a string such as "3600" is refused as the AWS CLI does). */
export function numberValue(source: SourceText, entry: ObjectEntry, where: string): { value: number; raw: string; position: SourcePosition } {
  const value = entry.value;
  if (value.kind !== 'number') throw source.error(`expected a number of seconds, found ${describeNode(value)}, in ${where}`, value.position);
  return { value: value.value, raw: value.raw, position: value.position };
}

/** A JSON string. */
export function stringValue(source: SourceText, entry: ObjectEntry, where: string): StringItem {
  const value = entry.value;
  if (value.kind !== 'string') throw source.error(`expected a string, found ${describeNode(value)}, in ${where}`, value.position);
  return { value: value.value, position: value.position };
}
