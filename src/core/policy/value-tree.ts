/**
 * A format-neutral document tree with source positions. The JSON, YAML and HCL readers all produce it, so the rule
 * extraction (extract-rules.ts) is written once.
 */
import type { SourcePosition } from './types.js';

export interface ObjectEntry {
  key: string;
  keyPosition: SourcePosition;
  value: ValueNode;
}

export type ValueNode =
  | { kind: 'object'; position: SourcePosition; entries: ObjectEntry[] }
  | { kind: 'array'; position: SourcePosition; items: ValueNode[] }
  | { kind: 'string'; position: SourcePosition; value: string }
  | { kind: 'number'; position: SourcePosition; value: number; raw: string }
  | { kind: 'boolean'; position: SourcePosition; value: boolean }
  | { kind: 'null'; position: SourcePosition }
  /** A value computed at deploy time (CloudFormation `!Ref`/`Fn::Sub`, a Terraform `var.x`): never a literal. */
  | { kind: 'expression'; position: SourcePosition; description: string };

export function entry(node: ValueNode, key: string): ObjectEntry | undefined {
  return node.kind === 'object' ? node.entries.find((e) => e.key === key) : undefined;
}

export function describeNode(node: ValueNode): string {
  switch (node.kind) {
    case 'object':
      return 'an object';
    case 'array':
      return 'a list';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return node.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'expression':
      return node.description;
  }
}
