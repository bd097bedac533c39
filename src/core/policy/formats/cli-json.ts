/** `aws s3api` JSON: {"CORSRules": [...]}, also wrapped in CORSConfiguration or as an SDK GetBucketCors result. */
import { parseJsonTree } from '../parse-json.js';
import type { RuleDialect } from '../extract-rules.js';
import { quote, type SourceText } from '../source-text.js';
import { describeNode, entry } from '../value-tree.js';
import { consoleDialect } from './console-json.js';
import { readRuleList, type PolicyBody } from './shared.js';

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
