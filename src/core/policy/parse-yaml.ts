/**
 * YAML (CloudFormation templates) into the shared value tree, through the `yaml` package's AST so positions survive.
 * CloudFormation short tags (`!Ref`, `!Sub`, `!GetAtt`, …) are kept as 'expression' nodes: the rule extraction
 * reports them with their position only if they sit where a literal is needed.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { MAX_NESTING_DEPTH, quote, type SourceText } from './source-text.js';
import type { ObjectEntry, ValueNode } from './value-tree.js';
import type { SourcePosition } from './types.js';

/** Anchors are legal YAML, but a few dozen alias references are plenty; more is an alias bomb. */
const MAX_ALIAS_COUNT = 50;
/** Total nodes produced, counting alias expansions, so a "billion laughs" in YAML stays small. */
const MAX_NODES = 200_000;

/**
 * CloudFormation itself takes at most 51,200 bytes inline (1 MB from S3). The `yaml` package is far slower than our
 * own readers (hundreds of milliseconds for a few hundred KB), so YAML gets a lower bound than the general limit.
 */
const MAX_YAML_CHARS = 256 * 1024;

/**
 * The `yaml` package recurses per nesting level and slows down sharply (or overflows the stack) on deep nesting, so
 * depth is checked first with a cheap scan: flow brackets (quoted scalars and comments skipped), and block levels
 * from indentation plus compact `- `/`? ` indicators.
 */
function checkDepth(source: SourceText): void {
  const text = source.text;
  const tooDeep = (at: number) => source.error(`nesting deeper than ${MAX_NESTING_DEPTH} levels, in the YAML document`, at);
  let flowDepth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      const close = text.indexOf(ch, i + 1);
      if (close === -1) break; // unterminated: the parser reports it
      i = close;
    } else if (ch === '#' && (i === 0 || /\s/.test(text.charAt(i - 1)))) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (ch === '[' || ch === '{') {
      if (++flowDepth > MAX_NESTING_DEPTH) throw tooDeep(i);
    } else if ((ch === ']' || ch === '}') && flowDepth > 0) flowDepth--;
  }
  const indents: number[] = [];
  // At most one indicator more than the limit is needed to know a line is too deep.
  const blockLine = new RegExp(`^([ ]*)((?:[-?][ ]+){0,${MAX_NESTING_DEPTH + 1}})(\\S?)`, 'gm');
  for (let m = blockLine.exec(text); m !== null; m = blockLine.exec(text)) {
    if (m[0].length === 0) blockLine.lastIndex++;
    if (!m[3] || m[3] === '#') continue;
    let column = (m[1] ?? '').length;
    const indicators = (m[2] ?? '').match(/[-?][ ]+/g) ?? [];
    for (const level of [column, ...indicators.map((indicator) => (column += indicator.length))]) {
      while ((indents[indents.length - 1] ?? -1) >= level) indents.pop();
      indents.push(level);
      if (indents.length > MAX_NESTING_DEPTH) throw tooDeep(m.index + level);
    }
  }
}

export function parseYamlTree(source: SourceText): ValueNode {
  if (source.text.length > MAX_YAML_CHARS) {
    throw source.error(`YAML document is ${source.text.length} characters, above the ${MAX_YAML_CHARS}-character limit for YAML, in the YAML document`, 0);
  }
  checkDepth(source);
  const lineCounter = new LineCounter();
  const doc = parseDocument(source.text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
  });
  const first = doc.errors[0];
  if (first) {
    const where = first.pos?.[0] ?? 0;
    throw source.error(`${(first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}, in the YAML document`, where);
  }
  const position = (node: YamlNode | null | undefined): SourcePosition => {
    const pos = lineCounter.linePos(node?.range?.[0] ?? 0);
    return { line: pos.line, column: pos.col };
  };
  let produced = 0;
  let aliasesFollowed = 0;

  const convert = (node: unknown, depth: number): ValueNode => {
    if (++produced > MAX_NODES) throw source.error(`more than ${MAX_NODES} values (alias expansion?), in the YAML document`, 0);
    const yamlNode = node as YamlNode | null;
    if (depth > MAX_NESTING_DEPTH) throw source.error(`nesting deeper than ${MAX_NESTING_DEPTH} levels, in the YAML document`, position(yamlNode));
    if (node === null || node === undefined) return { kind: 'null', position: position(null) };
    if (isAlias(node)) {
      if (++aliasesFollowed > MAX_ALIAS_COUNT) {
        throw source.error(`more than ${MAX_ALIAS_COUNT} alias references, in the YAML document`, position(node));
      }
      return convert(node.resolve(doc as Document), depth + 1);
    }
    const tag = (node as { tag?: string }).tag;
    if (tag && tag.startsWith('!') && !tag.startsWith('!!')) {
      // The node's range starts after its tag; point at the tag itself, which is what the user wrote.
      const valueStart = yamlNode?.range?.[0] ?? 0;
      const tagStart = source.text.lastIndexOf(tag, valueStart);
      const at = tagStart !== -1 && valueStart - tagStart < 200 ? tagStart : valueStart;
      const pos = lineCounter.linePos(at);
      return { kind: 'expression', position: { line: pos.line, column: pos.col }, description: `the CloudFormation function ${tag}` };
    }
    if (isMap(node)) {
      const entries: ObjectEntry[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
          throw source.error('a mapping key must be a plain string, in the YAML document', position(keyNode));
        }
        entries.push({ key: String(keyNode.value), keyPosition: position(keyNode), value: convert(pair.value, depth + 1) });
      }
      return { kind: 'object', position: position(yamlNode), entries };
    }
    if (isSeq(node)) {
      return { kind: 'array', position: position(yamlNode), items: node.items.map((item) => convert(item, depth + 1)) };
    }
    if (isScalar(node)) {
      const value = node.value;
      const at = position(node);
      if (typeof value === 'string') return { kind: 'string', position: at, value };
      if (typeof value === 'number') return { kind: 'number', position: at, value, raw: node.source ?? String(value) };
      if (typeof value === 'boolean') return { kind: 'boolean', position: at, value };
      if (value === null) return { kind: 'null', position: at };
      throw source.error(`unsupported YAML value ${quote(String(node.source ?? ''))}, in the YAML document`, at);
    }
    throw source.error('unsupported YAML construct, in the YAML document', position(yamlNode));
  };

  return convert(doc.contents, 0);
}
